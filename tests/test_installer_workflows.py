"""The Windows and macOS build workflows cannot run here (no such runners; README says so): at least
they parse as YAML, have the shape GitHub Actions needs, and name only files that exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# A repository path in a step: installer/… or src/… (either slash), up to a space, quote or `%`.
REPO_PATH = re.compile(r"(?<![\w.-])((?:installer|src|resources)[\\/][\w.\\/-]*\w)")


def _load(path: Path) -> dict[Any, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), path.name
    return loaded


def test_there_is_a_workflow_for_each_platform_that_cannot_be_built_here() -> None:
    assert {path.name for path in WORKFLOWS} >= {"installers-windows.yml", "installers-macos.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_a_workflow_parses_and_has_a_trigger_and_steps(path: Path) -> None:
    workflow = _load(path)
    # YAML 1.1 (PyYAML) reads the key `on` as True; GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    assert triggers and "workflow_dispatch" in triggers, "a workflow can be started by hand"
    assert workflow["jobs"], "at least one job"
    for name, job in workflow["jobs"].items():
        assert job["runs-on"] and job["steps"], name
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{name}: a step either uses an action or runs"
            if step.get("uses", "").startswith("actions/setup-python"):
                major, minor = (int(n) for n in str(step["with"]["python-version"]).split(".")[:2])
                assert (major, minor) >= (3, 12), "the bundle is built with Python 3.12 or newer"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_repository_file_a_workflow_names_exists(path: Path) -> None:
    named: set[str] = set()
    for job in _load(path)["jobs"].values():
        for step in job["steps"]:
            named.update(REPO_PATH.findall(str(step.get("run", ""))))
    assert named, "the workflow builds from the repository's own files"
    missing = sorted(n for n in named if not (ROOT / n.replace("\\", "/")).exists())
    assert missing == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_a_steps_condition_reads_only_variables_set_before_that_step(path: Path) -> None:
    """A step's `if` is evaluated before the step runs: whether it sees that step's own `env` is not
    something to rely on (reports differ), and `secrets` cannot be read there at all. A signing step
    is guarded by a flag set on the job, which a step's `if` reads for certain."""
    workflow = _load(path)
    for name, job in workflow["jobs"].items():
        known = {*workflow.get("env", {}), *job.get("env", {})}
        for step in job["steps"]:
            condition = str(step.get("if", ""))
            assert "secrets." not in condition, f"{name}: {step.get('name')}"
            read = set(re.findall(r"env\.(\w+)", condition))
            assert read <= known, f"{name}: '{step.get('name')}' reads {sorted(read - known)}"
