"""Python >= 3.12 is the floor (PySide6 6.12.0 aborts on 3.11): the README's commands find a suitable
interpreter by themselves, and with none they, like the entry point, stop with one clear line."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import notesdesk.__main__ as entry

ROOT = Path(__file__).resolve().parents[1]
FIND_PYTHON = ROOT / "scripts" / "find-python"
PLATFORMS = ("Debian", "Ubuntu", "Fedora", "macOS", "Windows")


def fake_python(folder: Path, name: str, version: tuple[int, int, int] | None) -> Path:
    """A stand-in interpreter that answers find-python's probe as a Python of `version` would
    (None: a broken one, such as a pyenv shim for a version that is not selected)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if version is None:
        body = "exit 127"
    elif version[:2] >= (3, 12):
        major, minor, micro = version
        body = f"echo {major * 10000 + minor * 100 + micro} {path}"
    else:
        body = "exit 1"  # too old: the probe prints nothing, the Makefile's version check fails
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def run_find(path_dirs: list[Path], home: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.pathsep.join(str(d) for d in path_dirs), "HOME": str(home)}
    return subprocess.run(
        ["/bin/sh", str(FIND_PYTHON)], env=env, capture_output=True, text=True, timeout=60
    )


def test_pyproject_requires_312_and_ruff_targets_it() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["project"]["requires-python"] == ">=3.12"
    assert config["tool"]["ruff"]["target-version"] == "py312"


def test_find_python_picks_the_newest_suitable_interpreter_on_path(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    fake_python(first, "python3", (3, 11, 7))
    fake_python(first, "python3.12", (3, 12, 1))
    fake_python(second, "python3.13", (3, 13, 0))
    fake_python(second, "python3.14", None)  # a shim that cannot run is passed over
    result = run_find([first, second], tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(second / "python3.13")


def test_find_python_falls_back_to_pyenv_versions(tmp_path: Path) -> None:
    path_dir = tmp_path / "bin"
    fake_python(path_dir, "python3", (3, 11, 7))
    versions = tmp_path / "home" / ".pyenv" / "versions"
    fake_python(versions / "3.11.7" / "bin", "python3", (3, 11, 7))
    wanted = fake_python(versions / "3.12.1" / "bin", "python3", (3, 12, 1))
    result = run_find([path_dir], tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(wanted)


def test_find_python_accepts_this_interpreter(tmp_path: Path) -> None:
    # The real probe, not a stand-in: the interpreter running this suite is >= 3.12 with venv.
    link_dir = tmp_path / "bin"
    link_dir.mkdir()
    (link_dir / "python3").symlink_to(sys.executable)
    result = run_find([link_dir], tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).resolve() == Path(sys.executable).resolve()


def test_find_python_with_only_an_old_python_says_what_to_install_in_one_line(tmp_path: Path) -> None:
    path_dir = tmp_path / "bin"
    fake_python(path_dir, "python3", (3, 11, 7))
    result = run_find([path_dir], tmp_path / "home")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "Python 3.12 or newer" in lines[0]
    for platform in PLATFORMS:
        assert platform in lines[0]


def make_project(tmp_path: Path) -> tuple[Path, Path, str]:
    """A copy of the Makefile and its interpreter search, and a PATH folder holding only `make`."""
    make = shutil.which("make")
    assert make, "make is needed to run the README's commands"
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "Makefile", project / "Makefile")
    shutil.copy(FIND_PYTHON, project / "scripts" / "find-python")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    path_dir = tmp_path / "bin"
    path_dir.mkdir()
    (path_dir / "make").symlink_to(make)
    return project, path_dir, make


@pytest.mark.parametrize("goal", ["test", "run"])
def test_make_with_only_an_old_python_stops_with_one_line(tmp_path: Path, goal: str) -> None:
    project, path_dir, make = make_project(tmp_path)
    fake_python(path_dir, "python3", (3, 11, 7))
    env = {"PATH": str(path_dir), "HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [make, goal], cwd=project, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "Python 3.12 or newer" in lines[0]
    assert not (project / ".venv").exists()


def test_make_rebuilds_a_venv_made_by_an_old_python(tmp_path: Path) -> None:
    project, path_dir, make = make_project(tmp_path)
    new = fake_python(path_dir, "python3.12", (3, 12, 1))
    fake_python(project / ".venv" / "bin", "python", (3, 11, 7))  # answers the venv check as 3.11 would
    env = {"PATH": str(path_dir), "HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [make, "-n", "test"], cwd=project, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    planned = result.stdout.splitlines()
    assert planned[:2] == ["rm -rf .venv", f"{new} -m venv .venv"]


def test_make_keeps_a_venv_made_by_a_new_python(tmp_path: Path) -> None:
    project, path_dir, make = make_project(tmp_path)
    venv_bin = project / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").symlink_to(sys.executable)
    env = {"PATH": str(path_dir), "HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [make, "-n", "test"], cwd=project, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "rm -rf .venv" not in result.stdout


def test_entry_point_on_an_old_python_prints_one_line_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "version_info", (3, 11, 7, "final", 0))
    assert entry.main(["client", "list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "Python 3.12 or newer (this is 3.11)" in err


def test_entry_point_parses_on_python_311() -> None:
    # The message above is only reachable if 3.11 can compile the module that prints it.
    source = Path(entry.__file__).read_text()
    ast.parse(source, feature_version=(3, 11))


def test_entry_point_accepts_this_interpreter() -> None:
    assert entry.python_too_old(tuple(sys.version_info[:3])) is None
    assert entry.python_too_old((3, 11, 9)) is not None
