"""What NotesDesk says after a run ended without closing (ui/lifecycle/crash_watch.py): on the start window
before the unlock (no client data is known then), and in the main window's banner after it, with
what that run left saved (core/services/recovery.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from notesdesk.ui.lifecycle.crash_watch import LastRun

if TYPE_CHECKING:  # a type only: the start window shows this module's text before the vault stack loads
    from notesdesk.core.services.recovery import Recovered

HEADLINE = "NotesDesk closed unexpectedly last time"


def log_line(last: LastRun) -> str:
    return f"The technical log (no client data) is {last.crash_log}."


def before_unlock(last: LastRun) -> str:
    how = ("an internal error stopped it" if last.fatal_error
           else "it was ended without closing (the computer may have lost power or restarted)")
    return (f"{HEADLINE}: {how}. Notes and unsent text are saved every few seconds as you type; after "
            f"you unlock, NotesDesk lists what it kept. {log_line(last)}")


def after_unlock(recovered: Recovered | None, last: LastRun, names: Sequence[str]) -> str:
    """`names`: how the clients in `recovered.client_ids` are shown (initials in privacy mode)."""
    if recovered is None:
        return f"{HEADLINE}. {log_line(last)}"
    if not recovered.anything:
        return (f"{HEADLINE}. This vault holds no draft or unsent text saved during that session. "
                f"{log_line(last)}")
    parts = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in (
        (recovered.note_drafts, "note draft"), (recovered.private_notes, "psychotherapy note"),
        (recovered.unsent_texts, "unsent addendum or review")) if n]
    whose = f" ({', '.join(names)})" if names else ""
    when = f", last saved {recovered.latest.astimezone():%Y-%m-%d %H:%M}" if recovered.latest else ""
    return f"{HEADLINE}. Kept from that session: {', '.join(parts)}{whose}{when}. {log_line(last)}"
