"""Help → User guide (F1): first steps, backups and the recovery key, locking, printing, and what each
flag in the client list means, with the version at the top. Plain words, kept in the app: it works
offline like everything else. The flag list is built from the flags the app shows (a test keeps the
two together)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenu, QMenuBar, QTextBrowser, QVBoxLayout, QWidget

from notesdesk import __version__
from notesdesk.core.services.overview import LIST_MEASURE_FLAGS, UNSIGNED_AFTER_DAYS
from notesdesk.ui.dialogs.about_dialog import AboutDialog
from notesdesk.ui.models.client_list_model import SHORT_FLAG_WORDS

# The list's word → what it means and what to do. Measure flags carry their rule and source in the
# tooltip beside the flag (and in src/notesdesk/core/measures/rules/alerts.json).
FLAG_MEANINGS: dict[str, str] = {
    "risk": "A signed session note recorded risk as moderate or high. Read its risk factors and plan.",
    "no safety plan": "A risk event (a risk item endorsed, risk recorded in a signed note) and no "
                      "safety plan on file. Write one with the client.",
    "safety plan not reviewed": "The safety plan was not reviewed since the latest risk event. Review it "
                                "with the client and mark it reviewed (Safety plan tab).",
    "risk item": "A questionnaire's risk item (PHQ-9 item 9) was answered above zero. Ask about it today.",
    "risk unknown": "A questionnaire's risk item was left unanswered: nobody knows. Ask about it.",
    "review": "The active treatment plan's review date has passed. Review it (Treatment plan → Reviews).",
    "homework": "Homework is past its due date with no check-in. Check in on it, or mark it dropped.",
    "unsigned": f"A session note is still unsigned {UNSIGNED_AFTER_DAYS} or more days after its session "
                "(our default, not a rule). Finish and sign it.",
    "deteriorating": "A questionnaire score got reliably worse on the day it was recorded.",
    "off track": "At about four weeks, the scores are not where most people who get better are.",
    "no reliable improvement": "By week 12 the scores have not reliably improved; a plan review decides "
                               "what happens next.",
    "alliance": "The working-alliance score dropped sharply since the last check. Talk about the work "
                "together.",
    "alliance decline": "The working-alliance score has slid slowly over several checks.",
}


def flag_words() -> list[str]:
    """Every word the client list's Flags column can show."""
    words = ["risk", "review", "homework", "unsigned"]
    words += [SHORT_FLAG_WORDS.get(label, label) for label in LIST_MEASURE_FLAGS.values()]
    return list(dict.fromkeys(words))


def guide_html() -> str:
    flags = "".join(f"<li><b>{html.escape(word)}</b>: {html.escape(FLAG_MEANINGS[word])}</li>"
                    for word in flag_words())
    return f"""
<h2>NotesDesk {html.escape(__version__)} — user guide</h2>
<h3>First steps</h3>
<ol>
<li>Create your vault and choose a passphrase: a few unrelated words.</li>
<li>Keep the recovery key on paper, away from the computer (print the recovery sheet).</li>
<li>Fill in your name and credentials: they go on every signature and cannot change on a signed
note. Settings (Ctrl+,) changes them later, and the country whose crisis lines safety plans print.</li>
<li>Add a client (Ctrl+Shift+N). Their Notes tab opens with a new note ready; it saves itself as you
type.</li>
<li>Sign the note (Ctrl+Shift+S) when it is finished. A signed note never changes; add an addendum to
correct or add to it.</li>
</ol>
<h3>Backups and the recovery key</h3>
<p>A backup is made when you lock or close NotesDesk and once a day, encrypted, checked, and kept for
7 days, 4 weeks and 12 months. Choose a second folder, such as a USB drive, in Settings. File →
Backups lists them, tests one and restores one. A backup opens with the passphrase in use when it was
made, or with the recovery key.</p>
<p>Forgot the passphrase? On the unlock screen choose “Forgot passphrase?” and type the recovery key;
then choose a new passphrase. Without both, nobody can open the vault.</p>
<h3>Locking</h3>
<p>Ctrl+L locks at once. NotesDesk also locks after the idle time set in Settings and, if you wish,
when the computer sleeps or its screen locks. Everything typed is saved first; nothing is signed for
you. View → Privacy mode shows initials only, for screen sharing.</p>
<h3>Printing</h3>
<p>Reports (Ctrl+P) previews a document first: the treatment summary (a clinician copy and a plainer
client copy), the safety plan, a homework sheet, the record for an access request and the maintenance
plan. Print it or export a PDF, with a password if it leaves your hands. Every print and export is
recorded in the audit log.</p>
<h3>What the flags in the client list mean</h3>
<ul>{flags}</ul>
<p>Hover over a flag for its rule and source. Psychotherapy notes are never flagged or searched with
the rest (Ctrl+K); they have their own find box.</p>
"""


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("NotesDesk user guide")
        self.text = QTextBrowser(self)
        self.text.setAccessibleName("User guide")
        self.text.setOpenLinks(False)
        self.text.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        width = self.fontMetrics().averageCharWidth() * 90
        self.resize(width, width * 3 // 4)


def add_help_menu(bar: QMenuBar, window: QWidget, shortcuts: QAction) -> QMenu:
    """Help: the keyboard shortcuts, the user guide, About (version, licences)."""
    menu = bar.addMenu("&Help")
    menu.addAction(shortcuts)
    menu.addAction("User &guide", lambda: show_guide(window))
    menu.addAction("&About NotesDesk", lambda: AboutDialog(window).exec())  # no shortcut: menu only
    return menu


def show_guide(window: QWidget) -> GuideDialog:
    dialog = GuideDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
