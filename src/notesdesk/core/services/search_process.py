"""Building the search index in a child process, so that the app's UI thread never waits for the
interpreter lock while a large practice is decrypted and decoded (docs/design-notes.md §10).

The child is a fresh interpreter (multiprocessing's 'spawn': nothing of this process's memory is
copied into it) that imports only core/search/child.py and what it needs. The fields key (derived
from the data key; not the data key) reaches it through a pipe to this process, never a file, an
argument or the environment. It opens the vault read-only (mode=ro, no lock taken: the app holds it),
builds the index in its own memory (temp_store=MEMORY, as in-process) and hands it back through the
same pipe as a SQLite image, then ends. It ends as well when this process does (it watches its parent), and
`stop` ends it at once (a lock, a close): none is left behind, and it writes nothing anywhere.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from pathlib import Path
from typing import TYPE_CHECKING

from notesdesk.core.crypto import keys
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.search.child import Failed, Order, serve
from notesdesk.core.search.index import IndexState, SearchIndex
from notesdesk.core.services.search import NOTES_PER_PAGE

if TYPE_CHECKING:
    from notesdesk.core.storage.vault import Vault

# A vault file at least this large is indexed in a child process. Below it the whole build takes a
# few hundred milliseconds at most in process, less than starting a child interpreter costs.
CHILD_FROM_BYTES = 16 * 1024 * 1024

# How much lower the child's scheduling priority is than the app's (POSIX `nice`).
CHILD_NICENESS = 5

BUILD_FAILED = "The search index could not be built ({reason}). Search is unavailable until the next unlock."


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
        # The child's module (core/search/child.py) imports only what the build needs.
        self._process = context.Process(target=serve, args=(theirs,), name="notesdesk-index", daemon=True)
        self._process.start()
        _lower_priority(self._process.pid)
        theirs.close()  # the child's end lives in the child only: its exit is our end-of-file
        # Only the key of the fields the index reads: not the data key (which opens the psychotherapy
        # notes and makes every other key), so the child can read records but neither sign nor seal.
        fields_key = keys.subkey(vault.data_key(), vault.vault_id, keys.SUBKEY_FIELDS)
        ours.send(Order(str(Path(vault.path).resolve()), vault.vault_id, fields_key, notes_per_page))

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
            if isinstance(reply, Failed):
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
