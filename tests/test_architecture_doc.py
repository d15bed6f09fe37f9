"""docs/architecture.md points at the modules it describes: every link resolves, and the README links
to it, so the map cannot quietly drift from the tree."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "architecture.md"


def test_every_link_in_the_architecture_doc_resolves() -> None:
    links = re.findall(r"\]\(([^)#]+)\)", DOC.read_text(encoding="utf-8"))
    assert len(links) > 20
    broken = [link for link in links if not (DOC.parent / link).resolve().exists()]
    assert not broken, f"docs/architecture.md links to what is not there: {broken}"


def test_the_readme_links_to_it() -> None:
    assert "(docs/architecture.md)" in (REPO / "README.md").read_text(encoding="utf-8")
