"""Attachments: a PDF, PNG or JPEG on a client, sealed in the vault one chunk at a time.

A file is read twice, one chunk (domain/attachments.CHUNK_SIZE) at a time: first to learn its type
(from its first bytes, never its name), size and SHA-256 before anything is written, so a refused file
changes no stored byte; then, in one unit of work, each chunk is sealed into its own row and hashed
again, so a file that changed in between is refused and rolled back. Reads go the same way, chunk by
chunk, into whatever the caller writes to (a file, or memory for the in-app viewer), and check the
chunks against the stored SHA-256. Nothing is ever written to disk in clear.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date
from typing import BinaryIO, Protocol

from notesdesk.core.domain.attachments import (
    CHUNK_SIZE,
    FILE_NAME_MAX,
    MAX_ATTACHMENT_BYTES,
    TITLE_MAX,
    Attachment,
    AttachmentChunk,
    AttachmentKind,
    MediaType,
    media_type_of,
)
from notesdesk.core.domain.clients import CONTROL_CHARS
from notesdesk.core.domain.common import today
from notesdesk.core.errors import InvalidInput, NotesdeskError, VaultDamaged
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync.state import identity

TOO_LARGE = (
    f"This file is larger than {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB, the most an attachment can be; "
    "nothing was stored. Scan at a lower resolution or split it."
)
NOT_ACCEPTED = "Only PDF, PNG and JPEG files can be attached (this file is none of them); nothing was stored."
REASON_MAX = 500


class Sink(Protocol):
    """Where an attachment's bytes go: an open file, or a BytesIO for the in-memory viewer."""

    def write(self, data: bytes, /) -> int: ...


def _chunks(source: BinaryIO) -> Iterator[bytes]:
    while chunk := source.read(CHUNK_SIZE):
        yield chunk


def _one_line(text: str, what: str, longest: int) -> str:
    cleaned = " ".join(text.split())
    if len(cleaned) > longest:
        raise InvalidInput(f"The {what} is at most {longest} characters.")
    if CONTROL_CHARS.search(cleaned):
        raise InvalidInput(f"The {what} holds control characters; remove them.")
    return cleaned


def _file_name(name: str) -> str:
    # Only the name itself: the folder it came from says nothing the record needs.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return _one_line(base, "file name", FILE_NAME_MAX)


def _survey(source: BinaryIO) -> tuple[MediaType, int, str]:
    """The file's type, size and SHA-256, read one chunk at a time; refused at the first chunk past the
    limit, so a huge file is never read in full."""
    start = source.tell()
    digest = hashlib.sha256()
    size = 0
    media_type: MediaType | None = None
    for chunk in _chunks(source):
        if size == 0:
            media_type = media_type_of(chunk)
            if media_type is None:
                raise InvalidInput(NOT_ACCEPTED)
        size += len(chunk)
        if size > MAX_ATTACHMENT_BYTES:
            raise InvalidInput(TOO_LARGE)
        digest.update(chunk)
    if media_type is None:
        raise InvalidInput("This file is empty; nothing was stored.")
    source.seek(start)
    return media_type, size, digest.hexdigest()


def add_attachment(
    uow: UnitOfWork,
    client_id: str,
    source: BinaryIO,
    file_name: str,
    title: str = "",
    kind: AttachmentKind = AttachmentKind.OTHER,
    added_on: date | None = None,
) -> Attachment:
    """Seal the file `source` (open for reading, seekable) as an attachment of the client. A file that
    is not a PDF, PNG or JPEG, is empty, is over the limit or changes while it is read is refused with
    one line, and nothing is stored."""
    name = _file_name(file_name)
    if not name:
        raise InvalidInput("An attachment needs its file's name.")
    heading = _one_line(title, "title", TITLE_MAX) or name
    media_type, size, sha256 = _survey(source)
    parts = -(-size // CHUNK_SIZE)
    with uow:
        client = uow.clients.get(client_id)
        attachment = Attachment(
            client_id=client.id,
            title=heading,
            file_name=name,
            media_type=media_type,
            size=size,
            sha256=sha256,
            chunks=parts,
            kind=kind,
            added_on=added_on or today(),
        )
        uow.attachments.add(attachment)
        digest = hashlib.sha256()
        stored = 0
        for part, chunk in enumerate(_chunks(source)):
            stored += len(chunk)
            if part >= parts or stored > size:
                raise InvalidInput("The file changed while it was being attached; nothing was stored.")
            digest.update(chunk)
            uow.attachment_chunks.add(
                AttachmentChunk(attachment_id=attachment.id, client_id=client.id, part=part, data=chunk)
            )
        if stored != size or digest.hexdigest() != sha256:
            raise InvalidInput("The file changed while it was being attached; nothing was stored.")
        uow.commit()
    return attachment


def list_attachments(uow: UnitOfWork, client_id: str) -> list[Attachment]:
    """The client's attachments, oldest first (their bytes are not read)."""
    with uow:
        uow.clients.get(client_id)
        found = uow.attachments.where(client_id=client_id)
    return sorted(found, key=lambda a: (a.added_on, a.created_at))


def get_attachment(uow: UnitOfWork, attachment_id: str) -> Attachment:
    with uow:
        return uow.attachments.get(attachment_id)


def _damaged(attachment: Attachment, what: str) -> VaultDamaged:
    return VaultDamaged(f"Attachment {attachment.id} is damaged ({what}); restore it from a backup.")


class StillArriving(NotesdeskError):
    """An attachment received from the practice whose later parts have not arrived yet (a sync cut off
    between two batches): not damage, the next sync brings the rest."""


def _arriving(uow: UnitOfWork, attachment: Attachment, part: int) -> StillArriving | None:
    """Parts come from the practice in order, a few MB per batch (docs/design-notes.md §9): in a vault
    of a practice, an attachment holding exactly its first `part` parts is still arriving."""
    if identity(uow) is None or len(uow.attachment_chunks.ids(attachment_id=attachment.id)) != part:
        return None
    return StillArriving(
        f"This attachment has not fully arrived from the practice yet ({part} of {attachment.chunks} "
        "parts): sync with the practice to receive the rest."
    )


def _stream(uow: UnitOfWork, attachment: Attachment, sink: Sink | None) -> None:
    """Open the attachment's chunks in order, one at a time, into `sink` (None: only check them),
    checking their number, their sizes and the whole file's SHA-256."""
    digest = hashlib.sha256()
    size = 0
    for part in range(attachment.chunks):
        found = uow.attachment_chunks.where(attachment_id=attachment.id, part=part)
        if not found:
            raise _arriving(uow, attachment, part) or _damaged(
                attachment, f"part {part + 1} of {attachment.chunks} is missing"
            )
        if len(found) != 1:
            raise _damaged(attachment, f"part {part + 1} of {attachment.chunks} is missing")
        chunk = found[0]
        if (chunk.attachment_id, chunk.part, chunk.client_id) != (attachment.id, part, attachment.client_id):
            raise _damaged(attachment, f"part {part + 1} belongs elsewhere")
        digest.update(chunk.data)
        size += len(chunk.data)
        if sink is not None:
            sink.write(chunk.data)
    if size != attachment.size or digest.hexdigest() != attachment.sha256:
        raise _damaged(attachment, "its contents do not match their checksum")
    if len(uow.attachment_chunks.ids(attachment_id=attachment.id)) != attachment.chunks:
        raise _damaged(attachment, "it has parts that are not its own")


def read_attachment(uow: UnitOfWork, attachment_id: str, sink: Sink, purpose: str = "view") -> Attachment:
    """Write the attachment's bytes to `sink`, chunk by chunk, after checking each chunk's seal; a
    damaged attachment raises VaultDamaged (what was already written to `sink` is then not the file:
    callers write to memory or to a temporary name they discard). The read is audited as `purpose`
    ("view" in the app's viewer, "export" for a copy written out)."""
    with uow:
        attachment = uow.attachments.get(attachment_id)
        _stream(uow, attachment, sink)
        uow.record(purpose, "attachment", attachment.id)
        uow.commit()
    return attachment


def whole(attachment: Attachment, chunks: Iterable[AttachmentChunk]) -> bool:
    """`chunks` are exactly the attachment's parts, in any order, and make up its file (an import
    checks an export's attachments with this before writing anything)."""
    ordered = sorted(chunks, key=lambda c: c.part)
    if [c.part for c in ordered] != list(range(attachment.chunks)):
        return False
    if any(c.client_id != attachment.client_id for c in ordered):
        return False
    digest = hashlib.sha256()
    for chunk in ordered:
        digest.update(chunk.data)
    return sum(len(c.data) for c in ordered) == attachment.size and digest.hexdigest() == attachment.sha256


def check_all(uow: UnitOfWork) -> int:
    """For `verify`, inside its unit of work: every attachment's chunks open, are all there and hash
    to its SHA-256, and no chunk is left without its attachment; of one still arriving from the
    practice, the parts here open. Returns the number of chunks."""
    attachments = uow.attachments.all()
    expected = 0
    for attachment in attachments:
        try:
            _stream(uow, attachment, None)
            expected += attachment.chunks
        except StillArriving:
            expected += len(uow.attachment_chunks.ids(attachment_id=attachment.id))
    if len(uow.attachment_chunks.ids()) != expected:
        raise VaultDamaged("The vault holds attachment parts that belong to no attachment.")
    return expected


def delete_attachment(uow: UnitOfWork, attachment_id: str, reason: str) -> Attachment:
    """Remove an attachment and all its chunks (attached to the wrong client, a duplicate...). The
    reason is required and kept, sealed, in the audit log with the deletion."""
    why = _one_line(reason, "reason", REASON_MAX)
    if not why:
        raise InvalidInput("Say why the attachment is deleted (e.g. 'attached to the wrong client').")
    with uow:
        attachment = uow.attachments.get(attachment_id)
        for chunk_id in uow.attachment_chunks.ids(attachment_id=attachment.id):
            uow.attachment_chunks.remove(chunk_id)
        uow.attachments.remove(attachment.id)
        uow.record("delete-reason", "attachment", attachment.id, detail=why)
        uow.commit()
    return attachment


def log_copy(uow: UnitOfWork, attachment_id: str, action: str) -> None:
    """Audit a copy made from the viewer ("print", "export") of bytes it already holds."""
    with uow:
        uow.attachments.get(attachment_id)
        uow.record(action, "attachment", attachment_id)
        uow.commit()
