"""One client's record as a FHIR R4 Bundle (type `collection`), built as plain dicts and JSON.

Validated in the tests with `fhir.resources` (a test-only dependency); nothing here imports it.
Every resource gets a deterministic UUID (UUIDv5 of its kind and NotesDesk id), used as its `id` and,
as `urn:uuid:…`, as its `fullUrl`; references point at those URNs. Each resource also carries its
NotesDesk id as an identifier (system `urn:notesdesk:<kind>`), so a re-export lines up with the last one.

Mapping:
- **Patient** ← client: name (`official`, as written; preferred name as `usual`; never split into
  given/family), birthDate, phone/email, address (text), emergency contact (`contact`), pronouns
  (the `individual-pronouns` extension, as text). Referral, concerns and modality are in the JSON export.
- **CarePlan** ← each treatment-plan version: status draft→draft, active→active, superseded→revoked,
  closed→completed; intent `plan`; period.start ← effective date; `replaces` the previous version;
  `goal` → the plan's Goals; one `activity` per intervention (detail.status from its objective:
  not started→not-started, in progress/partially achieved→in-progress, achieved→completed,
  discontinued→stopped); diagnoses, strengths, discharge criteria and reviews as notes.
- **Goal** ← each goal, once per goal id (a goal carried into a new plan version keeps its id), from
  the active version that holds it, else the newest: lifecycleStatus from that version (draft→proposed,
  active→active, closed→completed, superseded→cancelled: dropped from later versions);
  achievementStatus from its objectives; description.text ← statement; notes ← the client's own words,
  the problem and each objective; one `target` per objective with a target date or linked measure
  (dueDate; 'PHQ-9 < 10' → measure LOINC 44261-6 + detailQuantity {value 10, comparator '<'}).
- **Observation** ← each scorable PHQ-9 or GAD-7 administration: category survey, LOINC 44261-6
  (PHQ-9 total score) or 70274-6 (GAD-7 total score), valueInteger total, interpretation text = band,
  a note when prorated, derivedFrom → its QuestionnaireResponse. Other instruments have no LOINC code.
- **QuestionnaireResponse** ← every administration: status completed, authored ← date, questionnaire
  `urn:notesdesk:instrument:<id>|<version>`; one item per answered item (linkId = item number,
  valueInteger = option score; item wording only when its licence allows redistribution).
  Unanswered items are omitted, never sent as 0.
- **DocumentReference** ← each SIGNED session note (drafts never): status current, docStatus final,
  LOINC 11506-3 Progress note (18842-5 Discharge summary), content text/plain base64 of the note text,
  the signature (content hash, signer, time, key fingerprint) in the extension
  `urn:notesdesk:fhir:signature` and the description. The content hash is over the note as NotesDesk
  stores it (verify with the JSON export), not over the attachment. Signed addenda follow as
  DocumentReferences that `appends` their note. Psychotherapy notes only with `include_private`:
  no docStatus (they are not signed), security labels R (restricted) and PSYTHPN.
- **Encounter** ← each SIGNED session note: status finished, class AMB (in person) or VR (video),
  serviceType ← session type, type ← the CPT code (US; the text is our own words, not the AMA's),
  period ← session date and start/end times (local time with its offset) or the date alone, length
  in minutes; the note's DocumentReference points to it (context.encounter).
- **Appointment** ← the next session booked, when it is today or later (or recurs): status proposed,
  requestedPeriod that day (a day is booked, not a time), the cadence in the description, the client
  as participant. A one-off date already past is left out.
- **Condition** ← each diagnosis: clinicalStatus active, verificationStatus confirmed, category
  problem-list-item, code ICD-10-CM (`http://hl7.org/fhir/sid/icd-10-cm`) with its description,
  recordedDate, the clinician's words beside the code as a note.
- **Consent** ← each agreement and **DocumentReference** ← each letter as sent: fhir_paperwork.py.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from notesdesk.core.codes.cpt import cpt_label
from notesdesk.core.codes.icd10cm import SYSTEM as ICD10CM
from notesdesk.core.domain.attachments import Attachment, AttachmentKind
from notesdesk.core.domain.care import MeasureAdministration
from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import Addendum, Delivery, NoteFormat, PrivateNote, SessionNote, Signature
from notesdesk.core.domain.plans import Goal, Objective, ObjectiveStatus, PlanStatus, TreatmentPlan
from notesdesk.core.domain.visits import Diagnosis, NextSession
from notesdesk.core.errors import InvalidInput
from notesdesk.core.exports.snapshot import take
from notesdesk.core.measures.model import Instrument, Rater
from notesdesk.core.measures.objectives import parse_measure_rule
from notesdesk.core.measures.scoring import score
from notesdesk.core.services import attachments
from notesdesk.core.services.measures import resolve_instrument, stored_instruments
from notesdesk.core.storage.uow import UnitOfWork

Json = dict[str, Any]
NAMESPACE = uuid.UUID("5b0f3c1e-6a53-4d0e-9f4e-2f1c8e7d9a10")  # fixed: ids stay stable across exports
LOINC = "http://loinc.org"
TOTAL_SCORE_CODES = {
    "phq9": ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
    "gad7": ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
}
PLAN_STATUS = {PlanStatus.DRAFT: "draft", PlanStatus.ACTIVE: "active", PlanStatus.SUPERSEDED: "revoked",
               PlanStatus.CLOSED: "completed"}
GOAL_STATUS = {PlanStatus.DRAFT: "proposed", PlanStatus.ACTIVE: "active", PlanStatus.SUPERSEDED: "cancelled",
               PlanStatus.CLOSED: "completed"}
ACTIVITY_STATUS = {ObjectiveStatus.NOT_STARTED: "not-started", ObjectiveStatus.IN_PROGRESS: "in-progress",
                   ObjectiveStatus.PARTIALLY_ACHIEVED: "in-progress", ObjectiveStatus.ACHIEVED: "completed",
                   ObjectiveStatus.DISCONTINUED: "stopped"}
SIGNATURE_EXTENSION = "urn:notesdesk:fhir:signature"


def _uuid(kind: str, record_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{record_id}"))


def _ref(kind: str, record_id: str) -> Json:
    return {"reference": f"urn:uuid:{_uuid(kind, record_id)}"}


def _resource(resource_type: str, kind: str, record_id: str, **body: Any) -> Json:
    identifier = {"system": f"urn:notesdesk:{kind}", "value": record_id}
    ids = identifier if resource_type == "QuestionnaireResponse" else [identifier]
    clean = {k: v for k, v in body.items() if v not in (None, "", [], {})}
    return {"resourceType": resource_type, "id": _uuid(kind, record_id), "identifier": ids, **clean}


def _entry(resource: Json) -> Json:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _instant(moment: datetime) -> str:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _notes(*texts: str) -> list[Json]:
    return [{"text": t} for t in texts if t.strip()]


# -- Patient ------------------------------------------------------------------------------------------


def patient(client: Client) -> Json:
    names = [{"use": "official", "text": client.name}]
    if client.preferred_name.strip():
        names.append({"use": "usual", "text": client.preferred_name})
    telecom = [{"system": s, "value": v} for s, v in (("phone", client.phone), ("email", client.email)) if v]
    contact = [{"relationship": [{"text": "emergency contact"}], "name": {"text": client.emergency_contact}}]
    pronouns = [{"url": "http://hl7.org/fhir/StructureDefinition/individual-pronouns",
                 "extension": [{"url": "value", "valueCodeableConcept": {"text": client.pronouns}}]}]
    return _resource(
        "Patient", "client", client.id, name=names, telecom=telecom,
        birthDate=client.date_of_birth.isoformat() if client.date_of_birth else None,
        address=[{"text": client.address}] if client.address.strip() else None,
        contact=contact if client.emergency_contact.strip() else None,
        extension=pronouns if client.pronouns.strip() else None,
    )


# -- CarePlan and Goal --------------------------------------------------------------------------------


def _target(objective: Objective, extra: Iterable[Instrument]) -> Json | None:
    target: Json = {"dueDate": objective.target_date.isoformat()} if objective.target_date else {}
    if objective.linked_measure.strip():
        try:
            rule = parse_measure_rule(objective.linked_measure, extra)
        except InvalidInput:  # an unreadable rule still travels, as text
            rule = None
        if rule is None:
            target["measure"] = {"text": objective.linked_measure}
            target["detailString"] = objective.linked_measure
        else:
            code = TOTAL_SCORE_CODES.get(rule.instrument)
            coding = [{"system": LOINC, "code": code[0], "display": code[1]}] if code else []
            target["measure"] = {"text": rule.name, **({"coding": coding} if coding else {})}
            target["detailQuantity"] = {"value": rule.value, "comparator": rule.op}
    return target or None


def _goal_note(goal: Goal, problem: str) -> list[Json]:
    lines = [f"In the client's own words: {goal.client_words}" if goal.client_words.strip() else "",
             f"Problem: {problem}" if problem.strip() else ""]
    for o in goal.objectives:
        extra = "; ".join(x for x in (o.measurable_criterion, f"baseline {o.baseline}" if o.baseline else "",
                                      f"target {o.target}" if o.target else "") if x)
        lines.append(f"Objective ({o.status.value}): {o.description}" + (f" — {extra}" if extra else ""))
    return _notes(*lines)


def _achievement(goal: Goal) -> Json | None:
    statuses = {o.status for o in goal.objectives}
    moving = {ObjectiveStatus.IN_PROGRESS, ObjectiveStatus.PARTIALLY_ACHIEVED, ObjectiveStatus.ACHIEVED}
    if not statuses & moving:  # nothing started yet, or only discontinued objectives: no claim either way
        return None
    code = "achieved" if statuses == {ObjectiveStatus.ACHIEVED} else "in-progress"
    return {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/goal-achievement", "code": code}]}


def goals(plans: list[TreatmentPlan], client_id: str, extra: Iterable[Instrument]) -> list[Json]:
    chosen: dict[str, tuple[TreatmentPlan, Goal, str]] = {}
    for plan in sorted(plans, key=lambda p: (p.status is PlanStatus.ACTIVE, p.version)):
        for problem in plan.problems:
            for goal in problem.goals:
                chosen[goal.id] = (plan, goal, problem.title)
    out = []
    for plan, goal, problem_title in chosen.values():
        targets = [t for t in (_target(o, extra) for o in goal.objectives) if t]
        out.append(_resource(
            "Goal", "goal", goal.id, lifecycleStatus=GOAL_STATUS[plan.status],
            achievementStatus=_achievement(goal), description={"text": goal.statement},
            subject=_ref("client", client_id),
            startDate=plan.effective_date.isoformat() if plan.effective_date else None,
            target=targets, note=_goal_note(goal, problem_title),
        ))
    return out


def care_plan(plan: TreatmentPlan, previous: TreatmentPlan | None) -> Json:
    activities = [
        {"detail": {"status": ACTIVITY_STATUS[o.status], "code": {"text": i.technique},
                    "description": ", ".join(x for x in (i.technique, i.modality, i.frequency) if x),
                    "goal": [_ref("goal", g.id)]}}
        for g in plan.goals() for o in g.objectives for i in o.interventions
    ]
    how = ", ".join(x for x in (plan.service_type, f"{plan.session_length_minutes} min"
                                if plan.session_length_minutes else "", plan.frequency,
                                f"expected {plan.expected_duration}" if plan.expected_duration else "") if x)
    notes = _notes(
        f"Diagnoses: {'; '.join(plan.diagnoses)}" if plan.diagnoses else "",
        f"Strengths: {plan.strengths}" if plan.strengths else "",
        f"Discharge criteria: {plan.discharge_criteria}" if plan.discharge_criteria else "",
        *(f"Review {r.review_date.isoformat()} ({r.outcome.value}): {r.summary}" for r in plan.reviews),
    )
    return _resource(
        "CarePlan", "plan", plan.id, status=PLAN_STATUS[plan.status], intent="plan",
        title=f"Treatment plan, version {plan.version}", description=how,
        subject=_ref("client", plan.client_id), created=_instant(plan.created_at),
        period={"start": plan.effective_date.isoformat()} if plan.effective_date else None,
        replaces=[_ref("plan", previous.id)] if previous else None,
        goal=[_ref("goal", g.id) for g in plan.goals()], activity=activities, note=notes,
    )


# -- measures ---------------------------------------------------------------------------------------


def questionnaire_response(m: MeasureAdministration, inst: Instrument | None) -> Json:
    items = []
    for number, answer in enumerate(m.answers, start=1):
        if answer is None:
            continue
        item: Json = {"linkId": str(number), "answer": [{"valueInteger": answer}]}
        if inst is not None and inst.licence.redistribution_allowed and number <= len(inst.items):
            item["text"] = inst.items[number - 1]
        items.append(item)
    return _resource(
        "QuestionnaireResponse", "measure", m.id, status="completed",
        questionnaire=f"urn:notesdesk:instrument:{inst.id}|{inst.version}" if inst else None,
        subject=_ref("client", m.client_id), authored=m.administered_on.isoformat(),
        source=_ref("client", m.client_id) if inst is None or inst.rater is Rater.CLIENT else None,
        item=items, extension=[{"url": "urn:notesdesk:fhir:instrument", "valueString": m.instrument}],
    )


def observation(m: MeasureAdministration, inst: Instrument) -> Json | None:
    code = TOTAL_SCORE_CODES.get(inst.id)
    if code is None:
        return None
    try:
        result = score(inst, m.answers)
    except InvalidInput:  # answers that no longer fit: the QuestionnaireResponse still carries them
        return None
    if result.total is None:
        return None
    return _resource(
        "Observation", "measure-total", m.id, status="final",
        category=[{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                               "code": "survey", "display": "Survey"}]}],
        code={"coding": [{"system": LOINC, "code": code[0], "display": code[1]}],
              "text": f"{inst.name} total score"},
        subject=_ref("client", m.client_id), effectiveDateTime=m.administered_on.isoformat(),
        valueInteger=result.total,
        interpretation=[{"text": result.band}] if result.band else None,
        note=_notes(result.explanation) if result.prorated else None,
        derivedFrom=[_ref("measure", m.id)],
    )


# -- documents ----------------------------------------------------------------------------------------


def _signature_extension(sig: Signature) -> list[Json]:
    parts = [("contentHash", "valueString", sig.content_hash), ("signature", "valueString", sig.signature),
             ("keyFingerprint", "valueString", sig.key_fingerprint), ("signer", "valueString", sig.signer),
             ("signedAt", "valueDateTime", _instant(sig.signed_at))]
    return [{"url": SIGNATURE_EXTENSION, "extension": [{"url": u, k: v} for u, k, v in parts if v]}]


def _content(text: str, title: str, created: datetime | date) -> list[Json]:
    data = text.encode("utf-8")
    return [{"attachment": {
        "contentType": "text/plain; charset=utf-8", "title": title,
        "data": base64.b64encode(data).decode("ascii"),
        "hash": base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"),  # FHIR R4: SHA-1
        "creation": _instant(created) if isinstance(created, datetime) else created.isoformat(),
    }}]


def note_text(note: SessionNote) -> str:
    parts = [note.text]
    if note.interventions:
        parts.append("Interventions\n" + "\n".join(note.interventions))
    if note.risk_text:
        parts.append(f"Risk\n{note.risk_text}")
    if note.maintenance_plan is not None:
        mp = note.maintenance_plan
        lines = [mp.what_changed, *mp.skills_to_practise, *mp.early_warning_signs, mp.what_to_do,
                 mp.when_to_return]
        parts.append("Maintenance plan\n" + "\n".join(x for x in lines if x.strip()))
    return "\n\n".join(p for p in parts if p.strip())


def _signed_by(sig: Signature) -> str:
    who = f"{sig.signer}, {sig.credentials}" if sig.credentials else sig.signer
    return f"signed by {who} at {_instant(sig.signed_at)}; content SHA-256 {sig.content_hash}"


def document(note: SessionNote) -> Json:
    sig = note.signature
    assert sig is not None
    discharge = note.format is NoteFormat.DISCHARGE
    kind = ("18842-5", "Discharge summary") if discharge else ("11506-3", "Progress note")
    label = f"{note.format.value} {note.session_type.value} session note, {note.session_date.isoformat()}"
    return _resource(
        "DocumentReference", "note", note.id, status="current", docStatus="final",
        type={"coding": [{"system": LOINC, "code": kind[0], "display": kind[1]}], "text": label},
        subject=_ref("client", note.client_id), date=_instant(sig.signed_at),
        description=f"{label}; {_signed_by(sig)}", extension=_signature_extension(sig),
        content=_content(note_text(note), label, sig.signed_at),
        context={"period": {"start": note.session_date.isoformat()},
                 "encounter": [_ref("encounter", note.id)]},
    )


ENCOUNTER_CLASS = {Delivery.IN_PERSON: ("AMB", "ambulatory"), Delivery.VIDEO: ("VR", "virtual")}
CPT = "http://www.ama-assn.org/go/cpt"


def encounter(note: SessionNote) -> Json:
    """The session a signed note records: when, how long, in person or by video, and its CPT code."""
    code, display = ENCOUNTER_CLASS[note.delivery]
    period: Json = {"start": note.session_date.isoformat()}
    if note.start_time is not None and note.end_time is not None:
        period = {"start": datetime.combine(note.session_date, note.start_time).astimezone().isoformat(),
                  "end": datetime.combine(note.session_date, note.end_time).astimezone().isoformat()}
    minutes = note.minutes
    return _resource(
        "Encounter", "encounter", note.id, status="finished",
        **{"class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": code,
                     "display": display}},
        type=[{"coding": [{"system": CPT, "code": note.cpt_code}], "text": cpt_label(note.cpt_code)}]
        if note.cpt_code else None,
        serviceType={"text": note.session_type.value},
        subject=_ref("client", note.client_id), period=period,
        length={"value": minutes, "unit": "min", "system": "http://unitsofmeasure.org", "code": "min"}
        if minutes and minutes > 0 else None,
    )


def addendum_document(addendum: Addendum) -> Json:
    sig = addendum.signature
    assert sig is not None
    label = f"Addendum ({addendum.kind.value})"
    return _resource(
        "DocumentReference", "addendum", addendum.id, status="current", docStatus="final",
        type={"coding": [{"system": LOINC, "code": "11506-3", "display": "Progress note"}], "text": label},
        subject=_ref("client", addendum.client_id), date=_instant(sig.signed_at),
        description=f"{label}; {_signed_by(sig)}", extension=_signature_extension(sig),
        relatesTo=[{"code": "appends", "target": _ref("note", addendum.note_id)}],
        content=_content(addendum.text, label, sig.signed_at),
    )


def private_document(note: PrivateNote) -> Json:
    security = [
        {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}]},
        {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "PSYTHPN"}]},
    ]
    label = f"Psychotherapy note, {note.note_date.isoformat()}"
    return _resource(
        "DocumentReference", "private-note", note.id, status="current",
        type={"text": "Psychotherapy note"}, subject=_ref("client", note.client_id),
        date=_instant(note.updated_at), description=label, securityLabel=security,
        content=_content(note.text, label, note.created_at),
    )


ATTACHMENT_TYPE = {AttachmentKind.CONSENT: "Signed consent", AttachmentKind.LETTER: "Letter received",
                   AttachmentKind.FORM: "Scanned form", AttachmentKind.OTHER: "Attached document"}


def attachment_document(attachment: Attachment, data: bytes) -> Json:
    """An attached file as it was received, its bytes inline (base64): the bundle stays one file a
    successor system can read without NotesDesk."""
    return _resource(
        "DocumentReference", "attachment", attachment.id, status="current",
        type={"text": ATTACHMENT_TYPE[attachment.kind]}, subject=_ref("client", attachment.client_id),
        date=_instant(attachment.created_at), description=attachment.title,
        content=[{"attachment": {
            "contentType": attachment.media_type.value, "title": attachment.file_name,
            "data": base64.b64encode(data).decode("ascii"), "size": attachment.size,
            "hash": base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"),  # FHIR R4: SHA-1
            "creation": attachment.added_on.isoformat(),
        }}],
    )


def _attachment_documents(uow: UnitOfWork, found: Iterable[Attachment]) -> list[Json]:
    documents = []
    for attachment in sorted(found, key=lambda a: (a.added_on, a.created_at)):
        sink = io.BytesIO()
        attachments.read_attachment(uow, attachment.id, sink, purpose="export")
        documents.append(attachment_document(attachment, sink.getvalue()))
    return documents


# -- Condition ---------------------------------------------------------------------------------------

TERMINOLOGY = "http://terminology.hl7.org/CodeSystem"


def condition(diagnosis: Diagnosis) -> Json:
    def coded(system: str, code: str) -> Json:
        return {"coding": [{"system": f"{TERMINOLOGY}/{system}", "code": code}]}

    return _resource(
        "Condition", "diagnosis", diagnosis.id,
        clinicalStatus=coded("condition-clinical", "active"),
        verificationStatus=coded("condition-ver-status", "confirmed"),
        category=[coded("condition-category", "problem-list-item")],
        code={"coding": [{"system": ICD10CM, "code": diagnosis.code, "display": diagnosis.description}],
              "text": diagnosis.description},
        subject=_ref("client", diagnosis.client_id),
        recordedDate=diagnosis.recorded_on.isoformat(),
        note=_notes(diagnosis.text),
    )


def appointment(booked: NextSession, on: date) -> Json | None:
    """The client's next session on or after `on`, if one is booked. Status `proposed` with a
    requested period of that day: NotesDesk books a day, not a time, and R4 lets only proposed (or
    cancelled) appointments go without start and end (invariant app-3)."""
    upcoming = booked.upcoming(on)
    if upcoming is None:
        return None
    cadence = f" Sessions recur every {booked.every_days} days." if booked.every_days else ""
    return _resource(
        "Appointment", "appointment", booked.id, status="proposed",
        description=f"Next session.{cadence}",
        requestedPeriod=[{"start": upcoming.isoformat(), "end": upcoming.isoformat()}],
        participant=[{"actor": _ref("client", booked.client_id), "status": "accepted"}],
    )


# -- the bundle ---------------------------------------------------------------------------------------


def client_bundle(uow: UnitOfWork, client_id: str, include_private: bool = False) -> Json:
    snapshot = take(uow, client_id=client_id, include_private=include_private)
    with uow:
        extra = stored_instruments(uow)
    resources: list[Json] = [patient(snapshot.clients[0])]
    coded = sorted(snapshot.diagnoses, key=lambda d: (d.recorded_on, d.created_at))
    resources += [condition(d) for d in coded]
    plans = sorted(snapshot.plans, key=lambda p: p.version)
    resources += [care_plan(p, plans[n - 1] if n else None) for n, p in enumerate(plans)]
    resources += goals(plans, client_id, extra)
    for m in sorted(snapshot.measures, key=lambda m: (m.administered_on, m.created_at)):
        inst = resolve_instrument(m.instrument, extra)
        resources.append(questionnaire_response(m, inst))
        total = observation(m, inst) if inst else None
        if total:
            resources.append(total)
    signed = sorted((n for n in snapshot.notes if n.is_signed), key=lambda n: (n.session_date, n.created_at))
    for note in signed:
        resources += [encounter(note), document(note)]
        resources += [addendum_document(a) for a in sorted(snapshot.addenda, key=lambda a: a.created_at)
                      if a.note_id == note.id and a.signature is not None]
    resources += _attachment_documents(uow, snapshot.attachments)
    from notesdesk.core.exports import fhir_paperwork  # it builds on this module's helpers

    day = datetime.now().date()
    agreed = sorted(snapshot.consents, key=lambda c: (c.agreed_on, c.created_at))
    resources += [fhir_paperwork.consent(c, day) for c in agreed]
    resources += [fhir_paperwork.letter(x) for x in sorted(snapshot.letters, key=lambda x: x.created_at)]
    resources += [found for booked in snapshot.next_sessions if (found := appointment(booked, today()))]
    if include_private:
        resources += [private_document(p) for p in sorted(snapshot.private_notes, key=lambda p: p.note_date)]
    return {
        "resourceType": "Bundle", "id": str(uuid.uuid4()), "type": "collection",
        "timestamp": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "entry": [_entry(r) for r in resources],
    }


def client_bundle_json(uow: UnitOfWork, client_id: str, include_private: bool = False) -> bytes:
    """The bundle as UTF-8 JSON; records an 'export' audit entry (never the content)."""
    bundle = client_bundle(uow, client_id, include_private)
    if not uow.vault.read_only:
        with uow:
            detail = "fhir +private" if include_private else "fhir"
            uow.record("export", "client", client_id, detail=detail)
            uow.commit()
    return json.dumps(bundle, ensure_ascii=False, indent=2).encode("utf-8")
