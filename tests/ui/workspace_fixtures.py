"""Fixtures for the client-workspace tests: a fast-KDF vault, an AppContext, a client, a workspace."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["NOTESDESK_INSECURE_TEST_KDF"] = "1"

from collections.abc import Iterator  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from notesdesk.core.domain.clients import Client  # noqa: E402
from notesdesk.core.domain.practice import PractitionerProfile  # noqa: E402
from notesdesk.core.services import clients  # noqa: E402
from notesdesk.core.storage.vault import Vault  # noqa: E402
from notesdesk.ui.background import BackgroundRunner  # noqa: E402
from notesdesk.ui.context import AppContext  # noqa: E402
from notesdesk.ui.errors import ErrorPresenter  # noqa: E402
from notesdesk.ui.prefs import Preferences  # noqa: E402

PASSPHRASE = "correct horse battery"
SIGNER = PractitionerProfile(name="Dr Ada Byrne", credentials="PsyD, Lic. Psychologist", locale="US")


class Answers:
    """A stand-in for the confirmation dialog: records each question, answers `answer`."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.asked: list[tuple[str, str]] = []

    def __call__(self, _parent: object, title: str, question: str) -> bool:
        self.asked.append((title, question))
        return self.answer


def make_context(vault: Vault, ini: Path, autosave_seconds: int | None = 1) -> AppContext:
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    if autosave_seconds is not None:
        settings.setValue("notes/autosave_seconds", autosave_seconds)
    return AppContext(vault, BackgroundRunner(), ErrorPresenter(interactive=False), Preferences(settings))


@pytest.fixture
def ws_vault(tmp_path: Path) -> Iterator[Vault]:
    vault, _recovery = Vault.create(tmp_path / "v.notesdesk", PASSPHRASE)
    vault.save_profile(SIGNER)
    yield vault
    vault.close()


@pytest.fixture
def ws_ctx(qapp: object, ws_vault: Vault, tmp_path: Path) -> AppContext:
    return make_context(ws_vault, tmp_path / "p.ini")


@pytest.fixture
def ws_client(ws_ctx: AppContext) -> str:
    client = Client(name="Robin Example", intake_date=date(2024, 1, 8))
    return clients.add_client(ws_ctx.uow(), client).id


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def workspace(qtbot, ws_ctx: AppContext, ws_client: str, answers: Answers):
    from notesdesk.ui.workspace import ClientWorkspace

    ws = ClientWorkspace(ws_ctx, ws_client, confirm=answers)
    qtbot.addWidget(ws)
    ws.resize(1200, 800)
    ws.show()
    qtbot.waitExposed(ws)
    return ws
