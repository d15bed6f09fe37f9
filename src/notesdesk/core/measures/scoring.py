"""Score one administration: total, band, critical-item flags, and honest handling of missing answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures.library import InstrumentRef, get_instrument
from notesdesk.core.measures.model import Flag, FlagKind, Instrument

_UNKNOWN_RISK_RULE = "Critical item {item} left unanswered: risk is unknown, never assumed absent"


@dataclass(frozen=True)
class ScoreResult:
    instrument: str
    scorable: bool
    total: int | None  # None when too many answers are missing to estimate one
    band: str | None
    prorated: bool
    answered: int
    missing_items: tuple[int, ...]  # 1-based item numbers
    flags: tuple[Flag, ...]
    explanation: str  # how the total was reached, in words a clinician can check
    functional: str | None = None  # answer to the unscored 'how difficult' question

    @property
    def missing(self) -> int:
        return len(self.missing_items)

    @property
    def risk_flagged(self) -> bool:
        return any(f.kind in (FlagKind.RISK, FlagKind.UNKNOWN_RISK) for f in self.flags)


def check_answers(instrument: Instrument, answers: Sequence[int | None]) -> None:
    n = len(instrument.items)
    if len(answers) != n:
        raise InvalidInput(f"{instrument.name} expects {n} answers (leave an item empty if it was not "
                           f"answered), got {len(answers)}")
    allowed = instrument.option_scores
    for number, answer in enumerate(answers, start=1):
        # Values are left out of the message on purpose: error text may be logged, answers are clinical data.
        if answer is not None and (isinstance(answer, bool) or answer not in allowed):
            choices = ", ".join(str(s) for s in sorted(allowed))
            raise InvalidInput(f"{instrument.name}: the answer to item {number} must be one of {choices}")


def _prorate(answered_sum: int, answered: int, n_items: int) -> int:
    """Mean of the answered items times the item count, rounded half up.

    Integer arithmetic avoids float surprises at exact halves; rounding half up errs toward the higher
    (more cautious) severity rather than Python's round-half-to-even.
    """
    return (2 * answered_sum * n_items + answered) // (2 * answered)


def critical_flags(instrument: Instrument, answers: Sequence[int | None]) -> tuple[Flag, ...]:
    """Critical items are judged on their own, never through the total: a PHQ-9 of 3 with item 9 = 1 flags."""
    flags: list[Flag] = []
    for critical in instrument.critical_items:
        answer = answers[critical.item - 1]
        if answer is None:
            flags.append(Flag(
                FlagKind.UNKNOWN_RISK,
                f"Item {critical.item} was not answered, so risk is unknown: ask it directly and record a "
                "risk assessment before the session ends.",
                rule=_UNKNOWN_RISK_RULE.format(item=critical.item),
                source=critical.source,
                item=critical.item,
            ))
        elif answer > critical.above:
            flags.append(Flag(
                FlagKind.RISK,
                critical.message,
                rule=f"Item {critical.item} answered above {critical.above}, whatever the total",
                source=critical.source,
                item=critical.item,
            ))
    return tuple(flags)


def score(
    instrument: InstrumentRef,
    answers: Sequence[int | None],
    functional: int | None = None,
    extra: Iterable[Instrument] = (),
) -> ScoreResult:
    """Score answers given in item order; None marks an unanswered item and is never counted as 0.

    `functional` is the index of the answer to the unscored difficulty question, if asked.
    """
    inst = get_instrument(instrument, extra)
    check_answers(inst, answers)
    functional_label = None
    if functional is not None:
        labels = inst.functional_item.options if inst.functional_item else ()
        if not 0 <= functional < len(labels):
            raise InvalidInput(f"{inst.name}: the difficulty answer must be between 0 and {len(labels) - 1}")
        functional_label = labels[functional]

    n = len(inst.items)
    missing = tuple(i for i, a in enumerate(answers, start=1) if a is None)
    given = [a for a in answers if a is not None]
    flags = critical_flags(inst, answers)

    if len(missing) > inst.max_missing or not given:
        return ScoreResult(
            inst.id, False, None, None, False, len(given), missing, flags,
            explanation=f"Not scored: {len(missing)} of {n} items unanswered; at most {inst.max_missing} "
            "may be missing for a total to be estimated. Missing answers are never counted as 0.",
            functional=functional_label,
        )
    if missing:
        total = _prorate(sum(given), len(given), n)
        items = ", ".join(map(str, missing))
        explanation = (
            f"Prorated: {len(missing)} item(s) unanswered ({items}); total = mean of the {len(given)} "
            f"answered items × {n}, rounded half up ({sum(given)} / {len(given)} × {n} → {total}). "
            f"Rule: {inst.scoring_source}"
        )
    else:
        total = sum(given)
        explanation = f"Sum of all {n} items."
    band = inst.band_for(total)
    return ScoreResult(
        inst.id, True, total, band.label if band else None, bool(missing), len(given), missing, flags,
        explanation=explanation, functional=functional_label,
    )
