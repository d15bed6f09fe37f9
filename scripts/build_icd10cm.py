"""Write the offline ICD-10-CM list that NotesDesk ships (src/notesdesk/core/codes/icd10cm.tsv.gz).

    .venv/bin/python scripts/build_icd10cm.py           # rewrite the list
    .venv/bin/python scripts/build_icd10cm.py --check   # exit 1 when the shipped list differs

The codes and their descriptions are the US ICD-10-CM classification (CDC/CMS, public domain), read
from the `simple-icd-10-cm` package (MIT; a dev dependency, never needed at run time: importing it
parses a 10 MB XML file, seconds and about 190 MB, too slow and too big for the app or a CLI call).
Only codes that can be recorded are kept: the most specific ones (leaves), seventh characters included.
The gzip header carries no time, so one Python version always gives the same bytes for a release
(another version may write a different header byte; --check compares the text).
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

import simple_icd_10_cm as icd
from simple_icd_10_cm import simple_icd_10_cm as icd_module

TARGET = Path(__file__).resolve().parent.parent / "src" / "notesdesk" / "core" / "codes" / "icd10cm.tsv.gz"


def build() -> bytes:
    release = icd_module._all_codes_package_file_name.removeprefix("code-list-").removesuffix(".txt")
    lines = [f"# ICD-10-CM {release}"]
    for code in icd.get_all_codes(with_dots=True):
        if icd.is_category_or_subcategory(code) and icd.is_leaf(code):
            description = " ".join(icd.get_description(code).split())
            lines.append(f"{code}\t{description}")
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="compare with the shipped list instead")
    data = build()
    if parser.parse_args().check:
        # The text, not the bytes: gzip's header differs between Python versions.
        same = TARGET.exists() and gzip.decompress(TARGET.read_bytes()) == gzip.decompress(data)
        print("the shipped list is current" if same else "the shipped list differs: rebuild it")
        return 0 if same else 1
    TARGET.write_bytes(data)
    print(f"{TARGET} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
