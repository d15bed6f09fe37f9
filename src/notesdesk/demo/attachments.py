"""Two small generated files attached to a demo client: a one-page PDF (a signed consent form) and a
PNG (a scanned referral slip). Made here byte by byte, so the demo needs no image or PDF library."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date

from notesdesk.core.domain.attachments import AttachmentKind
from notesdesk.core.services.attachments import add_attachment
from notesdesk.core.storage.uow import UnitOfWork


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def consent_pdf(client_name: str, signed_on: date) -> bytes:
    """A one-page PDF: a consent form 'signed' by the (invented) client, in Helvetica (Latin-1)."""
    lines = ["Consent to treatment (synthetic demo document)", "",
             f"Client: {client_name}", f"Signed on paper: {signed_on.isoformat()}", "",
             "I have read the practice's information on confidentiality and its limits,",
             "fees and cancellations, and agree to start treatment."]
    body = "BT /F1 12 Tf 72 760 Td 16 TL " + " ".join(f"({_pdf_text(line)}) '" for line in lines) + " ET"
    stream = body.encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def referral_png(width: int = 240, height: int = 160) -> bytes:
    """A small RGB PNG: a pale slip with a header band and ruled lines, like a scanned form."""
    rows = []
    for y in range(height):
        if y < 24:
            pixel = b"\x3a\x6e\xa5"  # the header band
        elif y % 20 == 0:
            pixel = b"\xa0\xa0\xa0"  # a ruled line
        else:
            pixel = b"\xf6\xf3\xea"  # paper
        rows.append(b"\x00" + pixel * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + _png_chunk(b"IEND", b""))


def attach_demo_files(uow: UnitOfWork, client_id: str, client_name: str, signed_on: date) -> int:
    """Attach the consent PDF and the referral PNG to the client, through the service (as a user
    would); returns how many were attached."""
    add_attachment(uow, client_id, io.BytesIO(consent_pdf(client_name, signed_on)), "consent-signed.pdf",
                   "Informed consent, signed", AttachmentKind.CONSENT, signed_on)
    add_attachment(uow, client_id, io.BytesIO(referral_png()), "referral-scan.png", "Referral slip (scan)",
                   AttachmentKind.FORM, signed_on)
    return 2
