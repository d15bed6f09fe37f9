"""The risk loop from the command line (issue 14 items 7 and 8): `note add --risk`, the flags in
`client list --json` and `measure list --json` with their rules, and `safety-plan review`."""

from __future__ import annotations

import json
from typing import Any

from .conftest import Runner


def _flags(run: Runner) -> dict[str, Any]:
    [client] = json.loads(run.ok("--json", "client", "list"))
    return client["flags"]


def _note(run: Runner, *extra: str) -> str:
    return run.ok("note", "add", "Zoë", "--format", "FREE", "--section", "text=Session.", *extra).strip()


def test_a_negative_screen_in_the_text_raises_nothing_and_a_signed_level_does(
    run: Runner, client_id: str
) -> None:
    assert run("consent", "add", "Zoë", "--kind", "informed").code == 0  # only the risk loop's flags below
    calm = _note(run, "--risk", "none", "--risk-factors", "Denies suicidal ideation")
    run.ok("note", "sign", calm)
    assert _flags(run)["labels"] == []
    risky = _note(run, "--risk", "high", "--risk-factors", "Recent loss", "--risk-plan", "Call Friday")
    assert _flags(run)["labels"] == []  # a draft: nothing yet
    run.ok("note", "sign", risky)
    flags = _flags(run)
    assert flags["labels"] == ["risk recorded", "no safety plan"]
    assert flags["risk_noted"] is True and flags["safety_plan_due"] is True
    kinds = {f["kind"]: f for f in flags["measure_flags"]}
    assert "NG225" in kinds["risk recorded"]["source"] and kinds["no safety plan"]["rule"]
    shown = run.ok("note", "show", risky)
    assert "Risk level: high" in shown and "Factors: Recent loss" in shown and "Plan: Call Friday" in shown
    measured = json.loads(run.ok("--json", "measure", "list", "Zoë"))
    assert [f["kind"] for f in measured["flags"]] == ["risk recorded", "no safety plan"]


def test_factors_without_a_level_are_refused(run: Runner, client_id: str) -> None:
    refused = run("note", "add", "Zoë", "--format", "FREE", "--section", "text=x", "--risk-factors", "y")
    assert refused.code == 2 and "--risk" in refused.err
    assert json.loads(run.ok("--json", "note", "list", "Zoë")) == []


def test_safety_plan_review_closes_the_loop(run: Runner, client_id: str, tmp_path: Any) -> None:
    run.ok("measure", "add", "Zoë", "PHQ-9", "--answers", "1,1,1,1,1,1,1,1,1")
    assert "no safety plan" in _flags(run)["labels"]
    refused = run("safety-plan", "review", "Zoë")
    assert refused.code == 1 and "no safety plan to mark as reviewed" in refused.err
    plan = tmp_path / "safety.toml"
    plan.write_text('warning_signs = ["pacing"]\nlast_reviewed = "2020-01-01"\n', encoding="utf-8")
    run.ok("safety-plan", "set", "Zoë", "--file", str(plan))
    assert "safety plan not reviewed" in _flags(run)["labels"]
    done = json.loads(run.ok("--json", "safety-plan", "review", "Zoë"))
    assert done["ok"]
    assert not any("safety plan" in label for label in _flags(run)["labels"])
