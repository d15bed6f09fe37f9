"""The keyboard shortcuts list (F1): the main window's actions and the client workspace's own keys,
in two columns with a clear gap between the keys and what they do."""

from __future__ import annotations

import html

from PySide6.QtGui import QKeySequence

from notesdesk.ui.workspace.workspace import SHORTCUTS

# What the client workspace's shortcuts (SHORTCUTS) do.
WORKSPACE_SHORTCUT_LABELS = {
    "new_note": "New session note",
    "save": "Save what you are editing",
    "sign": "Sign the open note",
}

Sections = list[tuple[str, list[tuple[str, str]]]]


def workspace_shortcuts() -> dict[str, str]:
    """The client workspace's shortcuts (name -> keys)."""
    return dict(SHORTCUTS)


def native(keys: str | QKeySequence) -> str:
    """Keys as this platform writes them (Ctrl+S; ⌘S on macOS)."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def shortcuts_html(sections: Sections) -> str:
    """A table: a heading per section, then one row per shortcut, keys left, what they do right."""
    rows: list[str] = []
    for title, entries in sections:
        top = "12px" if rows else "0"
        rows.append(f'<tr><td colspan="2" style="padding-top:{top}; padding-bottom:4px">'
                    f"<b>{html.escape(title)}</b></td></tr>")
        rows += [f'<tr><td style="padding-right:28px; white-space:nowrap">{html.escape(keys)}</td>'
                 f"<td>{html.escape(label)}</td></tr>" for keys, label in entries]
    return f'<table cellspacing="0" cellpadding="3">{"".join(rows)}</table>'
