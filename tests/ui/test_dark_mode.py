"""Dark mode (issue 15, item 10): every widget that chooses a colour of its own (the risk red, the
chosen answer, the demo's strip and tint, the notice banner, the note under a table that hides
columns) reads at WCAG 4.5:1 or better under a dark palette and under a light one. The contrast is
read from the pixels each widget paints: the most common colour is its background, and the text is
the colour that stands out most from it. (The trend chart has its own tests: test_dark_chart.py.)"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from notesdesk.core.domain.care import SafetyPlan
from notesdesk.core.domain.common import today
from notesdesk.core.services import care, measures
from notesdesk.ui.session import Kind
from notesdesk.ui.widgets.banner import Banner
from notesdesk.ui.widgets.demo import DemoStrip, tinted
from notesdesk.ui.widgets.ink import RISK_ON_LIGHT, contrast, risk_ink
from notesdesk.ui.workspace.fitting import FittingTable
from notesdesk.ui.workspace.measures.options import OptionButton
from notesdesk.ui.workspace.measures.result import RiskBox

pytest_plugins = ["tests.ui.workspace_fixtures"]

TEXT = 4.5  # WCAG AA for body text


def scheme(window: str, text: str, base: str, highlight: str, on_highlight: str) -> QPalette:
    """A whole palette as a system theme gives one (Qt derives the shades from the button colour)."""
    palette = QPalette(QColor(window), QColor(window))
    role = QPalette.ColorRole
    for r, colour in ((role.WindowText, text), (role.Text, text), (role.ButtonText, text),
                      (role.Base, base), (role.AlternateBase, window), (role.Highlight, highlight),
                      (role.HighlightedText, on_highlight), (role.ToolTipBase, base),
                      (role.ToolTipText, text), (role.PlaceholderText, text)):
        palette.setColor(r, QColor(colour))
    return palette


SCHEMES = {
    "dark": scheme("#202124", "#e8eaed", "#2b2c2f", "#8ab4f8", "#202124"),
    "light": scheme("#f5f5f5", "#1b1b1b", "#ffffff", "#1f4e79", "#ffffff"),
}


@pytest.fixture(params=list(SCHEMES))
def shown_in(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The whole application in the scheme, as when the system switches (restored afterwards)."""
    before = QApplication.palette()
    QApplication.setPalette(SCHEMES[request.param])
    yield request.param
    QApplication.setPalette(before)


def ink_contrast(widget: QWidget, over: QWidget | None = None) -> float:
    """The contrast between the widget's background and the colour that stands out most from it;
    with `over`, the widget as painted over that parent's background (a label on a button)."""
    image = (over.grab(widget.geometry()) if over is not None else widget.grab()).toImage()
    counts = Counter(image.pixel(x, y) for x in range(image.width()) for y in range(image.height()))
    background = QColor.fromRgb(counts.most_common(1)[0][0])
    return max(contrast(QColor.fromRgb(pixel), background) for pixel in counts)


def test_the_check_tells_unreadable_text_from_readable(shown_in: str, qtbot) -> None:
    label = QLabel("Safety plan not reviewed")
    qtbot.addWidget(label)
    label.setStyleSheet("color: #b3261e;")  # the risk red the app used before, whatever the scheme
    label.show()
    qtbot.waitExposed(label)
    assert (ink_contrast(label) >= TEXT) == (shown_in == "light")


def test_the_risk_loop_reads_on_the_overview_the_safety_plan_and_the_measures(
    shown_in: str, workspace, ws_ctx, ws_client, qtbot
) -> None:
    ws_ctx.session.write(care.save_safety_plan, SafetyPlan(ws_client, warning_signs=("pacing",),
                                                           last_reviewed=today().replace(day=1)),
                         change=Kind.SAFETY_PLAN, client_id=ws_client)
    ws_ctx.session.write(measures.record_measure, ws_client, "PHQ-9", [1] * 9, change=Kind.MEASURE,
                         client_id=ws_client)
    workspace.resize(1280, 800)
    workspace.show()
    overview = workspace.overview_tab
    overview.refresh()
    qtbot.waitUntil(lambda: "item 9 endorsed" in overview.text("safety"))
    assert ink_contrast(overview.labels["safety"]) >= TEXT
    overview.review_safety_plan.click()
    loop = workspace.safety_tab.loop_label
    qtbot.waitUntil(lambda: loop.isVisible() and "not reviewed since" in loop.text())
    assert ink_contrast(loop) >= TEXT
    tab = workspace.measures_tab
    workspace.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.flags_label.isVisible() and "item 9" in tab.flags_label.text().lower())
    assert ink_contrast(tab.flags_label) >= TEXT


def test_the_risk_prompt_reads(shown_in: str, qtbot) -> None:
    box = RiskBox()
    qtbot.addWidget(box)
    box.heading.setText("Item 9 was endorsed")
    box.show()
    qtbot.waitExposed(box)
    assert ink_contrast(box.heading) >= TEXT


def test_the_chosen_answer_reads(shown_in: str, qtbot) -> None:
    button = OptionButton("Nearly every day")
    qtbot.addWidget(button)
    button.resize(button.sizeHint())
    button.show()
    qtbot.waitExposed(button)
    assert ink_contrast(button.label, over=button) >= TEXT
    button.setChecked(True)
    qtbot.waitUntil(lambda: button.label.font().bold())
    assert ink_contrast(button.label, over=button) >= TEXT


def test_the_demo_tint_and_strip_read(shown_in: str, qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.setPalette(tinted(window.palette()))
    text = QLabel("Robin Example: 6 notes, 2 drafts")
    strip = DemoStrip(window)
    layout = QVBoxLayout(window)
    layout.addWidget(strip)
    layout.addWidget(text)
    window.resize(900, 200)
    window.show()
    qtbot.waitExposed(window)
    assert ink_contrast(text) >= TEXT
    assert ink_contrast(strip) >= TEXT


def test_the_notice_banner_reads(shown_in: str, qtbot) -> None:
    banner = Banner()
    qtbot.addWidget(banner)
    banner.add_message("This vault is open read-only.")
    banner.resize(700, 60)
    banner.show()
    qtbot.waitExposed(banner)
    [line] = [label for label in banner.findChildren(QLabel) if label.text()]
    assert ink_contrast(line) >= TEXT


def test_the_note_under_a_table_that_hides_columns_reads(shown_in: str, qtbot) -> None:
    model = QStandardItemModel(1, 3)
    model.setHorizontalHeaderLabels(["Homework", "Repeats", "Assigned"])
    for column, value in enumerate(("Ride four stops", "Every day", "2026-10-05")):
        model.setItem(0, column, QStandardItem(value))
    table = FittingTable(model, "Homework", 0, min_stretch=200, drop=(1, 2))
    qtbot.addWidget(table)
    table.resize(230, 200)
    table.show()
    qtbot.waitUntil(table.hidden_note.isVisible)
    assert ink_contrast(table.hidden_note) >= TEXT


@pytest.fixture
def switched(qapp: QApplication) -> Iterator[None]:
    """Light at first; the test switches the system to dark while the widgets are on screen."""
    before = QApplication.palette()
    QApplication.setPalette(SCHEMES["light"])
    yield
    QApplication.setPalette(before)


def test_a_live_switch_to_dark_reaches_the_banner_and_the_risk_flags(
    switched, workspace, ws_ctx, ws_client, qtbot
) -> None:
    ws_ctx.session.write(measures.record_measure, ws_client, "PHQ-9", [1] * 9, change=Kind.MEASURE,
                         client_id=ws_client)
    window = QWidget()  # the banner sits inside the main window: it is not a window of its own
    qtbot.addWidget(window)
    banner = Banner(window)
    QVBoxLayout(window).addWidget(banner)
    banner.add_message("This vault is open read-only.")
    window.resize(700, 80)
    window.show()
    workspace.resize(1280, 800)
    workspace.show()
    overview = workspace.overview_tab
    overview.refresh()
    qtbot.waitUntil(lambda: "item 9 endorsed" in overview.text("safety"))
    tab = workspace.measures_tab
    workspace.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.flags_label.isVisible() and "item 9" in tab.flags_label.text().lower())
    [line] = [label for label in banner.findChildren(QLabel) if label.text()]

    QApplication.setPalette(SCHEMES["dark"])  # the system switched; nothing is refreshed by hand

    # The banner takes the dark scheme's notice colours, not the light ones it was made with.
    notice = SCHEMES["dark"].color(QPalette.ColorRole.ToolTipBase)
    qtbot.waitUntil(lambda: banner.palette().color(QPalette.ColorRole.Window) == notice)
    assert ink_contrast(line) >= TEXT
    # The risk lines are drawn in the red that reads on dark (a label's other text would hide a red
    # that does not, so the colour itself is checked).
    dark_red = risk_ink(SCHEMES["dark"]).name()
    for label in (tab.flags_label, overview.labels["safety"], overview.measures_summary):
        qtbot.waitUntil(lambda label=label: dark_red in label.text())
        assert RISK_ON_LIGHT.name() not in label.text()
    heading = tab.result.risk.heading  # the prompt after the flag, inside the tab
    qtbot.waitUntil(lambda: dark_red in heading.styleSheet())
