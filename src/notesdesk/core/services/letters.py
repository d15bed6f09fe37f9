"""Letters from the record: to a GP or referrer, a confirmation of attendance, "to whom it may concern".

A letter is drafted from the record (the practice, the client, the dates of the signed session notes,
the active plan's goals in the client's words when asked), edited by the therapist, then checked like
the client's copy of the summary before it is printed: it never carries psychotherapy-note text, and
no diagnosis unless the therapist ticks it. What was printed is kept sealed as it was (the letterhead
too), so printing it again gives the same letter, and the client's letters are listed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from notesdesk.core.domain.clients import CONTROL_CHARS, Client
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import PrivateNote
from notesdesk.core.domain.paperwork import LETTER_MAX, LETTER_TITLES, Letter, LetterTemplate
from notesdesk.core.domain.plans import PlanStatus, TreatmentPlan
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.domain.summaries import AuditAction
from notesdesk.core.domain.visits import Diagnosis
from notesdesk.core.errors import InvalidInput
from notesdesk.core.storage.uow import UnitOfWork

QUOTED_WORDS = 6
"""A run of this many words of a psychotherapy note found in a letter refuses the letter: long enough
not to match everyday phrases ("I am writing to let"), short enough to catch a quoted sentence."""


@dataclass(frozen=True)
class LetterDraft:
    client_id: str
    template: LetterTemplate
    body: str
    sessions: tuple[date, ...]  # the signed notes' dates the draft was filled from


def parse_template(text: str) -> LetterTemplate:
    try:
        return LetterTemplate(text.strip().casefold())
    except ValueError:
        choices = ", ".join(t.value for t in LetterTemplate)
        raise InvalidInput(f"A letter's template is one of: {choices}.") from None


def long_date(day: date | None, locale: str) -> str:
    # Imported when a letter is drafted: the reports package loads reportlab, which the CLI's other
    # commands never need.
    from notesdesk.core.reports.text import long_date as words

    return words(day, locale)


def _dates(days: Iterable[date], locale: str) -> str:
    return "\n".join(f"- {long_date(day, locale)}" for day in days)


def _goals(plans: Iterable[TreatmentPlan]) -> list[str]:
    active = [p for p in plans if p.status == PlanStatus.ACTIVE]
    if not active:
        return []
    plan = max(active, key=lambda p: p.version)
    return [goal.client_words or goal.statement for problem in plan.problems for goal in problem.goals]


def _diagnosis_lines(coded: Iterable[Diagnosis], plans: Iterable[TreatmentPlan]) -> list[str]:
    lines = [f"{d.code} {d.description}" for d in coded]
    active = [p for p in plans if p.status == PlanStatus.ACTIVE]
    if not lines and active:
        lines = list(max(active, key=lambda p: p.version).diagnoses)
    return lines


def letter_body(template: LetterTemplate, client: Client, profile: PractitionerProfile, sessions: list[date],
          goals: list[str], diagnoses: list[str], to: str) -> str:
    locale = profile.locale or "US"
    born = f", date of birth {long_date(client.date_of_birth, locale)}" if client.date_of_birth else ""
    first = long_date(sessions[0], locale) if sessions else ""
    count = f"{len(sessions)} session{'s' if len(sessions) != 1 else ''}"
    seen = (f"{client.name} has attended {count} with me since {first}, most recently on "
            f"{long_date(sessions[-1], locale)}." if sessions
            else f"{client.name} has not yet attended a session with me.")
    parts: list[str] = []
    if template == LetterTemplate.GP:
        parts += [f"Dear {to or 'colleague'},", f"Re: {client.name}{born}",
                  f"I am writing to update you on {client.name}'s therapy with me. {seen}"]
    elif template == LetterTemplate.ATTENDANCE:
        parts += ["To whom it may concern,", f"Re: {client.name}{born}",
                  f"I confirm that {client.name} attended sessions with me on the following dates:"
                  if sessions else seen]
        if sessions:
            parts.append(_dates(sessions, locale))
    else:
        parts += ["To whom it may concern,", f"Re: {client.name}{born}", seen]
    if goals:
        parts.append("The goals we are working on together, in their own words:\n"
                     + "\n".join(f"- {goal}" for goal in goals))
    if diagnoses:
        parts.append("Diagnosis: " + "; ".join(diagnoses) + ".")
    parts.append("Please contact me if you have any questions; I can share more only with "
                 f"{client.name}'s written consent.")
    signer = ", ".join(x for x in (profile.name, profile.credentials) if x)
    parts.append("Yours sincerely,\n\n\n" + (signer or "________________"))
    return "\n\n".join(parts)


def draft_letter(uow: UnitOfWork, client_id: str, template: LetterTemplate, with_goals: bool = False,
                 with_diagnosis: bool = False, to: str = "") -> LetterDraft:
    """The letter's starting text, filled from the record; nothing is stored or audited."""
    with uow:
        client = uow.clients.get(client_id)
        signed = [n.session_date for n in uow.notes.where(client_id=client_id, signed=1)]
        plans = uow.plans.where(client_id=client_id)
        coded = uow.diagnoses.where(client_id=client_id) if with_diagnosis else []
        profile = uow.vault.profile()
    sessions = sorted(set(signed))
    goals = _goals(plans) if with_goals else []
    diagnoses = _diagnosis_lines(coded, plans) if with_diagnosis else []
    body = letter_body(template, client, profile, sessions, goals, diagnoses, " ".join(to.split()))
    return LetterDraft(client_id, template, body, tuple(sessions))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def quotes_private_note(body: str, private: Iterable[PrivateNote]) -> bool:
    """True when the letter holds a run of QUOTED_WORDS words of a psychotherapy note, or a whole
    shorter one (compared word by word, ignoring case, spacing and punctuation)."""
    letter = " " + " ".join(_words(body)) + " "
    for note in private:
        words = _words(note.text)
        if not words:
            continue
        if len(words) < QUOTED_WORDS:
            if len("".join(words)) >= 12 and f" {' '.join(words)} " in letter:
                return True
            continue
        for start in range(len(words) - QUOTED_WORDS + 1):
            if f" {' '.join(words[start:start + QUOTED_WORDS])} " in letter:
                return True
    return False


def mentioned_diagnosis(body: str, coded: Iterable[Diagnosis], plans: Iterable[TreatmentPlan]) -> str | None:
    """The first of the client's diagnoses (a code, its description, a line of a plan's diagnoses)
    the letter mentions, or None."""
    text = " ".join(body.casefold().split())
    for d in coded:
        if re.search(rf"(?<![\w.]){re.escape(d.code.casefold())}(?![\w])", text) or (
                d.description and d.description.casefold() in text):
            return d.code
    for plan in plans:
        for line in plan.diagnoses:
            if len(line.strip()) >= 3 and " ".join(line.casefold().split()) in text:
                return line.strip()
    return None


def check_body(body: str) -> str:
    cleaned = body.strip()
    if not cleaned:
        raise InvalidInput("The letter is empty; write its text or keep the drafted one.")
    if len(cleaned) > LETTER_MAX:
        raise InvalidInput(f"A letter is at most {LETTER_MAX} characters.")
    if CONTROL_CHARS.search(cleaned.replace("\n", " ").replace("\t", " ").replace("\r", " ")):
        raise InvalidInput("The letter holds control characters; remove them.")
    return cleaned.replace("\r\n", "\n").replace("\r", "\n")


def send_letter(uow: UnitOfWork, client_id: str, template: LetterTemplate, body: str,
                with_diagnosis: bool = False, protected: bool | None = None,
                audit: AuditAction | None = AuditAction.EXPORT) -> Letter:
    """Check the letter as the client's copy is checked and keep it, sealed, as it will be printed;
    one unit of work, its writing audited as `audit` (the CLI writes the file at once; the app audits
    the print or export from its preview). Refused, with nothing stored, when it quotes a
    psychotherapy note, or names a diagnosis without `with_diagnosis`."""
    text = check_body(body)
    template = LetterTemplate(template)
    with uow:
        uow.clients.get(client_id)
        if quotes_private_note(text, uow.private_notes.where(client_id=client_id)):
            raise InvalidInput("The letter quotes a psychotherapy note; psychotherapy notes never go into "
                               "a letter. Take that text out.")
        if not with_diagnosis:
            named = mentioned_diagnosis(text, uow.diagnoses.where(client_id=client_id),
                                        uow.plans.where(client_id=client_id))
            if named is not None:
                raise InvalidInput(f"The letter mentions a diagnosis ({named}); tick 'Include the diagnosis' "
                                   "(--with-diagnosis) or take it out.")
        profile = uow.vault.profile()
        letter = Letter(client_id, template, text, sent_on=today(), with_diagnosis=with_diagnosis,
                        practitioner_name=profile.name, practitioner_credentials=profile.credentials,
                        practitioner_contact=profile.contact, locale=profile.locale)
        uow.letters.add(letter)
        if audit is not None:
            uow.record(AuditAction(audit).value, "letter", letter.id, detail=_detail(letter, protected))
        uow.commit()
    return letter


def _detail(letter: Letter, protected: bool | None) -> str:
    detail = LETTER_TITLES[letter.template].lower()
    if protected is not None:
        detail += "; password-protected" if protected else "; not password-protected"
    return detail


def list_letters(uow: UnitOfWork, client_id: str) -> list[Letter]:
    """The client's letters, oldest first."""
    with uow:
        uow.clients.get(client_id)
        found = uow.letters.where(client_id=client_id)
    return sorted(found, key=lambda x: (x.sent_on, x.created_at))


def reprint_letter(uow: UnitOfWork, letter_id: str, protected: bool | None = None,
                   audit: AuditAction = AuditAction.EXPORT) -> Letter:
    """A letter already sent, to print again exactly as it was; the reprint is audited as `audit`."""
    with uow:
        letter = uow.letters.get(letter_id)
        detail = _detail(letter, protected) + "; reprint"
        uow.record(AuditAction(audit).value, "letter", letter.id, detail=detail)
        uow.commit()
    return letter


def log_letter(uow: UnitOfWork, letter_id: str, action: AuditAction, protected: bool | None = None) -> None:
    """Audit a print or export of a kept letter from the app's preview: which letter, never its text."""
    with uow:
        letter = uow.letters.get(letter_id)
        uow.record(AuditAction(action).value, "letter", letter.id, detail=_detail(letter, protected))
        uow.commit()
