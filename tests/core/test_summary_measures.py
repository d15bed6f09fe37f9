"""The measures section of printed documents, scored by the measures module."""

from __future__ import annotations

from datetime import date

import pytest

from notesdesk.core.domain.care import MeasureAdministration
from notesdesk.core.domain.clients import Episode
from notesdesk.core.domain.summaries import MeasureSection
from notesdesk.core.reports import PdfOptions, render_access_record, render_clinician_summary
from notesdesk.core.reports.charts import trend_charts
from notesdesk.core.services import care, summary
from notesdesk.core.services.summary_measures import SummaryMeasures, summary_measures
from notesdesk.core.storage.vault import Vault
from tests.core.test_reports_data import Practice, build_practice, flat, pdf_text

ITEM_9 = "Item 9 (thoughts of being better off dead or of self-harm) was endorsed."
ON = date(2026, 4, 30)


@pytest.fixture
def practice(vault: Vault) -> Practice:
    return build_practice(vault)


def _give(practice: Practice, instrument: str, day: date, answers: tuple[int | None, ...]) -> None:
    care.add_measure(
        practice.vault.unit_of_work(),
        MeasureAdministration(practice.client_id, instrument, day, answers),
    )


def _summary(practice: Practice):
    scorer = summary_measures(practice.vault.unit_of_work(), practice.client_id)
    return summary.client_summary(practice.vault.unit_of_work(), practice.client_id, measures=scorer, on=ON)


def test_rows_carry_totals_bands_and_change_labels_and_the_scale(practice: Practice) -> None:
    section = _summary(practice).measures
    assert [(r.instrument, r.total, r.band) for r in section.rows] == [
        ("PHQ-9", 14, "moderate"),
        ("PHQ-9", 4, "minimal"),
    ]
    # The same words as the Measures tab: the label, the baseline it is measured from, the criteria met.
    assert [r.change for r in section.rows] == [
        "baseline",
        "recovered on this questionnaire (baseline 14); response and remission met",
    ]
    assert all(r.flag == "" for r in section.rows)
    (scale,) = section.scales
    assert (scale.instrument, scale.range_min, scale.range_max, scale.higher_is_worse) == (
        "PHQ-9",
        0,
        27,
        True,
    )
    assert scale.bands[0] == (0, 4, "minimal") and scale.bands[-1] == (20, 27, "severe")
    assert scale.caseness == 10  # PHQ-9 caseness, drawn as the chart's cut-off line
    assert len(trend_charts(section, 400)) == 1


def test_the_clinician_summary_prints_the_table_with_change_labels_and_the_chart(practice: Practice) -> None:
    text = flat(pdf_text(render_clinician_summary(_summary(practice), PdfOptions(printed_on=ON))))
    assert "Measures" in text
    assert "recovered on this questionnaire (baseline 14)" in text and "baseline" in text
    # The band labels are drawn only beside the chart; the table shows just the rows' own bands.
    assert "moderately severe" in text and "mild" in text
    assert "clinical cut-off" in text


def test_the_clinician_summary_prints_recovery_across_both_with_its_definition(practice: Practice) -> None:
    # PHQ-9 14 -> 4 (the practice's own); GAD-7 9 -> 8 over the same weeks. PHQ-9 14 >= 10 makes it a
    # case at the start; GAD-7 8 is still at caseness (8 >= 8) at the end: not recovered jointly, though
    # PHQ-9 alone is 'recovered on this questionnaire'.
    assert _summary(practice).measures.across == ""  # GAD-7 not given: no joint label
    _give(practice, "gad7", date(2026, 1, 5), (2, 2, 1, 1, 1, 1, 1))
    _give(practice, "gad7", date(2026, 3, 2), (2, 1, 1, 1, 1, 1, 1))
    section = _summary(practice).measures
    assert section.across == ("not recovered (NHS Talking Therapies, PHQ-9 and GAD-7 together): still at "
                              "caseness on GAD-7 8 ≥ 8")
    text = flat(pdf_text(render_clinician_summary(_summary(practice), PdfOptions(printed_on=ON))))
    assert "Across questionnaires: not recovered (NHS Talking Therapies, PHQ-9 and GAD-7 together)" in text
    assert "recovered on this questionnaire (baseline 14)" in text


def test_an_unscorable_administration_is_shown_but_never_as_a_risk_flag(practice: Practice) -> None:
    _give(practice, "PHQ-9", date(2026, 3, 9), (1, 1, 1))  # too few answers: cannot be scored
    _give(practice, "XYZ-12", date(2026, 3, 10), (1, 2))  # not an instrument this vault knows
    s = _summary(practice)
    changes = {r.instrument: r.change for r in s.measures.rows if r.total is None}
    assert changes == {"PHQ-9": "cannot be scored", "XYZ-12": "unknown instrument"}
    assert all(r.flag == "" for r in s.measures.rows)
    assert [f.source for f in s.risk_flags] == ["session note"]
    text = flat(pdf_text(render_clinician_summary(s, PdfOptions(printed_on=ON))))
    assert "cannot be scored" in text and "risk was unknown" not in text


def test_item_9_above_zero_is_a_risk_flag_and_prints_in_the_risk_section(practice: Practice) -> None:
    _give(practice, "PHQ-9", date(2026, 3, 16), (0, 0, 0, 0, 0, 0, 0, 0, 1))
    s = _summary(practice)
    row = s.measures.rows[-1]
    assert row.total == 1 and row.flag == ITEM_9
    assert "before the session ends" not in row.flag  # the in-session prompt stays in the app
    measure_flags = [f for f in s.risk_flags if f.source == "PHQ-9"]
    assert [(f.noted_on, f.text) for f in measure_flags] == [(date(2026, 3, 16), ITEM_9)]
    text = flat(pdf_text(render_clinician_summary(s, PdfOptions(printed_on=ON))))
    assert ITEM_9 in text


def test_an_unanswered_critical_item_is_flagged_as_unknown_risk(practice: Practice) -> None:
    _give(practice, "PHQ-9", date(2026, 3, 16), (1, 1, 1, 1, 1, 1, 1, 1, None))
    row = _summary(practice).measures.rows[-1]
    assert row.total == 9 and row.flag == "Item 9 was not answered, so risk was unknown."


def test_baselines_reset_per_episode_of_care() -> None:
    first = Episode("c", date(2025, 1, 1), closed_on=date(2025, 6, 1))
    second = Episode("c", date(2025, 9, 1))
    given = [
        MeasureAdministration("c", "phq9", date(2025, 1, 2), (2,) * 9),
        MeasureAdministration("c", "phq9", date(2025, 5, 2), (2, 2, 2, 1, 1, 1, 1, 1, 1)),
        MeasureAdministration("c", "phq9", date(2025, 9, 2), (3,) * 9),
    ]
    section = SummaryMeasures((first, second))(given)
    assert [r.change for r in section.rows] == ["baseline", "reliably improved (baseline 18)", "baseline"]


def test_alliance_checks_are_read_item_by_item(practice: Practice) -> None:
    _give(practice, "alliance", date(2026, 2, 2), (9, 9, 9))
    _give(practice, "alliance", date(2026, 2, 9), (9, 6, 9))
    rows = [r for r in _summary(practice).measures.rows if r.instrument == "Alliance check"]
    assert [r.change for r in rows] == ["first alliance check", "item 2 fell 9 → 6; low on item 2"]
    assert all(r.flag == "" for r in rows)
    scorer = summary_measures(practice.vault.unit_of_work(), practice.client_id, include_alliance=False)
    client_copy = summary.client_summary(practice.vault.unit_of_work(), practice.client_id, measures=scorer)
    assert {r.instrument for r in client_copy.measures.rows} == {"PHQ-9"}


def test_the_access_record_prints_scored_measures(practice: Practice) -> None:
    scorer = summary_measures(practice.vault.unit_of_work(), practice.client_id)
    record = summary.access_record(practice.vault.unit_of_work(), practice.client_id, measures=scorer)
    assert isinstance(record.measures, MeasureSection)
    text = flat(pdf_text(render_access_record(record, PdfOptions(printed_on=ON))))
    assert "recovered on this questionnaire (baseline 14)" in text
