"""Qt objects are let go on the UI thread only. PySide6 6.12 defers the C++ deletion of a widget whose
Python side dies on another thread to the UI thread, in a list it walks without a lock: the app
crashed at once (a jump to address 0x1, found when two UI test modules ran together) when a widget
died on the runner's thread while that list was walked. Two ways a widget died there: the last
reference to a job's function (a closure over a dialog) dropped by the runner's thread, and a cycle
collection that happened to start on it."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWidget

from notesdesk.ui.background import BackgroundRunner


@pytest.fixture
def runner(qapp) -> Iterator[BackgroundRunner]:
    runner = BackgroundRunner()
    yield runner
    runner.wait()


def test_a_widget_a_job_held_last_dies_on_the_ui_thread(runner, qtbot):
    died_on: list[int] = []
    widget = QWidget()
    weakref.finalize(widget, lambda: died_on.append(threading.get_ident()))
    results: list[object] = []

    def job(held: QWidget = widget) -> str:  # the job's function is all that holds the widget
        return type(held).__name__

    del widget
    runner.run(job, results.append, results.append)
    del job
    qtbot.waitUntil(lambda: results == ["QWidget"])
    qtbot.waitUntil(lambda: bool(died_on))
    assert died_on == [threading.main_thread().ident]


def test_no_cycle_collection_starts_on_the_runners_thread(runner, qtbot):
    started_on: set[int] = set()

    def note(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            started_on.add(threading.get_ident())

    results: list[object] = []
    thresholds = gc.get_threshold()
    gc.callbacks.append(note)
    gc.set_threshold(1, 1, 1)  # any allocation would set one off
    try:
        for n in range(5):
            runner.run(lambda n=n: [[object()] for _ in range(100)] and n, results.append, results.append)
        qtbot.waitUntil(lambda: len(results) == 5)
        runner.wait()
    finally:
        gc.set_threshold(*thresholds)
        gc.callbacks.remove(note)
    assert results == [0, 1, 2, 3, 4]
    assert started_on <= {threading.main_thread().ident}
