"""`notesdesk --selftest`: prove that this installation works, on a throw-away vault.

It runs the parts a frozen build most often loses (fonts and migrations as data files, the Argon2id and
AES code in compiled libraries, reportlab's PDF writer) end to end: a vault with the real key derivation,
a small synthetic practice (notesdesk.demo: invented names only), a note written and signed, every
printed document rendered and read back, and a backup made, verified and restored. Nothing here
imports Qt, so it runs offscreen, from source and inside the bundle alike.

The vault lives in a fresh temporary folder that is deleted afterwards, whatever happens; check names
and error lines never carry record text (a failure names the exception type or the app's own message).
"""

from __future__ import annotations

import io
import json
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from notesdesk import demo
from notesdesk.core import reports
from notesdesk.core.backup import service as backup
from notesdesk.core.crypto import kdf
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.reports import PdfOptions
from notesdesk.core.services import notes, summary
from notesdesk.core.services.documents import document_sources
from notesdesk.core.services.summary_measures import summary_measures
from notesdesk.core.services.verify import verify_vault
from notesdesk.core.storage.vault import Vault

# Enough clients that the demo has a discharged one (its discharge note carries the maintenance plan)
# and one with a safety plan; few enough that the whole run stays within a few seconds.
DEMO_CLIENTS = 5
DEMO_NOTES = 60
DEMO_SEED = 1


class CheckFailed(Exception):
    """A check found the installation not working; the message is safe to print."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    seconds: float
    detail: str = ""

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        tail = f": {self.detail}" if self.detail else ""
        return f"{mark} {self.name} ({self.seconds:.1f} s){tail}"


@dataclass
class _State:
    folder: Path
    passphrase: str = field(default_factory=lambda: "selftest " + secrets.token_urlsafe(18))
    vault: Vault | None = None
    recovery_key: str = ""
    client_ids: list[str] = field(default_factory=list)
    note_id: str = ""
    backup_file: Path | None = None

    @property
    def vault_path(self) -> Path:
        return self.folder / "selftest.notesdesk"

    def open_vault(self) -> Vault:
        assert self.vault is not None
        return self.vault


def _create_vault(state: _State) -> str:
    if kdf.test_kdf_enabled():
        raise CheckFailed(f"the test-only key derivation is switched on; unset {kdf.TEST_KDF_ENV}")
    state.vault, state.recovery_key = Vault.create(state.vault_path, state.passphrase)
    slot = state.vault.key_slots()["passphrase"]
    params = kdf.KdfParams.from_dict(json.loads(slot.params))
    if params.memory_kib < kdf.PRODUCTION_MIN_MEMORY_KIB or params.iterations < kdf.PRODUCTION_MIN_ITERATIONS:
        raise CheckFailed("the passphrase slot uses weaker than production key derivation")
    return f"Argon2id {params.memory_kib // 1024} MiB, t={params.iterations}"


def _fill_practice(state: _State) -> str:
    vault = state.open_vault()
    made = demo.build_demo(vault, clients=DEMO_CLIENTS, notes=DEMO_NOTES, seed=DEMO_SEED)
    with vault.unit_of_work() as uow:
        state.client_ids = [c.id for c in uow.clients.all()]
    return f"{made.clients} invented clients, {made.notes} notes"


def _write_and_sign(state: _State) -> str:
    uow = state.open_vault().unit_of_work
    client_id = state.client_ids[0]
    sections = notes.build_sections(NoteFormat.SOAP, {
        "subjective": "Self-test note: reports a calm week.",
        "assessment": "Self-test: no clinical content.",
        "plan": "None; this vault is deleted at once.",
    })
    draft = notes.create_note(uow(), SessionNote(client_id, date.today(), NoteFormat.SOAP, sections))
    notes.sign_note(uow(), draft.id)
    signed, addenda = notes.get_note(uow(), draft.id)
    if not signed.is_signed or not notes.verify_note(uow(), signed, addenda):
        raise CheckFailed("the signed note does not verify")
    state.note_id = signed.id
    return "signature verifies"


def _documents(state: _State) -> dict[str, Callable[[PdfOptions], bytes]]:
    """Each printed document, for the first client that has what it needs."""
    vault = state.open_vault()
    uow = vault.unit_of_work
    safety = next((c for c in state.client_ids if document_sources(uow(), c).safety_plan), None)
    ending = next((c for c in state.client_ids if document_sources(uow(), c).maintenance_plan), None)
    if safety is None or ending is None:
        raise CheckFailed("the synthetic practice lacks a safety plan or a discharge note")
    cid = state.client_ids[0]

    def clinician(o: PdfOptions) -> bytes:
        model = summary.client_summary(uow(), cid, measures=summary_measures(uow(), cid))
        return reports.render_clinician_summary(model, o)

    def client_copy(o: PdfOptions) -> bytes:
        scorer = summary_measures(uow(), cid, include_alliance=False)
        return reports.render_client_summary(summary.client_summary(uow(), cid, measures=scorer), o)

    return {
        "treatment summary": clinician,
        "client's summary": client_copy,
        "record of care": lambda o: reports.render_access_record(
            summary.access_record(uow(), cid, measures=summary_measures(uow(), cid)), o),
        "safety plan": lambda o: reports.render_safety_plan(summary.safety_plan_sheet(uow(), safety), o),
        "homework sheet": lambda o: reports.render_homework_sheet(summary.homework_sheet(uow(), cid), o),
        "maintenance plan": lambda o: reports.render_maintenance_plan(
            summary.maintenance_sheet(uow(), ending), o),
        "recovery sheet": lambda o: reports.render_recovery_sheet(
            summary.recovery_sheet(state.recovery_key, vault.vault_id), o),
    }


def _render_pdfs(state: _State) -> str:
    documents = _documents(state)
    pages = 0
    for name, render in documents.items():
        data = render(PdfOptions())
        reader = PdfReader(io.BytesIO(data))
        if not data.startswith(b"%PDF") or not reader.pages or not reader.pages[0].extract_text().strip():
            raise CheckFailed(f"the {name} did not render as a readable PDF")
        pages += len(reader.pages)
    protected = documents["safety plan"](PdfOptions(password=secrets.token_urlsafe(12)))
    if not PdfReader(io.BytesIO(protected)).is_encrypted:
        raise CheckFailed("a password-protected PDF came out unprotected")
    return f"{len(documents)} documents, {pages} pages, and one password-protected"


def _make_backup(state: _State) -> str:
    state.backup_file = backup.make_backup(state.open_vault(), state.folder / "backups")
    return f"{state.backup_file.stat().st_size // 1024} KiB"


def _verify_backup(state: _State) -> str:
    assert state.backup_file is not None
    check = backup.check_backup(state.backup_file, passphrase=state.passphrase)
    if not check.report.ok:
        raise CheckFailed("the backup's records do not verify")
    return "slots, chunks, seals, signatures and audit chain"


def _restore_backup(state: _State) -> str:
    assert state.backup_file is not None
    target = state.folder / "restored" / "selftest.notesdesk"
    backup.restore(state.backup_file, target, passphrase=state.passphrase)
    with Vault.open(target, passphrase=state.passphrase) as restored:
        if not verify_vault(restored.unit_of_work()).ok:
            raise CheckFailed("the restored vault does not verify")
        signed, addenda = notes.get_note(restored.unit_of_work(), state.note_id)
        if not notes.verify_note(restored.unit_of_work(), signed, addenda):
            raise CheckFailed("the signed note did not survive the restore")
    return "opens with the passphrase, the signed note verifies"


CHECKS: tuple[tuple[str, Callable[[_State], str]], ...] = (
    ("create a vault", _create_vault),
    ("add a synthetic practice", _fill_practice),
    ("write and sign a note", _write_and_sign),
    ("render every PDF document", _render_pdfs),
    ("make a backup", _make_backup),
    ("verify the backup", _verify_backup),
    ("restore the backup", _restore_backup),
)


@contextmanager
def _scratch() -> Iterator[_State]:
    folder = Path(tempfile.mkdtemp(prefix="notesdesk-selftest-"))
    state = _State(folder)
    try:
        yield state
    finally:
        if state.vault is not None:
            state.vault.close()
        shutil.rmtree(folder, ignore_errors=True)


def run_selftest() -> Iterator[CheckResult]:
    """Yield one result per check as it finishes; stop after the first failure (the rest build on it).
    The temporary folder is gone once the generator is exhausted or closed."""
    with _scratch() as state:
        for name, check in CHECKS:
            started = time.perf_counter()
            try:
                detail, ok = check(state), True
            except CheckFailed as exc:
                detail, ok = str(exc), False
            except NotesdeskError as exc:
                detail, ok = exc.message, False
            except Exception as exc:  # the message may quote record text: name the type only
                detail, ok = f"unexpected {type(exc).__name__}", False
            yield CheckResult(name, ok, time.perf_counter() - started, detail)
            if not ok:
                return
