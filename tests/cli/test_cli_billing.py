"""CLI: fees, payment add | list | remove, receipt (new, --superbill, --reprint, --list): one-line
errors, nothing stored by a refusal, the numbers."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pypdf import PdfReader

from tests.cli.conftest import Runner


def _signed(run: Runner, day: str, *more: str) -> str:
    note = run.ok("note", "add", "Zoë", "--format", "FREE", "--section", "text=Synthetic words",
                  "--date", day, "--start", "10:00", "--end", "10:50", *more).strip()
    run.ok("note", "sign", note)
    return note


def _done(run: Runner, *args: str) -> str:
    """A command that succeeds and says what it did on stderr (stdout stays for its id or path)."""
    result = run(*args)
    assert result.code == 0 and result.err.count("\n") == 1, result.err
    return result.out


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_fees_need_the_country_then_show_in_its_currency(run: Runner, client_id: str) -> None:
    assert run.ok("fees") == "No fees set yet: notesdesk fees set SERVICE AMOUNT.\n"
    unset = run("fees", "set", "individual", "150")
    assert unset.code == 1 and unset.err.count("\n") == 1 and "country first" in unset.err
    run.ok("profile", "--country", "UK")
    run.ok("fees", "set", "individual", "90")
    shown = run.ok("fees", "set", "couple", "120.50", "--delivery", "video")
    assert "Fees (GBP):" in shown and "£90.00" in shown and "couple, video" in shown and "£120.50" in shown
    data = json.loads(run.ok("--json", "fees"))
    assert data["currency"] == "GBP"
    assert {(f["service"], f["delivery"], f["amount_minor"]) for f in data["fees"]} == {
        ("individual", None, 9000), ("couple", "video", 12050)}
    for bad, says in ((("fees", "set", "individual", "90.555"), "at most 2 decimals"),
                      (("fees", "set", "individual", "-1"), "negative"),
                      (("fees", "set", "individual", "90", "--cpt", "90834"), "CPT codes are used in")):
        refused = run(*bad)
        assert refused.code == 1 and refused.err.count("\n") == 1 and says in refused.err, refused.err
    assert json.loads(run.ok("--json", "fees")) == data
    run.ok("fees", "remove", "couple", "--delivery", "video")
    assert "couple" not in run.ok("fees")


def test_payments_and_a_receipt_then_its_identical_reprint(
        run: Runner, client_id: str, tmp_path: Path) -> None:
    run.ok("profile", "--country", "US", "--name", "Dr Synthetic")
    run.ok("fees", "set", "individual", "150")
    first = _signed(run, "2026-10-05", "--cpt", "90834")
    _signed(run, "2026-10-12")
    paid = _done(run, "payment", "add", "Zoë", "200", "--method", "card", "--date", "2026-10-05",
                  "--for", first[:8]).strip()
    _done(run, "payment", "add", "Zoë", "150", "--method", "cash", "--date", "2026-10-12")
    listed = run.ok("payment", "list", "Zoë")
    assert f"{paid[:8]}  2026-10-05       $200.00  card" in listed and "on account" in listed
    zero = run("payment", "add", "Zoë", "0", "--method", "cash")
    assert zero.code == 1 and zero.err == "notesdesk: An amount must be above zero.\n"

    out = tmp_path / "r1.pdf"
    issued = json.loads(run.ok("--json", "receipt", "Zoë", "--from", "2026-10-01", "--to", "2026-10-31",
                               "--out", str(out)))
    assert (issued["number"], issued["total_minor"], issued["paid_minor"], issued["balance_minor"]) == (
        1, 30000, 35000, -5000)
    text = _text(out)
    assert "Receipt 1" in text and "Credit" in text and "$50.00" in text and "Synthetic words" not in text

    run.ok("fees", "set", "individual", "999")
    again = tmp_path / "again.pdf"
    assert _done(run, "receipt", "Zoë", "--reprint", "1", "--out", str(again)) == f"{again}\n"
    assert _text(again) == text
    latest = tmp_path / "latest.pdf"  # the Reports menu's document, on the command line
    run.ok("document", "receipt", "Zoë", "--out", str(latest))
    assert _text(latest) == text

    refused = run("receipt", "Zoë", "--from", "2026-01-01", "--to", "2026-01-31", "--out",
                  str(tmp_path / "x.pdf"))
    assert refused.code == 1 and refused.err.count("\n") == 1 and "No signed session" in refused.err
    assert not (tmp_path / "x.pdf").exists()
    second = tmp_path / "r2.pdf"
    _done(run, "receipt", "Zoë", "--from", "2026-10-01", "--to", "2026-10-31", "--out", str(second))
    assert "Receipt 2" in _text(second) and "$999.00" in _text(second)
    numbers = [r["number"] for r in json.loads(run.ok("--json", "receipt", "Zoë", "--list"))]
    assert numbers == [1, 2]

    # Receipt 1 was issued in error: void it; it keeps its number and reprints marked VOID
    said = run("receipt", "Zoë", "--void", "1", "--reason", "duplicate of receipt 2")
    assert said.code == 0 and said.out.startswith("Receipt 1 is void from ") and said.err == ""
    twice = run("receipt", "Zoë", "--void", "1", "--reason", "again")
    assert twice.code == 1 and twice.err.count("\n") == 1 and "already voided" in twice.err
    listed = json.loads(run.ok("--json", "receipt", "Zoë", "--list"))
    assert [(r["number"], r["voided_on"] is not None) for r in listed] == [(1, True), (2, False)]
    voided = tmp_path / "void.pdf"
    _done(run, "receipt", "Zoë", "--reprint", "1", "--out", str(voided))
    assert "Receipt 1 (VOID)" in _text(voided) and "duplicate of receipt 2" in _text(voided)


def test_receipt_usage_errors_are_one_line(run: Runner, client_id: str, tmp_path: Path) -> None:
    for args in (("receipt", "Zoë", "--from", "2026-10-01", "--out", str(tmp_path / "a.pdf")),
                 ("receipt", "Zoë", "--from", "2026-10-01", "--to", "2026-10-31"),
                 ("receipt", "Zoë", "--list", "--reprint", "1"),
                 ("receipt", "Zoë", "--reprint", "1", "--superbill", "--out", str(tmp_path / "b.pdf")),
                 ("receipt", "Zoë", "--void", "1", "--out", str(tmp_path / "d.pdf")),
                 ("receipt", "Zoë", "--list", "--reason", "typo")):
        result = run(*args)
        assert result.code == 2 and result.err.count("\n") == 1 and result.out == "", args
    missing = run("receipt", "Zoë", "--reprint", "4", "--out", str(tmp_path / "c.pdf"))
    assert missing.code == 1 and missing.err == "notesdesk: This client has no receipt number 4.\n"


def test_the_npi_and_tax_id_are_set_checked_and_printed_on_a_superbill(
        run: Runner, client_id: str, tmp_path: Path) -> None:
    run.ok("profile", "--country", "US", "--npi", "1234567893", "--tax-id", "12-3456789")
    shown = json.loads(run.ok("--json", "profile"))
    assert (shown["npi"], shown["tax_id"]) == ("1234567893", "12-3456789")
    wrong = run("profile", "--npi", "1234567890")
    assert wrong.code == 1 and "check digit" in wrong.err and wrong.err.count("\n") == 1
    assert json.loads(run.ok("--json", "profile"))["npi"] == "1234567893"
    run.ok("fees", "set", "individual", "150")
    _signed(run, "2026-10-05", "--cpt", "90834")
    out = tmp_path / "superbill.pdf"
    refused = run("receipt", "Zoë", "--from", "2026-10-01", "--to", "2026-10-31", "--superbill",
                  "--out", str(out))
    assert refused.code == 1 and "needs at least one diagnosis" in refused.err and not out.exists()
    _done(run, "diagnosis", "add", "Zoë", "F41.1")
    _done(run, "receipt", "Zoë", "--from", "2026-10-01", "--to", "2026-10-31", "--superbill",
          "--out", str(out))
    text = " ".join(_text(out).split())
    assert "Superbill 1" in text and "1234567893" in text and "12-3456789" in text and "F41.1" in text
    assert "Apr 2, 1988" in text and "90834" in text


def test_a_receipt_number_issued_twice_is_reprinted_or_voided_by_the_id_chosen_never_guessed(
        run: Runner, vault_path: Path, client_id: str, tmp_path: Path) -> None:
    """Two computers issued number 1 offline ($150.00, and later $175.00): `--reprint 1` alone refuses
    in one line naming both ids and writes nothing; `--id` (a prefix) prints or voids that one."""
    from notesdesk.core.storage.vault import Vault
    from tests.cli.conftest import PASSPHRASE
    from tests.core import billing

    run.ok("profile", "--country", "US")
    run.ok("fees", "set", "individual", "150")
    _signed(run, "2026-10-05")
    _done(run, "receipt", "Zoë", "--from", "2026-10-01", "--to", "2026-10-31",
          "--out", str(tmp_path / "a.pdf"))
    with Vault.open(vault_path, passphrase=PASSPHRASE) as vault:
        earlier, later = billing.issued_twice(vault, client_id, 17500)

    out = tmp_path / "again.pdf"
    refused = run("receipt", "Zoë", "--reprint", "1", "--out", str(out))
    assert refused.code == 1 and refused.err.count("\n") == 1 and not out.exists()
    assert "issued twice" in refused.err and "--id" in refused.err
    assert earlier[:8] in refused.err and later[:8] in refused.err
    listed = run.ok("receipt", "Zoë", "--list")
    assert earlier[:8] in listed and later[:8] in listed  # the list names them too

    for chosen, is_later in ((earlier, False), (later, True)):
        _done(run, "receipt", "Zoë", "--reprint", "1", "--id", chosen[:8], "--out", str(out), "--force")
        assert ("$175.00" in _text(out)) is is_later
    wrong = run("receipt", "Zoë", "--reprint", "2", "--id", earlier[:8], "--out", str(out), "--force")
    assert wrong.code == 1 and wrong.err.count("\n") == 1 and "no receipt number 2" in wrong.err
    alone = run("receipt", "Zoë", "--list", "--id", earlier[:8])
    assert alone.code == 2 and alone.err.count("\n") == 1

    run.ok("receipt", "Zoë", "--void", "1", "--id", earlier[:8], "--reason", "issued twice")
    listed_json = json.loads(run.ok("--json", "receipt", "Zoë", "--list"))
    voided = {r["id"]: r["voided_on"] is not None for r in listed_json}
    assert voided == {earlier: True, later: False}
