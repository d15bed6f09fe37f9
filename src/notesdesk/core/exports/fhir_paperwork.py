"""The paperwork in the client's FHIR R4 bundle (fhir.py builds the bundle and calls this).

Mapping:
- **Consent** ← each agreement: status active (inactive once a release's last day has passed, or once
  the client withdrew it, on the day of the export; the day withdrawn in the extension
  `urn:notesdesk:fhir:consent-withdrawn`); scope `treatment` (informed consent, fees, telehealth) or
  `patient-privacy` (a release), category LOINC 59284-0 Patient Consent or 64292-6 Release of
  information consent; patient; dateTime ← the day agreed; policy.uri ← `urn:notesdesk:paperwork:<kind>`
  (the practice's template of that kind); provision permit with, for a release, period.end ← its last
  day, the recipient as an actor (role IRCP, information recipient, by display name) and the purpose as
  a coding's display. How it was agreed (paper, verbal, on screen) and the note are in the extension
  `urn:notesdesk:fhir:consent-how` and `urn:notesdesk:fhir:consent-note`.
- **DocumentReference** ← each letter as sent: status current, docStatus final, type LOINC 51852-2
  Letter, date, description ← its title, content text/plain base64 of the letter's text.
"""

from __future__ import annotations

from datetime import date

from notesdesk.core.domain.paperwork import CONSENT_TITLES, HOW_WORDS, Consent, ConsentKind, Letter
from notesdesk.core.exports.fhir import TERMINOLOGY, Json, _content, _instant, _ref, _resource

LOINC = "http://loinc.org"
V3_ROLE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"


def consent(item: Consent, on: date) -> Json:
    release = item.kind == ConsentKind.RELEASE
    scope = "patient-privacy" if release else "treatment"
    category = ("64292-6", "Release of information consent") if release else ("59284-0", "Patient Consent")
    provision: Json = {"type": "permit"}
    if release:
        assert item.until is not None
        provision |= {
            "period": {"start": item.agreed_on.isoformat(), "end": item.until.isoformat()},
            "actor": [{"role": {"coding": [{"system": V3_ROLE, "code": "IRCP",
                                            "display": "information recipient"}]},
                       "reference": {"display": item.to}}],
            "purpose": [{"display": item.purpose}],
        }
    extension = [{"url": "urn:notesdesk:fhir:consent-how", "valueString": HOW_WORDS[item.how]}]
    if item.note:
        extension.append({"url": "urn:notesdesk:fhir:consent-note", "valueString": item.note})
    if item.withdrawn_on is not None:
        extension.append({"url": "urn:notesdesk:fhir:consent-withdrawn",
                          "valueDate": item.withdrawn_on.isoformat()})
    return _resource(
        "Consent", "consent", item.id,
        extension=extension,
        status="inactive" if item.expired_on(on) or item.withdrawn_by(on) else "active",
        scope={"coding": [{"system": f"{TERMINOLOGY}/consentscope", "code": scope}],
               "text": CONSENT_TITLES[item.kind]},
        category=[{"coding": [{"system": LOINC, "code": category[0], "display": category[1]}]}],
        patient=_ref("client", item.client_id),
        dateTime=item.agreed_on.isoformat(),
        policy=[{"uri": f"urn:notesdesk:paperwork:{item.kind.value}"}],
        provision=provision,
    )


def letter(item: Letter) -> Json:
    return _resource(
        "DocumentReference", "letter", item.id,
        status="current", docStatus="final",
        type={"coding": [{"system": LOINC, "code": "51852-2", "display": "Letter"}], "text": item.title},
        subject=_ref("client", item.client_id),
        date=_instant(item.created_at),
        description=item.title,
        content=_content(item.body, item.title, item.sent_on),
    )
