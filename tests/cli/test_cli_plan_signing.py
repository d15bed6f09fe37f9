"""Signed plan versions from the command line: `plan set --activate` and `plan activate` sign, `plan
revise` makes the next draft, `plan agree` records the client's agreement, `plan sign` signs an old
active plan once; the export carries every plan signature and both checkers check them; the client's
signature page prints the goals in the client's words with the version's fingerprint."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from .conftest import Runner
from .test_cli_care import PLAN_TOML
from .test_cli_check_signature import _script


def _activated(run: Runner, tmp_path: Path) -> str:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN_TOML, encoding="utf-8")
    return run.ok("plan", "set", "Zoë", "--file", str(path), "--activate").strip()


def test_activation_signs_and_a_signed_plan_is_revised_not_edited(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    first = _activated(run, tmp_path)
    shown = run.ok("plan", "show", "Zoë")
    assert "Plan v1: Active, signed by Dr Ada Lee, PhD on " in shown
    assert "Not yet agreed with the client." in shown
    plan = json.loads(run.ok("--json", "plan", "show", "Zoë"))
    assert plan["signature"]["signer"] == "Dr Ada Lee" and plan["agreement"] is None
    assert plan["agreement_line"] == "Not yet agreed with the client."

    again = run("plan", "sign", "Zoë")
    assert again.code == 1 and again.err == "notesdesk: Plan v1 is already signed.\n"
    draft = json.loads(run.ok("--json", "plan", "revise", "Zoë"))["id"]
    assert draft != first and "Versions: v1 active, v2 draft" in run.ok("plan", "show", "Zoë")
    twice = run("plan", "revise", "Zoë")
    assert twice.code == 1 and "already a draft" in twice.err
    run.ok("plan", "activate", "Zoë", "--date", "2024-04-02")
    versions = run.ok("plan", "show", "Zoë")
    assert "Plan v2: Active, signed by Dr Ada Lee, PhD" in versions
    assert "Versions: v1 superseded, v2 active" in versions


def test_agreement_and_review_are_recorded_beside_the_signed_version(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    _activated(run, tmp_path)
    out = run.ok("plan", "agree", "Zoë", "--date", "2024-03-02", "--how", "paper")
    assert out == "Agreed with the client on 2024-03-02 (on paper).\n"
    agreed = json.loads(run.ok("--json", "plan", "agree", "Zoë", "--date", "2024-03-03", "--how", "verbal"))
    assert (agreed["agreed_on"], agreed["how"]) == ("2024-03-03", "verbal")
    assert "Agreed with the client on 2024-03-03 (verbally)." in run.ok("plan", "show", "Zoë")
    bad = run("plan", "agree", "Zoë", "--how", "telepathy")
    assert bad.code == 2 and "paper" in bad.err
    run.ok("plan", "review", "Zoë", "--outcome", "continue", "--summary", "Steady", "--date", "2024-04-01")
    shown = run.ok("plan", "show", "Zoë")
    assert "2024-04-01 continue: Steady" in shown and "review due 2024-06-30" in shown


def _export(run: Runner, tmp_path: Path) -> Path:
    _activated(run, tmp_path)
    run.ok("plan", "agree", "Zoë", "--date", "2024-03-02", "--how", "screen")
    run.ok("plan", "review", "Zoë", "--outcome", "continue", "--summary", "Steady", "--date", "2024-04-01")
    out = tmp_path / "zoe.json"
    run.ok("export", "Zoë", "--format", "json", "--out", str(out))
    return out


def test_the_export_carries_plan_signatures_and_both_checkers_pass(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    export = _export(run, tmp_path)
    record = json.loads(export.read_bytes())
    (plan,) = record["plans"]
    assert plan["signed_content"][:2] == ["nd-sign", "plan"]
    assert record["plan_reviews"][0]["review_of"] == plan["signature"]["content_hash"]
    assert record["plan_agreements"][0]["agreement_of"] == plan["signature"]["content_hash"]
    result = run("check-signature", str(export), unlock=None)
    assert result.code == 0 and "3 signed items" in result.out, result.err
    checked = _script(export, tmp_path)
    assert checked.returncode == 0 and "3 signed items" in checked.stdout, checked.stderr


def _plan(r: dict[str, Any]) -> dict[str, Any]:
    return r["plans"][0]


EDITS: dict[str, Callable[[dict[str, Any]], str]] = {
    "goal statement": lambda r: _plan(r)["problems"][0]["goals"][0].__setitem__("statement", "x") or "plan",
    "objective target date": lambda r: _plan(r)["problems"][0]["goals"][0]["objectives"][0].__setitem__(
        "target_date", "2030-01-01") or "plan",
    "effective date": lambda r: _plan(r).__setitem__("effective_date", "2024-01-01") or "plan",
    "plan signer": lambda r: _plan(r)["signature"].__setitem__("credentials", "MD") or "plan",
    "review summary": lambda r: r["plan_reviews"][0].__setitem__("summary", "Worse") or "plan review",
    "review date": lambda r: r["plan_reviews"][0].__setitem__("review_date", "2024-05-01") or "plan review",
    "agreement how": lambda r: r["plan_agreements"][0].__setitem__("how", "paper") or "plan agreement",
    "agreement date": lambda r: r["plan_agreements"][0].__setitem__("agreed_on", "2024-01-01")
    or "plan agreement",
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_editing_any_signed_plan_field_makes_both_fail(
    run: Runner, client_id: str, tmp_path: Path, edit: str
) -> None:
    export = _export(run, tmp_path)
    record = json.loads(export.read_bytes())
    kind = EDITS[edit](record)
    export.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    result = run("check-signature", str(export), unlock=None)
    assert result.code == 4 and result.err.count("\n") == 1 and f"{kind} " in result.err
    checked = _script(export, tmp_path)
    assert checked.returncode == 4 and "Traceback" not in checked.stderr and f"{kind} " in checked.stderr


def test_the_status_is_outside_the_signature(run: Runner, client_id: str, tmp_path: Path) -> None:
    """A version's status moves on after it is signed (superseded, closed): it is not signed."""
    export = _export(run, tmp_path)
    record = json.loads(export.read_bytes())
    _plan(record)["status"] = "superseded"
    export.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert run("check-signature", str(export), unlock=None).code == 0


def test_the_signature_page_prints_the_goals_in_the_clients_words(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    none = run("document", "plan-signature", "Zoë", "--out", str(tmp_path / "none.pdf"))
    assert none.code == 1 and "no active plan" in none.err and not (tmp_path / "none.pdf").exists()
    _activated(run, tmp_path)
    out = tmp_path / "page.pdf"
    run.ok("document", "plan-signature", "Zoë", "--out", str(out))
    text = " ".join("\n".join(p.extract_text() or "" for p in PdfReader(out).pages).split())
    plan = json.loads(run.ok("--json", "plan", "show", "Zoë"))
    digest = plan["signature"]["content_hash"][:32].upper()
    fingerprint = " ".join(re.findall("....", digest))
    assert "In your words: “Quiero recuperar mis tardes”" in text
    assert "Uses a set worry time" in text and "How we will know: Days a week the worry time" in text
    assert "Client" in text and "Date" in text and "Dr Ada Lee, PhD" in text
    assert f"Version fingerprint: {fingerprint}" in text


def test_a_plan_file_cannot_carry_a_signature(run: Runner, client_id: str, tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN_TOML + '\n[signature]\nsigner = "Someone"\n', encoding="utf-8")
    result = run("plan", "set", "Zoë", "--file", str(path))
    assert result.code == 1 and "'signature' is kept by NotesDesk" in result.err
