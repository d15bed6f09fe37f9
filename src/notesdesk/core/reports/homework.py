"""Homework sheet: this week's tasks with boxes to tick (a box a day for daily practice)."""

from __future__ import annotations

from datetime import timedelta

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from notesdesk.core.domain.care import Recurrence
from notesdesk.core.domain.summaries import HomeworkSheet, HomeworkTask
from notesdesk.core.reports.base import PdfOptions, Renderer
from notesdesk.core.reports.flow import FONT, Para, TickBox, WriteLines, gap, markup, nothing, section
from notesdesk.core.reports.styles import HEADER_FILL, RULE
from notesdesk.core.reports.text import MONTHS, clean, day_month

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class HomeworkPage(Renderer):
    title = "Homework sheet"
    base_size = 11.5
    footer_note = ""

    def __init__(self, sheet: HomeworkSheet, options: PdfOptions) -> None:
        self.sheet = sheet
        running = f"This week's practice \u00b7 {sheet.client_name}"
        super().__init__(sheet.practitioner, options, running=running)

    def _task_cell(self, task: HomeworkTask) -> list[Flowable]:
        out: list[Flowable] = [Para(clean(task.description), self.styles["Body"])]
        if task.rationale:
            out.append(Para("Why: " + clean(task.rationale), self.styles["Muted"]))
        return out

    def _once_cell(self, task: HomeworkTask) -> Table:
        label = "Done" if task.recurrence == Recurrence.ONCE else "Done this week"
        if task.due_date is not None:
            label += f" (by {DAYS[task.due_date.weekday()]}, {day_month(task.due_date, self.locale())})"
        table = Table([[TickBox(5 * mm), Para(clean(label), self.styles["Small"])]],
                      colWidths=[8 * mm, None], hAlign="LEFT")
        table.setStyle(TableStyle([FONT, ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        return table

    def _table(self) -> Table:
        week = [self.sheet.week_start + timedelta(days=i) for i in range(7)]
        day_w = 12 * mm
        task_w = self.frame_width - 7 * day_w
        header: list[object] = [Para("Task", self.styles["CellHead"])]
        day_head = ParagraphStyle("DayHead", parent=self.styles["CellHead"], alignment=TA_CENTER)
        header += [Para(f"{DAYS[i]}<br/>{d.day}", day_head) for i, d in enumerate(week)]
        rows: list[list[object]] = [header]
        spans = []
        for r, task in enumerate(self.sheet.tasks, start=1):
            if task.recurrence == Recurrence.DAILY:
                rows.append([self._task_cell(task), *[TickBox(5 * mm) for _ in week]])
            else:
                rows.append([self._task_cell(task), self._once_cell(task), *[""] * 6])
                spans.append(("SPAN", (1, r), (7, r)))
        table = Table(rows, colWidths=[task_w, *[day_w] * 7], repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle([
            FONT,
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("ALIGN", (1, 0), (-1, 0), "CENTER"),
            ("ALIGN", (1, 1), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
            ("LEFTPADDING", (1, 0), (-1, -1), 1),
            ("RIGHTPADDING", (1, 0), (-1, -1), 1),
            ("TOPPADDING", (0, 1), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
            *spans,
        ]))
        return table

    def story(self) -> list[Flowable]:
        sheet = self.sheet
        start = sheet.week_start
        end = start + timedelta(days=6)
        if start.year != end.year:
            span = f"{self.date(start)} \u2013 {self.date(end)}"
        elif self.locale().upper() == "US":
            span = f"{MONTHS[start.month - 1]} {start.day} \u2013 {self.date(end)}"
        else:
            span = f"{start.day} {MONTHS[start.month - 1]} \u2013 {self.date(end)}"
        out: list[Flowable] = [
            markup("This week's practice", self.styles, "Title"),
            markup(f"For {clean(sheet.client_name)} \u00b7 {clean(span)}", self.styles, "Subtitle"),
        ]
        if sheet.tasks:
            out.append(markup("Tick a box each time you do it. Missed days are fine: they tell us what "
                              "got in the way.", self.styles))
            out += [gap(2 * mm), self._table()]
        else:
            out.append(nothing("No tasks set for this week.", self.styles))
        out += section("Notes to bring next time",
                       [markup("What went well? What got in the way?", self.styles, "Muted"),
                        WriteLines(5, 9 * mm)], self.styles)
        return out


def render_homework_sheet(sheet: HomeworkSheet, options: PdfOptions | None = None) -> bytes:
    """This week's homework with boxes to tick, as PDF bytes."""
    return HomeworkPage(sheet, options or PdfOptions()).render()
