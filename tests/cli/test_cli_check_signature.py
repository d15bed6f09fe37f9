"""Signatures anyone can check: the client JSON export carries the public key and each signed item's
hash inputs; `notesdesk check-signature` and the standalone docs/check_signatures.py agree."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from notesdesk.core.crypto.encoding import lp
from notesdesk.core.crypto.signing import fingerprint
from tests.cli.conftest import Runner

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "check_signatures.py"


def _signed_export(run: Runner, client_id: str, tmp_path: Path) -> Path:
    note = run.ok(
        "note", "add", "Zoë", "--format", "soap", "--date", "2024-03-05",
        "--section", "subjective=Sleeping better — café", "--section", "plan=Continue exposure",
    ).strip()
    run.ok("note", "sign", note)
    run.ok("note", "addend", note, "--kind", "late-entry", "--text", "Client phoned after the session")
    run.ok("note", "add", "Zoë", "--format", "free", "--date", "2024-03-06", "--section", "text=draft")
    out = tmp_path / "zoe.json"
    run.ok("export", "Zoë", "--format", "json", "--out", str(out))
    return out


# The script runs in isolated mode (-I: no current folder, no user site) from a folder outside the
# repository, with every path into the repository removed and any import of notesdesk made to fail
# (the editable install's import hook would otherwise still find it).
ISOLATED = """
import runpy, sys
keep = (sys.prefix, sys.base_prefix)
sys.path[:] = [p for p in sys.path if p.startswith(keep) and not p.startswith(sys.argv[1] + "/src")]
sys.modules["notesdesk"] = None
script, sys.argv[:] = sys.argv[2], sys.argv[2:]
runpy.run_path(script, run_name="__main__")
"""


def _script(export: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    repo = str(SCRIPT.parents[1])
    return subprocess.run(
        [sys.executable, "-I", "-c", ISOLATED, repo, str(SCRIPT), str(export)],
        cwd=cwd, capture_output=True, text=True, timeout=60,
    )


def test_the_script_cannot_import_notesdesk(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import notesdesk\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-I", "-c", ISOLATED, str(SCRIPT.parents[1]), str(probe)],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0 and "ModuleNotFoundError" in result.stderr


def test_the_export_carries_the_public_key_and_hash_inputs(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    record = json.loads(_signed_export(run, client_id, tmp_path).read_bytes())
    key = record["signing_key"]
    assert key["algorithm"] == "Ed25519" and len(bytes.fromhex(key["public_key"])) == 32
    signed = [n for n in record["notes"] if n["signature"]]
    assert len(signed) == 1 and signed[0]["signed_content"][:2] == ["nd-sign", "note"]
    assert record["addenda"][0]["signed_content"][:2] == ["nd-sign", "addendum"]
    draft = [n for n in record["notes"] if not n["signature"]]
    assert draft[0]["signed_content"] is None
    # As SECURITY.md describes them: the time as isoformat() with its offset, the body compact UTF-8 JSON.
    inputs = signed[0]["signed_content"]
    assert inputs[2:4] == [signed[0]["id"], signed[0]["client_id"]] and inputs[4].endswith("+00:00")
    assert inputs[5:7] == [signed[0]["signature"]["signer"], signed[0]["signature"]["credentials"]]
    body = json.loads(inputs[7])
    assert inputs[7] == json.dumps(body, separators=(",", ":"), ensure_ascii=False) and "café" in inputs[7]
    assert body == {k: v for k, v in signed[0].items() if k != "signed_content"} | {"signature": None}


def test_a_clean_export_passes_both_checkers(run: Runner, client_id: str, tmp_path: Path) -> None:
    export = _signed_export(run, client_id, tmp_path)
    record = json.loads(export.read_bytes())
    # No vault or passphrase needed: a path where no vault exists stays empty.
    result = Runner(tmp_path / "no-vault.notesdesk")("check-signature", str(export), unlock=None)
    assert result.code == 0, result.err
    assert not (tmp_path / "no-vault.notesdesk").exists()
    assert "2 signed items" in result.out
    assert _note(record)["signature"]["key_fingerprint"] in result.out
    away = tmp_path / "elsewhere"
    away.mkdir()
    checked = _script(export, away)
    assert checked.returncode == 0, checked.stderr
    assert "2 signed items" in checked.stdout


def _note(record: dict[str, Any]) -> dict[str, Any]:
    return next(n for n in record["notes"] if n["signature"])


EDITS: dict[str, Callable[[dict[str, Any]], str]] = {
    "section text": lambda r: _note(r)["sections"][0].__setitem__("text", "Sleeping worse") or "note",
    "session date": lambda r: _note(r).__setitem__("session_date", "2024-03-04") or "note",
    "signed at": lambda r: _note(r)["signature"].__setitem__("signed_at", "2020-01-01T00:00:00Z") or "note",
    "signer": lambda r: _note(r)["signature"].__setitem__("signer", "Dr Someone Else") or "note",
    "addendum text": lambda r: r["addenda"][0].__setitem__("text", "Client did not phone") or "addendum",
    "addendum date": lambda r: r["addenda"][0].__setitem__("created_at", "2020-01-01T00:00:00Z")
    or "addendum",
    "signed body too": lambda r: _note(r)["signed_content"].__setitem__(
        7, _note(r)["signed_content"][7].replace("Sleeping better", "Sleeping worse")
    ) or _note(r)["sections"][0].__setitem__("text", "Sleeping worse") or "note",
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_editing_any_signed_text_makes_both_fail(
    run: Runner, client_id: str, tmp_path: Path, edit: str
) -> None:
    export = _signed_export(run, client_id, tmp_path)
    record = json.loads(export.read_bytes())
    kind = EDITS[edit](record)
    item = _note(record) if kind == "note" else record["addenda"][0]
    export.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")

    result = run("check-signature", str(export), unlock=None)
    assert result.code == 4
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert f"{kind} {item['id']}" in result.err

    checked = _script(export, tmp_path)
    assert checked.returncode == 4 and "Traceback" not in checked.stderr
    assert f"{kind} {item['id']}" in checked.stderr


def test_a_file_re_signed_with_another_key_passes_but_shows_another_fingerprint(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    """SECURITY.md's "Not protected": the checkers trust the keys in the file; the fingerprint tells."""
    export = _signed_export(run, client_id, tmp_path)
    record = json.loads(export.read_bytes())
    genuine = record["signing_key"]["fingerprint"]
    other = Ed25519PrivateKey.generate()
    public = other.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    record["signing_key"] = {"algorithm": "Ed25519", "public_key": public.hex(), "fingerprint": "forged"}
    record["practice_keys"] = {}  # else each item's key_fingerprint still finds the genuine key
    note = _note(record)
    note["sections"][0]["text"] = "Sleeping worse"
    for item in [note, *record["addenda"]]:
        shown = {k: v for k, v in item.items() if k != "signed_content"} | {"signature": None}
        item["signed_content"][7] = json.dumps(shown, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(lp(*item["signed_content"])).hexdigest()
        item["signature"]["content_hash"] = digest
        item["signature"]["signature"] = other.sign(bytes.fromhex(digest)).hex()
    export.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    result = run("check-signature", str(export), unlock=None)
    assert result.code == 0 and genuine not in result.out
    assert fingerprint(public) in result.out


def test_a_file_that_is_not_an_export_is_one_line(run: Runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff{not json")
    result = run("check-signature", str(bad), unlock=None)
    assert result.code == 4 and result.err.count("\n") == 1 and "unexpected" not in result.err
    assert bad.read_bytes() == b"\xff{not json"
    missing = run("check-signature", str(tmp_path / "none.json"), unlock=None)
    assert missing.code == 1 and missing.err.count("\n") == 1
