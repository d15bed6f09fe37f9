"""Hostile input: huge files, absurd numbers, deep nesting, bytes that are not UTF-8, a FIFO as the
vault. Each gets exit 1 or 4 and one clear line, never "unexpected error", and changes nothing."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

from .conftest import Runner
from .test_cli_measures import instrument_file

DEEP = "[" * 200_000 + "]" * 200_000


def _refused(result, code: int) -> None:
    assert result.code == code, result.err
    assert result.err.startswith("notesdesk: ") and result.err.count("\n") == 1
    assert "unexpected error" not in result.err and "Traceback" not in result.err


def test_a_huge_file_offered_as_a_backup_is_refused_before_it_is_read(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    """A real backup's header on 300 MB of nothing: the declared length gives it away at once."""
    real = Path(json.loads(run.ok("--json", "backup"))["path"])
    huge = tmp_path / "huge.ndbk"
    huge.write_bytes(real.read_bytes())
    with huge.open("r+b") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse: no disk used
    tracemalloc.start()
    try:
        for argv in (("verify", str(huge)), ("restore", str(huge))):
            result = run(*argv)
            _refused(result, 4)
            assert "size" in result.err
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30 * 1024 * 1024


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"\xff\xfe\x00garbage \xc3\x28", "UTF-8"),
        (DEEP.encode(), "nested"),
    ],
    ids=["not-utf8", "deep-nesting"],
)
def test_a_hostile_instrument_file_is_refused_in_one_line(
    run: Runner, recovery_key: str, tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / "hostile.json"
    path.write_bytes(content)
    result = run("measure", "import", str(path))
    _refused(result, 1)
    assert why in result.err


def test_an_instrument_with_1e400_is_refused_in_one_line(
    run: Runner, recovery_key: str, tmp_path: Path
) -> None:
    path = Path(instrument_file(tmp_path))
    path.write_text(path.read_text().replace('"max": 16}', '"max": 1e400}', 1), encoding="utf-8")
    result = run("measure", "import", str(path))
    _refused(result, 1)
    assert "hostile.json" not in result.err and "mine.json" in result.err


@pytest.mark.parametrize(
    "body",
    [
        '{"session_length_minutes": 1e400}',
        '{"session_length_minutes": 50.5}',
        DEEP,
        '{"strengths": ' + DEEP + "}",
    ],
    ids=["1e400", "fraction", "deep-list", "deep-value"],
)
def test_a_hostile_plan_file_is_refused_in_one_line(
    run: Runner, client_id: str, tmp_path: Path, body: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(body, encoding="utf-8")
    result = run("plan", "set", "Zoë", "--file", str(path))
    _refused(result, 1)
    assert "has no treatment plan yet" in run.ok("plan", "show", "Zoë")


def test_a_fifo_or_a_folder_as_the_vault_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "practice.notesdesk"
    os.mkfifo(fifo)
    for vault in (fifo, tmp_path):
        result = Runner(vault)("client", "list")
        assert result.code == 2, result.err
        assert result.err.count("\n") == 1 and str(vault) in result.err


def test_a_fifo_offered_as_an_input_file_is_refused_at_once(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    for argv in (("plan", "set", "Zoë", "--file", str(fifo)), ("measure", "import", str(fifo)),
                 ("import", str(fifo))):
        result = run(*argv)
        assert result.code in (1, 2), result.err
        assert result.err.count("\n") == 1 and "not a regular file" in result.err


def test_a_huge_plan_or_instrument_file_is_refused_before_it_is_read(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    for name, argv in (("plan.json", ("plan", "set", "Zoë", "--file")), ("mine.json", ("measure", "import"))):
        path = tmp_path / name
        with path.open("wb") as handle:
            handle.truncate(5 * 1024 * 1024)  # sparse: five megabytes of nothing
        result = run(*argv, str(path))
        _refused(result, 1)
        assert "larger than 4 MB" in result.err


def test_a_review_dated_at_the_end_of_time_is_refused_in_one_line(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    """9999-12-31 plus the 90-day default once overflowed into "unexpected error"."""
    plan = tmp_path / "plan.toml"
    plan.write_text('[[problems]]\ntitle = "Worry"\n[[problems.goals]]\nstatement = "Less worry"\n')
    run.ok("plan", "set", "Zoë", "--file", str(plan), "--activate")
    for day in ("9999-12-31", "2099-01-01"):
        result = run("plan", "review", "Zoë", "--outcome", "continue", "--summary", "ok", "--date", day)
        _refused(result, 1)
        assert "review date is in the future" in result.err
    assert json.loads(run.ok("--json", "plan", "show", "Zoë"))["reviews"] == []
