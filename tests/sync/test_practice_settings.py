"""The practice's settings travel (issue 18): an imported questionnaire reaches every member and a
measure of it scores, bands and flags there as where it was recorded, without its wording unless its
licence allows; paperwork and note templates are created, edited and removed everywhere; a template
changed on two computers ends the same on both with the other version kept aside; a clinician's fees
reach their own devices only; settings made before the upgrade go once; a server that alters a
setting is caught (exit 4); a pg_dump of the server shows no template text."""

from __future__ import annotations

import json
import secrets
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.domain.paperwork import ConsentKind
from notesdesk.core.services import (
    clients,
    consent,
    fees,
    measures,
    overview,
    practice,
    practice_access,
    practice_devices,
    profile,
    receipts,
    templates,
)
from notesdesk.core.sync import access, crypto, push, settings, shared
from notesdesk.core.sync import state as st
from notesdesk.core.sync.pull import SyncTampered
from tests.core import billing
from tests.instruments import sleep_check
from tests.sync.helpers import assign, clinician_of, found_practice, join_practice
from tests.sync.helpers import sync_in_turn as _sync
from tests.sync.test_cli_conflicts import Colleague

CANARY = "zq" + secrets.token_hex(6)
DAY = today() - timedelta(days=10)
WORDING = "Woke before dawn, " + CANARY  # an item's wording: stays on the importing computer


def _instrument(path, redistribution_allowed=False, items=None):
    mine = sleep_check(
        items=items or ["Hard to fall asleep", "Woke in the night", WORDING, "Thoughts of not waking"],
        options=[{"score": s, "label": f"answer {s}"} for s in range(5)],
    )
    mine["licence"] = {**mine["licence"], "redistribution_allowed": redistribution_allowed}
    path.write_text(json.dumps(mine), encoding="utf-8")
    return path


def _pair(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = clients.add_client(alice.unit_of_work(), Client(name="Synthetic Client",
                                                             intake_date=DAY - timedelta(days=30)))
    assign(alice, client.id, joined.clinician_id)
    _sync(alice, bob)
    return alice, bob, client


def _scored(vault, client_id):
    """What a clinician sees of each measure: instrument, total, band, its flags, the list's flags."""
    rows = measures.measure_history(vault.unit_of_work(), client_id)
    shown = [(r.administration.instrument, r.score and (r.score.total, r.score.band,
              tuple(f.message for f in r.score.flags))) for r in rows]
    return shown, overview.client_flags(vault.unit_of_work(), [client_id])[client_id].labels()


def test_an_imported_questionnaire_scores_bands_and_flags_on_the_colleagues_computer(
    make_vault, admin_url, tmp_path
):
    alice, bob, client = _pair(make_vault, admin_url)
    measures.import_instruments(alice, _instrument(tmp_path / "mine.json"))
    measures.record_measure(alice.unit_of_work(), client.id, "sleep4", (3, 3, 2, 1), on=today())
    _sync(alice, bob)

    on_alice = _scored(alice, client.id)
    ((instrument, (total, band, (flag,))),) = on_alice[0]
    assert (instrument, total, band) == ("sleep4", 9, "high") and flag.startswith("Item 4 endorsed.")
    assert "risk item endorsed" in on_alice[1]
    assert _scored(bob, client.id) == on_alice
    # The definition travelled; the wording, under a licence that does not allow redistribution, not.
    (received,) = measures.vault_instruments(bob)
    assert received.items == ("Item 1", "Item 2", "Item 3", "Item 4")
    assert all(o.label == str(o.score) for o in received.options)
    assert WORDING in measures.vault_instruments(alice)[0].items


def test_a_questionnaire_whose_licence_allows_it_travels_with_its_wording(make_vault, admin_url, tmp_path):
    alice, bob, _client = _pair(make_vault, admin_url)
    measures.import_instruments(alice, _instrument(tmp_path / "open.json", redistribution_allowed=True))
    _sync(alice, bob)
    assert measures.vault_instruments(bob) == measures.vault_instruments(alice)


def test_templates_created_edited_and_removed_travel(make_vault, admin_url):
    alice, bob, _client = _pair(make_vault, admin_url)
    consent.save_template_text(alice.unit_of_work(), ConsentKind.FEES, "Our fees, {client}.")
    made = templates.save_template(alice.unit_of_work(), templates.make_template("Speech", ["Oral motor"]))
    _sync(alice, bob)
    assert consent.template_text(bob.unit_of_work(), ConsentKind.FEES) == "Our fees, {client}."
    assert templates.get_template(bob.unit_of_work(), "Speech") == made

    # Bob (any member) edits both; Alice receives the edits.
    consent.save_template_text(bob.unit_of_work(), ConsentKind.FEES, "Fees as of May, {client}.")
    templates.save_template(bob.unit_of_work(), templates.make_template("Speech", ["Oral motor", "Voice"],
                                                                        made.id))
    _sync(bob, alice)
    assert consent.template_text(alice.unit_of_work(), ConsentKind.FEES) == "Fees as of May, {client}."
    assert [t for _k, t in templates.get_template(alice.unit_of_work(), "Speech").sections] == [
        "Oral motor", "Voice"]

    # Alice removes them: back to the starting text, no template, on Bob's computer too.
    consent.save_template_text(alice.unit_of_work(), ConsentKind.FEES, None)
    templates.delete_template(alice.unit_of_work(), made.id)
    _sync(alice, bob)
    assert consent.all_template_texts(bob.unit_of_work())[ConsentKind.FEES][1] is False
    assert templates.list_templates(bob.unit_of_work()) == []
    assert practice.sync(alice.unit_of_work()).pushed == 0  # nothing received goes back


def _aside(vault):
    with vault.unit_of_work() as uow:
        return settings.set_aside(uow)


def test_a_template_changed_on_two_computers_ends_the_same_with_the_other_version_kept(make_vault, admin_url):
    alice, bob, _client = _pair(make_vault, admin_url)
    consent.save_template_text(alice.unit_of_work(), ConsentKind.TELEHEALTH, "Alice's wording, {client}.")
    consent.save_template_text(bob.unit_of_work(), ConsentKind.TELEHEALTH, "Bob's wording, {client}.")
    _sync(alice, bob, alice)

    on_alice = consent.template_text(alice.unit_of_work(), ConsentKind.TELEHEALTH)
    assert on_alice == consent.template_text(bob.unit_of_work(), ConsentKind.TELEHEALTH)
    # The rule: the version of the device with the smaller id stands on both.
    ids = {practice.status(v.unit_of_work()).device_id: v for v in (alice, bob)}
    stands = "Alice's" if ids[min(ids)] is alice else "Bob's"
    assert on_alice.startswith(stands)
    other = ({"Alice's wording, {client}.", "Bob's wording, {client}."} - {on_alice}).pop()
    for vault in (alice, bob):  # the other is not lost: kept aside, sealed, and counted
        assert [a.value for a in _aside(vault)] == [other]
        assert practice.status(vault.unit_of_work()).held >= 1
    assert practice.sync(alice.unit_of_work()).pushed == practice.sync(bob.unit_of_work()).pushed == 0


def test_fees_are_the_clinicians_own_and_reach_their_other_devices(make_vault, admin_url):
    desk, laptop, colleague = make_vault("desk"), make_vault("laptop"), make_vault("colleague")
    founded = found_practice(desk, admin_url)
    join_practice(desk, colleague, admin_url, founded.practice_fingerprint)
    for vault in (desk, colleague):
        profile.save_profile(vault.unit_of_work(), replace(vault.profile(), locale="US"))
    billing.fee(desk, 15000)
    billing.fee(colleague, 9000)
    client = clients.add_client(desk.unit_of_work(), Client(name="Synthetic Client",
                                                            intake_date=DAY - timedelta(days=30)))
    billing.session(desk, client.id, DAY)
    _sync(desk, colleague)
    code = practice_devices.invite_device(desk.unit_of_work()).code
    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)
    _sync(laptop, colleague)

    assert fees.fee_schedule(laptop.unit_of_work()).fees == fees.fee_schedule(desk.unit_of_work()).fees
    # A colleague's fees are theirs: the desk's do not replace them (not taken), nor theirs the desk's.
    assert [f.amount for f in fees.fee_schedule(colleague.unit_of_work()).fees] == [9000]
    assert [f.amount for f in fees.fee_schedule(desk.unit_of_work()).fees] == [15000]
    # A receipt printed on the laptop charges what one printed on the desk does.
    on_laptop = receipts.issue_receipt(laptop.unit_of_work(), client.id, DAY, today()).receipt
    _sync(laptop, desk)
    on_desk = receipts.issue_receipt(desk.unit_of_work(), client.id, DAY, today()).receipt
    assert [line.fee for line in on_laptop.data.lines] == [line.fee for line in on_desk.data.lines]
    assert on_laptop.data.total == on_desk.data.total == 15000

    # The laptop changes a fee; the desk's next receipt charges it.
    billing.fee(laptop, 16000)
    _sync(laptop, desk)
    assert [f.amount for f in fees.fee_schedule(desk.unit_of_work()).fees] == [16000]


def test_settings_made_before_the_upgrade_go_once_and_differing_ones_are_kept(
    make_vault, admin_url, tmp_path, monkeypatch
):
    with monkeypatch.context() as older:  # the version before settings synced
        older.setattr(push, "SYNCED_TABLES", shared.SYNCED_TABLES)
        alice, bob, client = _pair(make_vault, admin_url)
        measures.import_instruments(alice, _instrument(tmp_path / "mine.json"))
        consent.save_template_text(alice.unit_of_work(), ConsentKind.INFORMED, "Alice's consent, {client}.")
        consent.save_template_text(bob.unit_of_work(), ConsentKind.INFORMED, "Bob's consent, {client}.")
        _sync(alice, bob)
        assert measures.vault_instruments(bob) == ()

    _sync(alice, bob, alice)
    assert [i.id for i in measures.vault_instruments(bob)] == ["sleep4"]
    texts = {consent.template_text(v.unit_of_work(), ConsentKind.INFORMED) for v in (alice, bob)}
    assert len(texts) == 1  # the same on both, and the other version kept aside on both
    (kept,) = {a.value for v in (alice, bob) for a in _aside(v)}
    assert texts | {kept} == {"Alice's consent, {client}.", "Bob's consent, {client}."}
    # Sent once: nothing goes again.
    assert practice.sync(alice.unit_of_work()).pushed == practice.sync(bob.unit_of_work()).pushed == 0


def test_a_server_that_alters_a_setting_is_caught(make_vault, admin_url):
    alice, bob, _client = _pair(make_vault, admin_url)
    consent.save_template_text(alice.unit_of_work(), ConsentKind.FEES, "Our fees, {client}.")
    _sync(alice)
    with psycopg.connect(admin_url) as conn:
        conn.execute("UPDATE change SET sealed = set_byte(sealed, 19, get_byte(sealed, 19) # 255) "
                     "WHERE table_name = 'setting'")
    with pytest.raises(SyncTampered, match="altered") as refused:
        practice.sync(bob.unit_of_work())
    assert refused.value.exit_code == 4
    assert consent.all_template_texts(bob.unit_of_work())[ConsentKind.FEES][1] is False


def test_a_dump_of_the_server_shows_no_setting(make_vault, database, tmp_path):
    cluster, name, admin_url = database
    alice, bob, _client = _pair(make_vault, admin_url)
    consent.save_template_text(alice.unit_of_work(), ConsentKind.RELEASE, f"{CANARY} release, {{client}}.")
    templates.save_template(alice.unit_of_work(), templates.make_template(f"{CANARY} speech", ["Voice"]))
    measures.import_instruments(alice, _instrument(tmp_path / "mine.json", redistribution_allowed=True))
    _sync(alice, bob)
    assert consent.template_text(bob.unit_of_work(), ConsentKind.RELEASE).startswith(CANARY)  # it travelled

    dump = cluster.dump(name)
    assert "COPY public.change" in dump
    for secret in (CANARY, CANARY.encode().hex(), "Sleep check", "sleep4"):
        assert secret not in dump
    # Which setting changed is sealed too: each change has a random id of its own (three settings, the
    # two clinicians' names and their two profiles, which only their own devices take).
    with psycopg.connect(admin_url) as conn:
        ids = [r for (r,) in conn.execute("SELECT row_id FROM change WHERE table_name = 'setting'")]
    assert len(ids) == len(set(ids)) == 7
    assert not set(ids) & {"instruments", "paperwork", "note-templates", "member-names", "profile"}


def test_the_versions_kept_aside_are_listed_from_the_command_line(make_vault, admin_url):
    alice, bob, _client = _pair(make_vault, admin_url)
    consent.save_template_text(alice.unit_of_work(), ConsentKind.FEES, "Alice's fees, {client}.")
    consent.save_template_text(bob.unit_of_work(), ConsentKind.FEES, "Bob's fees, {client}.")
    _sync(alice)
    path = Path(bob.path)
    bob.close()
    cli = Colleague(path)

    assert cli.run("practice", "sync").returncode == 0
    assert "'notesdesk practice settings-aside' lists them" in cli.ok("practice", "status")
    (listed,) = json.loads(cli.ok("--json", "practice", "settings-aside"))
    assert (listed["what"], listed["item"], listed["why"]) == ("paperwork template", "fees",
                                                               "changed on two computers")
    assert listed["value"] in ("Alice's fees, {client}.", "Bob's fees, {client}.")
    assert "paperwork template fees from" in cli.ok("practice", "settings-aside")


def _settings_opened_by(vault, admin_url):
    """The setting changes on the server that `vault`'s practice keys open (as a removed clinician who
    still has their database login could read them); the rest fail their seal."""
    uow = vault.unit_of_work()
    with uow:
        ident = st.required_identity(uow)
    with psycopg.connect(admin_url) as conn:
        rows = conn.execute("SELECT device_id, device_seq, row_id, rev, sealed FROM change"
                            " WHERE table_name = 'setting' ORDER BY server_seq").fetchall()
    opened, refused = [], 0
    for device, seq, row_id, rev, sealed in rows:
        at = crypto.RowAddress("setting", row_id, rev, device, seq)
        try:
            opened.append(access.open_sealed(access.ClientKeys(), ident, at, bytes(sealed)))
        except crypto.SyncRefused:
            refused += 1
    return opened, refused


def test_a_removed_clinician_reads_no_setting_changed_after_the_removal(make_vault, admin_url):
    alice, bob, _client = _pair(make_vault, admin_url)
    consent.save_template_text(alice.unit_of_work(), ConsentKind.FEES, "Before, {client}.")
    _sync(alice, bob)
    practice_access.remove_clinician(alice.unit_of_work(), clinician_of(bob))
    consent.save_template_text(alice.unit_of_work(), ConsentKind.FEES, f"After, {CANARY} {{client}}.")
    _sync(alice)

    opened, refused = _settings_opened_by(bob, admin_url)
    # Not the members' two names, nor their two profiles.
    templates_opened = [p for p in opened if b'"member-names"' not in p and b'"profile"' not in p]
    assert refused == 1 and len(opened) == 5
    assert len(templates_opened) == 1 and b"Before" in templates_opened[0]
    assert len(_settings_opened_by(alice, admin_url)[0]) == 6


def test_different_templates_changed_on_two_computers_are_both_kept(make_vault, admin_url):
    alice, bob, _client = _pair(make_vault, admin_url)
    consent.save_template_text(alice.unit_of_work(), ConsentKind.FEES, "Alice's fees, {client}.")
    consent.save_template_text(bob.unit_of_work(), ConsentKind.TELEHEALTH, "Bob's telehealth, {client}.")
    templates.save_template(bob.unit_of_work(), templates.make_template("Speech", ["Voice"]))
    _sync(alice, bob, alice)
    for vault in (alice, bob):
        assert consent.template_text(vault.unit_of_work(), ConsentKind.FEES) == "Alice's fees, {client}."
        telehealth = consent.template_text(vault.unit_of_work(), ConsentKind.TELEHEALTH)
        assert telehealth == "Bob's telehealth, {client}."
        assert [t.name for t in templates.list_templates(vault.unit_of_work())] == ["Speech"]
        assert _aside(vault) == ()


def test_a_supervisor_may_change_the_practices_templates(make_vault, admin_url):
    alice, supervisor = make_vault("alice"), make_vault("sam")
    founded = found_practice(alice, admin_url)
    sam = join_practice(alice, supervisor, admin_url, founded.practice_fingerprint).clinician_id
    client = clients.add_client(alice.unit_of_work(), Client(name="Synthetic Supervised Client"))
    practice_access.assign(alice.unit_of_work(), client.id, sam, supervisor=True)
    _sync(alice, supervisor)
    consent.save_template_text(supervisor.unit_of_work(), ConsentKind.INFORMED, "Sam's consent, {client}.")
    _sync(supervisor, alice)
    assert consent.template_text(alice.unit_of_work(), ConsentKind.INFORMED) == "Sam's consent, {client}."


def test_a_questionnaire_that_would_clash_here_is_kept_aside_not_stored(make_vault, admin_url, tmp_path):
    alice, bob, _client = _pair(make_vault, admin_url)
    measures.import_instruments(alice, _instrument(tmp_path / "alice.json"))
    theirs = json.loads(_instrument(tmp_path / "bob.json").read_text(encoding="utf-8"))
    (tmp_path / "bob.json").write_text(json.dumps({**theirs, "id": "sleep5"}), encoding="utf-8")
    measures.import_instruments(bob, tmp_path / "bob.json")  # another id, the same name "Sleep check"
    _sync(alice, bob, alice)

    assert [i.id for i in measures.vault_instruments(alice)] == ["sleep4"]
    assert [i.id for i in measures.vault_instruments(bob)] == ["sleep5"]
    for vault, other in ((alice, "sleep5"), (bob, "sleep4")):
        (kept,) = _aside(vault)
        assert kept.item == other and "already used by another instrument" in kept.why


def test_the_wording_imported_again_on_the_other_computer_sends_nothing(make_vault, admin_url, tmp_path):
    alice, bob, _client = _pair(make_vault, admin_url)
    path = _instrument(tmp_path / "mine.json")
    measures.import_instruments(alice, path)
    _sync(alice, bob)
    measures.import_instruments(bob, path, replace_existing=True)
    assert WORDING in measures.vault_instruments(bob)[0].items
    assert practice.sync(bob.unit_of_work()).pushed == 0
    _sync(alice)
    assert _aside(alice) == _aside(bob) == ()
