"""The search index built in a child process (core/services/search_process.py): it finds exactly what
the index built in process finds, keeps following saves once handed over, leaves nothing on disk, and
never outlives the app (stopped, or the app killed)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from notesdesk.core.domain.notes import NoteFormat
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.search.index import HIT_END, HIT_START
from notesdesk.core.services import clients, notes, plans, search
from notesdesk.core.services.search_process import IndexBuild, worth_a_child
from notesdesk.core.storage.vault import Vault
from tests.core import records

CHILD_WAIT_SECONDS = 60.0


def _practice(vault: Vault) -> dict[str, str]:
    ids = {}
    for letter, text in (("A", "Talked about her café job and the résumé she sent"),
                         ("B", "Nightmares since May; résumé of the week"), ("C", "Quiet session")):
        client = clients.add_client(vault.unit_of_work(), records.client(letter))
        note = replace(records.note(client.id, "x"),
                       sections=notes.build_sections(NoteFormat.SOAP, {"subjective": text}))
        ids[letter] = notes.create_note(vault.unit_of_work(), note).id
    plans.save_plan(vault.unit_of_work(), records.plan(client.id, "resume-"))
    return ids


def _found(index, text: str) -> list[tuple[str, str, str]]:
    return [(h.kind, h.object_id, h.snippet) for h in index.search(text)]


def _gone(pid: int) -> bool:
    try:
        finished, _status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child (or already reaped): is it still running?
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return Path(f"/proc/{pid}/stat").exists() and " Z " in Path(f"/proc/{pid}/stat").read_text()
    return finished == pid


def _wait_until(condition, seconds: float = CHILD_WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)  # polling for a process of our own to end; nothing is timed
    return condition()


def test_the_child_finds_exactly_what_the_index_built_in_process_finds(vault: Vault) -> None:
    ids = _practice(vault)
    here = search.build_index(vault.unit_of_work())
    build = IndexBuild(vault, notes_per_page=2)
    there = build.result()
    assert not build.alive()
    for text in ("resume", "cafe", "caf", "nightm", "quiet", "tal caf", "Client", "nothing-like-this"):
        assert _found(there, text) == _found(here, text), text
    assert f"{HIT_START}résumé{HIT_END}" in next(h.snippet for h in there.search("resume")
                                                 if h.object_id == ids["A"])
    assert len(there) == len(here)


def test_the_handed_over_index_follows_saves(vault: Vault) -> None:
    ids = _practice(vault)
    index = IndexBuild(vault).result()
    note, _addenda = notes.get_note(vault.unit_of_work(), ids["C"])
    changed = notes.save_draft(vault.unit_of_work(), replace(
        note, sections=notes.build_sections(NoteFormat.SOAP, {"subjective": "A tram ride"})))
    index.put_note(changed)
    assert [h.object_id for h in index.search("tram")] == [ids["C"]]
    assert index.search("quiet") == []
    index.remove(ids["A"])
    assert [h.object_id for h in index.search("resume") if h.kind == "note"] == [ids["B"]]


def test_the_child_writes_nothing_and_the_vault_is_unchanged(vault: Vault, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _practice(vault)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(private_tmp))  # the child's temporary folder, should it want one
    folder = vault.path.parent
    before = {p.name: p.stat().st_size for p in folder.iterdir() if p.is_file()}
    vault_bytes = vault.path.read_bytes()
    IndexBuild(vault).result()
    assert {p.name: p.stat().st_size for p in folder.iterdir() if p.is_file()} == before
    assert vault.path.read_bytes() == vault_bytes
    assert list(private_tmp.iterdir()) == []


def test_a_stopped_child_ends_and_its_result_says_so(vault: Vault) -> None:
    _practice(vault)
    build = IndexBuild(vault)
    pid = build.pid
    assert pid is not None
    build.stop()
    assert not build.alive() and _wait_until(lambda: _gone(pid))
    with pytest.raises(NotesdeskError, match="could not be built"):
        build.result()


def test_a_small_vault_is_built_in_process_a_large_one_in_a_child(vault: Vault) -> None:
    size = vault.path.stat().st_size
    assert worth_a_child(vault, threshold=size)
    assert not worth_a_child(vault, threshold=size + 1)


OWNER = """
import sys
from notesdesk.core.services.search_process import IndexBuild
from notesdesk.core.storage.vault import Vault
vault = Vault.open(sys.argv[1], passphrase=sys.argv[2])
build = IndexBuild(vault)
print(build.pid, flush=True)
sys.stdin.read()  # killed here, the child still running or not yet handed over
"""


def test_the_child_ends_when_the_app_is_killed(vault: Vault, vault_path: Path) -> None:
    from tests.conftest import PASSPHRASE

    _practice(vault)
    vault.close()
    owner = subprocess.Popen([sys.executable, "-c", OWNER, str(vault_path), PASSPHRASE],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout is not None
        child = int(owner.stdout.readline())
        assert not _gone(child)
        owner.kill()  # SIGKILL (TerminateProcess on Windows): no clean-up of any kind runs
        owner.wait()
        assert _wait_until(lambda: _gone(child)), "the index child outlived the app"
    finally:
        owner.kill()
        owner.wait()
