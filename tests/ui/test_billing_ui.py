"""The fee schedule dialog and a client's payments and receipts in the app: a bad amount is said in
place and stores nothing; a receipt is issued off the UI thread, previewed, numbered, and reprinted
as issued; the window's title never names the client."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from typing import Any

from pypdf import PdfReader
from PySide6.QtCore import Qt

from notesdesk.core.domain.notes import SessionType
from notesdesk.core.services import fees, payments, profile, receipts
from notesdesk.ui.context import AppContext
from notesdesk.ui.dialogs.billing_dialog import TITLE, BillingDialog
from notesdesk.ui.dialogs.fees_dialog import FeeScheduleDialog
from notesdesk.ui.workspace.widgets import qdate
from tests.core import billing


class Previews:
    def __init__(self) -> None:
        self.shown: list[tuple[bytes, str, str]] = []

    def __call__(self, data: bytes, title: str, parent: Any, suggested_name: str = "", **_: Any) -> None:
        self.shown.append((data, title, suggested_name))


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_fee_schedule_waits_for_the_country_then_sets_and_removes_fees(qtbot, ctx: AppContext) -> None:
    dialog = FeeScheduleDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.set_button.isEnabled() and "country" in dialog.intro.text()
    profile.save_profile(ctx.uow(), replace(ctx.vault.profile(), locale="US"))
    dialog.refresh()
    dialog.service.setCurrentIndex(dialog.service.findData(SessionType.COUPLE))
    dialog.amount.setText("175.5")
    qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == ""
    assert [dialog.fee_list.item(i).text() for i in range(dialog.fee_list.count())] == ["couple: $175.50"]
    dialog.amount.setText("12.345")
    assert not dialog.set_fee()
    assert "at most 2 decimals" in dialog.message.text() and dialog.amount.text() == "12.345"
    assert [f.amount for f in fees.fee_schedule(ctx.uow()).fees] == [17550]
    dialog.fee_list.setCurrentRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.fee_list.count() == 0 and fees.fee_schedule(ctx.uow()).fees == ()


def test_payments_and_a_receipt_issued_previewed_and_reprinted_as_issued(qtbot, ctx: AppContext) -> None:
    billing.practice(ctx.vault)
    cid = billing.client(ctx.vault)
    billing.fee(ctx.vault, 15000)
    session = billing.session(ctx.vault, cid, date(2026, 10, 5))
    previews = Previews()
    dialog = BillingDialog(ctx, cid, preview_factory=previews)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == TITLE and "Briain" not in dialog.windowTitle()

    dialog.amount.setText("0")
    assert not dialog.record_payment()
    assert dialog.payment_message.text() == "An amount must be above zero."
    assert payments.list_payments(ctx.uow(), cid) == []
    dialog.amount.setText("60")
    dialog.sessions.set_checked(session)
    qtbot.mouseClick(dialog.pay_button, Qt.MouseButton.LeftButton)
    assert dialog.payment_list.count() == 1 and "$60.00" in dialog.payment_list.item(0).text()

    dialog.period_from.setDate(qdate(date(2026, 1, 1)))
    dialog.period_to.setDate(qdate(date(2026, 1, 31)))
    dialog.issue_receipt()  # nothing in January: refused in place, no number used
    qtbot.waitUntil(lambda: bool(dialog.receipt_message.text()), timeout=30000)
    assert "No signed session" in dialog.receipt_message.text() and previews.shown == []

    dialog.period_from.setDate(qdate(date(2026, 10, 1)))
    dialog.period_to.setDate(qdate(date(2026, 10, 31)))
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(previews.shown) == 1, timeout=30000)
    first, title, name = previews.shown[0]
    assert title == "Receipt 1" and name.startswith("receipt-RNOB-") and "Briain" not in name
    assert "Balance due" in _text(first) and "$90.00" in _text(first)
    assert dialog.receipt_list.count() == 1 and dialog.receipt_list.item(0).text().startswith("Receipt 1 ·")

    billing.fee(ctx.vault, 50000)  # the fees change: a reprint is still receipt 1 as issued
    assert dialog.reprint_selected()
    qtbot.waitUntil(lambda: len(previews.shown) == 2, timeout=30000)
    assert _text(previews.shown[1][0]) == _text(first)
    assert [r.number for r in receipts.list_receipts(ctx.uow(), cid)] == [1]
    assert ctx.errors.last_message is None


def test_settings_keep_the_npi_and_tax_id_and_refuse_a_mistyped_npi(qtbot, ctx: AppContext) -> None:
    from notesdesk.ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.npi.setText("1234567890")
    dialog.accept()
    assert "check digit" in (ctx.errors.last_message or "") and ctx.vault.profile().npi == ""
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.npi.setText("1234567893")
    dialog.tax_id.setText("12-3456789")
    dialog.accept()
    assert (ctx.vault.profile().npi, ctx.vault.profile().tax_id) == ("1234567893", "12-3456789")
    qtbot.mouseClick(dialog.fees_button, Qt.MouseButton.LeftButton)
    assert isinstance(dialog.fees_dialog, FeeScheduleDialog)


def test_each_session_to_pay_for_is_one_line(qtbot, ctx: AppContext) -> None:
    """Beside their label the sessions wrapped three lines deep in the dialog's starting size."""
    billing.practice(ctx.vault)
    cid = billing.client(ctx.vault)
    for day in (5, 12, 19):
        billing.session(ctx.vault, cid, date(2026, 10, day))
    dialog = BillingDialog(ctx, cid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    one_line = dialog.sessions.fontMetrics().lineSpacing()
    rows = [dialog.sessions.visualItemRect(dialog.sessions.item(i)) for i in range(dialog.sessions.count())]
    assert len(rows) == 3 and all(row.height() < 2 * one_line for row in rows)


def test_a_receipt_voided_from_the_dialog_is_listed_void_and_an_empty_reason_stores_nothing(
        qtbot, ctx: AppContext) -> None:
    billing.practice(ctx.vault)
    cid = billing.client(ctx.vault)
    billing.fee(ctx.vault, 15000)
    billing.session(ctx.vault, cid, date(2026, 10, 5))
    receipts.issue_receipt(ctx.uow(), cid, date(2026, 10, 1), date(2026, 10, 31))
    dialog = BillingDialog(ctx, cid, preview_factory=Previews())
    qtbot.addWidget(dialog)
    reasons = iter(["  ", None, "issued for the wrong month"])
    dialog.ask_void_reason = lambda _parent, _which: next(reasons)
    assert not dialog.void_selected()  # an empty reason: refused, said once, nothing stored
    assert ctx.errors.last_message is not None and "Say why" in ctx.errors.last_message
    assert not dialog.void_selected()  # cancelled
    assert receipts.list_receipts(ctx.uow(), cid)[0].voided is None
    qtbot.mouseClick(dialog.void_button, Qt.MouseButton.LeftButton)
    assert receipts.list_receipts(ctx.uow(), cid)[0].voided is not None
    assert "VOID since" in dialog.receipt_list.item(0).text()


def test_voiding_one_of_two_receipts_with_the_same_number_voids_the_one_selected(
        qtbot, ctx: AppContext) -> None:
    """Two computers issued number 1 offline (made here by a second copy under its own id): the person
    selects the earlier one in the list and voids it; that one is void, not the other."""
    billing.practice(ctx.vault)
    cid = billing.client(ctx.vault)
    billing.fee(ctx.vault, 15000)
    billing.session(ctx.vault, cid, date(2026, 10, 5))
    receipts.issue_receipt(ctx.uow(), cid, date(2026, 10, 1), date(2026, 10, 31))
    earlier, _later = billing.issued_twice(ctx.vault, cid, 15000)
    dialog = BillingDialog(ctx, cid, preview_factory=Previews())
    qtbot.addWidget(dialog)
    dialog.ask_void_reason = lambda _parent, _which: "issued twice"
    dialog.receipt_list.setCurrentRow(0)  # the earlier issued of the two
    assert dialog.void_selected()
    voided = {r.id: r.voided is not None for r in receipts.list_receipts(ctx.uow(), cid)}
    assert voided[earlier] is True
    assert sum(voided.values()) == 1


def test_reprinting_one_of_two_receipts_with_the_same_number_prints_the_one_selected(
        qtbot, ctx: AppContext) -> None:
    """Number 1 issued on two computers offline, for $150.00 and (later) $175.00: the person selects
    each in turn and reprints it; each reprint is the receipt selected, and a voided one says VOID."""
    billing.practice(ctx.vault)
    cid = billing.client(ctx.vault)
    billing.fee(ctx.vault, 15000)
    billing.session(ctx.vault, cid, date(2026, 10, 5))
    receipts.issue_receipt(ctx.uow(), cid, date(2026, 10, 1), date(2026, 10, 31))
    billing.issued_twice(ctx.vault, cid, 17500)
    previews = Previews()
    dialog = BillingDialog(ctx, cid, preview_factory=previews)
    qtbot.addWidget(dialog)
    for row, later in ((0, False), (1, True)):
        dialog.receipt_list.setCurrentRow(row)
        assert dialog.reprint_selected()
        qtbot.waitUntil(lambda shown=row + 1: len(previews.shown) == shown, timeout=30000)
        assert ("$175.00" in _text(previews.shown[row][0])) is later  # only the later one's total

    dialog.ask_void_reason = lambda _parent, _which: "issued twice"
    dialog.receipt_list.setCurrentRow(0)
    assert dialog.void_selected()
    dialog.receipt_list.setCurrentRow(0)
    assert dialog.reprint_selected()
    qtbot.waitUntil(lambda: len(previews.shown) == 3, timeout=30000)
    shown = _text(previews.shown[2][0])
    assert "$175.00" not in shown and "Receipt 1 (VOID)" in shown and "issued twice" in shown
    assert ctx.errors.last_message is None


def test_two_receipts_with_the_same_number_read_apart_in_the_list(qtbot, ctx: AppContext) -> None:
    """Number 1 issued on two computers offline for the same period and total: each line says when it
    was issued and the start of its id (what `receipt --id` takes), so the person can tell which to void;
    a number issued once keeps its short line."""
    billing.practice(ctx.vault)
    cid = billing.client(ctx.vault)
    billing.fee(ctx.vault, 15000)
    billing.session(ctx.vault, cid, date(2026, 10, 5))
    receipts.issue_receipt(ctx.uow(), cid, date(2026, 10, 1), date(2026, 10, 31))
    dialog = BillingDialog(ctx, cid, preview_factory=Previews())
    qtbot.addWidget(dialog)
    alone = dialog.receipt_list.item(0).text()
    assert "id " not in alone
    earlier, later = billing.issued_twice(ctx.vault, cid, 15000)
    dialog.refresh()
    lines = [dialog.receipt_list.item(row).text() for row in range(dialog.receipt_list.count())]
    assert len(lines) == 2 and lines[0] != lines[1]
    assert f"id {earlier[:8]}" in lines[0] and f"id {later[:8]}" in lines[1]
    assert all(line.startswith(alone) and "issued " in line for line in lines)
