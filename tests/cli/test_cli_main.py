"""The front door: vault path resolution, help, usage errors, the last-resort handler, the app."""

from __future__ import annotations

import io
import json
import sys
import types
from pathlib import Path

import pytest

from notesdesk import paths
from notesdesk.cli.main import main
from notesdesk.core.services import clients

from .conftest import PASSPHRASE, Runner


def _main(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_vault_path_precedence(tmp_path: Path) -> None:
    default = paths.vault_path(None, env={})
    assert default == paths.data_dir() / "vault.notesdesk"
    assert "NotesDesk" in str(default)
    env = {"NOTESDESK_VAULT": str(tmp_path / "env.notesdesk")}
    assert paths.vault_path(None, env=env) == tmp_path / "env.notesdesk"
    assert paths.vault_path(str(tmp_path / "flag.notesdesk"), env=env) == tmp_path / "flag.notesdesk"


def test_environment_variable_picks_the_vault(vault_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTESDESK_VAULT", str(vault_path))
    code, out, err = _main("--passphrase-stdin", "init", stdin=PASSPHRASE + "\n")
    assert code == 0, err
    assert vault_path.exists() and str(vault_path) in out


def test_help_documents_formats_and_file_schemas() -> None:
    code, out, _ = _main("--help")
    assert code == 0 and "Exit codes" in out and "--passphrase-stdin" in out
    _, note_help, _ = _main("note", "add", "--help")
    assert "INTAKE     reason history background mental_status risk formulation plan" in note_help
    assert "DISCHARGE  summary progress reason recommendations" in note_help
    _, plan_help, _ = _main("plan", "set", "--help")
    assert "[[problems.goals.objectives.interventions]]" in plan_help
    _, safety_help, _ = _main("safety-plan", "set", "--help")
    assert "[[crisis_lines]]" in safety_help


def test_usage_errors_exit_2_in_one_line() -> None:
    for argv in (["frobnicate"], ["client"], ["note", "add", "Zoë", "--kind"], ["homework", "add"]):
        code, out, err = _main(*argv)
        assert code == 2, argv
        assert out == "" and err.count("\n") == 1 and err.startswith("notesdesk: ")


def test_with_json_errors_are_json_on_stderr(run: Runner, client_id: str) -> None:
    """One line of JSON with the message and the documented exit code; stdout stays empty."""
    cases = [
        (("--json", "client", "show", "Nobody"), 1),  # not found
        (("--json", "frobnicate"), 2),  # usage, caught while parsing
        (("client", "list", "--json", "--bogus"), 2),  # --json after the command
    ]
    for argv, code in cases:
        result = run(*argv)
        assert result.code == code, argv
        assert result.out == "" and result.err.count("\n") == 1
        error = json.loads(result.err)
        assert error["exit_code"] == code and error["error"] and "notesdesk:" not in error["error"]
    wrong = run("--json", "client", "list", stdin="not the passphrase\n")
    assert wrong.code == 3 and json.loads(wrong.err)["exit_code"] == 3
    plain = run("client", "show", "Nobody")
    assert plain.err.startswith("notesdesk: ")


def test_a_folder_given_as_the_vault_is_named_a_folder(recovery_key: str, vault_path: Path) -> None:
    folder = vault_path.parent
    result = _main("--vault", str(folder), "--passphrase-stdin", "client", "list", stdin=PASSPHRASE + "\n")
    assert result[0] == 2, result[2]
    assert f"{folder} is a folder, not a vault file" in result[2]
    assert f"for example --vault {vault_path}" in result[2]  # the one vault in it
    assert "first bytes are damaged" not in result[2]
    for argv in (("init",), ("demo",)):
        code, _, err = _main("--vault", str(folder), "--passphrase-stdin", *argv, stdin=PASSPHRASE + "\n")
        assert code == 2 and "is a folder" in err, argv


def test_unexpected_error_names_only_the_type(
    run: Runner, client_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("Zoë Ó Briain disclosed something")

    monkeypatch.setattr(clients, "list_clients", broken)
    result = run("client", "list")
    assert result.code == 1
    assert result.err == "notesdesk: unexpected error (RuntimeError); nothing was changed\n"
    assert result.out == ""


def _desktop_run(*argv: str) -> tuple[int, list[tuple[Path, Path | None]], str]:
    """main() with a stand-in desktop app: the exit code, what the app was opened on, stderr."""
    seen: list[tuple[Path, Path | None]] = []
    err = io.StringIO()
    code = main(list(argv), stdin=io.StringIO(), stdout=io.StringIO(), stderr=err,
                desktop=lambda vault, backup: seen.append((vault, backup)) or 0)
    return code, seen, err.getvalue()


def test_no_command_opens_the_desktop_app(vault_path: Path) -> None:
    code, seen, _err = _desktop_run("--vault", str(vault_path))
    assert code == 0 and seen == [(vault_path, None)]


def test_a_backup_file_alone_opens_the_app_on_its_restore_page(vault_path: Path, tmp_path: Path) -> None:
    """What a double-click runs: `notesdesk FILE` (the .desktop entry's %f), `--restore FILE` (the
    Windows association); a file is passed on whatever it holds, the app says what it is."""
    backup = tmp_path / "notesdesk-backup-20261207-101500.ndbk"
    assert _desktop_run("--vault", str(vault_path), str(backup)) == (0, [(vault_path, backup)], "")
    assert _desktop_run("--vault", str(vault_path), "--restore", str(backup))[1] == [(vault_path, backup)]
    other = tmp_path / "letter.txt"
    other.write_text("not a backup")
    assert _desktop_run("--vault", str(vault_path), str(other))[1] == [(vault_path, other)]


def test_a_mistyped_command_is_still_a_usage_error_and_restore_stays_the_cli_command(
    vault_path: Path, tmp_path: Path
) -> None:
    code, seen, err = _desktop_run("--vault", str(vault_path), "resotre")
    assert code == 2 and seen == [] and "invalid choice" in err
    backup = tmp_path / "b.ndbk"
    code, seen, err = _desktop_run("--vault", str(vault_path), "restore", str(backup))
    assert seen == [] and "passphrase" in err  # the CLI restore ran (it asks for the passphrase)
    code, seen, err = _desktop_run("--restore", str(backup), "client", "list")
    assert code == 2 and seen == [] and err.count("\n") == 1 and "no command" in err


def test_the_entry_point_wires_the_desktop_app(vault_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from notesdesk import __main__ as entry

    seen: list[tuple[Path, Path | None]] = []
    fake = types.ModuleType("notesdesk.ui.app")
    fake.main = lambda vault, backup=None: seen.append((vault, backup)) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "notesdesk.ui.app", fake)
    assert entry.main(["--vault", str(vault_path)]) == 0
    assert entry.main(["--vault", str(vault_path), "x.ndbk"]) == 0
    assert seen == [(vault_path, None), (vault_path, Path("x.ndbk"))]


def test_no_command_without_the_app_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from notesdesk import __main__ as entry

    monkeypatch.setitem(sys.modules, "notesdesk.ui.app", None)
    assert entry.launch_desktop(Path("v.notesdesk")) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "desktop app" in err


def test_both_unlock_options_is_a_usage_error(run: Runner, recovery_key: str) -> None:
    result = run("--recovery-key-stdin", "client", "list")
    assert result.code == 2 and "not both" in result.err
