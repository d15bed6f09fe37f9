"""A realistic synthetic practice for demos, screenshots and benchmarks (`notesdesk demo`).

Everything is invented: names are random pairings of common given and family names, phone
numbers are in the 555-01xx range reserved for fiction, e-mail addresses use example.org.

Speed: each client's whole record is planned in memory first (demo_client), then written in ONE
unit of work through the repositories, so the heavy practice (300 clients, 20,000 notes) costs
300 transactions, not one fsync per record. Signing uses the same make_signature as sign_note,
so every signed note and addendum verifies.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, time
from typing import Any

from notesdesk.core.domain.care import MeasureAdministration
from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.common import now
from notesdesk.core.domain.notes import Addendum
from notesdesk.core.domain.plans import PlanStatus
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures import FlagKind
from notesdesk.core.services.measures import flags_for, history_rows
from notesdesk.core.services.signatures import make_signature
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.storage.vault import Vault
from notesdesk.demo.attachments import attach_demo_files
from notesdesk.demo.billing import bill_demo
from notesdesk.demo.bookings import book_demo
from notesdesk.demo.cases import GRIEF, LOW_MOOD, PANIC, WORRY, Case
from notesdesk.demo.cases_body import PAIN, REHAB, STUTTERING
from notesdesk.demo.cases_more import INSOMNIA, POSTNATAL, RELATIONAL, SOCIAL
from notesdesk.demo.cases_trauma import CHILD_TRAUMA, DYSREGULATION, TRAUMA
from notesdesk.demo.client import ClientRecord, plan_client
from notesdesk.demo.course import at
from notesdesk.demo.names import Person, invent_people
from notesdesk.demo.paperwork import Showcase, plan_paperwork
from notesdesk.demo.plan_records import Signer, signed_versions

CASES: tuple[Case, ...] = (
    PANIC, LOW_MOOD, GRIEF, WORRY, TRAUMA, CHILD_TRAUMA, DYSREGULATION, SOCIAL, POSTNATAL,
    RELATIONAL, INSOMNIA, STUTTERING, REHAB, PAIN,
)
MIN_SESSIONS, MAX_SESSIONS = 6, 40
DEMO_PROFILE = PractitionerProfile(
    name="Dr. Ilse Marjanović-Achebe",
    credentials="PsyD, Licensed Clinical Psychologist",
    contact="Suite 4, 12 Alder Court · (312) 555-0148",
)


@dataclass(frozen=True)
class DemoSummary:
    clients: int = 0
    notes: int = 0
    signed_notes: int = 0
    plans: int = 0
    homework: int = 0
    milestones: int = 0
    safety_plans: int = 0
    private_notes: int = 0
    measures: int = 0
    addenda: int = 0
    checkins: int = 0
    phases: int = 0
    attachments: int = 0
    consents: int = 0
    letters: int = 0
    payments: int = 0
    receipts: int = 0
    next_sessions: int = 0

    def lines(self) -> list[str]:
        """'clients: 25' … for the CLI."""
        return [f"{f.name.replace('_', ' ')}: {getattr(self, f.name)}" for f in fields(self)]


def session_counts(clients: int, notes: int | None, rng: random.Random) -> list[int]:
    """6–40 sessions each; with `notes`, exactly that many, shared out in the same proportions."""
    wanted = [rng.randint(MIN_SESSIONS, MAX_SESSIONS) for _ in range(clients)]
    if notes is None:
        return wanted
    exact = [w * notes / sum(wanted) for w in wanted]
    counts = [max(1, int(x)) for x in exact]
    largest_remainder = sorted(range(clients), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    step = 0
    while sum(counts) < notes:
        counts[largest_remainder[step % clients]] += 1
        step += 1
    while sum(counts) > notes:  # only when many clients were lifted to the minimum of one
        counts[counts.index(max(counts))] -= 1
    return counts


def choose_cases(people: list[Person], rng: random.Random) -> list[Case]:
    """One presentation per person, by weight; a case for one gender (postnatal depression) only
    goes to a person of that gender."""
    weights = [c.weight for c in CASES]
    cases = rng.choices(CASES, weights=weights, k=len(people))
    for i, person in enumerate(people):
        while cases[i].gender and cases[i].gender != person.gender:
            cases[i] = rng.choices(CASES, weights=weights)[0]
    return cases


def _statuses(counts: list[int], rng: random.Random) -> list[ClientStatus]:
    """Mostly active; some on hold; some discharged (those need an intake, sessions and an end)."""
    statuses = []
    for sessions in counts:
        roll = rng.random()
        if sessions >= 4 and roll < 0.2:
            statuses.append(ClientStatus.DISCHARGED)
        elif roll < 0.3:
            statuses.append(ClientStatus.ON_HOLD)
        else:
            statuses.append(ClientStatus.ACTIVE)
    if len(counts) >= 5:  # a demo should show every status
        for wanted in (ClientStatus.DISCHARGED, ClientStatus.ON_HOLD):
            if wanted in statuses:
                continue
            for i, status in enumerate(statuses):
                if status == ClientStatus.ACTIVE and counts[i] >= 4:
                    statuses[i] = wanted
                    break
    return statuses


# Courses forced on the first active clients with a fitting number of sessions (and questionnaires), so
# that the practice shows every alert (issue 14): a fairly new client worse than at intake by their 4th
# session, flagged at once; one with no minimal change by the early checkpoint ('not on track'); and
# one still flat past week 12 with the plan review outstanding ('no reliable improvement by week 12 —
# review the plan'). Each: (shape, fewest sessions, most sessions, the flag it must show).
SHOWCASE = (
    ("worsening", 5, 12, FlagKind.DETERIORATION),
    ("flat", 5, 12, FlagKind.NOT_ON_TRACK),
    ("flat", 13, 20, FlagKind.NO_RELIABLE_IMPROVEMENT),
)


def _shows(record: ClientRecord, kind: FlagKind, today: date) -> bool:
    """Whether the client list would show this flag for the record (the scores drawn are noisy)."""
    episodes = [record.episode]
    rows = history_rows(record.measures, episodes)
    return any(f.kind is kind for f in flags_for(rows, episodes, record.plans, today))


def add_alliance_slide(record: ClientRecord) -> None:
    """Alliance checks at the last four sessions, the bond item slipping a point at a time (10, 9, 9,
    8): no single drop, a slow decline over four checks."""
    latest = sorted(record.notes, key=lambda p: p.note.session_date)[-4:]
    for planned, bond in zip(latest, (10, 9, 9, 8), strict=True):
        day = planned.note.session_date
        record.measures.append(MeasureAdministration(
            record.client.id, "alliance", day, (10, 10, bond), episode_id=record.episode.id,
            note_id=planned.note.id, created_at=at(day, time(17, 50)),
        ))


def add_new_risk(record: ClientRecord) -> bool:
    """The risk loop's first step (issue 14 item 8): item 9 of the client's latest PHQ-9 answered 1 (one
    point moved from another item, so the total stays), with no safety plan on file yet. False when the
    client has no PHQ-9 or already has a plan."""
    phq = [m for m in record.measures if m.instrument == "PHQ-9"]
    if not phq or record.safety_plans:
        return False
    latest = max(phq, key=lambda m: (m.administered_on, m.created_at))
    answers = list(latest.answers)
    donor = next((i for i, a in enumerate(answers[:8]) if a), None)
    if donor is None:
        return False
    answers[donor] = (answers[donor] or 0) - 1
    answers[8] = 1
    record.measures[record.measures.index(latest)] = replace(latest, answers=tuple(answers))
    return True


def build_demo(
    vault: Vault,
    clients: int = 25,
    notes: int | None = None,
    seed: int = 7,
    today: date | None = None,
) -> DemoSummary:
    """Fill an open vault with a synthetic practice; deterministic for a given seed and day."""
    if clients < 1:
        raise InvalidInput("A demo practice needs at least one client.")
    if notes is not None and notes < clients:
        raise InvalidInput("Ask for at least as many notes as clients (each client needs an intake).")
    today = today or date.today()
    rng = random.Random(seed)
    people = invent_people(clients, rng)
    cases = choose_cases(people, rng)
    counts = session_counts(clients, notes, rng)
    statuses = _statuses(counts, rng)
    # Most notes are signed the same day; about half the active clients have the latest one or two
    # still in draft (some past the 3-day "unsigned" flag, as in a real week).
    drafts = [
        min(rng.choice((0, 0, 0, 1, 1, 2)), n - 1) if s == ClientStatus.ACTIVE else 0
        for n, s in zip(counts, statuses, strict=True)
    ]
    vault.mark_demo()
    profile = vault.profile()
    if not profile.can_sign:  # the demo signs as the signing service would: never by nobody
        vault.save_profile(replace(profile, name=profile.name.strip() or DEMO_PROFILE.name,
                                   credentials=profile.credentials or DEMO_PROFILE.credentials,
                                   contact=profile.contact or DEMO_PROFILE.contact))
        profile = vault.profile()
    signer, creds = profile.name, profile.credentials
    key = vault.signing_private_key()
    ceiling = min(now(), at(today, time(0, 0)))
    totals: Counter[str] = Counter()
    showcase = list(SHOWCASE)
    slide = True  # one client's alliance checks slide slowly (issue 14 item 5)
    new_risk = True  # one client newly endorses PHQ-9 item 9, with no safety plan yet (item 8)
    paperwork = Showcase()  # one client without consent, one expired release, one letter (issue 16)
    unagreed = True  # one client's revised plan is signed but not yet agreed with the client
    for index, person in enumerate(people):
        client_seed = f"notesdesk-demo:{seed}:{index}"
        args = (person, cases[index], counts[index], statuses[index], drafts[index], today, ceiling,
                f"{signer}, {creds}".strip(", "))
        wanted = next((entry for entry in showcase if statuses[index] == ClientStatus.ACTIVE
                       and entry[1] <= counts[index] <= entry[2]), None)
        record = plan_client(*args, random.Random(client_seed), shape=wanted[0]) if wanted else None
        if record is not None and wanted is not None and _shows(record, wanted[3], today):
            showcase.remove(wanted)
        else:  # not a showcase client, or one too young for questionnaires: as drawn
            record = plan_client(*args, random.Random(client_seed))
            if slide and statuses[index] == ClientStatus.ACTIVE and record.measures and counts[index] >= 6:
                add_alliance_slide(record)
                slide = False
            elif new_risk and statuses[index] == ClientStatus.ACTIVE and add_new_risk(record):
                new_risk = False
        active = statuses[index] == ClientStatus.ACTIVE
        own_rng = random.Random(f"{client_seed}:paperwork")  # the records drawn above stay as they were
        agreed, sent = plan_paperwork(record, active, today, profile, own_rng, paperwork)
        agree = not (unagreed and len(record.plans) > 1 and record.plans[-1].status is PlanStatus.ACTIVE)
        unagreed = unagreed and agree
        with vault.unit_of_work() as uow:
            _write(uow, record, Signer(key, signer, creds), totals, agree)
            for row in agreed:
                uow.consents.add(row)
            for letter in sent:
                uow.letters.add(letter)
            totals["consents"] += len(agreed)
            totals["letters"] += len(sent)
            uow.commit()
        if index == 0:  # the first client has a signed consent and a referral scan attached
            intake = record.episode.opened_on
            totals["attachments"] += attach_demo_files(vault.unit_of_work(), record.client.id,
                                                       record.client.display_name, intake)
    totals["payments"], totals["receipts"] = bill_demo(vault, random.Random(f"notesdesk-demo:{seed}:billing"))
    totals["next_sessions"] = book_demo(vault, today, random.Random(f"notesdesk-demo:{seed}:bookings"))
    return DemoSummary(**totals)


def _write(uow: UnitOfWork, rec: ClientRecord, sig: Signer, totals: Counter[str], agree: bool = True) -> None:
    key, signer, creds = sig.key, sig.name, sig.credentials
    uow.clients.add(rec.client)
    uow.episodes.add(rec.episode)
    versions, reviews, agreements = signed_versions(rec.plans, sig, agree_last=agree)
    for plan in versions:
        uow.plans.add(plan, action="sign" if plan.is_signed else "create")
    for review in reviews:
        uow.plan_reviews.add(review, action="sign")
    for agreement in agreements:
        uow.plan_agreements.add(agreement, action="sign")
    for planned in rec.notes:
        note = planned.note
        uow.notes.add(note)
        if planned.signed_at is None:
            continue
        signature = make_signature(note, key, signer, creds, planned.signed_at)
        uow.notes.replace(replace(note, signature=signature), action="sign")
        totals["signed_notes"] += 1
        previous = signature.content_hash
        for kind, text, when in planned.addenda:
            addendum = Addendum(note.id, note.client_id, kind, text, previous, created_at=when)
            sealed = make_signature(addendum, key, signer, creds, when)
            uow.addenda.add(replace(addendum, signature=sealed), action="addend")
            previous = sealed.content_hash
            totals["addenda"] += 1
    batches: tuple[tuple[SealedTable[Any], Sequence[object]], ...] = (
        (uow.homework, rec.homework), (uow.milestones, rec.milestones), (uow.phases, rec.phases),
        (uow.safety_plans, rec.safety_plans), (uow.measures, rec.measures),
        (uow.private_notes, rec.private_notes),
    )
    for table, rows in batches:
        for row in rows:
            table.add(row)
    totals["clients"] += 1
    totals["notes"] += len(rec.notes)
    totals["plans"] += len(rec.plans)
    totals["homework"] += len(rec.homework)
    totals["checkins"] += sum(len(h.checkins) for h in rec.homework)
    totals["milestones"] += len(rec.milestones)
    totals["phases"] += len(rec.phases)
    totals["safety_plans"] += len(rec.safety_plans)
    totals["measures"] += len(rec.measures)
    totals["private_notes"] += len(rec.private_notes)
