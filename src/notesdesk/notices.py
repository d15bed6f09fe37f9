"""Third-party notices: what NotesDesk ships that others wrote, under which licence, with the texts.

The list is derived, never kept by hand: the Python distributions are NotesDesk's runtime requirements
followed transitively through the installed metadata (markers evaluated for this machine, extras
ignored), which is also what PyInstaller bundles (installer/notesdesk.spec copies the same metadata,
so a frozen build reads the same list). Three components are not Python distributions and are added
here: the Python runtime, the Qt libraries inside the PySide6 wheels (LGPL-3.0, used as replaceable
shared libraries) and the DejaVu fonts in resources/fonts. A Linux bundle also lists the build
machine's libraries it carries (system_components). Third-party content is listed from the data that
ships it: each questionnaire's wording with the terms in its instrument file, and the ICD-10-CM list
with the release named in its header (bundled_content).

No Qt here: the About dialog shows it, and `installer/notices.py` writes THIRD-PARTY-NOTICES.txt
for every package from it.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib.metadata as md
import importlib.util
import json
import re
import sys
import sysconfig
import textwrap
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from packaging.requirements import Requirement

from notesdesk import __version__
from notesdesk.resources import ResourceMissing, resources_dir

APP_DISTRIBUTION = "notesdesk"
# pyproject.toml's [project] license; the same words in the About dialog and the packages.
PROJECT_LICENSE = "LicenseRef-Proprietary"
PROJECT_LICENSE_WORDS = "proprietary, all rights reserved; NotesDesk is not open-source software"

_LICENCE_FILE = re.compile(r"(licen[cs]e|copying|notice|authors)", re.IGNORECASE)


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    texts: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (file name, text)


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _licence_of(meta: md.PackageMetadata) -> str:
    """The SPDX expression when the distribution gives one, else its License field or classifier."""
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    declared = (meta.get("License") or "").strip()
    if declared and len(declared) < 120 and "\n" not in declared:
        return declared
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")
    ]
    return ", ".join(classifiers) or "see the licence text"


def _licence_texts(dist: md.Distribution) -> tuple[tuple[str, str], ...]:
    """The licence files inside the distribution's metadata folder (where wheels put them)."""
    found = []
    for entry in dist.files or ():
        parts = entry.parts
        in_metadata = bool(parts) and parts[0].endswith(".dist-info")
        if in_metadata and _LICENCE_FILE.search(entry.name):
            try:
                text = entry.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            found.append(("/".join(parts[1:]), text))
    return tuple(found)


def runtime_distributions(root: str = APP_DISTRIBUTION) -> list[md.Distribution]:
    """Every installed distribution `root` needs at run time, transitively; `root` itself excluded."""
    seen: dict[str, md.Distribution] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue  # an optional requirement this platform does not install
        for line in dist.requires or ():
            requirement = Requirement(line)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            key = _key(requirement.name)
            if key not in seen and key != _key(root):
                try:
                    seen[key] = md.distribution(requirement.name)
                except md.PackageNotFoundError:
                    continue
                pending.append(requirement.name)
    return sorted(seen.values(), key=lambda d: _key(d.metadata["Name"]))


def _resource_text(*parts: str) -> str:
    try:
        path = resources_dir().joinpath(*parts)
        return path.read_text(encoding="utf-8")
    except (ResourceMissing, OSError):
        return ""


def _python_licence() -> str:
    """The interpreter's LICENSE.txt: beside the stdlib from source, in resources/ when frozen."""
    candidates = [Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"]
    with contextlib.suppress(ResourceMissing):
        candidates.insert(0, resources_dir() / "licenses" / "python" / "LICENSE.txt")
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def _qt_version() -> str:
    try:
        return md.version("PySide6-Essentials")
    except md.PackageNotFoundError:
        return "unknown"


SYSTEM_LIBRARIES = "system-libraries.json"


def system_components(path: Path) -> list[Component]:
    """The build machine's libraries a Linux bundle carries, one entry per Debian package, from the
    file installer/linux/system_notices.py wrote at build time (absent from source: there the system
    provides them)."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [
        Component(f"{e['package']} (system library: {', '.join(e['libraries'])})", str(e["version"]),
                  str(e["licence"]), (("copyright", str(e["copyright"])),))
        for e in entries
    ]


def _icu_version() -> str | None:
    """The ICU the PySide6 wheel carries (Linux wheels only), from its library's file name; None when
    Qt uses the system's ICU. Found without importing PySide6 (the CLI prints the notices, no Qt)."""
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for lib in sorted((Path(folder) / "Qt" / "lib").glob("libicuuc.so.*")):
            return lib.name.removeprefix("libicuuc.so.")
    return None


def _openssl_version() -> str | None:
    """The OpenSSL statically linked into the cryptography wheel, as it reports itself."""
    try:
        from cryptography.hazmat.backends.openssl.backend import backend
    except ImportError:
        return None
    words = backend.openssl_version_text().split()
    return words[1] if len(words) > 1 and words[0] == "OpenSSL" else None


def _bundled_inside_wheels() -> list[Component]:
    """Libraries that wheels carry without their own metadata: ICU in PySide6, OpenSSL in cryptography."""
    found = []
    icu = _icu_version()
    if icu:
        found.append(Component("ICU (inside the PySide6 wheels)", icu, "Unicode licence (MIT-style)",
                               (("ICU.txt", _resource_text("licenses", "ICU.txt")),)))
    openssl = _openssl_version()
    if openssl:
        apache = next((t for d in runtime_distributions() if _key(d.metadata["Name"]) == "cryptography"
                       for n, t in _licence_texts(d) if n.endswith("LICENSE.APACHE")), "")
        found.append(Component("OpenSSL (inside the cryptography wheel)", openssl, "Apache-2.0",
                               (("LICENSE (Apache-2.0)", apache),)))
    return found


def _first_sentence(text: str) -> str:
    """Up to the first full stop that ends a word ("U.S." goes on)."""
    return re.split(r"(?<=[a-z0-9)]{2})\. ", text, maxsplit=1)[0].rstrip(".") + "."


def bundled_content() -> list[Component]:
    """Content others wrote that the app shows: the questionnaires' wording (as their instrument files
    state its owner and terms) and the ICD-10-CM code list (its release from the list's own header)."""
    from notesdesk.core.codes import icd10cm  # inline: only the notices need them here
    from notesdesk.core.measures.library import builtin_instruments

    found = []
    for instrument in builtin_instruments():
        licence = instrument.licence
        if licence.owner != "third-party":
            continue
        terms = "\n\n".join(part for part in (licence.attribution, licence.terms, licence.source) if part)
        found.append(Component(f"{instrument.name} questionnaire wording", instrument.version,
                               _first_sentence(licence.terms), (("terms", terms),)))
    with gzip.open(resources.files(icd10cm.__package__).joinpath(icd10cm.DATA_FILE).open("rb"), "rt",
                   encoding="utf-8") as listed:
        release = listed.readline().removeprefix("# ").strip().removeprefix("ICD-10-CM ")
    found.append(Component(
        "ICD-10-CM code list", release, "Public domain (US government work: CDC/NCHS and CMS)",
        (("source", "ICD-10-CM, the US clinical modification of ICD-10, from the National Center for "
                    "Health Statistics (CDC) and CMS: https://www.cdc.gov/nchs/icd/icd-10-cm/. The codes "
                    "and descriptions NotesDesk lists are taken unchanged from that release."),),
    ))
    return found


def components() -> list[Component]:
    """Every third-party component NotesDesk ships, Python distributions first."""
    found = [
        Component(d.metadata["Name"], d.version, _licence_of(d.metadata), _licence_texts(d))
        for d in runtime_distributions()
    ]
    python = f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
    found.append(Component("Python", python, "PSF-2.0", (("LICENSE.txt", _python_licence()),)))
    found.append(Component(
        "Qt (inside the PySide6 wheels)", _qt_version(), "LGPL-3.0-only",
        (("LGPL-3.0.txt", _resource_text("licenses", "LGPL-3.0.txt")),
         ("GPL-3.0.txt", _resource_text("licenses", "GPL-3.0.txt"))),
    ))
    found.append(Component("DejaVu fonts", "2.37", "Bitstream-Vera (DejaVu changes: public domain)",
                           (("LICENSE-DejaVu.txt", _resource_text("fonts", "LICENSE-DejaVu.txt")),)))
    found += _bundled_inside_wheels()
    found += bundled_content()
    with contextlib.suppress(ResourceMissing):
        found += system_components(resources_dir() / "licenses" / SYSTEM_LIBRARIES)
    return found


QT_LGPL_NOTE = (
    "NotesDesk uses Qt and PySide6 under the GNU Lesser General Public License version 3. They are "
    "shipped as separate shared libraries in the installation folder, unmodified; you may replace them "
    "with your own build of the same version. The LGPL text follows, and with it the GPL text it refers to."
)


def notices_text() -> str:
    """Plain text for THIRD-PARTY-NOTICES.txt and the About dialog: a table, then every licence text."""
    items = components()
    lines = [
        f"NotesDesk {__version__}: third-party notices",
        "",
        textwrap.fill(f"NotesDesk itself: {PROJECT_LICENSE_WORDS} (SPDX: {PROJECT_LICENSE}).", 78),
        "",
        textwrap.fill(QT_LGPL_NOTE, 78),
        "",
        "Components:",
    ]
    lines += [f"  {c.name} {c.version}: {c.licence}" for c in items]
    for c in items:
        for file_name, text in c.texts:
            if text.strip():
                lines += ["", "=" * 78, f"{c.name} {c.version}: {file_name}", "=" * 78, text.rstrip()]
    return "\n".join(lines) + "\n"
