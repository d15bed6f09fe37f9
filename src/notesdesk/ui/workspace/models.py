"""Thin Qt adapters over the core's plain data: named columns, `set_rows`, `data()` only formats."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from notesdesk.core.domain.care import Checkin, Homework, Milestone, PhaseEntry, StatusChange
from notesdesk.core.domain.notes import PrivateNote, SessionNote
from notesdesk.core.domain.plans import Goal, Intervention, Objective, TreatmentPlan
from notesdesk.ui.workspace.overview.data import goal_status
from notesdesk.ui.workspace.plan import edit as plan_edit

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


class RowsModel[R](QAbstractTableModel):
    """A table over a list of plain rows; subclasses define HEADERS and `cell`."""

    HEADERS: ClassVar[tuple[str, ...]] = ()
    WIDEST: ClassVar[dict[int, str]] = {}
    """Per column, the widest text it will show: a FittingTable (ui/workspace/fitting.py) keeps room
    for it from the start, so the table does not widen when such a row appears."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, row_id: str | None) -> int:
        return next((i for i, r in enumerate(self._rows) if getattr(r, "id", None) == row_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(row, index.column())
        if role == ID_ROLE:
            return getattr(row, "id", None)
        return None

    # Each model names its columns in HEADERS and says what a cell shows in `cell(row, column)`.
    # (Declared, not stubbed: Qt objects skip abc's abstract-method check, so it would prove nothing.)
    cell: Callable[[R, int], str]


class NoteListModel(RowsModel[SessionNote]):
    """Date, whether signed (with the number of addenda under it: "Signed" / "2 addenda") and format
    (with the session's times under it): narrow enough that the status always shows beside the date."""

    COL_DATE, COL_STATUS, COL_FORMAT = range(3)
    HEADERS = ("Date", "Status", "Format")
    # The list keeps its width when a note's first addendum comes (lines: the widest of each form).
    WIDEST = {COL_STATUS: "1 addendum\n999 addenda"}
    STATUS_TIP = "Signed or draft, and how many addenda were added to a signed note"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._addenda: dict[str, int] = {}

    def set_notes(self, notes: Sequence[SessionNote], addenda_counts: Mapping[str, int]) -> None:
        self._addenda = dict(addenda_counts)
        self.set_rows(notes)

    @staticmethod
    def session_times(row: SessionNote) -> str:
        """'16:00–16:50', 'from 09:05' with only a start, '' with none (as the CLI shows them)."""
        start, end = row.start_time, row.end_time
        if start is not None and end is not None:
            return f"{start:%H:%M}\u2013{end:%H:%M}"
        return f"from {start:%H:%M}" if start is not None else (f"until {end:%H:%M}" if end else "")

    def cell(self, row: SessionNote, column: int) -> str:
        if column == self.COL_DATE:
            return row.session_date.isoformat()
        if column == self.COL_FORMAT:
            # The times under the format (the column that takes the spare width), not in a column of
            # their own nor under the date: the date and status keep their narrow widths.
            times = self.session_times(row)
            label = row.template_name or row.format.label
            return f"{label}\n{times}" if times else label
        if column == self.COL_STATUS:
            count = self._addenda.get(row.id, 0)
            if not row.is_signed:
                return "Draft"
            # Two short lines, not one long one: the status stays beside the date on a narrow list.
            return f"Signed\n{count} addend{'um' if count == 1 else 'a'}" if count else "Signed"
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if role == Qt.ItemDataRole.ToolTipRole and row is not None and index.column() == self.COL_FORMAT:
            minutes, times = row.minutes, self.session_times(row)
            length = f" ({minutes} min)" if minutes is not None and minutes > 0 else ""
            label = row.template_name or row.format.label
            return f"{label}; session {times}{length}" if times else label
        if role == Qt.ItemDataRole.ToolTipRole and row is not None and index.column() == self.COL_STATUS:
            count = self._addenda.get(row.id, 0)
            if not row.is_signed:
                return "Draft: not signed yet"
            return f"Signed, with {count} addend{'um' if count == 1 else 'a'}" if count else "Signed"
        return super().data(index, role)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole
                and section == self.COL_STATUS):
            return self.STATUS_TIP
        return super().headerData(section, orientation, role)


class PrivateNoteListModel(RowsModel[PrivateNote]):
    COL_DATE, COL_PREVIEW = range(2)
    HEADERS = ("Date", "Beginning")
    PREVIEW_CHARS = 48

    @staticmethod
    def first_line(row: PrivateNote) -> str:
        return next((line.strip() for line in row.text.splitlines() if line.strip()), "")

    def cell(self, row: PrivateNote, column: int) -> str:
        if column == self.COL_DATE:
            return row.note_date.isoformat()
        if column == self.COL_PREVIEW:
            first = self.first_line(row)
            return first if len(first) <= self.PREVIEW_CHARS else first[: self.PREVIEW_CHARS - 1] + "…"
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if role == Qt.ItemDataRole.ToolTipRole and row is not None and index.column() == self.COL_PREVIEW:
            return self.first_line(row)  # the whole first line, where the cell shows its beginning
        return super().data(index, role)


class HomeworkTableModel(RowsModel[Homework]):
    """Five columns, so that all of them fit beside the forms on a 1366×768 screen: what each column
    used to hold alone now reads as a second line where it belongs. The goal under the homework it is
    for (the homework column wraps and takes the spare width), the note it was assigned in under the
    date it was assigned (that note's date is nearly always the same day), an ended homework under how
    often it repeated, and the last check-in's status under its date."""

    COL_DESCRIPTION, COL_ASSIGNED, COL_DUE, COL_RECURRENCE, COL_LAST = range(5)
    HEADERS = ("Homework", "Assigned", "Due", "Repeats", "Last check-in")
    # The widest second lines: the columns keep room for them before such a row appears.
    WIDEST = {COL_RECURRENCE: "weekly\nended", COL_LAST: "2000-12-31\nnot done"}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._goals: dict[str, str] = {}
        self._notes: dict[str, str] = {}

    def set_homework(
        self, homework: Sequence[Homework], goal_names: Mapping[str, str],
        note_labels: Mapping[str, str] | None = None,
    ) -> None:
        """`note_labels`: session note id -> how the note is named, for the note each was assigned in."""
        self._goals = dict(goal_names)
        if note_labels is not None:
            self._notes = dict(note_labels)
        self.set_rows(homework)

    def goal(self, row: Homework) -> str:
        return self._goals.get(row.goal_id or "", "(earlier plan)" if row.goal_id else "")

    def assigned_in(self, row: Homework) -> str:
        """The note it was assigned in, as pick lists name it ('2024-03-04 SOAP (signed)'), or ''."""
        return self._notes.get(row.assigned_in_note, "a removed note") if row.assigned_in_note else ""

    def _in_note(self, row: Homework) -> str:
        label = self._notes.get(row.assigned_in_note or "")
        return f"the note {label}" if label else "a removed note"

    def cell(self, row: Homework, column: int) -> str:
        if column == self.COL_DESCRIPTION:
            goal = self.goal(row)
            return f"{row.description}\nGoal: {goal}" if goal else row.description
        if column == self.COL_ASSIGNED:
            # The note's date is the day assigned, nearly always: said once (the tooltip has it whole).
            day, label = _day(row.assigned_on), self._notes.get(row.assigned_in_note or "")
            if not row.assigned_in_note:
                return day
            return f"{day}\nin {label.removeprefix(day + ' ')}" if label else f"{day}\nin a removed note"
        if column == self.COL_DUE:
            return _day(row.due_date)
        if column == self.COL_RECURRENCE:
            return row.recurrence.value if row.active else f"{row.recurrence.value}\nended"
        if column == self.COL_LAST:
            last = max(row.checkins, key=lambda c: c.checkin_date, default=None)
            return f"{last.checkin_date.isoformat()}\n{last.status.value}" if last else "none yet"
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if role == Qt.ItemDataRole.ToolTipRole and row is not None:
            if index.column() == self.COL_DESCRIPTION:
                return self.details(row)
            if index.column() == self.COL_ASSIGNED and row.assigned_in_note:
                return f"Assigned {_day(row.assigned_on)}, in {self._in_note(row)}"
        return super().data(index, role)

    def details(self, row: Homework) -> str:
        """Everything the row says, for the description's tooltip (a narrow table hides columns)."""
        last = self.cell(row, self.COL_LAST).replace("\n", " ")
        said = (("Why", row.rationale), ("Goal", self.goal(row)), ("Assigned", _day(row.assigned_on)),
                ("Due", _day(row.due_date)), ("Repeats", row.recurrence.value), ("Last check-in", last),
                ("State", "active" if row.active else "ended"), ("Assigned in", self.assigned_in(row)))
        return "\n".join([row.description, *(f"{name}: {value}" for name, value in said if value)])


class CheckinTableModel(RowsModel[Checkin]):
    COL_DATE, COL_STATUS, COL_REPORT = range(3)
    HEADERS = ("Date", "Status", "Client's report")

    def cell(self, row: Checkin, column: int) -> str:
        return (_day(row.checkin_date), row.status.value, row.client_report)[column]


class MilestoneTableModel(RowsModel[Milestone]):
    COL_DIMENSION, COL_TITLE, COL_STATUS, COL_SINCE, COL_REACHED = range(5)
    HEADERS = ("Dimension", "Milestone", "Status", "Since", "First reached")

    def cell(self, row: Milestone, column: int) -> str:
        if column == self.COL_DIMENSION:
            return row.dimension or row.custom_kind or row.kind.value
        if column == self.COL_TITLE:
            return row.title
        if column == self.COL_STATUS:
            return row.status.value
        if column == self.COL_SINCE:
            return _day(row.status_since)
        if column == self.COL_REACHED:
            return _day(row.achieved_on)
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if role == Qt.ItemDataRole.ToolTipRole and row is not None and index.column() == self.COL_TITLE:
            return self.details(row)
        return super().data(index, role)

    def details(self, row: Milestone) -> str:
        """Everything the row says, for the title's tooltip (a narrow table hides columns)."""
        lines = [row.title]
        if row.criteria:
            lines.append(f"Criteria: {row.criteria}")
        for column in (self.COL_DIMENSION, self.COL_STATUS, self.COL_SINCE, self.COL_REACHED):
            value = self.cell(row, column)
            if value:
                lines.append(f"{self.HEADERS[column]}: {value}")
        return "\n".join(lines)


class StatusHistoryModel(RowsModel[StatusChange]):
    COL_DATE, COL_STATUS, COL_COMMENT = range(3)
    HEADERS = ("Date", "Status", "Comment")

    def cell(self, row: StatusChange, column: int) -> str:
        return (_day(row.changed_on), row.status.value, row.comment)[column]


class PhaseHistoryModel(RowsModel[PhaseEntry]):
    COL_STARTED, COL_PHASE, COL_COMMENT = range(3)
    HEADERS = ("Since", "Phase", "Comment")

    def cell(self, row: PhaseEntry, column: int) -> str:
        return (_day(row.started_on), row.phase, row.comment)[column]


class PlanTreeModel(QAbstractItemModel):
    """Problems -> goals -> objectives -> interventions of one plan; the id is in ID_ROLE."""

    COL_ITEM, COL_STATUS, COL_TARGET = range(3)
    HEADERS = ("Item", "Status / frequency", "Target date")
    HEADER_TIPS = ("", "The status of a goal or objective; how often an intervention is used", "")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._plan: TreatmentPlan | None = None
        self._refs: list[plan_edit.NodeRef] = []
        self._key: dict[str, int] = {}
        self._parent_key: list[int] = []
        self._children: dict[int, list[int]] = {-1: []}
        self.suggested: dict[str, str] = {}  # objective id -> the status its linked measure suggests

    def set_suggested(self, suggested: dict[str, str]) -> None:
        self.suggested = dict(suggested)
        self._emit_all_changed(QModelIndex())

    def plan(self) -> TreatmentPlan | None:
        return self._plan

    def set_plan(self, plan: TreatmentPlan | None) -> None:
        """Same shape: rows are refreshed in place (selection kept); otherwise the model resets."""
        refs = list(plan_edit.walk(plan)) if plan else []
        shape = [(r.node.id, r.parent_id) for r in refs]
        if plan is not None and shape == [(r.node.id, r.parent_id) for r in self._refs]:
            self._plan, self._refs = plan, refs
            if refs:
                self._emit_all_changed(QModelIndex())
            return
        self.beginResetModel()
        self._plan, self._refs = plan, refs
        self._key = {r.node.id: i for i, r in enumerate(refs)}
        self._parent_key = [self._key[r.parent_id] if r.parent_id else -1 for r in refs]
        self._children = {-1: []}
        for key, parent in enumerate(self._parent_key):
            self._children.setdefault(parent, []).append(key)
            self._children.setdefault(key, [])
        self.endResetModel()

    def _emit_all_changed(self, parent: QModelIndex) -> None:
        rows = self.rowCount(parent)
        if rows:
            last = self.index(rows - 1, len(self.HEADERS) - 1, parent)
            self.dataChanged.emit(self.index(0, 0, parent), last)
            for row in range(rows):
                self._emit_all_changed(self.index(row, 0, parent))

    # -- structure ---------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        parent_key = parent.internalId() if parent.isValid() else -1
        kids = self._children.get(parent_key, [])
        if not (0 <= row < len(kids) and 0 <= column < len(self.HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, kids[row])

    def parent(self, *args: Any) -> Any:
        if not args:
            return super().parent()
        index = args[0]
        if not index.isValid():
            return QModelIndex()
        parent_key = self._parent_key[index.internalId()]
        if parent_key == -1:
            return QModelIndex()
        return self.createIndex(self._refs[parent_key].row, 0, parent_key)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(parent.internalId() if parent.isValid() else -1, []))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.HEADER_TIPS[section] or None
        return None

    # -- data --------------------------------------------------------------------------------------

    def ref_at(self, index: Index) -> plan_edit.NodeRef | None:
        return self._refs[index.internalId()] if index.isValid() else None

    def index_of(self, node_id: str) -> QModelIndex:
        key = self._key.get(node_id)
        if key is None:
            return QModelIndex()
        return self.createIndex(self._refs[key].row, 0, key)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        ref = self.ref_at(index)
        if ref is None:
            return None
        if role == ID_ROLE:
            return ref.node.id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        node, column = ref.node, index.column()
        if column == self.COL_ITEM:
            return f"{plan_edit.KIND_LABELS[ref.kind]}: {plan_edit.title_of(node)}"
        if column == self.COL_STATUS:
            if isinstance(node, Objective):
                hint, status = self.suggested.get(node.id), node.status.value
                if hint and role == Qt.ItemDataRole.ToolTipRole:
                    return f"{status}; its linked measure suggests {hint} (see 'Measures suggest')"
                return f"{status} → {hint}?" if hint else status
            if isinstance(node, Goal):
                agreed = "agreed" if node.agreed_with_client else "not agreed"
                status = goal_status(node)
                short = status.split(" (")[0] if role == Qt.ItemDataRole.DisplayRole else status
                return f"{short}; {agreed}"
            if isinstance(node, Intervention):
                return node.frequency
            return ""
        if column == self.COL_TARGET:
            return _day(node.target_date) if isinstance(node, Objective) else ""
        return None
