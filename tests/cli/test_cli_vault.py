"""init, unlock, passwd, verify, audit, and the refusals a user meets: wrong secret, damage, in use."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from notesdesk import demo
from notesdesk.core.storage.vault_lock import lock_path

from .conftest import PASSPHRASE, Runner

NEW_PASSPHRASE = "a different long phrase 42"


def test_init_prints_recovery_key_once_with_warning(run: Runner, vault_path: Path) -> None:
    out = run.ok("init")
    key = re.search(r"Recovery key:\s+(\S+)", out)
    assert key is not None
    groups = key.group(1).split("-")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert "write this recovery key down" in out.lower()
    assert "lose both your passphrase and this recovery key" in out
    assert str(vault_path) in out
    assert vault_path.exists()
    # The key is never shown again: later commands do not print it.
    assert key.group(1) not in run.ok("verify")


def test_init_refuses_existing_file_and_weak_passphrase(run: Runner, recovery_key: str) -> None:
    again = run("init")
    assert again.code == 1 and "already exists" in again.err
    weak = Runner(run.vault.with_name("other.notesdesk"))("init", stdin="short\n")
    assert weak.code == 1 and weak.err.count("\n") == 1
    assert not run.vault.with_name("other.notesdesk").exists()


def test_without_a_passphrase_source_is_a_usage_error(run: Runner, recovery_key: str) -> None:
    result = run("client", "list", unlock=None)
    assert result.code == 2
    assert "--passphrase-stdin" in result.err


def test_wrong_passphrase_exit_3_and_file_untouched(run: Runner, recovery_key: str, vault_path: Path) -> None:
    before = vault_path.read_bytes()
    result = run("client", "list", stdin="not the right passphrase\n")
    assert result.code == 3
    assert result.err == "notesdesk: Wrong passphrase.\n"
    assert vault_path.read_bytes() == before
    assert not vault_path.with_name(vault_path.name + "-journal").exists()


def test_recovery_key_unlocks_and_passwd_replaces_the_passphrase(run: Runner, recovery_key: str) -> None:
    run.ok("client", "add", "Amaru Quispe")
    out = run.ok("passwd", stdin=f"{recovery_key}\n{NEW_PASSPHRASE}\n", unlock="--recovery-key-stdin")
    assert "Passphrase changed" in out
    assert "Amaru Quispe" in run.ok("client", "list", stdin=NEW_PASSPHRASE + "\n")
    assert run("client", "list", stdin=PASSPHRASE + "\n").code == 3
    # The recovery key still works after the change.
    assert run.ok("verify", stdin=recovery_key + "\n", unlock="--recovery-key-stdin")


def test_passwd_with_passphrase_lines(run: Runner, recovery_key: str) -> None:
    run.ok("passwd", stdin=f"{PASSPHRASE}\n{NEW_PASSPHRASE}\n")
    assert run("verify", stdin=NEW_PASSPHRASE + "\n").code == 0
    assert run("verify").code == 3


def test_passwd_missing_new_line_changes_nothing(run: Runner, recovery_key: str) -> None:
    result = run("passwd")
    assert result.code == 2 and "line 2" in result.err
    assert run("verify").code == 0


def test_mistyped_recovery_key_exit_3(run: Runner, recovery_key: str) -> None:
    typo = ("Z" if recovery_key[0] != "Z" else "Y") + recovery_key[1:]
    result = run("verify", stdin=typo + "\n", unlock="--recovery-key-stdin")
    assert result.code == 3
    assert "recovery key" in result.err


def test_verify_and_audit(run: Runner, client_id: str) -> None:
    assert run.ok("verify").startswith("Vault OK")
    report = json.loads(run.ok("--json", "verify"))
    assert report["ok"] is True and report["records"] >= 2
    lines = run.ok("audit").splitlines()
    assert any("create" in line and "client" in line and client_id[:8] in line for line in lines)
    assert "unlock" in lines[-1]
    assert len(run.ok("audit", "--last", "2").splitlines()) == 2
    assert "Audit log OK" in run.ok("audit", "--verify")


def test_corrupted_vault_exit_4_one_line(run: Runner, client_id: str, vault_path: Path) -> None:
    for i in range(5):
        run.ok("note", "add", "Zoë", "--format", "FREE", "--section", f"text=Session {i} " + "words " * 200)
    data = bytearray(vault_path.read_bytes())
    third = len(data) // 3
    data[third : 2 * third] = os.urandom(third)  # the middle third of the file
    vault_path.write_bytes(bytes(data))
    result = run("client", "list")
    assert result.code == 4
    assert result.err.startswith("notesdesk: ") and result.err.count("\n") == 1
    assert "Traceback" not in result.err
    assert result.out == ""


def test_second_instance_exit_5(run: Runner, recovery_key: str, vault_path: Path) -> None:
    env = {**os.environ, "NOTESDESK_INSECURE_TEST_KDF": "1"}
    command = [sys.executable, "-m", "notesdesk", "--vault", str(vault_path), "--passphrase-stdin"]
    with FileLock(lock_path(vault_path), timeout=0):
        held = subprocess.run(
            [*command, "client", "list"],
            input=PASSPHRASE + "\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    assert held.returncode == 5
    assert "already open" in held.stderr and held.stderr.count("\n") == 1
    free = subprocess.run(
        [*command, "client", "list"],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert free.returncode == 0, free.stderr


def test_demo_builds_a_new_vault_only(run: Runner, vault_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []

    def build_demo(vault: object, **options: object) -> None:
        calls.append(options)

    monkeypatch.setattr(demo, "build_demo", build_demo)  # commands_vault loads it when `demo` runs
    out = json.loads(run.ok("--json", "demo", "--clients", "3", "--notes", "12"))
    assert out["path"] == str(vault_path) and len(out["recovery_key"].split("-")) == 8
    assert calls == [{"clients": 3, "seed": 1, "notes": 12}]
    again = run("demo")
    assert again.code == 1 and "never adds to an existing" in again.err
    assert len(calls) == 1


@pytest.mark.parametrize("weak", ["Password1!", "0123456789", "letmein123"])
def test_init_refuses_a_guessable_passphrase_with_the_estimators_hint(
    run: Runner, vault_path: Path, weak: str
) -> None:
    result = run("init", stdin=weak + "\n")
    assert result.code == 1 and result.err.count("\n") == 1
    assert "too easy to guess" in result.err and weak not in result.err
    assert not vault_path.exists()
