"""The one seam between the UI and the core services, and the one change channel.

A service is a plain function of `(uow, args)` (core/services/notes.py is the model). The UI calls
it through `Session.read` or `Session.write`: a fresh unit of work, a failure shown once by the one
error presenter, and after a write one typed `Changed` on `Session.sig_changed`. Every view that shows
records of a kind (the client list, the search index, the workspace tabs) subscribes to that signal;
no call site has to remember who else must refresh.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, Protocol, runtime_checkable

from PySide6.QtCore import QObject, Signal

from notesdesk.ui.background import BackgroundRunner
from notesdesk.ui.errors import ErrorPresenter

if TYPE_CHECKING:  # a type in signatures only: the composition roots open the vault (docs/architecture.md)
    from notesdesk.core.storage.uow import UnitOfWork


class Kind(enum.Enum):
    """What a write changed; the values are the kind names core/services/overview.py indexes by."""

    CLIENT = "client"
    NOTE = "note"  # a session note, or an addendum under it (the note is what search shows)
    PRIVATE_NOTE = "private_note"
    PLAN = "plan"
    HOMEWORK = "homework"
    MILESTONE = "milestone"
    PHASE = "phase"
    MEASURE = "measure"
    SAFETY_PLAN = "safety_plan"
    TEMPLATE = "template"  # the practice's note templates: belongs to no client (client_id "")
    DIAGNOSIS = "diagnosis"
    NEXT_SESSION = "next_session"
    ATTACHMENT = "attachment"
    CONSENT = "consent"
    LETTER = "letter"


@dataclass(frozen=True)
class Changed:
    """One committed change: its kind, the client whose record it is in, and the object written."""

    kind: Kind
    client_id: str
    object_id: str


@runtime_checkable
class Identified(Protocol):
    """A stored record: what a write returns, unless it returns more than the record."""

    id: str


def ran[**P](fn: Callable[P, object]) -> Callable[P, bool]:
    """For a service that returns nothing: True once it ran, so a write's None still means "failed"."""

    def wrapper(*args: P.args, **kwargs: P.kwargs) -> bool:
        fn(*args, **kwargs)
        return True

    return wrapper


class QuietRetries:
    """Autosave's error policy, given to `write`: the first failure of a run is shown; retries that
    fail the same way stay quiet until a save succeeds or the user asks again (`reset`). The text
    stays in the editor either way."""

    def __init__(self) -> None:
        self.failing = False

    def reset(self) -> None:
        self.failing = False


class Session(QObject):
    """Runs service calls for the UI. `changed` carries a `Changed` after every committed write."""

    sig_changed = Signal(object)

    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        errors: ErrorPresenter,
        runner: BackgroundRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._uow = uow
        self._errors = errors
        self._runner = runner

    def read[**P, T](
        self, fn: Callable[Concatenate[UnitOfWork, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T | None:
        """`fn(uow, *args)` in a fresh unit of work; None when it failed (the presenter said why)."""
        try:
            return fn(self._uow(), *args, **kwargs)
        except Exception as exc:  # every failure is shown the same way; never a traceback
            self._errors.present(exc)
            return None

    def write[T](
        self,
        fn: Callable[Concatenate[UnitOfWork, ...], T],
        *args: Any,
        change: Kind | None,
        client_id: str,
        object_id: str | Callable[[T], str] | None = None,
        quiet: QuietRetries | None = None,
        **kwargs: Any,
    ) -> T | None:
        """`fn(uow, *args)` in a fresh unit of work, then one `Changed(change, client_id, object_id)`.

        None when it failed: the presenter said why (once per run of failures with `quiet`), nothing
        was announced and the caller keeps what the user typed. `object_id` defaults to the id of the
        record returned; give it (or how to find it in the result) when the service returns more.
        `change=None` says that no view shows what was written (text kept for later, for example).
        The keywords change, client_id, object_id and quiet are the session's own: a service argument
        of one of those names is passed by position."""
        try:
            result = self.perform(fn, *args, change=change, client_id=client_id, object_id=object_id,
                                  **kwargs)
        except Exception as exc:  # shown once, never a traceback; the caller keeps the text
            if quiet is None or not quiet.failing:
                self._errors.present(exc)
            if quiet is not None:
                quiet.failing = True
            return None
        if quiet is not None:
            quiet.failing = False
        return result

    def perform[T](
        self,
        fn: Callable[Concatenate[UnitOfWork, ...], T],
        *args: Any,
        change: Kind | None,
        client_id: str,
        object_id: str | Callable[[T], str] | None = None,
        **kwargs: Any,
    ) -> T:
        """As `write`, but a failure is raised to the caller: for a dialog that says why in place and
        stays open (client details, discharge)."""
        result = fn(self._uow(), *args, **kwargs)
        if change is not None:
            self.sig_changed.emit(Changed(change, client_id, _object_id(result, object_id)))
        return result

    def background[T](
        self,
        fn: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """`fn()` on the one background runner; `done(result)` or `failed(exc)` (by default: the
        presenter) back on the UI thread."""
        self._runner.run(fn, done, failed if failed is not None else self._errors.present)

    def for_client(self, client_id: str) -> ClientSession:
        return ClientSession(self, client_id)


def _object_id[T](result: T, given: str | Callable[[T], str] | None) -> str:
    if isinstance(given, str):
        return given
    if given is not None:
        return given(result)
    return result.id if isinstance(result, Identified) else ""


class ChangeFilter(QObject):
    """Calls `handler` for the changes of some kinds (in one client's record, when given). A child of
    the widget that subscribed: when that goes, so does the connection."""

    def __init__(
        self,
        session: Session,
        owner: QObject,
        kinds: Collection[Kind],
        handler: Callable[[Changed], None],
        client_id: str | None = None,
    ) -> None:
        super().__init__(owner)
        self._kinds = frozenset(kinds)
        self._handler = handler
        self._client_id = client_id
        session.sig_changed.connect(self._on_changed)

    def _on_changed(self, change: Changed) -> None:
        # A practice-wide change (client_id "") concerns every client's views.
        mine = self._client_id is None or change.client_id in (self._client_id, "")
        if change.kind in self._kinds and mine:
            self._handler(change)


class ClientSession:
    """The session as one client's workspace uses it: writes are announced for this client, and
    `on_change` hears only this client's changes."""

    def __init__(self, session: Session, client_id: str) -> None:
        self.session = session
        self.client_id = client_id

    def read[**P, T](
        self, fn: Callable[Concatenate[UnitOfWork, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T | None:
        return self.session.read(fn, *args, **kwargs)

    def write[T](
        self,
        fn: Callable[Concatenate[UnitOfWork, ...], T],
        *args: Any,
        change: Kind | None,
        object_id: str | Callable[[T], str] | None = None,
        quiet: QuietRetries | None = None,
        **kwargs: Any,
    ) -> T | None:
        return self.session.write(fn, *args, change=change, client_id=self.client_id,
                                  object_id=object_id, quiet=quiet, **kwargs)

    def on_change(self, owner: QObject, kinds: Collection[Kind], handler: Callable[[], None]) -> None:
        """Call `handler()` after every change of these kinds in this client's record (or practice-wide)."""
        ChangeFilter(self.session, owner, kinds, lambda _change: handler(), self.client_id)
