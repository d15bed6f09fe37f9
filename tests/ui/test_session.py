"""The session object without a window: a write runs the service once, announces one typed change
after it committed and none after a failure, shows a failure once, and subscriptions hear only their
client's changes of the kinds they asked for."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject

from notesdesk.core.errors import InvalidInput
from notesdesk.ui.background import BackgroundRunner
from notesdesk.ui.errors import ErrorPresenter
from notesdesk.ui.session import Changed, Kind, QuietRetries, Session, ran


@dataclass(frozen=True)
class Record:
    id: str
    text: str


class FakeUnitOfWork:
    """What a service receives; counts the units of work made (one per call)."""

    made = 0

    def __init__(self) -> None:
        FakeUnitOfWork.made += 1


def store(uow: FakeUnitOfWork, text: str) -> Record:
    assert isinstance(uow, FakeUnitOfWork)
    return Record(id=f"id-{text}", text=text)


def refuse(_uow: FakeUnitOfWork, _text: str) -> Record:
    raise InvalidInput("The disk is full.")


@pytest.fixture
def presenter() -> ErrorPresenter:
    return ErrorPresenter(interactive=False)


@pytest.fixture
def session(qapp, presenter: ErrorPresenter) -> Session:
    FakeUnitOfWork.made = 0
    return Session(FakeUnitOfWork, presenter, BackgroundRunner())  # type: ignore[arg-type]  # a stand-in vault


@pytest.fixture
def heard(session: Session) -> list[Changed]:
    changes: list[Changed] = []
    session.sig_changed.connect(changes.append)
    return changes


def test_a_write_runs_the_service_in_a_fresh_unit_of_work_and_announces_what_it_wrote(session, heard):
    saved = session.write(store, "hello", change=Kind.NOTE, client_id="c1")
    assert saved == Record("id-hello", "hello")
    assert FakeUnitOfWork.made == 1
    assert heard == [Changed(Kind.NOTE, "c1", "id-hello")]


def test_a_failed_write_is_shown_once_announces_nothing_and_returns_none(session, heard, presenter):
    assert session.write(refuse, "typed text", change=Kind.NOTE, client_id="c1") is None
    assert presenter.last_message == "The disk is full."
    assert heard == []


def test_quiet_retries_show_the_first_failure_of_a_run_only(session, presenter):
    shown: list[str] = []
    presenter.present = lambda exc, title="NotesDesk": shown.append(str(exc))
    quiet = QuietRetries()
    for _ in range(3):
        session.write(refuse, "draft", change=Kind.NOTE, client_id="c1", quiet=quiet)
    assert len(shown) == 1
    session.write(store, "draft", change=Kind.NOTE, client_id="c1", quiet=quiet)  # a save worked
    session.write(refuse, "draft", change=Kind.NOTE, client_id="c1", quiet=quiet)
    assert len(shown) == 2


def test_the_object_id_can_be_given_or_found_in_a_larger_result(session, heard):
    session.write(lambda uow, t: (store(uow, t), True), "x", change=Kind.MEASURE, client_id="c1",
                  object_id=lambda found: found[0].id)
    session.write(ran(lambda uow, note_id: None), "n7", change=Kind.NOTE, client_id="c1", object_id="n7")
    assert heard == [Changed(Kind.MEASURE, "c1", "id-x"), Changed(Kind.NOTE, "c1", "n7")]


def test_a_service_that_returns_nothing_reads_true_once_it_ran(session):
    assert session.write(ran(lambda uow: None), change=Kind.TEMPLATE, client_id="") is True


def test_a_write_that_no_view_shows_announces_nothing(session, heard):
    assert session.write(store, "kept", change=None, client_id="c1") is not None
    assert heard == []


def test_a_read_returns_the_result_or_none_after_showing_the_failure(session, heard, presenter):
    assert session.read(store, "a") == Record("id-a", "a")
    assert session.read(refuse, "a") is None
    assert presenter.last_message == "The disk is full."
    assert heard == []  # reading changes nothing


def test_perform_raises_to_the_dialog_and_announces_nothing(session, heard, presenter):
    with pytest.raises(InvalidInput):
        session.perform(refuse, "name", change=Kind.CLIENT, client_id="c1")
    assert heard == [] and presenter.last_message is None


def test_a_client_subscription_hears_its_client_and_practice_wide_changes_of_its_kinds(session):
    owner = QObject()
    calls: list[str] = []
    session.for_client("c1").on_change(owner, {Kind.PLAN, Kind.TEMPLATE}, lambda: calls.append("x"))
    session.for_client("c1").write(store, "p", change=Kind.PLAN)
    session.for_client("c2").write(store, "p", change=Kind.PLAN)  # another client's record
    session.for_client("c1").write(store, "h", change=Kind.HOMEWORK)  # a kind it did not ask for
    session.write(store, "t", change=Kind.TEMPLATE, client_id="")  # the practice's templates
    assert calls == ["x", "x"]


def test_a_subscription_ends_with_the_widget_that_made_it(session):
    owner = QObject()
    calls: list[str] = []
    session.for_client("c1").on_change(owner, {Kind.NOTE}, lambda: calls.append("x"))
    owner.deleteLater()
    del owner
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    session.for_client("c1").write(store, "n", change=Kind.NOTE)
    assert calls == []


def test_background_work_reports_its_result_or_its_failure(session, presenter, qtbot):
    results: list[int] = []
    session.background(lambda: 6 * 7, results.append)
    qtbot.waitUntil(lambda: results == [42])

    def broken() -> int:
        raise InvalidInput("Could not build the index.")

    session.background(broken, results.append)
    qtbot.waitUntil(lambda: presenter.last_message == "Could not build the index.")


def test_background_work_runs_with_the_cycle_collector_paused_and_restores_it(session, presenter, qtbot):
    """A full collection holds the interpreter lock, and so the UI thread, for as long as it scans:
    a background job decrypting the practice must not set one off. Afterwards it runs as before,
    even when the job failed."""
    import gc

    seen: list[bool] = []
    assert gc.isenabled()
    session.background(lambda: seen.append(gc.isenabled()) or len(seen), lambda _n: None)
    qtbot.waitUntil(lambda: seen == [False])
    qtbot.waitUntil(gc.isenabled)

    def broken() -> int:
        seen.append(gc.isenabled())
        raise InvalidInput("Could not build the index.")

    session.background(broken, lambda _n: None)
    qtbot.waitUntil(lambda: presenter.last_message == "Could not build the index.")
    assert seen == [False, False] and gc.isenabled()
