"""Building the search index in a child process, so that the app's UI thread never waits for the
interpreter lock while a large practice is decrypted and decoded (docs/design-notes.md §10).

The child is a fresh interpreter (multiprocessing's 'spawn': nothing of this process's memory is
copied into it). The data key reaches it through a pipe to this process, never a file, an argument or
the environment. It opens the vault read-only (mode=ro, no lock taken: the app holds it), builds the
index in its own memory (temp_store=MEMORY, as in-process) and hands it back through the same pipe
as a SQLite image, then ends. It ends as well when this process does (it watches its parent), and
`stop` ends it at once (a lock, a close): none is left behind, and it writes nothing anywhere.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from notesdesk.core.errors import NotesdeskError
from notesdesk.core.search.index import IndexState, SearchIndex
from notesdesk.core.services.search import NOTES_PER_PAGE, build_index

if TYPE_CHECKING:
    from notesdesk.core.storage.vault import Vault

# A vault file at least this large is indexed in a child process. Below it the whole build takes a
# few hundred milliseconds at most in process, less than starting a child interpreter costs.
CHILD_FROM_BYTES = 16 * 1024 * 1024

# How much lower the child's scheduling priority is than the app's (POSIX `nice`).
CHILD_NICENESS = 5

BUILD_FAILED = "The search index could not be built ({reason}). Search is unavailable until the next unlock."


@dataclass(frozen=True)
class _Order:
    path: str
    vault_id: str
    owner_id: str
    dek: bytes = field(repr=False)
    notes_per_page: int


@dataclass(frozen=True)
class _Failed:
    message: str


def worth_a_child(vault: Vault, threshold: int | None = None) -> bool:
    """Whether this vault is large enough (CHILD_FROM_BYTES unless given) for a child process to pay;
    an in-memory one never is."""
    least = CHILD_FROM_BYTES if threshold is None else threshold
    try:
        return vault.path.is_file() and vault.path.stat().st_size >= least
    except OSError:
        return False


class IndexBuild:
    """One child process building one index. `result` (on a background thread) waits for it;
    `stop` (any thread) ends the child at once. Both are safe to call more than once."""

    def __init__(self, vault: Vault, notes_per_page: int = NOTES_PER_PAGE) -> None:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe(duplex=True)
        self._conn = ours
        self._process = context.Process(target=_serve, args=(theirs,), name="notesdesk-index", daemon=True)
        self._process.start()
        _lower_priority(self._process.pid)
        theirs.close()  # the child's end lives in the child only: its exit is our end-of-file
        order = _Order(str(vault.path), vault.vault_id, vault.audit.actor, vault.data_key(), notes_per_page)
        ours.send(order)

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def alive(self) -> bool:
        return self._process.is_alive()

    def result(self) -> SearchIndex:
        """The index the child built (blocks until it is done). Raises NotesdeskError if it failed or
        was stopped."""
        try:
            reply = self._conn.recv()
            if isinstance(reply, _Failed):
                raise NotesdeskError(BUILD_FAILED.format(reason=reply.message))
            image = self._conn.recv_bytes()
        except (EOFError, OSError) as exc:
            raise NotesdeskError(BUILD_FAILED.format(reason="it was stopped")) from exc
        finally:
            self.stop()
        assert isinstance(reply, IndexState)
        return SearchIndex.restore(image, reply)

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=10)


def _lower_priority(pid: int | None) -> None:
    """Background work: on a machine with few cores the app's own threads (the window, the list's
    flags) come first, from the child's first instruction (its interpreter's start-up and imports are
    a good part of its work). POSIX only; elsewhere the child runs at the app's priority."""
    if pid is None or not hasattr(os, "setpriority"):
        return
    with contextlib.suppress(OSError):
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        os.setpriority(os.PRIO_PROCESS, pid, min(ours + CHILD_NICENESS, 19))


# -- in the child ---------------------------------------------------------------------------------


def _end_with_parent() -> None:
    """If the app ends (even killed) while this child works, end too, at once."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _serve(conn: Connection) -> None:
    _end_with_parent()
    try:
        order = conn.recv()
        index = _build(order)
        image, state = index.image()
        index.close()
        conn.send(state)
        conn.send_bytes(image)
    except NotesdeskError as exc:  # our own messages say what happened and hold no client data
        conn.send(_Failed(str(exc)))
    except BaseException as exc:  # never its text: it could quote a record
        conn.send(_Failed(type(exc).__name__))
    finally:
        conn.close()


def _build(order: _Order) -> SearchIndex:
    from notesdesk.core.storage.sqlite import make_engine
    from notesdesk.core.storage.vault import Unlocked, Vault

    path = Path(order.path)
    unlocked = Unlocked(order.vault_id, order.owner_id, order.dek)
    vault = Vault(path, make_engine(path, read_only=True), unlocked, None, read_only=True)
    try:
        return build_index(vault.unit_of_work(), order.notes_per_page)
    finally:
        vault.close()
