"""A runner let go while a job still runs (a window closed mid-search, a test's runner fixture torn
down after wait() timed out): the job's end must still give the cycle collector back, and the
runner's thread ends quietly. Found by review: the thread's signal on the deleted QObject raised there,
the collector pause was never released, and automatic cycle collection stayed off for the rest of the
process, so memory held in cycles (closures over dialogs, decrypted note objects) was never freed."""

from __future__ import annotations

import gc
import threading

import shiboken6

from notesdesk.ui.background import BackgroundRunner


def test_the_collector_comes_back_when_the_runner_dies_before_its_job(qapp) -> None:
    assert gc.isenabled()
    runner = BackgroundRunner()
    started, go_on = threading.Event(), threading.Event()

    def job() -> str:
        started.set()
        go_on.wait(10)
        return "done"

    runner.run(job, lambda _r: None, lambda _e: None)
    assert started.wait(10)
    worker = runner._thread
    assert worker is not None
    shiboken6.delete(runner)  # the window that owned it closed while the job ran
    go_on.set()
    try:
        runner.wait(5000)  # the job itself finishes either way
        worker.join(5)
        assert gc.isenabled(), "automatic cycle collection left off after the runner's last job"
    finally:
        gc.enable()
