"""The measures section of printed documents: the `MeasureScorer` that `services.summary` takes.

`history_rows` (services.measures) scores each administration and labels change against the baseline of
its episode of care; this module turns those rows into the reports' plain `MeasureSection`: the score,
its band, a change label and, for the chart, each instrument's range and bands.

`MeasureRow.flag` carries only what an answer raised about risk (a critical item endorsed, or left
unanswered so that risk is unknown). An administration that cannot be scored, or whose instrument is not
known to this vault, says so in the change column and is never printed as a risk flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from notesdesk.core.domain.care import MeasureAdministration
from notesdesk.core.domain.clients import Episode
from notesdesk.core.domain.summaries import MeasureChange, MeasureRow, MeasureScale, MeasureSection
from notesdesk.core.measures.model import Direction, Flag, FlagKind, Instrument, Kind
from notesdesk.core.services import measures
from notesdesk.core.storage.uow import UnitOfWork

RISK_KINDS = (FlagKind.RISK, FlagKind.UNKNOWN_RISK)


def risk_text(flag: Flag) -> str:
    """A flag in the words of a summary written after the session: what was answered, not what to do
    before the session ends (the in-session prompt is dropped)."""
    if flag.kind is FlagKind.UNKNOWN_RISK and flag.item is not None:
        return f"Item {flag.item} was not answered, so risk was unknown."
    text = " ".join(flag.message.replace(measures.RISK_PROMPT, "").split())
    return text or f"Item {flag.item} was endorsed."


def _risk_flag(row: measures.MeasureRow) -> str:
    if row.score is None:  # unknown instrument, or answers that no longer fit it: not a risk signal
        return ""
    return " ".join(risk_text(f) for f in row.score.flags if f.kind in RISK_KINDS)


def _alliance_change(row: measures.MeasureRow) -> str:
    check = row.alliance
    if check is None:
        return ""
    parts = [f"item {d.item} fell {d.previous} → {d.current}" for d in check.drops]
    parts += [f"item {f.item} in slow decline" for f in check.flags if f.kind is FlagKind.ALLIANCE_DECLINE]
    if check.low_items:
        parts.append("low on item " + ", ".join(str(i) for i in check.low_items))
    if parts:
        return "; ".join(parts)
    return "first alliance check" if row.note else "no drop since the last check"


def change_text(row: measures.MeasureRow) -> str:
    """The change column: the label with the baseline it is measured from, or why there is none."""
    if row.instrument is None:
        return "unknown instrument"
    if row.score is None:
        return "cannot be scored"
    if row.instrument.kind is Kind.ALLIANCE:
        return _alliance_change(row)
    if row.change is not None:
        return row.change.text
    if row.is_baseline:
        return "baseline"
    if row.score.total is None:
        return "too many items unanswered"
    return "no change rule" if row.baseline is not None else ""


def section_row(row: measures.MeasureRow) -> MeasureRow:
    adm, inst, result = row.administration, row.instrument, row.score
    total = result.total if result is not None else None
    return MeasureRow(
        administered_on=adm.administered_on,
        instrument=inst.name if inst is not None else adm.instrument,
        total=total,
        band=(result.band or "") if result is not None else "",
        change=change_text(row),
        flag=_risk_flag(row),
    )


def scale_of(instrument: Instrument) -> MeasureScale:
    return MeasureScale(
        instrument=instrument.name,
        range_min=instrument.range_min,
        range_max=instrument.range_max,
        bands=tuple((b.min, b.max, b.label) for b in instrument.bands),
        higher_is_worse=instrument.direction is Direction.HIGHER_IS_WORSE,
        caseness=instrument.change.caseness,
    )


def changes_of(rows: Sequence[measures.MeasureRow]) -> tuple[MeasureChange, ...]:
    """Pure: each outcome instrument's change from baseline to latest within its latest episode."""
    out = []
    for group in measures.by_instrument(r for r in rows if r.instrument is not None).values():
        inst = group[-1].instrument
        assert inst is not None
        if inst.kind is not Kind.OUTCOME:
            continue
        episode = group[-1].episode_id
        totals = [r.score.total for r in group
                  if r.episode_id == episode and r.score is not None and r.score.total is not None]
        if len(totals) < 2:
            continue
        better = inst.improvement(totals[0], totals[-1])
        needed = inst.change.minimal_change
        progressing = better >= needed if needed is not None else better > 0
        out.append(MeasureChange(inst.id, inst.name, totals[0], totals[-1], better, progressing))
    return tuple(out)


def section_from_rows(rows: Iterable[measures.MeasureRow]) -> MeasureSection:
    """Pure: the reports' section from scored history rows (oldest first, as history_rows gives them)."""
    rows = list(rows)
    scales: dict[str, MeasureScale] = {}
    for row in rows:
        if row.instrument is not None and row.score is not None and row.score.total is not None:
            scales.setdefault(row.instrument.id, scale_of(row.instrument))
    return MeasureSection(tuple(section_row(r) for r in rows), tuple(scales.values()), changes_of(rows))


@dataclass(frozen=True)
class SummaryMeasures:
    """A `MeasureScorer`: scores with the built-in and the practitioner's instruments, and finds each
    administration's episode of care (for its baseline) among `episodes`.

    `include_alliance=False` leaves alliance checks out: the client's copy charts their progress, and an
    alliance total is neither progress nor how the check is read (item by item)."""

    episodes: tuple[Episode, ...] = ()
    extra: tuple[Instrument, ...] = ()
    include_alliance: bool = True

    def __call__(self, administrations: Sequence[MeasureAdministration]) -> MeasureSection:
        rows = measures.history_rows(administrations, self.episodes, self.extra)
        recovery = measures.episode_recovery(rows, self.episodes)
        if not self.include_alliance:
            rows = [r for r in rows if r.instrument is None or r.instrument.kind is not Kind.ALLIANCE]
        return replace(section_from_rows(rows), across=recovery.text if recovery else "")


def summary_measures(uow: UnitOfWork, client_id: str, *, include_alliance: bool = True) -> SummaryMeasures:
    """The scorer for one client: the practitioner's instruments and the client's episodes, read in one
    unit of work (before the summary's own)."""
    with uow:
        extra = measures.stored_instruments(uow)
        episodes = uow.episodes.where(client_id=client_id)
    return SummaryMeasures(tuple(episodes), tuple(extra), include_alliance)
