"""Help → User guide (issue 15, item 9): the version, first steps, backups and the recovery key,
locking, printing, and every flag word the client list can show with what it means."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QApplication

from notesdesk import __version__
from notesdesk.core.measures import Flag
from notesdesk.core.services.overview import LIST_MEASURE_FLAGS, ClientFlags
from notesdesk.ui.dialogs.guide_dialog import FLAG_MEANINGS, GuideDialog, flag_words
from notesdesk.ui.models.client_list_model import SHORT_FLAG_WORDS


def test_the_help_menu_opens_the_guide_with_the_version_and_every_part(make_window, qtbot) -> None:
    window = make_window()
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    guide = next(a for a in help_menu.actions() if a.text() == "User &guide")
    guide.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, GuideDialog) and w.isVisible())
    text = dialog.text.toPlainText()
    assert f"NotesDesk {__version__}" in text
    for part in ("First steps", "Backups and the recovery key", "Locking", "Printing",
                 "What the flags in the client list mean"):
        assert part in text
    dialog.close()


def test_every_flag_word_the_list_can_show_is_explained(qtbot) -> None:
    every_kind = tuple(Flag(kind, "", "", "") for kind in LIST_MEASURE_FLAGS)
    every = ClientFlags(review_due_on=date(2026, 1, 5), homework_overdue=1, unsigned_notes=1,
                        measure_flags=every_kind)
    shown = {SHORT_FLAG_WORDS.get(label, label) for label in every.labels()}
    shown = {"homework" if "homework" in w else "unsigned" if "unsigned" in w else w for w in shown}
    assert shown <= set(flag_words())
    assert set(flag_words()) == set(FLAG_MEANINGS)  # nothing listed without a meaning, nor the reverse
    dialog = GuideDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    for word in flag_words():
        assert f"{word}: {FLAG_MEANINGS[word]}" in text
