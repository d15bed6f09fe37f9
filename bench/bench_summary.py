"""Clinician treatment summary for a 40-session client, as a ratio to a bare reportlab document of the
same page count built in the same run (goal: at most 1.5x).

    .venv/bin/python bench/bench_summary.py [--sessions 40] [--runs 15]

"Bare" means SimpleDocTemplate, built-in Helvetica, plain Paragraphs and PageBreaks: no embedded
fonts, tables, charts or page-X-of-Y. Two figures are printed: rendering alone (the same read model
each run), which is the document-to-document comparison the goal is about, and end to end (scoring the
measures and reading and decrypting the record as `notesdesk summary` does, then rendering), for
information. Prints figures only; no assertions.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("NOTESDESK_INSECURE_TEST_KDF", "1")  # the KDF is not what we measure here

from pypdf import PdfReader  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # noqa: E402
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate  # noqa: E402

from notesdesk.core.domain.summaries import ClientSummary  # noqa: E402
from notesdesk.core.reports import PdfOptions, render_clinician_summary  # noqa: E402
from notesdesk.core.reports.fonts import SANS, register_fonts  # noqa: E402
from notesdesk.core.services import clients, summary  # noqa: E402
from notesdesk.core.services.summary_measures import summary_measures  # noqa: E402
from notesdesk.core.storage.vault import Vault  # noqa: E402
from notesdesk.demo import build_demo  # noqa: E402

PASSPHRASE = "benchmark passphrase"
LINE = "Client described sleep, work stress and the breathing practice in some detail during the session. "


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def interleaved(fns: list[Callable[[], object]], runs: int) -> list[list[float]]:
    """Times per function, taken in turn within each run, so load from other processes hits all alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            times[i].append(timed(fn))
    return times


def bare_document(pages: int, paragraphs_per_page: int = 14, font: str | None = None) -> bytes:
    """A plain reportlab document of `pages` full pages of running text (Helvetica unless `font`)."""
    styles = getSampleStyleSheet()
    head, body = styles["Heading2"], styles["BodyText"]
    if font is not None:
        head = ParagraphStyle("h", parent=head, fontName=font)
        body = ParagraphStyle("b", parent=body, fontName=font)
    story = []
    for page in range(pages):
        story.append(Paragraph(f"Section {page + 1}", head))
        story += [Paragraph(f"{i}. {LINE * 3}", body) for i in range(paragraphs_per_page)]
        if page < pages - 1:
            story.append(PageBreak())
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()


def full_page_paragraphs(pages: int) -> int:
    """The most paragraphs per page that still give exactly `pages` pages (calibrated, not timed)."""
    count = 1
    while page_count(bare_document(pages, count + 1)) == pages:
        count += 1
    return count


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        vault, _key = Vault.create(Path(tmp) / "bench.notesdesk", PASSPHRASE)
        try:
            build_demo(vault, clients=1, notes=args.sessions, seed=11)
            client = clients.list_clients(vault.unit_of_work())[0]

            def read() -> ClientSummary:
                """What `notesdesk summary` and the app do: score the measures, then read the record."""
                scorer = summary_measures(vault.unit_of_work(), client.id)
                return summary.client_summary(vault.unit_of_work(), client.id, measures=scorer)

            model = read()
            options = PdfOptions()
            pdf = render_clinician_summary(model, options)
            pages = page_count(pdf)
            per_page = full_page_paragraphs(pages)
            register_fonts()
            bare_fn = lambda: bare_document(pages, per_page)  # noqa: E731
            dejavu_fn = lambda: bare_document(pages, per_page, SANS)  # noqa: E731
            render_fn = lambda: render_clinician_summary(model, options)  # noqa: E731
            both_fn = lambda: render_clinician_summary(read(), options)  # noqa: E731
            for fn in (bare_fn, dejavu_fn, render_fn, both_fn):  # warm caches (fonts, imports) first
                fn()
            timings = interleaved([bare_fn, dejavu_fn, render_fn, both_fn], args.runs)
            bare_t, dejavu_t, render_t, both_t = timings
        finally:
            vault.close()
    sessions = len(model.sessions)
    print(f"clinician summary: {sessions} sessions, {pages} pages, {len(pdf) / 1024:.0f} KiB")
    print(f"bare reportlab document, {pages} full pages ({per_page} paragraphs each): "
          f"{statistics.median(bare_t) * 1000:.1f} ms")
    print(f"the same bare document in embedded DejaVu: {statistics.median(dejavu_t) * 1000:.1f} ms")
    for label, times, note in (("rendering only", render_t, "goal <= 1.5x"),
                               ("read + render", both_t, "for information: includes decrypting the record")):
        ratios = [t / b for t, b in zip(times, bare_t, strict=True)]
        print(f"summary, {label}: {statistics.median(times) * 1000:.1f} ms, median ratio "
              f"{statistics.median(ratios):.2f}x (range {min(ratios):.2f}-{max(ratios):.2f}; {note})")
    ratios = [t / b for t, b in zip(render_t, dejavu_t, strict=True)]
    print(f"summary rendering vs the DejaVu bare document: median ratio {statistics.median(ratios):.2f}x")


if __name__ == "__main__":
    main()
