"""Child process for the crash test: writes notes, printing ACK only after each commit returns."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.services.notes import build_sections
from notesdesk.core.storage.vault import Vault


def main() -> None:
    path, passphrase, client_id, batch = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    vault = Vault.open(path, passphrase=passphrase)
    n = 0
    while True:
        ids = []
        with vault.unit_of_work() as uow:
            for _ in range(batch):
                n += 1
                sections = build_sections(NoteFormat.FREE, {"text": f"note {n} " + "x" * 1500})
                note = SessionNote(
                    client_id=client_id,
                    session_date=date(2026, 1, 1),
                    format=NoteFormat.FREE,
                    sections=sections,
                )
                uow.notes.add(note)
                ids.append(note.id)
            uow.commit()
        for note_id in ids:
            print("ACK", note_id, flush=True)


if __name__ == "__main__":
    main()
