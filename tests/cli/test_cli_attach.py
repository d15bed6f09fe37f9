"""CLI: attach add | list | get | delete."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from tests.cli.conftest import Runner

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 9000  # about 2.2 MB: three chunks
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300


def test_attach_add_list_get_and_delete(run: Runner, client_id: str, tmp_path: Path) -> None:
    scan = tmp_path / "Zoë consent.pdf"
    scan.write_bytes(PDF)
    added = run("attach", "add", "Zoë", str(scan), "--title", "Informed consent, signed", "--kind", "consent")
    assert added.code == 0 and added.err == "Attached Informed consent, signed (application/pdf, 2.2 MB).\n"
    attachment_id = added.out.strip()
    listed = run.ok("attach", "list", "Zoë")
    assert listed.startswith(f"{attachment_id[:8]}  ") and "consent  application/pdf" in listed
    assert "2.2 MB  Informed consent, signed" in listed
    [plain] = json.loads(run.ok("--json", "attach", "list", "Zoë"))
    assert (plain["file_name"], plain["media_type"], plain["size"]) == ("Zoë consent.pdf", "application/pdf",
                                                                         len(PDF))

    copy = tmp_path / "copy.pdf"
    assert run.ok("attach", "get", attachment_id[:8], "--out", str(copy)) == f"{copy}\n"
    assert copy.read_bytes() == PDF and (copy.stat().st_mode & 0o777) == 0o600
    again = run("attach", "get", attachment_id, "--out", str(copy))
    assert again.code == 1 and "add --force" in again.err
    got = json.loads(run.ok("--json", "attach", "get", attachment_id, "--out", str(copy), "--force"))
    assert got == {"ok": True, "id": attachment_id, "path": str(copy)}
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []

    no_reason = run("attach", "delete", attachment_id)
    assert no_reason.code == 2
    assert run.ok("attach", "delete", attachment_id, "--reason", "wrong client") == (
        "Deleted Informed consent, signed.\n")
    assert run.ok("attach", "list", "Zoë") == "No attachments.\n"


def test_attach_refuses_with_one_line_and_changes_nothing(
    run: Runner, client_id: str, tmp_path: Path, vault_path: Path
) -> None:
    assert run("attach", "add", "Zoë", str(_write(tmp_path / "photo.pdf", PNG))).code == 0  # a PNG: its bytes
    before = _rows(vault_path)
    program = run("attach", "add", "Zoë", str(_write(tmp_path / "consent.pdf", b"MZ\x90\x00program")))
    assert program.code == 1 and program.err == (
        "notesdesk: Only PDF, PNG and JPEG files can be attached (this file is none of them); "
        "nothing was stored.\n")
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(25 * 1024 * 1024 + 1)
    too_big = run("--json", "attach", "add", "Zoë", str(huge))
    assert too_big.code == 1 and json.loads(too_big.err)["error"].startswith("This file is larger than 25 MB")
    folder = run("attach", "add", "Zoë", str(tmp_path))
    assert folder.code == 2 and "is a folder" in folder.err
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pipe.pdf"
        os.mkfifo(pipe)
        piped = run("attach", "add", "Zoë", str(pipe))
        assert piped.code == 2 and "not a regular file" in piped.err
    missing = run("attach", "add", "Zoë", str(tmp_path / "nothing.pdf"))
    assert missing.code == 1 and "There is no file" in missing.err
    assert _rows(vault_path) == before
    [listed] = json.loads(run.ok("--json", "attach", "list", "Zoë"))
    assert listed["media_type"] == "image/png"


def test_attach_get_never_writes_over_the_vault(run: Runner, client_id: str, tmp_path: Path,
                                                vault_path: Path) -> None:
    attachment_id = run("attach", "add", "Zoë", str(_write(tmp_path / "a.png", PNG))).out.strip()
    before = vault_path.read_bytes()
    refused = run("attach", "get", attachment_id, "--out", str(vault_path), "--force")
    assert refused.code == 2 and "never writes over it" in refused.err
    assert vault_path.read_bytes() == before


def _rows(vault: Path) -> list[str]:
    """Every stored record (each unlock is audited, and moves the audit head: those are left out)."""
    conn = sqlite3.connect(vault)
    try:
        return [line for line in conn.iterdump() if not line.startswith(('INSERT INTO "audit"',
                                                                          'INSERT INTO "audit_head"'))]
    finally:
        conn.close()


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
