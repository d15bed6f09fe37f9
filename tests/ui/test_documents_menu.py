"""The app's Reports menu and the CLI's `document` command offer the same documents, both from the
one registry (core/services/documents.py)."""

from __future__ import annotations

import argparse

from notesdesk.cli.main import build_parser
from notesdesk.core.services.documents import DOCUMENTS
from notesdesk.ui.context import AppContext
from notesdesk.ui.printing.documents import ReportsMenu


def _cli_documents() -> list[str]:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    document = commands.choices["document"]
    kind = next(a for a in document._actions if a.dest == "kind")
    return list(kind.choices or ())


def test_the_reports_menu_and_the_cli_offer_the_same_documents(qtbot, ctx: AppContext) -> None:
    menu = ReportsMenu(ctx, lambda: None)
    qtbot.addWidget(menu)
    assert list(menu.document_actions) == _cli_documents() == list(DOCUMENTS)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == [f"{kind.menu_name}…" for kind in DOCUMENTS.values()]
    assert "maintenance" in _cli_documents()  # the document the CLI could not make before
