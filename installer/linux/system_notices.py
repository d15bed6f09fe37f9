"""Which Debian packages the host libraries in a Linux bundle come from, with their copyright files.

PyInstaller copies shared libraries from the build machine into the bundle (libxcb, GLib, D-Bus,
CUPS, ...); they are third-party components too, several under the LGPL. notesdesk.spec calls
`describe` on them and ships the result as resources/licenses/system-libraries.json, which
notesdesk.notices turns into entries of the About dialog and THIRD-PARTY-NOTICES.txt.
Needs dpkg (Debian/Ubuntu build hosts); elsewhere the list is empty and the build says so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path


def _owners(paths: list[str]) -> dict[str, str]:
    """path -> the package that installed it, in one `dpkg -S` call over the paths and their targets
    (dpkg may know a library by its resolved name only), each also under its merged-/usr twin (dpkg
    records /lib/x86_64-linux-gnu/libz.so.1 where the loader found /usr/lib/x86_64-linux-gnu/…)."""

    def twins(path: str) -> list[str]:
        if path.startswith("/usr/lib/"):
            return [path, path.removeprefix("/usr")]
        if path.startswith("/lib/"):
            return [path, "/usr" + path]
        return [path]

    candidates = {p: [*twins(p), *twins(os.path.realpath(p))] for p in paths}
    asked = sorted({c for options in candidates.values() for c in options})
    done = subprocess.run(["dpkg", "-S", *asked], capture_output=True, text=True, check=False)
    owned = {}
    for line in done.stdout.splitlines():
        package, _, path = line.partition(": ")
        owned[path.strip()] = package.split(",")[0].strip()
    return {p: next(owned[c] for c in options if c in owned)
            for p, options in candidates.items() if any(c in owned for c in options)}


def _licences(copyright_text: str) -> str:
    """The distinct `License:` short names of a machine-readable (DEP-5) copyright file; a free-form
    file's sentences that merely start with "License:" are left to the text itself."""
    found = (m.strip() for m in re.findall(r"^License:\s*(\S.*)$", copyright_text, re.MULTILINE))
    names = dict.fromkeys(name for name in found if len(name.split()) <= 6)
    return " AND ".join(names) or "see the copyright file"


def describe(paths: list[str]) -> list[dict[str, object]]:
    """One entry per package: name, version, the library files, licence names and copyright text."""
    if not shutil.which("dpkg"):
        return []
    by_package: dict[str, set[str]] = {}
    for path, package in _owners(paths).items():
        by_package.setdefault(package, set()).add(os.path.basename(path))
    found = []
    for package, libs in sorted(by_package.items()):
        bare = package.split(":")[0]
        version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package],
                                 capture_output=True, text=True, check=False).stdout.strip()
        copyright_file = Path("/usr/share/doc") / bare / "copyright"
        text = ""
        if copyright_file.is_file():
            text = copyright_file.read_text(encoding="utf-8", errors="replace")
        found.append({"package": bare, "version": version, "libraries": sorted(libs),
                      "licence": _licences(text), "copyright": text})
    return found


def write(paths: list[str], out: Path) -> int:
    entries = describe(paths)
    out.write_text(json.dumps(entries, indent=1), encoding="utf-8")
    return len(entries)
