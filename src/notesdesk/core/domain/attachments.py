"""Files attached to a client (a signed consent, a letter received, a scanned form): a PDF, PNG or JPEG
kept in the vault in sealed chunks (services/attachments.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from notesdesk.core.domain.common import new_id, now, today

CHUNK_SIZE = 1024 * 1024
"""Bytes of a file sealed together: each chunk is its own row, so adding or reading a file holds one
chunk at a time, never the whole file."""
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
"""The largest file accepted (a multi-page scan at 300 dpi stays well under it; a 20 MB one passes)."""
TITLE_MAX = 200
FILE_NAME_MAX = 255


class AttachmentKind(StrEnum):
    CONSENT = "consent"  # a signed consent or agreement
    LETTER = "letter"  # a letter received
    FORM = "form"  # a scanned form
    OTHER = "other"


class MediaType(StrEnum):
    PDF = "application/pdf"
    PNG = "image/png"
    JPEG = "image/jpeg"


# What a file of each type starts with: the type is taken from the bytes, never from the name.
MAGIC: tuple[tuple[bytes, MediaType], ...] = (
    (b"%PDF-", MediaType.PDF),
    (b"\x89PNG\r\n\x1a\n", MediaType.PNG),
    (b"\xff\xd8\xff", MediaType.JPEG),
)
MAGIC_LEN = max(len(prefix) for prefix, _type in MAGIC)


def media_type_of(head: bytes) -> MediaType | None:
    """The type a file starting with `head` is (PDF, PNG or JPEG), or None for anything else."""
    for prefix, media_type in MAGIC:
        if head.startswith(prefix):
            return media_type
    return None


@dataclass(frozen=True)
class Attachment:
    """What is known of an attached file; its bytes are in `chunks` AttachmentChunk rows. The original
    file name is client data too ("Smith consent.pdf"), so it is sealed here like the title."""

    client_id: str
    title: str
    file_name: str
    media_type: MediaType
    size: int
    sha256: str  # of the whole file, in hex: `verify` and every read check the chunks against it
    chunks: int
    id: str = field(default_factory=new_id)
    kind: AttachmentKind = AttachmentKind.OTHER
    added_on: date = field(default_factory=today)
    created_at: datetime = field(default_factory=now)

    @property
    def is_image(self) -> bool:
        return self.media_type is not MediaType.PDF


@dataclass(frozen=True)
class AttachmentChunk:
    """Part `part` (from 0) of an attachment's bytes. The attachment's id, the client's id and the
    part number are clear columns bound into the chunk's seal, so a chunk moved to another place in
    the file, or into another attachment, fails its seal when read."""

    attachment_id: str
    client_id: str
    part: int
    data: bytes
    id: str = field(default_factory=new_id)
