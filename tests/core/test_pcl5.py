"""PCL-5 (issue 14 item 13): public domain (National Center for PTSD), 20 items scored 0-4, total 0-80.

Hand-computed boundaries, each from instruments/pcl5.json and its sources (docs/clinical-sources.md):
provisional cut-off 33 (top of the published 31-33 range; Bovin et al. 2016), reliable change 15 points
(Marx et al. 2022, sample 1), clinically significant change at 28 or less (Marx et al. 2022).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures import (
    ChangeLabel,
    FlagKind,
    builtin_instruments,
    classify_change,
    get_instrument,
)
from notesdesk.core.measures.model import LicenceOwner
from notesdesk.core.measures.progress import deterioration
from notesdesk.core.measures.scoring import score

PCL = get_instrument("pcl5")
START = date(2025, 1, 6)


def answers(total: int) -> list[int]:
    """20 answers adding up to `total`: as many 4s as fit, then the remainder, then 0s."""
    fours, rest = divmod(total, 4)
    return ([4] * fours + ([rest] if rest else []) + [0] * 20)[:20]


def test_it_ships_beside_phq9_and_gad7_with_its_public_domain_licence() -> None:
    assert {"phq9", "gad7", "pcl5"} <= {i.id for i in builtin_instruments()}
    assert (len(PCL.items), PCL.range_min, PCL.range_max) == (20, 0, 80)
    assert [o.score for o in PCL.options] == [0, 1, 2, 3, 4]
    assert [o.label for o in PCL.options] == ["Not at all", "A little bit", "Moderately", "Quite a bit",
                                              "Extremely"]
    assert PCL.licence.owner is LicenceOwner.THIRD_PARTY and "public domain" in PCL.licence.terms
    assert PCL.licence.redistribution_allowed and "ptsd.va.gov" in PCL.licence.source
    assert PCL.critical_items == ()  # item 16 (risk-taking) is a symptom, not a suicide item


@pytest.mark.parametrize(("total", "band", "case"), [
    (0, "below the provisional cut-off", False),
    (32, "below the provisional cut-off", False),
    (33, "probable PTSD (provisional)", True),
    (80, "probable PTSD (provisional)", True),
])
def test_the_provisional_cut_off_is_33(total: int, band: str, case: bool) -> None:
    result = score(PCL, answers(total))
    assert result.total == total and result.band == band and PCL.is_case(total) is case
    assert "Bovin et al. 2016" in PCL.bands_source and "31-33" in PCL.bands_source


def test_an_unanswered_item_gives_no_total_and_an_answer_of_5_is_refused() -> None:
    missing: list[int | None] = [*answers(40)[:19], None]
    assert score(PCL, missing).total is None
    with pytest.raises(InvalidInput):
        score(PCL, [5] + [0] * 19)


@pytest.mark.parametrize(("before", "after", "label"), [
    (50, 36, ChangeLabel.NO_RELIABLE_CHANGE),  # 14 < 15
    (50, 35, ChangeLabel.RELIABLY_IMPROVED),  # 15: reliable, still at or above 33
    (45, 29, ChangeLabel.RECOVERED),  # 16 and below the cut-off
    (40, 55, ChangeLabel.RELIABLY_DETERIORATED),  # 15 worse
])
def test_reliable_change_is_15_points(before: int, after: int, label: ChangeLabel) -> None:
    assert classify_change(PCL, before, after).label is label
    assert "Marx" in PCL.change.reliable_change_source


def test_a_reliable_worsening_flags_on_the_day() -> None:
    # 35 -> 49: 14 points, same band: no flag. 35 -> 50: 15 points: flagged on day 10.
    assert deterioration(PCL, [(START, 35), (START + timedelta(days=10), 49)]) is None
    flag = deterioration(PCL, [(START, 35), (START + timedelta(days=10), 50)])
    assert flag is not None and flag.kind is FlagKind.DETERIORATION
    # 30 -> 40: not reliable, but into the probable-PTSD band at or above caseness: flagged too.
    crossed = deterioration(PCL, [(START, 30), (START + timedelta(days=10), 40)])
    assert crossed is not None
