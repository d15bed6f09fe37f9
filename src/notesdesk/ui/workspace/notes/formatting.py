"""Pure helpers of the note editor: format keys, a format's sections, the signature status line."""

from __future__ import annotations

from collections.abc import Sequence

from notesdesk.core.domain.notes import FORMAT_SECTIONS, NoteFormat, NoteTemplate, Section, SessionNote

BUILT_IN = [f for f in NoteFormat if f != NoteFormat.CUSTOM]


def signature_status(note: SessionNote, verified: bool) -> str:
    sig = note.signature
    if sig is None:
        return "Draft"
    if not verified:
        return "Signature does NOT verify ✗ — this note was changed after signing"
    when = sig.signed_at.astimezone().strftime("%Y-%m-%d %H:%M")
    creds = f" ({sig.credentials})" if sig.credentials else ""
    return f"Signed ✓ {when} by {sig.signer}{creds}"


def note_label(note: SessionNote) -> str:
    """'2024-03-04 SOAP (signed)': how a note is named in pick lists."""
    state = "signed" if note.is_signed else "draft"
    return f"{note.session_date.isoformat()} {note.template_name or note.format.label} ({state})"


def has_content(note: SessionNote) -> bool:
    """Worth keeping: typed text, or homework recorded as assigned in it."""
    typed = any(s.text.strip() for s in note.sections) or bool(note.risk_noted or note.interventions)
    typed = typed or note.risk is not None
    return typed or bool(note.homework_assigned)


def key_of(note: SessionNote) -> str:
    """The format combo's key: 'format:SOAP' or 'template:<name>'."""
    if note.format == NoteFormat.CUSTOM:
        return f"template:{note.template_name}"
    return f"format:{note.format.value}"


def parse_key(key: str) -> tuple[NoteFormat, str]:
    kind, _, value = key.partition(":")
    if kind == "template":
        return NoteFormat.CUSTOM, value
    return NoteFormat(value), ""


def layout_for(key: str, templates: Sequence[NoteTemplate], current: Sequence[tuple[str, str]]
               ) -> tuple[Section, ...]:
    """Empty sections of a format or template (a removed template keeps the `current` sections)."""
    fmt, name = parse_key(key)
    if fmt == NoteFormat.CUSTOM:
        template = next((t for t in templates if t.name == name), None)
        pairs = template.sections if template else tuple(current)
    else:
        pairs = FORMAT_SECTIONS[fmt]
    return tuple(Section(k, t) for k, t in pairs)
