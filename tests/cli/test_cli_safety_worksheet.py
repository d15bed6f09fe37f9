"""A blank safety-plan worksheet for a client with no plan yet (issue 14 item 10): the seven sections,
room to write, and the practice's crisis lines (none, with the reason, until the country is set)."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from notesdesk.core.domain.care import SAFETY_PLAN_SECTIONS

from .conftest import Runner


def _text(path: Path) -> str:
    pages = PdfReader(io.BytesIO(path.read_bytes())).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_a_blank_worksheet_prints_for_a_client_without_a_plan(
    run: Runner, client_id: str, tmp_path: Path
) -> None:
    refused = run("safety-plan", "print", "Zoë", "--out", str(tmp_path / "plan.pdf"))
    assert refused.code == 1 and "no safety plan yet" in refused.err
    out = tmp_path / "worksheet.pdf"
    run.ok("safety-plan", "print", "Zoë", "--blank", "--out", str(out))
    text = _text(out)
    assert len(PdfReader(io.BytesIO(out.read_bytes())).pages) == 1
    for _key, title in SAFETY_PLAN_SECTIONS:
        assert " ".join(title.split()) in text, title
    assert "to fill in together" in text
    assert "Crisis numbers appear once the practice" in text and "988" not in text  # country not set yet
