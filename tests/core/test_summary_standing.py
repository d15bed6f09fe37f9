"""Summary format 3 (domain/flag_inputs.py, measures/history.py): each client's summary keeps its scored
history's standing — what its questionnaires, risk notes and safety plan say whatever the date — so the
client list scores no questionnaire when it is shown; only the date's rules run then. The flags a
user sees stay those computed from the full records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from notesdesk.core.domain import flag_inputs
from notesdesk.core.domain.common import today
from notesdesk.core.domain.flag_inputs import scoring_basis
from notesdesk.core.measures import history, scoring
from notesdesk.core.measures.history import Standing
from notesdesk.core.measures.model import Flag, FlagKind
from notesdesk.core.services import clients, measures
from notesdesk.core.services.overview import client_flags, flags_from_records, summary_measure_flags
from notesdesk.core.services.verify import verify_vault
from notesdesk.core.storage import summaries
from notesdesk.core.storage.vault import Vault
from notesdesk.demo import build_demo
from tests.conftest import PASSPHRASE
from tests.core import records
from tests.instruments import sleep_check

DAYS = (0, 20, 95, 400)


@pytest.fixture
def scoring_count(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many questionnaires were scored (every score the flags use goes through history.score)."""
    count = [0]
    real = scoring.score

    def counted(*args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(history, "score", counted)
    yield count


def assert_list_flags_are_the_records_flags(vault: Vault) -> None:
    for days in DAYS:
        day = today() + timedelta(days=days)
        assert client_flags(vault.unit_of_work(), on=day) == flags_from_records(vault.unit_of_work(), on=day)


def test_a_generated_practice_shows_the_flags_of_its_records_without_scoring_at_unlock(
    vault_path: Path, scoring_count: list[int]
) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    try:
        build_demo(vault, clients=24, seed=11)
        with vault.unit_of_work() as uow:
            assert len(uow.measures.all()) > 100  # many questionnaires, in many series
        shown = client_flags(vault.unit_of_work())
        labels = {label for flags in shown.values() for label in flags.measure_labels()}
        assert len(labels) >= 3, labels  # a practice with risk, progress and alliance flags to show
    finally:
        vault.close()
    with Vault.open(vault_path, PASSPHRASE) as again:  # an unlock, then the list
        scoring_count[0] = 0
        for days in DAYS:
            client_flags(again.unit_of_work(), on=today() + timedelta(days=days))
        assert scoring_count[0] == 0
        assert_list_flags_are_the_records_flags(again)
        assert scoring_count[0] > 100  # the records' way scores every questionnaire (the count counts)
        assert verify_vault(again.unit_of_work()).ok


def test_a_vault_with_format_2_summaries_gets_format_3_at_its_first_unlock(
    format_2_summaries_vault: Path, scoring_count: list[int]
) -> None:
    with Vault.open(format_2_summaries_vault, PASSPHRASE, read_only=True) as old:
        expected = flags_from_records(old.unit_of_work())
        assert client_flags(old.unit_of_work()) == expected  # not upgraded: from the records
        with old.unit_of_work() as uow:
            assert uow.session is not None and not summaries.ready(uow.session)
    (flags,) = expected.values()  # the discharged client has none
    assert {"risk item endorsed", "risk recorded", "no safety plan"} <= set(flags.labels())
    with Vault.open(format_2_summaries_vault, PASSPHRASE) as vault, vault.unit_of_work() as uow:
        assert uow.session is not None and summaries.ready(uow.session)
        stored = {s.id: s for s in summaries.read(uow)}
        assert stored == summaries.recompute_all(uow)
        assert {s.scored_under for s in stored.values()} == {scoring_basis()}
        assert sum(s.standing is not None for s in stored.values()) == 2
    with Vault.open(format_2_summaries_vault, PASSPHRASE) as again:  # the head vouches for them
        scoring_count[0] = 0
        assert client_flags(again.unit_of_work()) == expected
        assert scoring_count[0] == 0
        assert_list_flags_are_the_records_flags(again)
        assert verify_vault(again.unit_of_work()).ok


def test_a_standing_scored_under_other_rules_is_scored_again_not_shown(vault: Vault) -> None:
    """A release whose rules or instruments differ never shows what an older one scored."""
    cid = clients.add_client(vault.unit_of_work(), records.client("s")).id
    measures.record_measure(vault.unit_of_work(), cid, "PHQ-9", (3,) * 9, on=today())
    fresh = client_flags(vault.unit_of_work(), [cid])
    assert [f.kind for f in fresh[cid].measure_flags] == [FlagKind.RISK, FlagKind.NO_SAFETY_PLAN]
    with vault.unit_of_work() as uow:
        (summary,) = summaries.read(uow, [cid])
    old = Standing(fixed=(Flag(FlagKind.DETERIORATION, "scored by an older release", "r", "s"),))
    day = today()
    trusted = replace(summary, standing=old)  # the same basis as now: shown as stored
    assert [f.message for f in summary_measure_flags([trusted], day)[cid]] == ["scored by an older release"]
    with vault.unit_of_work() as uow:  # as an older release would have stored it
        summaries.store_all(uow, [replace(summary, standing=old, scored_under="an older release")])
        uow.commit()
    shown = client_flags(vault.unit_of_work(), [cid])
    assert shown == fresh == flags_from_records(vault.unit_of_work(), [cid])
    assert verify_vault(vault.unit_of_work()).ok  # a standing no release will show is not compared


def test_replacing_a_practitioners_instrument_scores_the_list_again(vault: Vault, tmp_path: Path) -> None:
    mine = sleep_check()
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(mine), encoding="utf-8")
    measures.import_instruments(vault, path)
    cid = clients.add_client(vault.unit_of_work(), records.client("s")).id
    measures.record_measure(vault.unit_of_work(), cid, "sleep4", (2, 2, 2, 1), on=today())
    assert "risk item endorsed" in client_flags(vault.unit_of_work())[cid].labels()
    path.write_text(json.dumps({**mine, "critical_items": []}), encoding="utf-8")
    measures.import_instruments(vault, path, replace_existing=True)
    assert "risk item endorsed" not in client_flags(vault.unit_of_work(), [cid])[cid].labels()
    with vault.unit_of_work() as uow:
        (stored,) = summaries.read(uow, [cid])
        assert stored.scored_under == scoring_basis(measures.stored_instruments(uow))  # scored again
    assert_list_flags_are_the_records_flags(vault)
    assert verify_vault(vault.unit_of_work()).ok


@pytest.fixture
def next_release(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As if a new release had changed the code of a rule the standings apply (STANDING_RULES)."""
    flag_inputs._shipped.cache_clear()
    flag_inputs._basis.cache_clear()
    before = scoring_basis()
    monkeypatch.setattr(flag_inputs, "STANDING_RULES", "standing/next release")
    flag_inputs._shipped.cache_clear()
    flag_inputs._basis.cache_clear()
    assert scoring_basis() != before
    yield
    monkeypatch.undo()
    flag_inputs._shipped.cache_clear()
    flag_inputs._basis.cache_clear()


def test_a_release_with_other_rules_scores_the_standings_again_at_its_first_unlock(
    vault_path: Path, request: pytest.FixtureRequest
) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    with vault:
        for mark in "ab":
            cid = clients.add_client(vault.unit_of_work(), records.client(mark)).id
            measures.record_measure(vault.unit_of_work(), cid, "PHQ-9", (3,) * 9, on=today())
    request.getfixturevalue("next_release")
    with Vault.open(vault_path, PASSPHRASE) as again:
        with again.unit_of_work() as uow:
            assert {s.scored_under for s in summaries.read(uow)} == {scoring_basis()}
        assert_list_flags_are_the_records_flags(again)
        assert verify_vault(again.unit_of_work()).ok
