"""Administering a questionnaire in session: large, touch-friendly, in the instrument's own words.

One question per screen (big option buttons, Back/Next, "3 of 9") or all on one page; the clinician or
the client may switch at any time without losing answers. An unanswered item stays unanswered (never
0). The unscored difficulty question comes last, and the licence/attribution line is always shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.measures import Instrument
from notesdesk.ui.workspace.measures.options import (
    ADVANCE_MS,
    MAX_WIDTH,
    TOUCH,
    OptionRow,
    scaled_font,
    text_label,
)
from notesdesk.ui.workspace.widgets import named

WORDING_WITHHELD = ("The wording of this questionnaire stays on the computer that imported it (its licence "
                    "does not allow sharing it): import its file here to see the questions and answers.")
"""Said where the instructions go, for a questionnaire received from a colleague without its wording."""


class AdministerForm(QWidget):
    sig_finished = Signal()
    """The clinician or client pressed Finish; read answers() and functional()."""
    sig_cancelled = Signal()
    """The clinician pressed Stop without saving (never offered to the client)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.instrument: Instrument | None = None
        self._answers: list[int | None] = []
        self._functional: int | None = None
        self.index = 0
        self.advance_ms = ADVANCE_MS
        self._advance = QTimer(self)
        self._advance.setSingleShot(True)
        self._advance.timeout.connect(self.next)

        self.title = text_label(scale=1.35, bold=True, name="Questionnaire title")
        self.stem = text_label(scale=1.1, name="Questionnaire instructions")
        self.single_mode_button = self._mode_button("One question per screen")
        self.all_mode_button = self._mode_button("All on one page")
        modes = QButtonGroup(self)
        modes.addButton(self.single_mode_button)
        modes.addButton(self.all_mode_button)
        self.single_mode_button.setChecked(True)
        self.for_client = False  # the client holds the laptop: plain words, no Stop
        self.stop_button = named(QPushButton("Stop without saving…"),
                                 "Stop this questionnaire without saving")
        self.stop_button.setMinimumHeight(40)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.single_mode_button)
        top.addWidget(self.all_mode_button)
        top.addWidget(self.stop_button)

        self.item_label = text_label(scale=1.6, bold=True, name="Question")
        self.item_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.item_label.setMinimumHeight(self.item_label.fontMetrics().lineSpacing() * 2 + 8)
        self.single_stack = QStackedWidget()
        self.single_rows: list[OptionRow] = []
        single = QWidget()
        single_layout = QVBoxLayout(single)
        single_layout.setContentsMargins(0, 8, 0, 0)
        single_layout.setSpacing(16)
        single_layout.addWidget(self.item_label)
        single_layout.addWidget(self.single_stack)
        single_layout.addStretch(1)
        self.all_inner = QWidget()
        self.all_layout = QVBoxLayout(self.all_inner)
        self.all_rows: list[OptionRow] = []
        self.all_area = QScrollArea()
        self.all_area.setWidgetResizable(True)
        self.all_area.setFrameShape(QFrame.Shape.NoFrame)
        self.all_area.setWidget(self.all_inner)
        self.all_area.setAccessibleName("All questions")
        self.body = QStackedWidget()
        self.body.addWidget(single)
        self.body.addWidget(self.all_area)

        self.back_button = self._nav_button("Back", "Previous question")
        self.next_button = self._nav_button("Next", "Next question")
        self.finish_button = self._nav_button("Finish", "Finish the questionnaire")
        self.finish_button.setDefault(True)
        self.progress_label = text_label(scale=1.2, bold=True, name="Progress")
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unanswered_label = text_label(name="Unanswered questions")
        self.unanswered_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addWidget(self.progress_label, 1)
        nav.addWidget(self.next_button)
        nav.addWidget(self.finish_button)
        self.licence_label = text_label(scale=0.9, name="Licence and attribution")
        font = self.licence_label.font()
        font.setItalic(True)
        self.licence_label.setFont(font)

        column = QWidget()
        column.setMaximumWidth(MAX_WIDTH)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.stem)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.unanswered_label)
        layout.addLayout(nav)
        layout.addWidget(self.licence_label)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addStretch(1)
        outer.addWidget(column, 40)  # as wide as the window allows, up to MAX_WIDTH, centred
        outer.addStretch(1)

        self.single_mode_button.clicked.connect(lambda: self.set_one_per_screen(True))
        self.all_mode_button.clicked.connect(lambda: self.set_one_per_screen(False))
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.finish_button.clicked.connect(self.sig_finished)
        self.stop_button.clicked.connect(self.sig_cancelled)

    def _mode_button(self, text: str) -> QPushButton:
        button = named(QPushButton(text), text)
        button.setCheckable(True)
        button.setMinimumHeight(40)
        return button

    def _nav_button(self, text: str, name: str) -> QPushButton:
        button = named(QPushButton(text), name)
        button.setMinimumSize(140, TOUCH)
        button.setFont(scaled_font(button, 1.2, bold=True))
        return button

    # -- state ----------------------------------------------------------------------------------------

    @property
    def one_per_screen(self) -> bool:
        return self.body.currentIndex() == 0

    @property
    def page_count(self) -> int:
        """Items, plus the unscored difficulty question when the instrument has one."""
        inst = self.instrument
        return (len(inst.items) + (inst.functional_item is not None)) if inst else 0

    def answers(self) -> tuple[int | None, ...]:
        return tuple(self._answers)

    def functional(self) -> int | None:
        return self._functional

    def start(self, instrument: Instrument, one_per_screen: bool = True) -> None:
        self._advance.stop()
        self.instrument = instrument
        self._answers = [None] * len(instrument.items)
        self._functional = None
        self.index = 0
        self.title.setText(instrument.title or instrument.name)
        stem = WORDING_WITHHELD if instrument.wording_withheld else instrument.stem
        self.stem.setText(stem)
        self.stem.setVisible(bool(stem))
        self.licence_label.setText(instrument.licence.attribution)
        self._build_all()
        self.set_one_per_screen(one_per_screen)

    def set_for_client(self, on: bool) -> None:
        """The client fills it in: no Stop (the clinician takes the laptop back instead), and the
        words about skipped questions are the client's, not the clinician's."""
        self.for_client = on
        self.stop_button.setVisible(not on)
        self._sync_nav()

    def set_one_per_screen(self, on: bool) -> None:
        self._advance.stop()
        self.body.setCurrentIndex(0 if on else 1)
        self.single_mode_button.setChecked(on)
        self.all_mode_button.setChecked(not on)
        self._sync()

    @property
    def option_buttons(self) -> list[QPushButton]:
        """The current question's option buttons (one-per-screen)."""
        return self.single_rows[self.index].buttons if self.single_rows else []

    def choose(self, option_index: int) -> None:
        """Answer the current question (one-per-screen) with its option at `option_index`."""
        self._set(self.index, option_index)
        self.single_rows[self.index].show_choice(option_index)
        self._sync_nav()
        if self.index < self.page_count - 1:
            if self.advance_ms <= 0:
                self.next()
            else:
                self._advance.start(self.advance_ms)

    def _set(self, page: int, option_index: int) -> None:
        inst = self.instrument
        assert inst is not None
        if page < len(inst.items):
            self._answers[page] = inst.options[option_index].score
        else:
            self._functional = option_index

    def _choice(self, page: int) -> int | None:
        inst = self.instrument
        assert inst is not None
        if page >= len(inst.items):
            return self._functional
        value = self._answers[page]
        return next((i for i, o in enumerate(inst.options) if o.score == value), None)

    def _question(self, page: int) -> tuple[str, list[str]]:
        inst = self.instrument
        assert inst is not None
        if page < len(inst.items):
            return inst.items[page], [o.label for o in inst.options]
        assert inst.functional_item is not None
        return inst.functional_item.text, list(inst.functional_item.options)

    # -- navigation -----------------------------------------------------------------------------------

    def next(self) -> None:
        self._advance.stop()
        if self.index < self.page_count - 1:
            self.index += 1
            self._sync()

    def back(self) -> None:
        self._advance.stop()
        if self.index > 0:
            self.index -= 1
            self._sync()

    def go_to(self, page: int) -> None:
        self._advance.stop()
        self.index = max(0, min(page, self.page_count - 1))
        self._sync()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.one_per_screen and self.instrument is not None:
            text = event.text()
            _question, labels = self._question(self.index)
            if text.isdigit() and self.index < len(self.instrument.items):
                match = [i for i, o in enumerate(self.instrument.options) if o.score == int(text)]
                if match:
                    self.choose(match[0])
                    return
            elif text.isdigit() and 1 <= int(text) <= len(labels):
                self.choose(int(text) - 1)
                return
            if event.key() in (Qt.Key.Key_Right, Qt.Key.Key_PageDown):
                self.next()
                return
            if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
                self.back()
                return
        super().keyPressEvent(event)

    # -- building and syncing -------------------------------------------------------------------------

    def _build_all(self) -> None:
        while self.all_layout.count():
            item = self.all_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for row in self.single_rows:
            self.single_stack.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.all_rows, self.single_rows = [], []
        for page in range(self.page_count):
            _text, labels = self._question(page)
            single = OptionRow(labels, "Answer", vertical=True)
            single.sig_chosen.connect(self.choose)
            self.single_stack.addWidget(single)
            self.single_rows.append(single)
        for page in range(self.page_count):
            text, labels = self._question(page)
            number = f"{page + 1}. " if self.instrument and page < len(self.instrument.items) else ""
            heading = text_label(number + text, 1.2, bold=True, name=f"Question {page + 1}")
            row = OptionRow(labels, f"Question {page + 1}", vertical=False)
            row.sig_chosen.connect(lambda i, p=page: self._on_all_chosen(p, i))
            self.all_layout.addWidget(heading)
            self.all_layout.addWidget(row)
            self.all_layout.addSpacing(14)
            self.all_rows.append(row)
        self.all_layout.addStretch(1)

    def _on_all_chosen(self, page: int, option_index: int) -> None:
        self._set(page, option_index)
        self._sync_nav()

    def _sync(self) -> None:
        if self.instrument is None:
            return
        if self.one_per_screen:
            text, _labels = self._question(self.index)
            n_items = len(self.instrument.items)
            if self.index >= n_items:
                text = f"{text}\n(This question is not scored.)"
            self.item_label.setText(text)
            self.single_stack.setCurrentIndex(self.index)
            self.single_rows[self.index].show_choice(self._choice(self.index))
        else:
            for page, row in enumerate(self.all_rows):
                row.show_choice(self._choice(page))
        self._sync_nav()

    def _sync_nav(self) -> None:
        inst = self.instrument
        if inst is None:
            return
        single, last = self.one_per_screen, self.index >= self.page_count - 1
        self.back_button.setVisible(single)
        self.back_button.setEnabled(self.index > 0)
        self.next_button.setVisible(single and not last)
        self.next_button.setText("Next" if self._choice(self.index) is not None else "Skip")
        self.finish_button.setVisible(last or not single)
        n = len(inst.items)
        if not single:
            self.progress_label.setText(f"{n - self._answers.count(None)} of {n} answered")
        elif self.index < n:
            self.progress_label.setText(f"{self.index + 1} of {n}")
        else:
            self.progress_label.setText("One last question")
        missing = [str(i) for i, a in enumerate(self._answers, start=1) if a is None]
        show = bool(missing) and (not single or last)
        self.unanswered_label.setText(self._unanswered_text(missing) if show else "")
        self.unanswered_label.setVisible(show)

    def _unanswered_text(self, missing: list[str]) -> str:
        if self.for_client:
            return (f"Some questions are not answered yet ({', '.join(missing)}). That's OK — or you can go "
                    "back to any question you skipped.")
        return (f"Not answered yet: {', '.join(missing)}. Unanswered questions are left blank, never "
                "counted as 0.")
