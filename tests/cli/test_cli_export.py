"""export --all / import (encrypted, lossless), one client's record as JSON or FHIR, and a canary scan
of every file these commands write."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest

from .conftest import PASSPHRASE, Runner

EXPORT_PASSPHRASE = "moving house with my notes"
NEW_PASSPHRASE = "the new computer's passphrase"
CANARY = "CANARYx7Qw2"


def _practice(run: Runner, note_text: str = "Slept well") -> str:
    """A client with a signed note, a psychotherapy note and a second client; returns the note id."""
    run.ok("client", "add", "Amaru Quispe")
    note = run.ok(
        "note",
        "add",
        "Zoë",
        "--format",
        "SOAP",
        "--date",
        "2024-03-05",
        "--section",
        f"subjective={note_text}",
    ).strip()
    run.ok("note", "sign", note)
    run.ok("note", "add", "Zoë", "--private", "--section", "text=PROCESS-ONLY hunch about the mother")
    return note


def _export_all(run: Runner, out: Path, *extra: str) -> str:
    return run.ok("export", "--all", "--out", str(out), *extra, stdin=f"{PASSPHRASE}\n{EXPORT_PASSPHRASE}\n")


def test_export_all_then_import_into_a_new_vault_round_trips(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    note = _practice(run)
    out = tmp_path / "practice.ndx"
    printed = _export_all(run, out)
    assert printed.splitlines()[0] == str(out)
    assert "clients: 2" in printed and "notesdesk import" in printed
    assert out.stat().st_mode & 0o777 == 0o600
    assert b"Zo\xc3\xab" not in out.read_bytes() and b"PROCESS-ONLY" not in out.read_bytes()

    new = Runner(tmp_path / "elsewhere" / "practice.notesdesk")
    imported = new.ok("import", str(out), stdin=f"{EXPORT_PASSPHRASE}\n{NEW_PASSPHRASE}\n")
    assert re.search(r"Recovery key:\s+\S+", imported) and "lose both your passphrase" in imported
    assert "Imported clients: 2" in imported and "private notes: 1" in imported
    unlock = {"stdin": NEW_PASSPHRASE + "\n"}
    assert new.ok("--json", "client", "list", **unlock) == run.ok("--json", "client", "list")
    shown = new.ok("note", "show", note[:8], **unlock)
    assert "Signed ✓" in shown and "by Dr Ada Lee, PhD" in shown
    assert "PROCESS-ONLY" in new.ok("note", "list", "Zoë", "--private", **unlock)
    assert new.ok("verify", **unlock).startswith("Vault OK")


def test_import_as_json_into_an_existing_empty_vault(run: Runner, client_id: str, tmp_path: Path) -> None:
    _practice(run)
    out = tmp_path / "practice.ndx"
    _export_all(run, out)
    empty = Runner(tmp_path / "empty.notesdesk")
    empty.ok("init")
    result = json.loads(empty.ok("--json", "import", str(out), stdin=f"{EXPORT_PASSPHRASE}\n{PASSPHRASE}\n"))
    assert result["counts"]["clients"] == 2 and result["path"] == str(empty.vault)
    assert "Amaru Quispe" in empty.ok("client", "list")
    again = empty("import", str(out), stdin=f"{EXPORT_PASSPHRASE}\n{PASSPHRASE}\n")
    assert again.code == 1 and "already has clients" in again.err


@pytest.mark.parametrize("kind", ["garbage", "truncated", "bit-flip", "empty", "a-backup"])
def test_import_of_a_bad_file_exit_4_and_no_vault_created(
    run: Runner, client_id: str, tmp_path: Path, kind: str
) -> None:
    _practice(run)
    out = tmp_path / "practice.ndx"
    _export_all(run, out)
    data = bytearray(out.read_bytes())
    if kind == "garbage":
        data = bytearray(b"NDBK" + bytes(range(256)) * 8)
    elif kind == "truncated":
        data = data[: len(data) - 40]
    elif kind == "bit-flip":
        data[len(data) - 60] ^= 0x01
    elif kind == "empty":
        data = bytearray()
    else:  # a backup is not a practice export, even with the right passphrase
        data = bytearray(Path(json.loads(run.ok("--json", "backup"))["path"]).read_bytes())
    bad = tmp_path / "bad.ndx"
    bad.write_bytes(bytes(data))
    target = tmp_path / "new" / "practice.notesdesk"
    secret = PASSPHRASE if kind == "a-backup" else EXPORT_PASSPHRASE
    result = Runner(target)("import", str(bad), stdin=f"{secret}\n{NEW_PASSPHRASE}\n")
    assert result.code == 4, result.err
    assert result.err.startswith("notesdesk: ") and result.err.count("\n") == 1
    assert "Traceback" not in result.err and result.out == ""
    assert not target.exists()


def test_import_with_the_wrong_export_passphrase_exit_3(run: Runner, client_id: str, tmp_path: Path) -> None:
    out = tmp_path / "practice.ndx"
    _export_all(run, out)
    target = tmp_path / "new.notesdesk"
    result = Runner(target)("import", str(out), stdin=f"not the export passphrase\n{NEW_PASSPHRASE}\n")
    assert result.code == 3 and result.err.count("\n") == 1
    assert not target.exists()
    weak = Runner(target)("import", str(out), stdin=f"{EXPORT_PASSPHRASE}\nshort\n")
    assert weak.code == 1 and not target.exists()


def test_export_never_overwrites_without_force(run: Runner, client_id: str, tmp_path: Path) -> None:
    out = tmp_path / "practice.ndx"
    out.write_bytes(b"precious")
    refused = run("export", "--all", "--out", str(out), stdin=f"{PASSPHRASE}\n{EXPORT_PASSPHRASE}\n")
    assert refused.code == 1 and "--force" in refused.err
    assert out.read_bytes() == b"precious"
    json_out = tmp_path / "zoe.json"
    json_out.write_bytes(b"precious")
    refused = run("export", "Zoë", "--format", "json", "--out", str(json_out))
    assert refused.code == 1 and json_out.read_bytes() == b"precious"
    _export_all(run, out, "--force")
    assert out.read_bytes().startswith(b"NDBK")
    run.ok("export", "Zoë", "--format", "json", "--out", str(json_out), "--force")
    assert json.loads(json_out.read_bytes())["client"]["name"] == "Zoë Ó Briain"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_all_refuses_a_weak_export_passphrase(run: Runner, client_id: str, tmp_path: Path) -> None:
    out = tmp_path / "practice.ndx"
    result = run("export", "--all", "--out", str(out), stdin=f"{PASSPHRASE}\nshort\n")
    assert result.code == 1 and result.err.startswith("notesdesk: Export passphrase:")
    missing = run("export", "--all", "--out", str(out))
    assert missing.code == 2 and "line 2" in missing.err
    assert not out.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--out", "x.json"],
        ["export", "Zoë", "--out", "x.json"],
        ["export", "Zoë", "--all", "--out", "x.json"],
        ["export", "--all", "--format", "json", "--out", "x.json"],
        ["export", "Zoë", "--format", "xml", "--out", "x.json"],
        ["export", "Zoë", "--format", "json"],
    ],
)
def test_export_usage_errors_exit_2(run: Runner, client_id: str, argv: list[str]) -> None:
    result = run(*argv)
    assert result.code == 2 and result.err.count("\n") == 1


def test_json_export_leaves_out_psychotherapy_notes_unless_included(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    _practice(run)
    out = tmp_path / "zoe.json"
    printed = run.ok("export", "Zoë", "--format", "JSON", "--out", str(out))
    lines = printed.splitlines()
    assert lines[0] == str(out) and "without psychotherapy notes" in printed
    assert "NOT encrypted" in printed
    record = json.loads(out.read_bytes())
    assert record["schema"] == "notesdesk.client-record/1" and record["client"]["name"] == "Zoë Ó Briain"
    assert record["notes"][0]["signature"] and "private_notes" not in record
    assert "PROCESS-ONLY" not in out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o777 == 0o600
    full = tmp_path / "zoe-full.json"
    as_json = json.loads(
        run.ok("--json", "export", "Zoë", "--format", "json", "--include-private", "--out", str(full))
    )
    assert as_json == {"path": str(full), "encrypted": False, "format": "json", "psychotherapy_notes": True}
    assert json.loads(full.read_bytes())["private_notes"][0]["text"].startswith("PROCESS-ONLY")
    assert "export" in run.ok("audit", "--last", "3")
    help_text = run("export", "--help").out
    assert "NOT encrypted" in help_text and "--include-private" in help_text


def test_fhir_export_is_a_bundle_without_psychotherapy_notes_unless_included(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    _practice(run)
    out = tmp_path / "zoe.fhir.json"
    printed = run.ok("export", "Zoë", "--format", "fhir", "--out", str(out))
    assert printed.splitlines()[0] == str(out) and "NOT encrypted" in printed
    bundle = json.loads(out.read_bytes())
    assert bundle["resourceType"] == "Bundle"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Patient") == 1 and kinds.count("DocumentReference") == 1
    assert "PSYTHPN" not in out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o777 == 0o600
    full = tmp_path / "zoe-full.fhir.json"
    run.ok("export", "Zoë", "--format", "fhir", "--include-private", "--out", str(full))
    kinds = [e["resource"]["resourceType"] for e in json.loads(full.read_bytes())["entry"]]
    assert kinds.count("DocumentReference") == 2 and "PSYTHPN" in full.read_text(encoding="utf-8")


def _scan(folder: Path) -> list[Path]:
    needles = [CANARY.encode(), CANARY.encode("utf-16-le"), CANARY.lower().encode()]
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and any(needle in path.read_bytes() for needle in needles)
    )


def test_canary_appears_only_in_the_plaintext_export(
    run: Runner, client_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    _practice(run, note_text=f"{CANARY} disclosed at session three")
    run.ok("note", "add", "Zoë", "--format", "FREE", "--section", f"text={CANARY} draft")
    assert CANARY in run.ok("note", "show", json.loads(run.ok("--json", "note", "list", "Zoë"))[0]["id"])
    exports = tmp_path / "exports"
    exports.mkdir()
    backup = Path(run.ok("backup").splitlines()[0].strip())
    run.ok("verify", str(backup))
    _export_all(run, exports / "practice.ndx")
    plain = exports / "zoe.json"
    run.ok("export", "Zoë", "--format", "json", "--out", str(plain))
    new = Runner(tmp_path / "imported" / "practice.notesdesk")
    new.ok("import", str(exports / "practice.ndx"), stdin=f"{EXPORT_PASSPHRASE}\n{NEW_PASSPHRASE}\n")
    run.ok("restore", str(backup))
    assert CANARY in plain.read_text(encoding="utf-8")
    assert _scan(tmp_path) == [plain]
