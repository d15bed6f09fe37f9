"""The next session of each client (a date and, optionally, a cadence) and what is due at a day's
visits: questionnaires, plan review, homework check-ins, safety-plan review. The rules are data with
their sources (core/measures/rules/due.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.common import now
from notesdesk.core.domain.plans import PlanStatus
from notesdesk.core.domain.visits import (
    LONGEST_CADENCE_DAYS,
    DueItem,
    DueKind,
    DueList,
    DueVisit,
    NextSession,
)
from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures.model import Instrument
from notesdesk.core.services.consent import current_releases
from notesdesk.core.services.measures import resolve_instrument, stored_instruments
from notesdesk.core.storage.uow import UnitOfWork

RULES_FILE = "due.json"


@dataclass(frozen=True)
class DueRule:
    rule: str
    source: str
    days: int | None = None


@cache
def due_rules() -> dict[DueKind, DueRule]:
    """The rules file, checked on load: every kind present, with its rule and source."""
    raw: dict[str, Any] = json.loads(
        resources.files("notesdesk.core.measures.rules").joinpath(RULES_FILE).read_text("utf-8")
    )
    keys = {DueKind.QUESTIONNAIRE: "questionnaire", DueKind.PLAN_REVIEW: "plan_review",
            DueKind.HOMEWORK: "homework", DueKind.SAFETY_PLAN: "safety_plan", DueKind.RELEASE: "release"}
    out: dict[DueKind, DueRule] = {}
    for kind, key in keys.items():
        entry = raw.get(key)
        if not isinstance(entry, dict) or not entry.get("rule") or not entry.get("source"):
            raise InvalidInput(f"The due-at-visit rules ({RULES_FILE}) lack '{key}' with rule and source.")
        days = entry.get("days")
        if days is not None and (not isinstance(days, int) or days < 1):
            raise InvalidInput(f"The due-at-visit rule '{key}' has a bad 'days'.")
        out[kind] = DueRule(str(entry["rule"]), str(entry["source"]), days)
    return out


# -- the next session ------------------------------------------------------------------------------


def set_next_session(uow: UnitOfWork, client_id: str, next_on: date, every_days: int | None = None
                     ) -> NextSession:
    """Set (or move) the client's next session; `every_days` makes it recur. One row per client."""
    if every_days is not None and not 1 <= every_days <= LONGEST_CADENCE_DAYS:
        raise InvalidInput(f"Sessions recur every 1 to {LONGEST_CADENCE_DAYS} days.")
    with uow:
        client = uow.clients.get(client_id)
        if client.status == ClientStatus.DISCHARGED:
            raise InvalidInput("This client is discharged; reopen their care before booking a session.")
        kept = uow.next_sessions.where(client_id=client_id)
        if kept:
            booked = replace(kept[0], next_on=next_on, every_days=every_days, updated_at=now())
            uow.next_sessions.replace(booked)
            for extra in kept[1:]:  # one row per client; an import of two keeps the newest write
                uow.next_sessions.remove(extra.id)
        else:
            booked = uow.next_sessions.add(NextSession(client_id, next_on, every_days=every_days))
        uow.commit()
    return booked


def clear_next_session(uow: UnitOfWork, client_id: str) -> None:
    with uow:
        for kept in uow.next_sessions.where(client_id=client_id):
            uow.next_sessions.remove(kept.id)
        uow.commit()


def next_session(uow: UnitOfWork, client_id: str) -> NextSession | None:
    with uow:
        kept = uow.next_sessions.where(client_id=client_id)
    return max(kept, key=lambda k: k.updated_at) if kept else None


# -- due at a day's visits -------------------------------------------------------------------------


def due_on(uow: UnitOfWork, day: date) -> DueList:
    """The clients whose next session falls on `day` (discharged clients left out), each with what
    is due at that visit. One unit of work, one read per table."""
    rules = due_rules()
    with uow:
        booked = [b for b in uow.next_sessions.all() if b.occurs_on(day)]
        ids = {b.client_id for b in booked}
        clients = {c.id: c for c in uow.clients.all() if c.id in ids and c.status != ClientStatus.DISCHARGED}
        parts = {name: [r for r in getattr(uow, name).all() if r.client_id in clients]
                 for name in PARTS}
        extra = stored_instruments(uow)
    visits = []
    for cid, client in sorted(clients.items(), key=lambda kv: (kv[1].name.casefold(), kv[0])):
        items = _questionnaires(parts, cid, day, rules[DueKind.QUESTIONNAIRE], extra)
        items += _plan_review(parts, cid, day, rules[DueKind.PLAN_REVIEW])
        items += _homework(parts, cid, day, rules[DueKind.HOMEWORK])
        items += _safety_plan(parts, cid, day, rules[DueKind.SAFETY_PLAN])
        items += _releases(parts, cid, day, rules[DueKind.RELEASE])
        visits.append(DueVisit(cid, client.name, tuple(items)))
    return DueList(day, tuple(visits), tuple((k.value, r.rule, r.source) for k, r in rules.items()))


Parts = dict[str, list[Any]]
PARTS = ("episodes", "measures", "plans", "homework", "safety_plans", "notes", "consents")


def _questionnaires(parts: Parts, cid: str, day: date, rule: DueRule, extra: tuple[Instrument, ...]
                    ) -> list[DueItem]:
    episodes = [e for e in parts["episodes"] if e.client_id == cid and e.is_open and e.opened_on <= day]
    episode = max(episodes, key=lambda e: e.opened_on) if episodes else None
    # Only this episode's questionnaires: a new episode starts its measures afresh.
    since = episode.opened_on if episode is not None else date.min
    given = [m for m in parts["measures"]
             if m.client_id == cid and since <= m.administered_on <= day
             and (episode is None or m.episode_id in (None, episode.id))]
    latest: dict[str, date] = {}
    for m in given:
        latest[m.instrument] = max(latest.get(m.instrument, m.administered_on), m.administered_on)
    names = {ref: (found.name if (found := resolve_instrument(ref, extra)) else ref) for ref in latest}
    return [DueItem(DueKind.QUESTIONNAIRE, names[ref], rule.rule)
            for ref, last in sorted(latest.items(), key=lambda kv: names[kv[0]]) if last < day]


def _plan_review(parts: Parts, cid: str, day: date, rule: DueRule) -> list[DueItem]:
    return [DueItem(DueKind.PLAN_REVIEW, f"plan version {p.version} (review date {p.review_due.isoformat()})",
                    rule.rule)
            for p in parts["plans"] if p.client_id == cid and p.status == PlanStatus.ACTIVE
            and p.review_due is not None and p.review_due <= day]


def _homework(parts: Parts, cid: str, day: date, rule: DueRule) -> list[DueItem]:
    active = sorted((h for h in parts["homework"] if h.client_id == cid and h.active and h.assigned_on < day),
                    key=lambda h: (h.assigned_on, h.id))
    return [DueItem(DueKind.HOMEWORK, h.description, rule.rule) for h in active]


def _safety_plan(parts: Parts, cid: str, day: date, rule: DueRule) -> list[DueItem]:
    plans = [p for p in parts["safety_plans"] if p.client_id == cid]
    if not plans:
        return []
    plan = max(plans, key=lambda p: p.version)
    notes = [n for n in parts["notes"] if n.client_id == cid and n.session_date <= day]
    latest = max(notes, key=lambda n: (n.session_date, n.created_at)) if notes else None
    if latest is not None and latest.risk_noted.strip():
        return [DueItem(DueKind.SAFETY_PLAN, "risk noted in the latest note", rule.rule)]
    reviewed = plan.last_reviewed or plan.created_at.date()
    if rule.days is not None and (day - reviewed).days >= rule.days:
        return [DueItem(DueKind.SAFETY_PLAN, f"last reviewed {reviewed.isoformat()}", rule.rule)]
    return []


def _releases(parts: Parts, cid: str, day: date, rule: DueRule) -> list[DueItem]:
    """Each recipient's newest release that has ended, or ends within `rule.days` of the visit."""
    window = rule.days or 0
    out = []
    for release in current_releases((c for c in parts["consents"] if c.client_id == cid), day):
        if release.until is None or (release.until - day).days > window:
            continue
        when = "expired" if release.expired_on(day) else "valid until"
        what = f"to {release.to}, {when} {release.until.isoformat()}"
        out.append(DueItem(DueKind.RELEASE, what, rule.rule))
    return out


def log_due_list(uow: UnitOfWork, action: str, day: date, protected: bool | None = None) -> None:
    """Audit a print or export of the day's list: the document and its day, never a name."""
    detail = f"due at the next visit, {day.isoformat()}"
    if protected is not None:
        detail += "; password-protected" if protected else "; not password-protected"
    with uow:
        uow.record(action, detail=detail)
        uow.commit()
