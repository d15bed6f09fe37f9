"""Consent and agreements: per client, a record of what was agreed (kind, date, how, a note; for a
release of information its recipient, purpose and last day), the flags they raise (rules and sources in
core/measures/rules/paperwork.json), and the practice's templates, sealed as one vault setting."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from notesdesk.core.domain.clients import CONTROL_CHARS, Client
from notesdesk.core.domain.common import by_client, today
from notesdesk.core.domain.paperwork import (
    CONSENT_TITLES,
    NOTE_MAX,
    PURPOSE_MAX,
    RECIPIENT_MAX,
    Consent,
    ConsentHow,
    ConsentKind,
    PaperworkTemplates,
)
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.domain.summaries import AuditAction, ConsentForm
from notesdesk.core.errors import InvalidInput
from notesdesk.core.services.paperwork_texts import STARTING_TEXTS, check_template, fill
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork

RULES_FILE = "paperwork.json"
TEMPLATES_ID = PaperworkTemplates().id


@dataclass(frozen=True)
class PaperworkRule:
    key: str
    label: str  # the flag's words in the client list
    rule: str
    source: str


@cache
def paperwork_rules() -> dict[str, PaperworkRule]:
    """The flag rules, checked on load: each with its label, rule and source."""
    raw: dict[str, Any] = json.loads(
        resources.files("notesdesk.core.measures.rules").joinpath(RULES_FILE).read_text("utf-8")
    )
    out: dict[str, PaperworkRule] = {}
    for key in ("release_expired", "informed_consent_missing", "withdrawn"):
        entry = raw.get(key)
        if not isinstance(entry, dict) or not all(entry.get(k) for k in ("label", "rule", "source")):
            raise InvalidInput(f"The paperwork rules ({RULES_FILE}) lack '{key}' with label, rule and "
                               "source.")
        out[key] = PaperworkRule(key, str(entry["label"]), str(entry["rule"]), str(entry["source"]))
    return out


# -- what a client agreed ------------------------------------------------------------------------


def _words(text: str, what: str, longest: int, lines: bool = True) -> str:
    cleaned = text.strip()
    if len(cleaned) > longest:
        raise InvalidInput(f"The {what} is at most {longest} characters.")
    allowed = cleaned.replace("\n", " ").replace("\t", " ") if lines else cleaned
    if CONTROL_CHARS.search(allowed):
        raise InvalidInput(f"The {what} holds control characters; remove them.")
    return cleaned


def check_consent(consent: Consent, on: date | None = None) -> Consent:
    """The agreement as it will be stored, or InvalidInput with one line saying what is wrong."""
    day = on or today()
    if consent.agreed_on > day:
        raise InvalidInput("An agreement is recorded on or after the day it was made, not before.")
    note = _words(consent.note, "note", NOTE_MAX)
    to = _words(consent.to, "recipient", RECIPIENT_MAX, lines=False)
    purpose = _words(consent.purpose, "purpose", PURPOSE_MAX)
    if consent.kind == ConsentKind.RELEASE:
        if not to or not purpose or consent.until is None:
            raise InvalidInput("A release of information needs its recipient, purpose and last day "
                               "(--to NAME --purpose TEXT --until DATE).")
        if consent.until < consent.agreed_on:
            raise InvalidInput("A release's last day (--until) is on or after the day it was agreed.")
    elif to or purpose or consent.until is not None:
        raise InvalidInput("A recipient, purpose and last day belong to a release of information only "
                           "(--kind release).")
    return replace(consent, kind=ConsentKind(consent.kind), how=ConsentHow(consent.how), note=note, to=to,
                   purpose=purpose)


def add_consent(uow: UnitOfWork, consent: Consent) -> Consent:
    """Record one agreement on its client; nothing is stored when it is refused."""
    checked = check_consent(consent)
    with uow:
        uow.clients.get(checked.client_id)
        uow.consents.add(checked)
        uow.commit()
    return checked


def list_consents(uow: UnitOfWork, client_id: str) -> list[Consent]:
    """The client's agreements, oldest first."""
    with uow:
        uow.clients.get(client_id)
        found = uow.consents.where(client_id=client_id)
    # Rows come in the order they were stored and the sort is stable: two recorded within one second
    # (created_at has whole seconds) keep that order, where a random id would decide it.
    return sorted(found, key=lambda c: (c.agreed_on, c.created_at))


def withdraw_consent(uow: UnitOfWork, consent_id: str, on: date | None = None) -> Consent:
    """The client withdrew this agreement on `on` (today when not given): it stays in the record,
    marked withdrawn, and is no longer in force from that day (the rule "withdrawn")."""
    day = on or today()
    if day > today():
        raise InvalidInput("The day an agreement was withdrawn cannot be in the future.")
    with uow:
        consent = uow.consents.get(consent_id)
        if consent.withdrawn_on is not None:
            raise InvalidInput(f"This agreement was already withdrawn on {consent.withdrawn_on.isoformat()}.")
        if day < consent.agreed_on:
            raise InvalidInput(f"It was agreed on {consent.agreed_on.isoformat()}: it cannot be withdrawn "
                               "before that.")
        withdrawn = replace(consent, withdrawn_on=day)
        uow.consents.replace(withdrawn)
        uow.commit()
    return withdrawn


def remove_consent(uow: UnitOfWork, consent_id: str) -> Consent:
    """Take off an agreement recorded in error; the audit log keeps the fact that it was there."""
    with uow:
        consent = uow.consents.get(consent_id)
        uow.consents.remove(consent_id)
        uow.commit()
    return consent


def current_releases(consents: Iterable[Consent], on: date | None = None) -> list[Consent]:
    """Of each recipient's releases, the newest (a renewal replaces the one before), by recipient;
    none for a recipient whose newest release was withdrawn by `on` (the rule "withdrawn")."""
    day = on or today()
    newest: dict[tuple[str, str], Consent] = {}
    for c in consents:
        if c.kind != ConsentKind.RELEASE:
            continue
        key = (c.client_id, " ".join(c.to.casefold().split()))
        kept = newest.get(key)
        if kept is None or (c.agreed_on, c.created_at) >= (kept.agreed_on, kept.created_at):
            newest[key] = c  # rows come in the order they were stored: a tie goes to the later one
    in_force = [c for c in newest.values() if not c.withdrawn_by(day)]
    return sorted(in_force, key=lambda c: (c.until or date.max, c.to.casefold()))


@dataclass(frozen=True)
class PaperworkFlag:
    key: str  # the rule's key in paperwork.json
    label: str
    detail: str  # "to Dr Rahman, expired 2026-11-30"
    rule: str
    source: str


def paperwork_flags(consents: Iterable[Consent], clients_with_notes: Iterable[str], on: date
                    ) -> dict[str, tuple[PaperworkFlag, ...]]:
    """Pure: each client's paperwork flags on `on`. Only clients with a flag have an entry."""
    rules = paperwork_rules()
    expired_rule, missing_rule = rules["release_expired"], rules["informed_consent_missing"]
    grouped = by_client(consents)
    out: dict[str, list[PaperworkFlag]] = {}
    for cid in sorted({*grouped, *clients_with_notes}):
        found: list[PaperworkFlag] = []
        for release in current_releases(grouped[cid], on):
            if release.expired_on(on):
                assert release.until is not None
                found.append(PaperworkFlag(expired_rule.key, expired_rule.label,
                                           f"to {release.to}, valid until {release.until.isoformat()}",
                                           expired_rule.rule, expired_rule.source))
        informed = [c for c in grouped[cid] if c.kind == ConsentKind.INFORMED and not c.withdrawn_by(on)]
        if not informed and cid in set(clients_with_notes):
            found.append(PaperworkFlag(missing_rule.key, missing_rule.label, "", missing_rule.rule,
                                       missing_rule.source))
        if found:
            out[cid] = found
    return {cid: tuple(flags) for cid, flags in out.items()}


def clients_with_notes(uow: UnitOfWork, client_ids: Iterable[str] | None = None) -> set[str]:
    """The clients who have at least one session note, from the notes' clear client ids alone
    (nothing is decrypted). Inside an entered unit of work."""
    return uow.notes.clients(client_ids)


def flags_for_clients(uow: UnitOfWork, client_ids: Iterable[str] | None = None, on: date | None = None
                      ) -> dict[str, tuple[PaperworkFlag, ...]]:
    """Paperwork flags per client, inside an entered unit of work: one read of the agreements (a few
    small rows per client) and the notes' clear client ids."""
    wanted = list(client_ids) if client_ids is not None else None
    if wanted is not None and len(wanted) <= 3:
        consents = [c for cid in wanted for c in uow.consents.where(client_id=cid)]
    else:
        consents = uow.consents.all()
        if wanted is not None:
            keep = set(wanted)
            consents = [c for c in consents if c.client_id in keep]
    return paperwork_flags(consents, clients_with_notes(uow, wanted), on or today())


def client_paperwork_flags(uow: UnitOfWork, client_id: str, on: date | None = None
                           ) -> tuple[PaperworkFlag, ...]:
    """One client's paperwork flags (the client's own view; the client list reads them in bulk)."""
    with uow:
        return flags_for_clients(uow, [client_id], on).get(client_id, ())


# -- the practice's templates --------------------------------------------------------------------


def _templates(uow: UnitOfWork) -> SealedTable[PaperworkTemplates]:
    return SealedTable(uow.ctx, "secret", PaperworkTemplates, label="paperwork templates")


def stored_templates(uow: UnitOfWork) -> PaperworkTemplates:
    """Inside an entered unit of work: the practice's own texts (none until one is saved)."""
    return _templates(uow).find(TEMPLATES_ID) or PaperworkTemplates()


def template_text(uow: UnitOfWork, kind: ConsentKind) -> str:
    """The practice's text for `kind`, or NotesDesk's generic starting text."""
    with uow:
        own = stored_templates(uow).text_of(kind)
    return own if own is not None else STARTING_TEXTS[kind]


def all_template_texts(uow: UnitOfWork) -> dict[ConsentKind, tuple[str, bool]]:
    """Every kind's text and whether it is the practice's own (False: the starting text)."""
    with uow:
        stored = stored_templates(uow)
    out: dict[ConsentKind, tuple[str, bool]] = {}
    for kind in ConsentKind:
        own = stored.text_of(kind)
        out[kind] = (own, True) if own is not None else (STARTING_TEXTS[kind], False)
    return out


def save_template_text(uow: UnitOfWork, kind: ConsentKind, text: str | None) -> str:
    """Store the practice's text for `kind` (None: go back to the starting text); one unit of work."""
    checked = check_template(text) if text is not None else None
    with uow:
        table = _templates(uow)
        stored = table.find(TEMPLATES_ID)
        texts = tuple((k, t) for k, t in (stored.texts if stored else ()) if k != kind)
        if checked is not None:
            texts += ((kind, checked),)
        order = list(ConsentKind)
        updated = PaperworkTemplates(texts=tuple(sorted(texts, key=lambda kt: order.index(kt[0]))))
        if stored is None:
            table.add(updated)
        else:
            table.replace(updated)
        uow.commit()
    return checked if checked is not None else STARTING_TEXTS[kind]


def parse_how(text: str) -> ConsentHow:
    try:
        return ConsentHow(text.strip().casefold())
    except ValueError:
        choices = ", ".join(h.value for h in ConsentHow)
        raise InvalidInput(f"How it was agreed is one of: {choices}.") from None


# -- the filled form ------------------------------------------------------------------------------


def form_values(client: Client, profile: PractitionerProfile, release: Consent | None) -> dict[str, str]:
    """What fills each placeholder (paperwork_texts.PLACEHOLDERS); an unknown value stays a line."""
    from notesdesk.core.reports.text import long_date  # reportlab only when a form is made

    locale = profile.locale or "US"
    values = {
        "practitioner": profile.name, "credentials": profile.credentials,
        "contact": " ".join(profile.contact.split()), "client": client.name,
        "date_of_birth": long_date(client.date_of_birth, locale) if client.date_of_birth else "",
        "date": long_date(today(), locale),
    }
    if release is not None:
        values |= {"release_to": release.to, "release_purpose": release.purpose,
                   "release_until": long_date(release.until, locale) if release.until else ""}
    return values


def consent_form(uow: UnitOfWork, client_id: str, kind: ConsentKind | None = None,
                 audit: AuditAction | None = None, protected: bool | None = None) -> ConsentForm:
    """The practice's text for `kind` (informed consent unless said) filled in for the client, with what
    is recorded of that kind; for a release, the newest one's recipient, purpose and last day (blank
    lines when none is recorded yet). Audited as `audit` in the same unit of work."""
    from notesdesk.core.services.summary import audit_detail, practitioner_block

    chosen = kind or ConsentKind.INFORMED
    with uow:
        client = uow.clients.get(client_id)
        recorded = sorted((c for c in uow.consents.where(client_id=client_id) if c.kind == chosen),
                          key=lambda c: (c.agreed_on, c.created_at))
        own = stored_templates(uow).text_of(chosen)
        profile = uow.vault.profile()
        practitioner = practitioner_block(uow)
        if audit is not None and not uow.vault.read_only:
            title = CONSENT_TITLES[chosen].lower()
            detail = audit_detail(title, audit, protected)
            uow.record(AuditAction(audit).value, "client", client_id, detail=detail)
            uow.commit()
    release = recorded[-1] if chosen == ConsentKind.RELEASE and recorded else None
    body = fill(own if own is not None else STARTING_TEXTS[chosen], form_values(client, profile, release))
    return ConsentForm(chosen, CONSENT_TITLES[chosen], body, client.name, practitioner, tuple(recorded))
