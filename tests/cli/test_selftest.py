"""`notesdesk --selftest` from source: the same command the installers run inside the bundle."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from notesdesk import selftest
from notesdesk.cli.main import main

CHECK_NAMES = [name for name, _ in selftest.CHECKS]


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder the self-test makes its throw-away vault in."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdin=io.StringIO(""), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_selftest_passes_from_source_with_the_real_key_derivation(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NOTESDESK_INSECURE_TEST_KDF"}
    env.update(TMPDIR=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "notesdesk", "--selftest"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(" (")[0] for line in lines[:-1]] == [f"ok   {name}" for name in CHECK_NAMES]
    assert "Argon2id" in lines[0] and "self-test passed" in lines[-1]
    memory_mib = int(lines[0].split("Argon2id ")[1].split(" MiB")[0])
    assert memory_mib >= 64  # the production floor, not the test profile's 1 MiB
    assert "7 documents" in done.stdout
    assert list(tmp_path.iterdir()) == []  # the throw-away vault and its backup are gone


def test_selftest_refuses_the_test_only_key_derivation(scratch: Path) -> None:
    # The suite's autouse fixture switches the tiny KDF on: a self-test must not pass on it.
    code, out, _ = _run("--selftest")
    assert code == 1
    assert out.startswith("FAIL create a vault") and "NOTESDESK_INSECURE_TEST_KDF" in out
    assert "self-test FAILED" in out.splitlines()[-1]
    assert list(scratch.iterdir()) == []


def test_a_failing_check_names_only_the_error_type_and_leaves_nothing_behind(
    scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def leaky(state: object) -> str:
        folder.mkdir()
        raise ValueError("Łukasz Wiśniewski said something private")

    def never(state: object) -> str:
        raise AssertionError("checks after a failure must not run")

    monkeypatch.setattr(selftest, "CHECKS", (("create a vault", leaky), ("make a backup", never)))
    folder = scratch / "notesdesk-selftest-extra"
    monkeypatch.setattr(tempfile, "mkdtemp", lambda prefix: str(folder))
    code, out, err = _run("--selftest")
    assert code == 1
    assert "unexpected ValueError" in out and "Łukasz" not in out + err
    assert "make a backup" not in out
    assert list(scratch.iterdir()) == []


def test_selftest_json_reports_each_check(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "CHECKS", (("one", lambda s: "fine"), ("two", lambda s: "also fine")))
    code, out, _ = _run("--selftest", "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] is True
    assert [(c["name"], c["ok"], c["detail"]) for c in data["checks"]] == [
        ("one", True, "fine"), ("two", True, "also fine")]
