"""The client list model and its filter proxy, without any window."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from notesdesk.core.domain.clients import Client, ClientStatus
from notesdesk.core.measures import Flag, FlagKind
from notesdesk.core.services.overview import ClientFlags
from notesdesk.ui.models.client_list_model import (
    CLIENT_ID_ROLE,
    COL_FLAGS,
    COL_NAME,
    COL_STATUS,
    HEADERS,
    ClientFilterProxy,
    ClientListModel,
)

ZOE = Client(name="Zoë Ó Briain", preferred_name="Zo")
MARK = Client(name="Mark Okafor", status=ClientStatus.ON_HOLD)
RENEE = Client(name="Renée Dubois", status=ClientStatus.DISCHARGED)
RISK = Flag(FlagKind.RISK_RECORDED, "Risk recorded as high in the note of 2024-01-01.", "rule", "source")
FLAGS = {MARK.id: ClientFlags(review_due_on=date(2024, 1, 1), homework_overdue=2, measure_flags=(RISK,))}


@pytest.fixture
def models(qapp):
    model = ClientListModel()
    model.set_rows([ZOE, MARK, RENEE], FLAGS)
    proxy = ClientFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL_NAME)
    return model, proxy


def names(proxy: ClientFilterProxy) -> list[str]:
    return [proxy.index(r, COL_NAME).data() for r in range(proxy.rowCount())]


def test_named_columns_and_display(models):
    model, _proxy = models
    assert model.columnCount() == len(HEADERS) == 3
    assert model.headerData(COL_STATUS, Qt.Orientation.Horizontal) == "Status"
    row = model.row_of(MARK.id)
    assert model.index(row, COL_NAME).data() == "Mark Okafor"
    assert model.index(row, COL_STATUS).data() == "On hold"
    assert model.index(row, COL_FLAGS).data() == "risk · review · homework"
    full = "risk recorded, plan review due, 2 homework overdue"
    assert model.index(row, COL_FLAGS).data(Qt.ItemDataRole.AccessibleTextRole) == full
    assert model.index(row, COL_FLAGS).data(Qt.ItemDataRole.ToolTipRole) == "\n".join(
        [full.replace(", ", "; ").capitalize(), f"• {RISK.message}"])
    assert model.index(row, COL_FLAGS).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(model.row_of(ZOE.id), COL_NAME).data() == "Zo"  # preferred name shown
    assert model.index(model.row_of(ZOE.id), COL_FLAGS).data() == ""
    assert model.index(row, COL_NAME).data(CLIENT_ID_ROLE) == MARK.id


def test_text_filter_ignores_case_and_accents(models):
    _model, proxy = models
    proxy.set_text("zoe")
    assert names(proxy) == ["Zo"]
    proxy.set_text("ó briain")
    assert names(proxy) == ["Zo"]
    proxy.set_text("RENEE")
    assert names(proxy) == ["Renée Dubois"]
    proxy.set_text("oka mark")  # every word, in any order
    assert names(proxy) == ["Mark Okafor"]
    proxy.set_text("nobody")
    assert names(proxy) == []
    proxy.set_text("")
    assert len(names(proxy)) == 3


def test_status_filter_combines_with_text(models):
    _model, proxy = models
    proxy.set_status(ClientStatus.ON_HOLD)
    assert names(proxy) == ["Mark Okafor"]
    proxy.set_status(ClientStatus.DISCHARGED)
    assert names(proxy) == ["Renée Dubois"]
    proxy.set_text("zoe")
    assert names(proxy) == []
    proxy.set_status(None)
    assert names(proxy) == ["Zo"]
    proxy.set_status(ClientStatus.ACTIVE)
    assert proxy.client_id_at(0) == ZOE.id
    assert proxy.client_id_at(5) is None


def test_privacy_mode_shows_initials_only(models, qtbot):
    model, proxy = models
    with qtbot.waitSignal(model.dataChanged):
        model.set_privacy(True)
    shown = names(proxy)
    assert sorted(shown) == ["MO", "RD", "ZÓB"]
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
    ):
        for r in range(model.rowCount()):
            value = str(model.index(r, COL_NAME).data(role) or "")
            assert "Zo" not in value and "Mark" not in value and "Ren" not in value
    proxy.set_text("zoe")  # searching still works by the name typed
    assert names(proxy) == ["ZÓB"]


def test_sorting_by_name_is_accent_insensitive(qapp):
    model = ClientListModel()
    model.set_rows([Client(name="Zed"), Client(name="Élodie"), Client(name="adam")], {})
    proxy = ClientFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL_NAME)
    assert names(proxy) == ["adam", "Élodie", "Zed"]


def test_an_unsigned_note_shows_in_the_list_with_its_date_in_the_tooltip(qapp):
    model = ClientListModel()
    late = ClientFlags(unsigned_notes=1, oldest_unsigned_on=date(2024, 1, 3))
    model.set_rows([ZOE], {ZOE.id: late})
    cell = model.index(0, COL_FLAGS)
    assert cell.data() == "unsigned"
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole) == "unsigned note"
    tip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Unsigned note") and "session of 2024-01-03" in tip and "3 days after" in tip
    assert cell.data(Qt.ItemDataRole.DecorationRole) is not None
