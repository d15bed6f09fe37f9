"""Render every printed document of the demo practice and keep small PNG examples in docs/reports/.

    .venv/bin/python scripts/report_examples.py            # refresh docs/reports/*.png
    .venv/bin/python scripts/report_examples.py --all DIR  # every document of every demo client, as PDF
                                                           # and PNG pages in DIR, for looking them over

Needs `pdftoppm` (poppler-utils). Synthetic data only (build_demo, seed 7); the vault lives in a
temporary folder with the test-only fast key derivation.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("NOTESDESK_INSECURE_TEST_KDF", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from notesdesk.core import reports  # noqa: E402
from notesdesk.core.domain.clients import Client  # noqa: E402
from notesdesk.core.errors import NotFound  # noqa: E402
from notesdesk.core.reports import PdfOptions  # noqa: E402
from notesdesk.core.services import clients, notes, summary  # noqa: E402
from notesdesk.core.services.summary_measures import summary_measures  # noqa: E402
from notesdesk.core.storage.vault import Vault  # noqa: E402
from notesdesk.demo import build_demo  # noqa: E402

Render = Callable[[Vault, str], bytes]
DOCS = ROOT / "docs" / "reports"


def documents(options: PdfOptions) -> dict[str, Render]:
    def clinician(v: Vault, cid: str) -> bytes:
        scorer = summary_measures(v.unit_of_work(), cid)
        model = summary.client_summary(v.unit_of_work(), cid, measures=scorer)
        return reports.render_clinician_summary(model, options)

    def client_copy(v: Vault, cid: str) -> bytes:
        scorer = summary_measures(v.unit_of_work(), cid, include_alliance=False)
        return reports.render_client_summary(summary.client_summary(v.unit_of_work(), cid, measures=scorer),
                                             options)

    def record(v: Vault, cid: str) -> bytes:
        scorer = summary_measures(v.unit_of_work(), cid)
        return reports.render_access_record(summary.access_record(v.unit_of_work(), cid, measures=scorer),
                                            options)

    return {
        "clinician-summary": clinician,
        "client-summary": client_copy,
        "safety-plan": lambda v, cid: reports.render_safety_plan(
            summary.safety_plan_sheet(v.unit_of_work(), cid), options),
        "homework-sheet": lambda v, cid: reports.render_homework_sheet(
            summary.homework_sheet(v.unit_of_work(), cid), options),
        "access-record": record,
        "maintenance-plan": lambda v, cid: reports.render_maintenance_plan(
            summary.maintenance_sheet(v.unit_of_work(), cid), options),
    }


def to_png(pdf: Path, stem: Path, first: int = 1, last: int = 1, dpi: int = 60) -> None:
    pages = ["-f", str(first), "-l", str(last)]
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), *pages, str(pdf), str(stem)], check=True)


def page_with(pdf: Path, text: str) -> int:
    from pypdf import PdfReader

    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        if text in (page.extract_text() or ""):
            return number
    return 1


def fullest_first(vault: Vault, listed: list[Client]) -> list[Client]:
    """Demo clients with the most notes first: the fullest example of each document."""
    counts = {c.id: len(notes.list_notes(vault.unit_of_work(), c.id)) for c in listed}
    return sorted(listed, key=lambda c: -counts[c.id])


# An example should show the document doing its job, not its empty state.
EMPTY_STATES = {"homework-sheet": "No tasks set for this week", "clinician-summary": "No measures recorded",
                "client-summary": "Your chart will appear here once"}


def first_that_renders(vault: Vault, ordered: list[Client], name: str, render: Render) -> bytes:
    from pypdf import PdfReader

    for client in ordered:
        try:
            pdf = render(vault, client.id)
        except NotFound:  # e.g. no discharge note, so no maintenance plan to print
            continue
        text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
        if EMPTY_STATES.get(name, "\0") not in text:
            return pdf
    raise SystemExit(f"no demo client has a {name} worth showing")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--all", type=Path, help="render every document of every client into this folder")
    args = parser.parse_args()
    options = PdfOptions()
    with tempfile.TemporaryDirectory() as tmp:
        vault, key = Vault.create(Path(tmp) / "examples.notesdesk", "examples passphrase")
        try:
            build_demo(vault, clients=12, seed=7)
            listed = clients.list_clients(vault.unit_of_work())
            docs = documents(options)
            if args.all:
                args.all.mkdir(parents=True, exist_ok=True)
                for n, client in enumerate(listed):
                    for name, render in docs.items():
                        pdf = args.all / f"client{n:02d}-{name}.pdf"
                        try:
                            pdf.write_bytes(render(vault, client.id))
                        except NotFound:  # no discharge note, so no maintenance plan to print
                            continue
                        subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(pdf.with_suffix(""))],
                                       check=True)
                return
            ordered = fullest_first(vault, listed)
            work = Path(tmp) / "pdf"
            work.mkdir()
            for name, render in docs.items():
                pdf = work / f"{name}.pdf"
                pdf.write_bytes(first_that_renders(vault, ordered, name, render))
                to_png(pdf, work / name)
                if name == "clinician-summary":
                    page = page_with(pdf, "Measures")
                    to_png(pdf, work / "clinician-summary-measures", page, page)
            sheet = summary.recovery_sheet(key, vault.vault_id)
            (work / "recovery-sheet.pdf").write_bytes(reports.render_recovery_sheet(sheet, options))
            to_png(work / "recovery-sheet.pdf", work / "recovery-sheet")
            for png in work.glob("*.png"):
                target = DOCS / (png.stem.rsplit("-", 1)[0] + ".png")
                shutil.copyfile(png, target)
                print(target.relative_to(ROOT))
        finally:
            vault.close()


if __name__ == "__main__":
    main()
