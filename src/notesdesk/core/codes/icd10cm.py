"""The offline ICD-10-CM list: the codes that can be recorded (the most specific ones) with their
descriptions, shipped as icd10cm.tsv.gz and written by scripts/build_icd10cm.py from the
`simple-icd-10-cm` package. ICD-10-CM is the US clinical modification of ICD-10 (CDC/CMS, public
domain). No DSM-5-TR text: its wording is licensed.

Loaded once per process on first use (about 75,000 codes, well under a second); the app loads it in the
background before its code picker searches.
"""

from __future__ import annotations

import bisect
import gzip
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from notesdesk.core.errors import InvalidInput

DATA_FILE = "icd10cm.tsv.gz"
SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"  # the FHIR code system of ICD-10-CM
_CODE_START = re.compile(r"[A-Za-z][0-9][0-9A-Za-z.]*")  # what a code's start looks like as typed


@dataclass(frozen=True)
class IcdCode:
    code: str  # with its dot: "F41.1"
    description: str


@dataclass(frozen=True)
class IcdList:
    release: str
    codes: dict[str, str]  # code (with dot) -> description, in the classification's order
    categories: frozenset[str]  # every code that has more specific codes under it ("F41", "F43.1")
    # Per code, in the same order: its description folded to " word word …", so that "does a word
    # start with w" is one substring test (" " + w in it). `joined` is them all, one a line, and
    # `starts` where each line starts: one scan of it for the longest word finds the candidates at C
    # speed (about ten times faster than testing every line), fast enough for search-as-you-type.
    folded: tuple[str, ...] = field(default=(), repr=False)
    joined: str = field(default="", repr=False)
    starts: tuple[int, ...] = field(default=(), repr=False)

    def search(self, text: str, limit: int = 50) -> list[IcdCode]:
        """Codes starting with `text` (dot optional), else codes whose description holds every word
        of `text` (each as a word start), in the classification's order."""
        wanted = text.strip()
        if not wanted:
            return []
        if _CODE_START.fullmatch(wanted):
            bare = wanted.upper().replace(".", "")
            found = [c for c in self.codes if c.replace(".", "").startswith(bare)]
            if found:
                return [IcdCode(c, self.codes[c]) for c in found[:limit]]
        words = [" " + w for w in re.split(r"\W+", wanted.casefold()) if w]
        if not words:
            return []
        codes = list(self.codes)
        out: list[IcdCode] = []
        last = -1
        for match in re.finditer(re.escape(max(words, key=len)), self.joined):
            line = bisect.bisect_right(self.starts, match.start()) - 1
            if line == last:  # the word twice in one description
                continue
            last = line
            if all(w in self.folded[line] for w in words):
                out.append(IcdCode(codes[line], self.codes[codes[line]]))
                if len(out) >= limit:
                    break
        return out

    def lookup(self, text: str) -> IcdCode:
        """The code `text` names, or InvalidInput with one line saying why not."""
        code = normal_code(text)
        if code is None:
            raise InvalidInput("Give an ICD-10-CM code, for example F41.1.")
        if code in self.codes:
            return IcdCode(code, self.codes[code])
        if code in self.categories:
            more = [c for c in self.codes if c.startswith(code)][:3]
            raise InvalidInput(
                f"{code} is a category, not a code that can be recorded; choose a more specific one "
                f"(such as {', '.join(more)})."
            )
        raise InvalidInput(f"{code} is not an ICD-10-CM code ({self.release}); check it and try again.")


def normal_code(text: str) -> str | None:
    """'f411' or ' F41.1 ' -> 'F41.1'; None when it cannot be a code at all."""
    bare = text.strip().upper().replace(".", "")
    if not re.fullmatch(r"[A-Z][0-9][0-9A-Z]{1,5}", bare):
        return None
    return bare[:3] + ("." + bare[3:] if len(bare) > 3 else "")


@cache
def icd10cm() -> IcdList:
    raw = resources.files(__package__).joinpath(DATA_FILE).read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    release = lines[0].removeprefix("# ").strip()
    codes: dict[str, str] = {}
    categories: set[str] = set()
    for line in lines[1:]:
        code, _tab, description = line.partition("\t")
        codes[code] = description
        bare = code.replace(".", "")
        for end in range(3, len(bare)):
            categories.add(bare[:3] + ("." + bare[3:end] if end > 3 else ""))
    folded = tuple(" " + " ".join(re.split(r"\W+", d.casefold())) for d in codes.values())
    starts, at = [], 0
    for line in folded:
        starts.append(at)
        at += len(line) + 1
    return IcdList(release, codes, frozenset(categories), folded, "\n".join(folded), tuple(starts))


def lookup(text: str) -> IcdCode:
    return icd10cm().lookup(text)


def search(text: str, limit: int = 50) -> list[IcdCode]:
    return icd10cm().search(text, limit)
