"""Child process for the restore crash test: restores a backup and stops, waiting to be killed, at
the point named on the command line ('staged': the restored vault made and this computer's anchor
told of it, the old vault still in place; 'replaced': the restored vault in place, the anchor not yet
rewritten for it alone)."""

from __future__ import annotations

import sys
from pathlib import Path

from notesdesk.core.backup import service


def _pause() -> None:
    print("PAUSED", flush=True)
    sys.stdin.readline()  # never answered: the parent kills this process here
    raise SystemExit(1)


def main() -> None:
    backup, vault, passphrase, stage = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    original = service.put_in_place

    def put_in_place_then_pause(temp: Path, target: Path) -> None:
        if stage == "staged":
            _pause()
        original(temp, target)
        _pause()

    service.put_in_place = put_in_place_then_pause
    service.restore(backup, vault, passphrase)


if __name__ == "__main__":
    main()
