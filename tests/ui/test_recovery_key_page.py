"""The recovery key page: the key is never broken inside a group, and saving it says where it went."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle

from notesdesk.ui.start.first_run import RecoveryKeyPage

KEY = "WAMH-JVBV-RVE1-JPC2-TY35-96XH-DPY0-370V"  # the key QA saw wrapped as "…96XH-" / "DPY0-370V"


@pytest.fixture
def page(qtbot):
    shown = RecoveryKeyPage()
    qtbot.addWidget(shown)
    shown.set_key(KEY, "vault-id")
    return shown


@pytest.mark.parametrize("width", [1024, 540, 420])
def test_the_key_is_shown_whole_on_one_line_at_any_window_width(qtbot, page, width):
    page.resize(width, 720)
    page.show()
    qtbot.waitExposed(page)
    label = page.key_label
    assert label.text() == KEY and "\n" not in label.text()
    assert not label.wordWrap()
    shown = QFontMetrics(label.font()).horizontalAdvance(KEY)
    assert shown <= label.contentsRect().width()  # so no group is split across lines
    assert label.fits()
    assert label.font().pointSizeF() >= page.font().pointSizeF()  # never smaller than normal text
    if width == 1024:
        assert label.font().bold() and label.font().pointSizeF() > 1.5 * page.font().pointSizeF()


def test_saving_the_key_names_the_folder_with_a_neutral_note_not_a_warning(qtbot, page, tmp_path: Path):
    page.show()
    qtbot.waitExposed(page)
    folder = tmp_path / "Documents"
    folder.mkdir()
    assert page.save_to(folder / "key.txt")
    note = page.saved.text()
    assert str(folder) in note and "key.txt" in note
    assert page.message.text() == ""  # the warning-style line stays empty
    size = page.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    icon = page.saved.icon.pixmap().toImage()
    warning = page.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size)
    information = page.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(size, size)
    assert icon != warning.toImage()
    assert icon == information.toImage()


def test_a_failed_save_replaces_the_saved_note_with_the_problem(qtbot, page, tmp_path: Path):
    page.show()
    assert page.save_to(tmp_path / "key.txt")
    assert page.save_to(tmp_path / "unplugged drive" / "key.txt") is False
    assert page.saved.text() == ""
    assert "was not saved" in page.message.text()


def test_the_key_is_never_saved_over_a_link_or_a_pipe(qtbot, page, tmp_path: Path):
    page.show()
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    link = tmp_path / "key.txt"
    link.symlink_to(precious)
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    for target in (link, pipe):
        assert page.save_to(target) is False
        assert "was not saved" in page.message.text() and str(target) in page.message.text()
    assert link.is_symlink() and precious.read_text() == "keep me"
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_the_key_is_never_saved_over_the_vault_or_its_lock(qtbot, page, tmp_path: Path):
    page.show()
    vault = tmp_path / "practice.notesdesk"
    vault.write_bytes(b"SQLite format 3\x00" + bytes(100))
    lock = tmp_path / "practice.notesdesk.lock"
    page.vault_path = vault
    for target in (vault, lock):
        assert page.save_to(target) is False
        assert "never writes over it" in page.message.text()
    assert not lock.exists() and vault.read_bytes().startswith(b"SQLite format 3")
