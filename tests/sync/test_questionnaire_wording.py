"""A questionnaire's wording on a colleague's computer when its importer replaces it (issue 18,
docs/design-notes.md §9 "Licensed text"): a colleague who imported the same file keeps the wording
when the new version asks the very same items (only its bands changed, say); when the items changed,
the wording is dropped (it would sit on items it does not belong to) and they see "Item N" as anyone
without the file does. Nothing goes back and nothing is set aside; the wording never travels unless
its licence allows."""

from __future__ import annotations

import json

from notesdesk.core.services import measures, practice
from notesdesk.core.storage.sealer import decode
from notesdesk.core.sync import settings
from notesdesk.core.sync.setting_kinds import keep_wording, without_wording, wording_mark
from tests.instruments import sleep_check
from tests.sync.helpers import found_practice, join_practice
from tests.sync.helpers import sync_in_turn as _sync
from tests.sync.test_practice_settings import CANARY, WORDING

ITEMS = ["Hard to fall asleep", "Woke in the night", WORDING, "Thoughts of not waking"]
NEW_BANDS = [{"min": 0, "max": 5, "label": "low"}, {"min": 6, "max": 16, "label": "high"}]
PLACEHOLDERS = ("Item 1", "Item 2", "Item 3", "Item 4")


def _file(path, version="1", items=ITEMS, bands=None, redistribution_allowed=False):
    mine = sleep_check(version=version, items=items,
                       options=[{"score": s, "label": f"answer {s}"} for s in range(5)])
    if bands is not None:
        mine["bands"] = bands
    mine["licence"] = {**mine["licence"], "redistribution_allowed": redistribution_allowed}
    path.write_text(json.dumps(mine), encoding="utf-8")
    return path


def _both_hold_the_file(make_vault, admin_url, tmp_path):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    _sync(alice, bob)
    for vault in (alice, bob):  # each imported the practice's file on their own computer
        measures.import_instruments(vault, _file(tmp_path / "sleep.json"))
    _sync(alice, bob, alice)
    return alice, bob


def _aside(vault):
    with vault.unit_of_work() as uow:
        return settings.set_aside(uow)


def _quiet(*vaults):
    """Nothing left to send and nothing set aside: the kept wording is no change of the colleague's."""
    for vault in vaults:
        assert practice.sync(vault.unit_of_work()).pushed == 0
        assert _aside(vault) == ()


def test_the_importer_replacing_it_with_new_bands_leaves_the_colleague_its_wording(
    make_vault, admin_url, tmp_path
):
    alice, bob = _both_hold_the_file(make_vault, admin_url, tmp_path)
    (before,) = measures.vault_instruments(bob)
    assert WORDING in before.items

    replaced = _file(tmp_path / "sleep-v2.json", version="2", bands=NEW_BANDS)
    measures.import_instruments(alice, replaced, replace_existing=True)
    _sync(alice, bob, alice)

    (on_bob,) = measures.vault_instruments(bob)
    assert (on_bob.version, [b.max for b in on_bob.bands]) == ("2", [5, 16])  # the new version came
    assert on_bob.items == tuple(ITEMS) and not on_bob.wording_withheld
    assert [o.label for o in on_bob.options] == [f"answer {s}" for s in range(5)]
    assert measures.vault_instruments(alice) == (on_bob,)
    _quiet(alice, bob)


def test_new_items_drop_the_colleagues_old_wording(make_vault, admin_url, tmp_path):
    alice, bob = _both_hold_the_file(make_vault, admin_url, tmp_path)
    reworded = [*ITEMS[:2], "Woke at four and lay awake", ITEMS[3]]  # same count, item 3 another question
    measures.import_instruments(alice, _file(tmp_path / "sleep-v2.json", version="2", items=reworded),
                                replace_existing=True)
    _sync(alice, bob, alice)

    (on_bob,) = measures.vault_instruments(bob)
    assert on_bob.version == "2" and on_bob.items == PLACEHOLDERS  # never the old item 3 on the new one
    assert on_bob.wording_withheld  # the app says where the wording is (tests/ui/test_wording_withheld.py)
    assert all(o.label == str(o.score) for o in on_bob.options)
    assert "Woke at four and lay awake" in measures.vault_instruments(alice)[0].items
    _quiet(alice, bob)


def test_a_new_answer_label_drops_the_colleagues_old_wording_too(make_vault, admin_url, tmp_path):
    """The wording is kept whole or not at all: the answer labels are part of it."""
    alice, bob = _both_hold_the_file(make_vault, admin_url, tmp_path)
    relabelled = sleep_check(version="2", items=ITEMS,
                             options=[{"score": s, "label": f"reply {s}"} for s in range(5)])
    (tmp_path / "sleep-v2.json").write_text(json.dumps(relabelled), encoding="utf-8")
    measures.import_instruments(alice, tmp_path / "sleep-v2.json", replace_existing=True)
    _sync(alice, bob)

    (on_bob,) = measures.vault_instruments(bob)
    assert on_bob.version == "2" and on_bob.items == PLACEHOLDERS
    assert not any(o.label.startswith("answer") for o in on_bob.options)


def test_a_colleague_without_the_file_still_receives_no_wording(make_vault, admin_url, tmp_path):
    alice, bob, carol = make_vault("alice"), make_vault("bob"), make_vault("carol")
    founded = found_practice(alice, admin_url)
    for vault in (bob, carol):
        join_practice(alice, vault, admin_url, founded.practice_fingerprint)
    measures.import_instruments(alice, _file(tmp_path / "sleep.json"))
    measures.import_instruments(bob, _file(tmp_path / "sleep.json"))
    _sync(alice, bob, carol)
    measures.import_instruments(alice, _file(tmp_path / "sleep-v2.json", version="2", bands=NEW_BANDS),
                                replace_existing=True)
    _sync(alice, bob, carol)

    (on_carol,) = measures.vault_instruments(carol)
    assert on_carol.version == "2" and on_carol.items == PLACEHOLDERS
    assert WORDING in measures.vault_instruments(bob)[0].items


# -- what decides, without a server --------------------------------------------------------------------


def _raw(**changes):
    worded = {"items": ITEMS, "options": [{"score": s, "label": f"answer {s}"} for s in range(5)],
              "stem": "Over the last week:"}
    mine = sleep_check(**{**worded, **changes})
    return json.dumps(mine, ensure_ascii=False)


def test_the_wording_is_kept_only_when_its_mark_matches_and_it_fits_the_copy_received():
    local = _raw()
    new = _raw(version="2", bands=NEW_BANDS)
    bare = without_wording(new)
    kept = keep_wording(local, bare, wording_mark(new))
    assert json.loads(kept) == json.loads(new) and without_wording(kept) == bare
    # Another wording (item 3 reworded; a label changed), or no mark (a version that sends none):
    reworded = _raw(items=[*ITEMS[:2], "Woke at four", ITEMS[3]])
    relabelled = _raw(options=[{"score": s, "label": f"reply {s}"} for s in range(5)])
    for mark in (wording_mark(reworded), wording_mark(relabelled), ""):
        assert keep_wording(local, bare, mark) == bare
    # A received copy whose layout the wording does not fit (three items), even under the right mark:
    three = without_wording(_raw(items=ITEMS[:3], range={"min": 0, "max": 12},
                                 bands=[{"min": 0, "max": 12, "label": "all"}], critical_items=[]))
    assert keep_wording(local, three, wording_mark(local)) == three
    # A copy that travelled worded (its licence allows) is taken as it came.
    open_licence = {**sleep_check()["licence"], "redistribution_allowed": True}
    worded = _raw(version="2", licence=open_licence, items=[*ITEMS[:2], "Woke at four", ITEMS[3]])
    assert keep_wording(local, worded, wording_mark(local)) == worded


def test_what_goes_out_for_a_licensed_questionnaire_holds_no_wording_only_its_mark(make_vault, tmp_path):
    alice = make_vault("alice")
    measures.import_instruments(alice, _file(tmp_path / "sleep.json"))
    with alice.unit_of_work() as uow:
        payload = settings.outgoing(uow, "instruments", {})
    assert payload is not None and CANARY not in payload.decode() and "answer 1" not in payload.decode()
    change = decode(payload, settings.SettingChange)
    assert set(change.marks) == {"sleep4"} and change.marks["sleep4"].startswith("w:")
