"""A new safety plan starts with the crisis lines of the practitioner's locale; they stay editable and
are only stored when the plan is."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtWidgets import QTableWidgetItem

from notesdesk.core.domain.care import Contact
from notesdesk.core.domain.common import today
from notesdesk.core.services import care

pytest_plugins = ["tests.ui.workspace_fixtures"]


def test_a_new_plan_starts_with_the_locales_crisis_lines(workspace, ws_ctx, ws_vault, ws_client, qtbot):
    ws_vault.save_profile(replace(ws_vault.profile(), locale="UK"))
    tab = workspace.safety_tab
    tab.reload()
    lines = tab.contacts["crisis_lines"]
    assert lines.contacts() == (Contact("Samaritans", "116 123", "free, any time"),)
    assert tab.lines_note.isVisibleTo(tab)
    assert "for UK from your practitioner profile" in tab.lines_note.text()
    assert not tab.dirty and care.safety_plan_versions(ws_ctx.uow(), ws_client) == []  # nothing stored yet

    lines.table.setItem(0, 2, QTableWidgetItem("free; or email jo@samaritans.org"))  # editable
    assert tab.dirty
    assert tab.save()
    [first] = care.safety_plan_versions(ws_ctx.uow(), ws_client)
    assert first.crisis_lines == (Contact("Samaritans", "116 123", "free; or email jo@samaritans.org"),)
    assert not tab.lines_note.isVisibleTo(tab)

    lines.table.selectRow(0)
    lines.remove_button.click()  # the clinician removes it: later versions keep what was kept
    assert tab.save()
    tab.reload()
    assert lines.contacts() == ()
    assert care.safety_plan_versions(ws_ctx.uow(), ws_client)[-1].crisis_lines == ()


def test_a_locale_without_known_lines_says_so(workspace, ws_vault):
    ws_vault.save_profile(replace(ws_vault.profile(), locale="NZ"))
    tab = workspace.safety_tab
    tab.reload()
    assert tab.contacts["crisis_lines"].contacts() == ()
    assert "No crisis lines are known for NZ" in tab.lines_note.text()


def test_editing_the_plan_is_not_a_review_with_the_client(workspace, ws_ctx, ws_client, qtbot):
    tab = workspace.safety_tab
    tab.reload()
    assert tab.save_button.text() == "&Save safety plan"  # there is no version to add to yet
    assert tab.reviewed.value() is None  # not pre-filled with today
    tab.lists["warning_signs"].setPlainText("Not sleeping")
    assert tab.save()
    [first] = care.safety_plan_versions(ws_ctx.uow(), ws_client)
    assert first.last_reviewed is None
    assert tab.status_label.text() == "Version 1, not reviewed with the client yet"
    assert tab.save_button.text() == "&Save as new version"

    tab.reviewed_today.click()  # the clinician says it was reviewed with the client today
    assert tab.reviewed.value() == today() and tab.dirty
    assert tab.save()
    assert care.safety_plan_versions(ws_ctx.uow(), ws_client)[-1].last_reviewed == today()

    earlier = today() - timedelta(days=40)
    tab.reviewed.set_value(earlier)  # a review that happened on another day
    assert tab.save()
    tab.reload()
    assert tab.reviewed.value() == earlier  # pre-filled with the last review, not with today
    tab.lists["coping_strategies"].setPlainText("Walk the dog")  # an edit between reviews
    assert tab.save()
    latest = care.safety_plan_versions(ws_ctx.uow(), ws_client)[-1]
    assert latest.version == 4 and latest.last_reviewed == earlier
    assert tab.status_label.text() == f"Version 4, last reviewed {earlier.isoformat()}"


def test_the_risk_loop_is_one_click_from_the_overview_to_the_review(workspace, ws_ctx, ws_client, qtbot):
    # PHQ-9 item 9 answered 1 (a risk event today) and a plan last reviewed 30 days ago: the overview
    # says so with a button; it opens the safety plan, whose one action records today's review.
    from notesdesk.core.domain.care import SafetyPlan
    from notesdesk.core.services import measures
    from notesdesk.ui.session import Kind

    ws_ctx.session.write(care.save_safety_plan, SafetyPlan(ws_client, warning_signs=("pacing",),
                                                           last_reviewed=today() - timedelta(days=30)),
                         change=Kind.SAFETY_PLAN, client_id=ws_client)
    ws_ctx.session.write(measures.record_measure, ws_client, "PHQ-9", [1] * 9, change=Kind.MEASURE,
                         client_id=ws_client)
    overview = workspace.overview_tab
    overview.refresh()
    assert "Safety plan not reviewed since PHQ-9 item 9 endorsed" in overview.text("safety")
    assert overview.review_safety_plan.isVisibleTo(overview)
    overview.review_safety_plan.click()
    tab = workspace.safety_tab
    assert workspace.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: tab.mark_reviewed.isVisible())
    assert "not reviewed since" in tab.loop_label.text()
    tab.mark_reviewed.click()
    latest = care.safety_plan_versions(ws_ctx.uow(), ws_client)[-1]
    assert latest.last_reviewed == today() and latest.warning_signs == ("pacing",) and latest.version == 2
    qtbot.waitUntil(lambda: not tab.mark_reviewed.isVisible())
    overview.refresh()
    assert not overview.review_safety_plan.isVisibleTo(overview)
    assert "not reviewed" not in overview.text("safety")
