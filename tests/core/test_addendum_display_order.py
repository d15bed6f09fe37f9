"""Addenda that form a tree (written on two computers before either had the other's,
docs/design-notes.md §9, Supervision) are shown in the order they were written, each after what it
follows: a co-signature written before the clinician's second addendum is shown before it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo

import pytest

from notesdesk.core.domain import common
from notesdesk.core.domain.notes import Addendum, AddendumKind
from notesdesk.core.services import clients, notes
from notesdesk.core.storage.vault import Vault
from tests.core import records


class _Clock(datetime):
    """The domain's clock (common.now), moved on by hand: each addendum a minute after the last."""

    at = datetime(2026, 1, 1, tzinfo=UTC)

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]  # a plain one
        return cls.at


def test_addenda_written_apart_are_shown_in_the_order_they_were_written(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    note = notes.create_note(vault.unit_of_work(), records.note(client.id, "x"))
    notes.sign_note(vault.unit_of_work(), note.id)
    signed_at = datetime.now(UTC)
    monkeypatch.setattr(common, "datetime", _Clock)

    def written(minute: int, kind: AddendumKind, text: str,
                held: Callable[[Addendum], bool] = lambda _a: True) -> Addendum:
        _Clock.at = signed_at + timedelta(minutes=minute)
        return notes.add_addendum(vault.unit_of_work(), note.id, kind, text, held=held)

    first = written(1, AddendumKind.CORRECTION, "the clinician's first")
    # The supervisor's co-signature, written before the clinician's first reached them: it follows
    # the note (as cosign.py's `held` makes one follow only what the clinician holds).
    written(2, AddendumKind.CO_SIGNATURE, "co-signed", held=lambda _a: False)
    # The clinician's second, written before the co-signature reached them: it follows their first.
    written(3, AddendumKind.LATE_ENTRY, "the clinician's second", held=lambda a: a.id == first.id)

    view = notes.show_note(vault.unit_of_work(), note.id)
    assert view.signature_valid
    assert [a.text for a in view.addenda] == ["the clinician's first", "co-signed", "the clinician's second"]
