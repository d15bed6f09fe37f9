"""A questionnaire received from a colleague without its wording (its licence does not allow sharing
it, docs/design-notes.md §9): giving it shows "Item 1"… and says, where the instructions go, that the
wording stays on the computer that imported it and that importing the file here shows it. The same
questionnaire imported here, or one whose licence allows sharing, says nothing of the kind."""

from __future__ import annotations

import json

from notesdesk.core.measures.validate import parse_instrument
from notesdesk.core.sync.setting_kinds import without_wording
from notesdesk.ui.workspace.measures.form import WORDING_WITHHELD, AdministerForm
from tests.instruments import sleep_check


def _form(qtbot) -> AdministerForm:
    form = AdministerForm()
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def test_a_questionnaire_received_without_its_wording_says_how_to_see_it(qtbot):
    worded = sleep_check(stem="Over the last week:")
    bare = parse_instrument(json.loads(without_wording(json.dumps(worded))), "received")
    form = _form(qtbot)
    form.start(bare)
    assert form.item_label.text() == "Item 1"
    assert form.stem.isVisible() and form.stem.text() == WORDING_WITHHELD
    assert "import" in WORDING_WITHHELD and "file" in WORDING_WITHHELD

    for own in (worded, sleep_check(licence={**worded["licence"], "redistribution_allowed": True})):
        form.start(parse_instrument(own, "imported here"))
        assert WORDING_WITHHELD not in form.stem.text()
    assert form.stem.text() == ""  # no instructions in this file: none shown
    # A file whose own items are named "Item 1"… but whose answers are worded is no received copy.
    numbered = sleep_check(items=["Item 1", "Item 2", "Item 3", "Item 4"],
                           options=[{"score": s, "label": f"answer {s}"} for s in range(5)])
    form.start(parse_instrument(numbered, "imported here"))
    assert form.stem.text() == ""
