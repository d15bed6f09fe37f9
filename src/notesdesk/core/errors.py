"""Errors the user may see. Each carries a one-line message and the CLI exit code it maps to.

Messages never contain client data: they are shown in dialogs, printed on stderr and may be logged.
"""

from __future__ import annotations

from pathlib import Path


class NotesdeskError(Exception):
    """Base class: a failure we expected and can explain in one line."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(NotesdeskError):
    exit_code = 2


class InvalidInput(NotesdeskError):
    """The user gave a value we cannot accept (bad date, unknown section, empty name...)."""


class SignerUnknown(InvalidInput):
    """A signature was asked for before the practitioner's name and credentials were set; the app
    answers with its "Fill in your details" form, the CLI with the `profile` command to run."""

    def __init__(self) -> None:
        super().__init__(
            "Not signed: a signature names its signer, and your name and credentials are not set yet."
        )


class NotFound(NotesdeskError):
    pass


class Conflict(NotesdeskError):
    """The action contradicts the record's state (editing a signed note, deleting too early...)."""


SUPERVISED_ONLY = "You supervise this client: their clinician makes changes; you can read and co-sign."


class SupervisedOnly(Conflict):
    """A write filed under a client this vault only supervises (storage/uow.py): refused, since
    nothing of it but a co-signature would ever reach the client's clinician."""

    def __init__(self) -> None:
        super().__init__(SUPERVISED_ONLY)


class WrongPassphrase(NotesdeskError):
    exit_code = 3


class VaultDamaged(NotesdeskError):
    """The vault or backup fails an integrity, authenticity or audit check. `backup`, when known, is
    the newest authentic backup of this vault: the one to restore (the app offers it)."""

    exit_code = 4

    def __init__(self, message: str, backup: Path | None = None) -> None:
        super().__init__(message)
        self.backup = backup


class VaultInUse(NotesdeskError):
    exit_code = 5


class StorageFull(NotesdeskError):
    pass


class ReadOnlyVault(NotesdeskError):
    pass
