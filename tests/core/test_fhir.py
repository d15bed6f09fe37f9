"""The client FHIR bundle: valid R4 per fhir.resources, the right resources, nothing that must stay out."""

from __future__ import annotations

import base64
import importlib
import json
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from typing import Any

import fhir.resources as _fhir_resources  # noqa: F401  (a test dependency: missing it fails, never skips)

from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import AddendumKind
from notesdesk.core.exports import fhir
from notesdesk.core.services import clients, measures, notes, plans, visits
from notesdesk.core.storage.vault import Vault
from tests.core import records


def bundle_model() -> Any:
    """fhir.resources 8 defaults to R5; validate against its R4 (or R4B) package instead."""
    for version in ("R4", "R4B"):
        try:
            return importlib.import_module(f"fhir.resources.{version}.bundle").Bundle
        except ModuleNotFoundError:
            continue
    raise AssertionError("the installed fhir.resources has neither an R4 nor an R4B package")


def fill(vault: Vault) -> str:
    cid = clients.add_client(vault.unit_of_work(), records.client("Ngozi ")).id
    signed = notes.create_note(vault.unit_of_work(), records.note(cid, "SIGNED-TEXT "))
    notes.sign_note(vault.unit_of_work(), signed.id)
    notes.add_addendum(vault.unit_of_work(), signed.id, AddendumKind.CORRECTION, "ADDENDUM-TEXT")
    notes.create_note(vault.unit_of_work(), records.note(cid, "DRAFT-ONLY "))
    notes.add_private_note(vault.unit_of_work(), records.private_note(cid, "PROCESS-ONLY "))
    first = plans.save_plan(vault.unit_of_work(), records.plan(cid, "plan "))
    plans.activate_plan(vault.unit_of_work(), first.id)
    second = plans.revise_plan(vault.unit_of_work(), first.id)  # a signed version is revised, not edited
    second = plans.save_plan(vault.unit_of_work(), replace(second, strengths="revised"))
    plans.activate_plan(vault.unit_of_work(), second.id)
    third = plans.revise_plan(vault.unit_of_work(), second.id)
    plans.save_plan(vault.unit_of_work(), replace(third, strengths="draft"))
    day = today()
    for inst, answers, on in (
        ("PHQ-9", [2, 2, 2, 2, 2, 2, 1, 1, 0], day - timedelta(30)),  # 14
        ("PHQ-9", [1, None, 1, None, 1, None, 1, 1, 0], day),  # three missing: not scored
        ("PHQ-9", [1, None, 1, 1, 1, 1, 1, 1, 0], day),  # 7 / 8 x 9 -> 8, prorated
        ("GAD-7", [3, 3, 3, 3, 3, 0, 0], day),  # 15
        ("alliance", [9, 9, 8], day),
    ):
        measures.record_measure(vault.unit_of_work(), cid, inst, answers, on)
    return cid


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def decoded(bundle: dict[str, Any]) -> str:
    docs = resources(bundle, "DocumentReference")
    return "\n".join(base64.b64decode(d["content"][0]["attachment"]["data"]).decode("utf-8") for d in docs)


def test_bundle_is_valid_fhir_r4_with_the_expected_resources(vault: Vault) -> None:
    cid = fill(vault)
    bundle = fhir.client_bundle(vault.unit_of_work(), cid)
    bundle_model().model_validate(bundle)
    assert bundle["type"] == "collection"
    counts = Counter(e["resource"]["resourceType"] for e in bundle["entry"])
    assert counts == {"Patient": 1, "CarePlan": 3, "Goal": 1, "QuestionnaireResponse": 5, "Observation": 3,
                      "DocumentReference": 2, "Encounter": 1}
    full_urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(full_urls)) == len(full_urls) and all(u.startswith("urn:uuid:") for u in full_urls)
    assert set(_references(bundle)) <= set(full_urls), "every reference resolves inside the bundle"
    (patient,) = resources(bundle, "Patient")
    assert patient["name"][0]["text"] == "Ngozi name Ó Briain" and patient["birthDate"] == "1988-02-29"


def _references(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [r for v in value.values() for r in _references(v)]
    if isinstance(value, list):
        return [r for v in value for r in _references(v)]
    return []


def test_observations_carry_loinc_totals_and_bands_only_when_scorable(vault: Vault) -> None:
    bundle = fhir.client_bundle(vault.unit_of_work(), fill(vault))
    totals = sorted((o["code"]["coding"][0]["code"], o["valueInteger"], o["interpretation"][0]["text"])
                    for o in resources(bundle, "Observation"))
    # The PHQ-9 with three answers missing is not scored, and the alliance check has no LOINC total.
    assert totals == [("44261-6", 8, "mild"), ("44261-6", 14, "moderate"), ("70274-6", 15, "severe")]
    observations = resources(bundle, "Observation")
    assert all(o["code"]["coding"][0]["system"] == "http://loinc.org" for o in observations)
    kinds = {(o["status"], o["category"][0]["coding"][0]["code"]) for o in observations}
    assert kinds == {("final", "survey")}
    prorated = [o for o in observations if o.get("note")]
    assert len(prorated) == 1 and "Prorated" in prorated[0]["note"][0]["text"]
    responses = resources(bundle, "QuestionnaireResponse")
    unscored = [r for r in responses if len(r["item"]) == 6]
    assert len(unscored) == 1 and {i["linkId"] for i in unscored[0]["item"]} == {"1", "3", "5", "7", "8", "9"}
    assert all("valueInteger" in i["answer"][0] for r in responses for i in r["item"])


def test_care_plans_goals_and_documents_map_status(vault: Vault) -> None:
    bundle = fhir.client_bundle(vault.unit_of_work(), fill(vault))
    care_plans = sorted(resources(bundle, "CarePlan"), key=lambda p: p["title"])
    assert [p["status"] for p in care_plans] == ["revoked", "active", "draft"]
    assert all(p["intent"] == "plan" and p["activity"] for p in care_plans)
    assert care_plans[1]["replaces"][0]["reference"] == f"urn:uuid:{care_plans[0]['id']}"
    (goal,) = resources(bundle, "Goal")
    assert goal["lifecycleStatus"] == "active" and goal["description"]["text"] == "plan goal"
    assert any("plan own words" in n["text"] for n in goal["note"])
    (target,) = goal["target"]
    assert target["dueDate"] == "2037-01-15" and target["measure"]["coding"][0]["code"] == "44261-6"
    assert target["detailQuantity"] == {"value": 10.0, "comparator": "<"}
    note, addendum = resources(bundle, "DocumentReference")
    assert (note["status"], note["docStatus"]) == ("current", "final")
    signature = note["extension"][0]["extension"][0]
    assert signature["url"] == "contentHash" and signature["valueString"] in note["description"]
    assert addendum["relatesTo"][0] == {"code": "appends", "target": {"reference": f"urn:uuid:{note['id']}"}}


def test_drafts_and_psychotherapy_notes_stay_out_unless_included(vault: Vault) -> None:
    cid = fill(vault)
    bundle = fhir.client_bundle(vault.unit_of_work(), cid)
    text, content = json.dumps(bundle), decoded(bundle)
    assert "SIGNED-TEXT" in content and "ADDENDUM-TEXT" in content
    for marker in ("DRAFT-ONLY", "PROCESS-ONLY"):
        assert marker not in text and marker not in content

    included = fhir.client_bundle(vault.unit_of_work(), cid, include_private=True)
    bundle_model().model_validate(included)
    assert "PROCESS-ONLY" in decoded(included) and "DRAFT-ONLY" not in decoded(included)
    private = [d for d in resources(included, "DocumentReference") if d.get("securityLabel")]
    assert len(private) == 1 and "docStatus" not in private[0]


def test_json_export_is_audited(vault: Vault) -> None:
    cid = fill(vault)
    data = fhir.client_bundle_json(vault.unit_of_work(), cid)
    assert json.loads(data)["resourceType"] == "Bundle"
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        exports = [e for e in vault.audit.entries(uow.session) if e.action == "export"]
    assert [(e.table, e.row_id, e.detail) for e in exports] == [("client", cid, "fhir")]


def test_the_next_session_is_a_proposed_appointment_on_its_day(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("Appt ")).id
    start = today() - timedelta(days=3)
    visits.set_next_session(vault.unit_of_work(), cid, start, every_days=7)
    bundle = fhir.client_bundle(vault.unit_of_work(), cid)
    bundle_model().model_validate(bundle)
    (appointment,) = resources(bundle, "Appointment")
    upcoming = (start + timedelta(days=7)).isoformat()  # the next occurrence, not the past date
    assert appointment["status"] == "proposed"
    assert appointment["requestedPeriod"] == [{"start": upcoming, "end": upcoming}]
    assert "every 7 days" in appointment["description"]
    (patient,) = resources(bundle, "Patient")
    assert appointment["participant"][0]["actor"]["reference"] == f"urn:uuid:{patient['id']}"
    visits.set_next_session(vault.unit_of_work(), cid, start)  # a one-off date already past: none
    assert resources(fhir.client_bundle(vault.unit_of_work(), cid), "Appointment") == []
