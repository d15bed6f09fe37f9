"""Child process for the rekey crash test: renews the data key and stops, waiting to be killed, at
the point named on the command line ('resealed': every row and audit entry re-sealed, triggers
dropped, nothing committed; 'slots': the new key slots written too, just before the commit)."""

from __future__ import annotations

import sys
from pathlib import Path

from notesdesk.core.storage import rekey
from notesdesk.core.storage.vault import Vault


def _pause() -> None:
    print("PAUSED", flush=True)
    sys.stdin.readline()  # never answered: the parent kills this process here
    raise SystemExit(1)


def main() -> None:
    path, passphrase, stage = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    vault = Vault.open(path, passphrase=passphrase)
    if stage == "resealed":
        original = rekey._rechain

        def rechain_then_pause(*args: object) -> tuple[int, bytes]:
            result = original(*args)  # type: ignore[arg-type]
            _pause()
            return result

        rekey._rechain = rechain_then_pause  # type: ignore[assignment]
    else:
        original_write = vault.write_slots

        def write_then_pause(*args: object, **kwargs: object) -> None:
            original_write(*args, **kwargs)  # type: ignore[arg-type]
            _pause()

        vault.write_slots = write_then_pause  # type: ignore[method-assign]
    rekey.rekey(vault, passphrase)


if __name__ == "__main__":
    main()
