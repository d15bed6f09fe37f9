"""Alliance check: read item by item against the previous check, because a rupture shows as a drop on one
component (goals, tasks or bond) long before it moves a total. Clients also tend to rate alliance high
(docs/clinical-sources.md), so a fall matters more than the absolute level — including a slow slide of a
point at a time over several checks, which no single comparison with the previous check would catch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures.alert_rules import alert_rules
from notesdesk.core.measures.library import InstrumentRef, get_instrument
from notesdesk.core.measures.model import Flag, FlagKind, Instrument, Kind
from notesdesk.core.measures.scoring import check_answers

ALLIANCE_ID = "alliance"


@dataclass(frozen=True)
class ItemDrop:
    item: int  # 1-based
    previous: int
    current: int


@dataclass(frozen=True)
class AllianceCheck:
    instrument: str
    drops: tuple[ItemDrop, ...]
    low_items: tuple[int, ...]  # 1-based item numbers under the threshold
    flags: tuple[Flag, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def _short(text: str) -> str:
    # Item wording can be long; the first clause is enough for a flag line.
    return text.split(":")[0].split(",")[0].rstrip(".")


def alliance_check(
    current: Sequence[int | None],
    previous: Sequence[int | None] | None = None,
    *,
    earlier: Sequence[Sequence[int | None]] = (),
    low_below: int | None = None,
    drop: int | None = None,
    instrument: InstrumentRef = ALLIANCE_ID,
    extra: Iterable[Instrument] = (),
) -> AllianceCheck:
    """Flag any item that fell by `drop` or more since `previous`, any item under `low_below`, and any item
    in slow decline over `earlier` (every check before this one, oldest first; it ends with `previous`):
    not risen over the last 3 or more checks (rules/alerts.json) and down by `drop` or more in all,
    though never by `drop` in one step (that is a drop, flagged when it happened).

    Defaults for both come from the instrument file; pass values to use the practitioner's settings.
    Unanswered items (None) are skipped, never treated as 0 — a skipped item is not a rupture.
    """
    inst = get_instrument(instrument, extra)
    if inst.kind is not Kind.ALLIANCE or inst.alliance is None:
        raise InvalidInput(f"{inst.name} is not an alliance check")
    check_answers(inst, current)
    if previous is not None:
        check_answers(inst, previous)
    drop = inst.alliance.drop if drop is None else drop
    low_below = inst.alliance.low_below if low_below is None else low_below
    if drop < 1:
        raise InvalidInput("the alliance drop threshold must be at least 1")

    drops: list[ItemDrop] = []
    low: list[int] = []
    flags: list[Flag] = []
    drop_rule = f"A drop of {drop} or more on any item since the previous check"
    low_rule = f"Any item below {low_below}"
    decline = alert_rules().alliance_decline
    decline_rule = (f"An item that has not risen over the last {decline.checks} or more checks and has "
                    f"fallen by {drop} or more in all, never by {drop} in one step")
    for number, now in enumerate(current, start=1):
        if now is None:
            continue
        label = _short(inst.items[number - 1])
        before = previous[number - 1] if previous is not None else None
        if before is not None and before - now >= drop:
            drops.append(ItemDrop(number, before, now))
            flags.append(Flag(FlagKind.ALLIANCE_DROP, f"Alliance: '{label}' fell from {before} to {now}; "
                              "worth raising with the client.", drop_rule, inst.alliance.source, number))
        slide = _slow_decline([c[number - 1] for c in earlier] + [now], drop, decline.checks)
        if slide is not None and not (before is not None and before - now >= drop):
            first, checks = slide
            message = (f"Alliance: '{label}' has slipped from {first} to {now} over the last {checks} "
                       "checks; worth raising with the client.")
            flags.append(Flag(FlagKind.ALLIANCE_DECLINE, message, decline_rule,
                              f"{decline.source} Drop threshold: {inst.alliance.source}", number))
        if now < low_below:
            low.append(number)
            flags.append(Flag(FlagKind.ALLIANCE_LOW, f"Alliance: '{label}' rated {now}, below {low_below}.",
                              low_rule, inst.alliance.source, number))
    return AllianceCheck(inst.id, tuple(drops), tuple(low), tuple(flags))


def _slow_decline(values: Sequence[int | None], drop: int, checks: int) -> tuple[int, int] | None:
    """(where the slide began, how many checks it spans) if the answered values end in a run of at least
    `checks` that never rises, never falls by `drop` in one step, and falls by `drop` or more in all."""
    answered = [v for v in values if v is not None]  # a skipped item is not a rupture, nor a recovery
    start = len(answered) - 1
    while start > 0 and 0 <= answered[start - 1] - answered[start] < drop:
        start -= 1
    run = answered[start:]
    if len(run) >= checks and run[0] - run[-1] >= drop:
        return run[0], len(run)
    return None
