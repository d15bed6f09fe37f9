"""The demo practice hangs together the way a clinician expects: modality, interventions,
diagnoses, measures, contacts, milestones and phases of care agree with each other."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from notesdesk.core.domain.care import PHASE_MODELS, MilestoneKind, MilestoneStatus
from notesdesk.core.domain.clients import Client, ClientStatus
from notesdesk.core.domain.notes import NoteFormat
from notesdesk.core.measures.objectives import parse_measure_rule
from notesdesk.core.services import measures as measure_service
from notesdesk.core.storage.vault import Vault
from notesdesk.demo import CASES, build_demo, choose_cases
from notesdesk.demo import course as dc
from notesdesk.demo import names as dn
from notesdesk.demo.cases import Case
from notesdesk.demo.client import PHASE_TECHNIQUES, ClientRecord, plan_client
from notesdesk.demo.modalities import TECHNIQUE_MODALITIES, fits, usable

TODAY = date(2026, 3, 16)
CEILING = datetime(2026, 3, 16, tzinfo=UTC)
REACHED = (MilestoneStatus.ACHIEVED, MilestoneStatus.SUSTAINED)
CONTACT = re.compile(r"^(?P<name>.+) \((?P<relation>[a-z ]+)\) \(\d{3}\) 555-01\d\d$")


@pytest.fixture(scope="module")
def records() -> list[tuple[Case, ClientRecord]]:
    """Every case four times over (different people, modalities and courses), planned in memory."""
    people = dn.invent_people(4 * len(CASES), random.Random(21))
    statuses = (ClientStatus.ACTIVE, ClientStatus.DISCHARGED, ClientStatus.ON_HOLD, ClientStatus.ACTIVE)
    out = []
    for index, person in enumerate(people):
        case = CASES[index % len(CASES)]
        status = statuses[index // len(CASES)]
        sessions = (12, 24, 36, 40)[index // len(CASES)]
        out.append((case, plan_client(person, case, sessions, status, 1, TODAY, CEILING, "Dr. Test",
                                      random.Random(index))))
    return out


# -- the case banks -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_every_modality_of_a_case_has_a_technique_for_every_objective(case: Case) -> None:
    assert set(case.techniques) <= set(TECHNIQUE_MODALITIES), case.key
    for name in case.techniques:  # no technique text that no client of this case could get
        assert any(fits(name, m) for m in case.modalities), name
    for modality in set(case.modalities):
        for goal in case.goals:
            for objective in goal.objectives:
                assert usable(objective.techniques, modality), (case.key, modality, objective.description)
        for pool in PHASE_TECHNIQUES.get(case.key, ()):
            assert usable(pool, modality), (case.key, modality, pool)
    for homework in case.homework:
        assert set(homework.modalities) <= set(case.modalities), homework.description
    assert set(case.formulations) <= set(case.modalities), case.key


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_linked_measures_are_about_that_instrument(case: Case) -> None:
    """'Reduce nightmares … measured by PHQ-9 < 10' is what this rules out."""
    for goal in case.goals:
        for objective in goal.objectives:
            if not objective.measure:
                continue
            rule = parse_measure_rule(objective.measure)
            assert rule.name in case.measures, (case.key, objective.description)
            assert objective.criterion.startswith(rule.name), (case.key, objective.description)
    assert ("below" in dc.discharge_criteria(case)) == any(
        o.measure for g in case.goals for o in g.objectives
    )


def _category(diagnosis: str) -> str:
    """'F43.12 Post-traumatic…' -> 'F43.1' for the F43.1x family, else the 3-character category."""
    code = diagnosis.split()[0]
    return code[:5] if code.startswith("F43.") else code[:3]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_diagnoses_never_repeat_a_family(case: Case) -> None:
    categories = [_category(d) for d in case.diagnoses]
    assert len(categories) == len(set(categories)), case.diagnoses
    assert not {"F32", "F33"} <= set(categories), "single episode and recurrent at once"
    assert len({c for c in categories if c.startswith("F43")}) <= 1, case.diagnoses


def test_a_case_for_women_only_goes_to_women() -> None:
    rng = random.Random(3)
    people = dn.invent_people(400, rng)
    cases = choose_cases(people, rng)
    restricted = [(p, c) for p, c in zip(people, cases, strict=True) if c.gender]
    assert restricted  # the postnatal case did come up
    assert all(p.gender == c.gender for p, c in restricted)


# -- planned records -----------------------------------------------------------------------------


def test_interventions_carry_the_client_modality_and_belong_to_it(
    records: list[tuple[Case, ClientRecord]],
) -> None:
    seen = set()
    for _case, rec in records:
        modality = rec.client.modality
        for plan in rec.plans:
            for intervention in plan.interventions():
                assert intervention.modality == modality.value, intervention
                assert fits(intervention.technique, modality), (intervention.technique, modality)
                seen.add((intervention.technique, modality.value))
        for planned in rec.notes:
            for technique in planned.note.interventions:
                assert fits(technique, modality), (technique, modality, planned.note.session_date)
    assert ("imagery rehearsal", "TF-CBT") in seen


def test_every_objective_in_every_plan_version_says_how_it_is_worked_on(
    records: list[tuple[Case, ClientRecord]],
) -> None:
    revised = 0
    for _case, rec in records:
        for plan in rec.plans:
            for problem in plan.problems:
                for goal in problem.goals:
                    for objective in goal.objectives:
                        assert objective.interventions, (plan.version, objective.description)
                        revised += objective.description.startswith("Keep the gains")
    assert revised  # the objective added at a revision came up, with its intervention


def test_homework_belongs_to_the_client_modality(records: list[tuple[Case, ClientRecord]]) -> None:
    for case, rec in records:
        specs = {h.description: h for h in case.homework}
        for homework in rec.homework:
            wanted = specs[homework.description].modalities
            assert not wanted or rec.client.modality in wanted, homework.description


def test_one_working_diagnosis_shared_by_intake_and_plan(records: list[tuple[Case, ClientRecord]]) -> None:
    for _case, rec in records:
        for plan in rec.plans:
            categories = [_category(d) for d in plan.diagnoses]
            assert len(categories) == len(set(categories)), plan.diagnoses
        intake = rec.notes[0].note
        assert intake.format == NoteFormat.INTAKE
        if rec.plans:
            assert f"Working diagnosis: {rec.plans[0].diagnoses[0]}." in intake.text


def test_linked_objectives_start_from_the_intake_score(records: list[tuple[Case, ClientRecord]]) -> None:
    for _case, rec in records:
        if not rec.plans:
            continue
        intake_scores = {m.instrument: sum(a or 0 for a in m.answers) for m in rec.measures
                         if m.administered_on == rec.client.intake_date}
        for objective in rec.plans[0].objectives():
            if objective.linked_measure:
                rule = parse_measure_rule(objective.linked_measure)
                assert objective.baseline == f"{rule.name} {intake_scores[rule.name]}"


def _relation_agrees(name: str, relation: str) -> bool:
    wanted = dn.RELATION_GENDER[relation]
    return not wanted or dn.given_gender(name) == wanted


def test_contacts_names_agree_with_their_relation(records: list[tuple[Case, ClientRecord]]) -> None:
    checked = 0
    for _case, rec in records:
        match = CONTACT.match(rec.client.emergency_contact)
        assert match, rec.client.emergency_contact
        assert _relation_agrees(match["name"], match["relation"]), rec.client.emergency_contact
        for plan in rec.safety_plans:
            for person in plan.people_to_ask:
                assert _relation_agrees(person.name, person.note), person
                checked += 1
    assert checked
    assert not _relation_agrees("Anneliese Weiß", "brother")
    assert not _relation_agrees("Conceição Núñez", "father")
    assert _relation_agrees("Conceição Núñez", "partner")


def test_a_reached_integration_milestone_has_a_phase_past_the_first(
    records: list[tuple[Case, ClientRecord]],
) -> None:
    reached = 0
    for case, rec in records:
        integration = [m for m in rec.milestones if m.kind == MilestoneKind.INTEGRATION]
        if not integration:
            continue
        model = dc.phase_model(case)
        assert model in PHASE_MODELS.values() and rec.phases, case.key
        for milestone in integration:
            for change in milestone.history:
                if change.status in REACHED:
                    phase = dc.phase_on(rec.phases, change.changed_on)
                    assert phase and phase != model[0], (case.key, milestone.title, phase)
                    reached += 1
    assert reached


def test_the_cap_holds_a_milestone_back_until_the_phase_moves_on() -> None:
    dates = [date.fromordinal(TODAY.toordinal() + 7 * i) for i in range(12)]
    severity = (1.0, 0.9, 0.3, 0.25, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2)
    ids = [f"note-{i}" for i in range(12)]
    free, _ = dc.milestone_history(dates, severity, ids, 1, random.Random(5))
    assert any(c.status in REACHED and c.changed_on < dates[6] for c in free)
    cap = [1] * 6 + [3] * 6  # still in the first phase for the first six sessions
    held, _ = dc.milestone_history(dates, severity, ids, 1, random.Random(5), cap)
    assert all(c.changed_on >= dates[6] for c in held if c.status in REACHED)
    assert held[-1].status in REACHED


def test_trauma_milestones_only_for_trauma_work(records: list[tuple[Case, ClientRecord]]) -> None:
    from notesdesk.demo.text import TRAUMA_MILESTONES

    for case, rec in records:
        if not case.trauma:
            assert not {m.title for m in rec.milestones} & TRAUMA_MILESTONES, case.key


def test_children_are_written_about_as_children(records: list[tuple[Case, ClientRecord]]) -> None:
    children = [rec for case, rec in records if case.key == "child trauma"]
    assert children
    for rec in children:
        intake = rec.notes[0].note.text
        assert "works" not in intake and "Alcohol" not in intake and "partner" not in intake
        assert "(mother)" in rec.client.emergency_contact or "(grandmother)" in rec.client.emergency_contact
        assert not rec.safety_plans


# -- the written practice: what the plan's "Measures suggest" panel would say ---------------------


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NOTESDESK_INSECURE_TEST_KDF", "1")
        vault, _ = Vault.create(tmp_path_factory.mktemp("demo") / "v.notesdesk", "correct horse battery")
        build_demo(vault, clients=20, notes=240, seed=7, today=TODAY)
        yield vault
        vault.close()


def test_measure_suggestions_only_for_objectives_about_that_measure(vault: Vault) -> None:
    with vault.unit_of_work() as uow:
        everyone: list[Client] = uow.clients.all()
    suggested = 0
    for client in everyone:
        for link in measure_service.objective_suggestions(vault.unit_of_work(), client.id):
            assert link.suggestion is not None, link.problem
            assert link.objective.measurable_criterion.startswith(link.suggestion.rule.split()[0])
            assert "nightmare" not in link.objective.description.lower()
            suggested += 1
    assert suggested
