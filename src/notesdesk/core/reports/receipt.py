"""A receipt or superbill, drawn from its stored snapshot alone (domain/billing.py ReceiptData), so a
reprint is the same document as the first print: the same number, lines, totals, practice details
and date, whatever changed since."""

from __future__ import annotations

from reportlab.platypus import Flowable

from notesdesk.core.codes.currencies import format_amount
from notesdesk.core.domain.billing import ReceiptData, ReceiptKind
from notesdesk.core.reports.base import PdfOptions, Renderer
from notesdesk.core.reports.flow import data_table, gap, kv_table, markup, nothing, section
from notesdesk.core.reports.text import clean, short_date, time_range

NO_CLAIM = ("This superbill is for you to send to your insurer if you wish; the practice has not "
            "submitted a claim.")


def receipt_label(data: ReceiptData) -> str:
    """'Receipt 12' / 'Superbill 12': the number as the practice quotes it ('… (VOID)' once voided)."""
    label = f"{data.kind.value.capitalize()} {data.number}"
    return label if data.voided is None else f"{label} (VOID)"


class ReceiptDoc(Renderer):
    title = "Receipt"  # generic: the PDF's metadata never names a client

    def __init__(self, data: ReceiptData, options: PdfOptions) -> None:
        self.data = data
        running = f"{receipt_label(data)} \u00b7 {data.client_name}"
        super().__init__(data.practitioner, options, running=running)
        if data.kind == ReceiptKind.SUPERBILL:
            self.title = "Superbill"

    def money(self, minor: int) -> str:
        return format_amount(minor, self.data.currency)

    def story(self) -> list[Flowable]:
        d, loc = self.data, self.locale()
        out: list[Flowable] = [
            markup(clean(receipt_label(d)), self.styles, "Title"),
            markup(clean(f"Sessions from {short_date(d.period_from, loc)} to {short_date(d.period_to, loc)}"
                         f" \u00b7 issued {short_date(d.issued_on, loc)}"), self.styles, "Subtitle"),
        ]
        if d.voided is not None:
            out += [markup(clean(f"VOID: this {d.kind.value} was voided on {short_date(d.voided.on, loc)} "
                                 f"({d.voided.reason}). Nothing on it is owed or claimable; its number "
                                 "is not used again."), self.styles, "Warn"), gap()]
        out += self._parties()
        if d.kind == ReceiptKind.SUPERBILL:
            rows = [[code, description] for code, description in d.diagnoses]
            out += section("Diagnoses (ICD-10-CM)",
                           [data_table(["Code", "Description"], rows,
                                       [self.frame_width * 0.18, self.frame_width * 0.82], self.styles)],
                           self.styles)
        out += self._sessions()
        out += self._totals()
        if d.kind == ReceiptKind.SUPERBILL:
            out += [gap(), markup(clean(NO_CLAIM), self.styles, "Muted")]
        return out

    def _parties(self) -> list[Flowable]:
        d, w, p = self.data, self.frame_width, self.data.practice
        practice = [("Practitioner", p.name), ("Credentials", p.credentials), ("Contact", p.contact),
                    ("NPI", p.npi), ("Tax id", p.tax_id)]
        born = short_date(d.client_date_of_birth, self.locale()) if d.client_date_of_birth else ""
        client = [("Name", d.client_name), ("Date of birth", born)]
        return [*section("Practice", [kv_table(practice, w, self.styles, 0.25)], self.styles),
                *section("Client", [kv_table(client, w, self.styles, 0.25)], self.styles)]

    def _sessions(self) -> list[Flowable]:
        d, w, loc = self.data, self.frame_width, self.locale()
        coded = any(line.cpt_code for line in d.lines)
        header = ["Date", "Time", "Minutes", "Service", *(["CPT"] if coded else []), "Fee"]
        shares = [0.17, 0.2, 0.1, 0.3, *([0.1] if coded else []), 0.13]
        scale = 1 / sum(shares)
        rows = [[short_date(line.session_date, loc), time_range(line.start_time, line.end_time, loc),
                 "" if line.minutes is None else str(line.minutes), line.service,
                 *([line.cpt_code] if coded else []), self.money(line.fee)] for line in d.lines]
        table = data_table(header, rows, [w * s * scale for s in shares], self.styles)
        return section("Sessions", [table], self.styles)

    def _totals(self) -> list[Flowable]:
        d, w = self.data, self.frame_width
        balance = d.balance
        owed = ("Balance due", self.money(balance)) if balance >= 0 else ("Credit", self.money(-balance))
        totals = kv_table([("Total", self.money(d.total)), ("Paid", self.money(d.paid)), owed], w,
                          self.styles, 0.25)
        out = section("Totals", [totals], self.styles)
        if d.payments:
            loc = self.locale()
            rows = [[short_date(p.paid_on, loc), p.method, self.money(p.amount)] for p in d.payments]
            out += section("Payments", [data_table(["Date", "Method", "Amount"], rows,
                                                   [w * 0.3, w * 0.4, w * 0.3], self.styles)], self.styles)
        else:
            out += section("Payments", [nothing("No payment recorded towards these sessions.", self.styles)],
                           self.styles)
        return out


def render_receipt(data: ReceiptData, options: PdfOptions | None = None) -> bytes:
    return ReceiptDoc(data, options or PdfOptions(printed_on=data.issued_on)).render()
