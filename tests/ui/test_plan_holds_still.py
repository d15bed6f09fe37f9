"""The plan's buttons hold still (issue 15, item 5): what the measures suggest appears and goes
without moving the add, remove and move buttons."""

from __future__ import annotations

from notesdesk.core.domain.plans import Goal, Objective
from notesdesk.core.services.measures import ObjectiveLink
from notesdesk.ui.workspace.plan import edit as plan_edit

pytest_plugins = ["tests.ui.workspace_fixtures"]


def test_suggestions_appearing_do_not_move_the_plan_buttons(workspace, qtbot) -> None:
    tab = workspace.plan_tab
    workspace.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(tab.isVisible)
    buttons = [tab.add_buttons[plan_edit.PROBLEM], tab.remove_button]

    def where() -> list[int]:
        return [b.mapTo(tab, b.rect().topLeft()).y() for b in buttons]

    before = where()
    link = ObjectiveLink(Goal("Sleep better"), Objective("Sleeps six hours"), None, "No measure linked yet.")
    tab.suggestions.show_links([link])
    qtbot.waitUntil(tab.suggestions.isVisible)
    qtbot.waitUntil(lambda: tab.suggestions.height() > 0)
    assert where() == before
    tab.suggestions.show_links([])
    assert where() == before
