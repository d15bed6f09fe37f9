"""The app's identity for installers: icon files, the .desktop entry and AppStream metainfo (checked by
their own validators, which CI installs), and the Windows version resource."""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import plistlib
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from notesdesk import __version__, notices
from notesdesk.core.backup import container, service
from notesdesk.core.storage.vault import Vault

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
LINUX = ROOT / "installer" / "linux"
APP_ID = "org.notesdesk.NotesDesk"  # also notesdesk.ui.identity.APP_ID (that module imports Qt)
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
BACKUP_MIME = "application/x-notesdesk-backup"
MIME_NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: apt-get install {package} (.ci/run installs it)"
    return path


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path.name
    return struct.unpack(">II", data[16:24])


def test_icon_comes_in_every_size_from_one_svg() -> None:
    svg = ET.parse(ICONS / "notesdesk.svg").getroot()
    assert svg.get("viewBox") == "0 0 256 256"
    for size in PNG_SIZES:
        assert _png_size(ICONS / "png" / f"notesdesk-{size}.png") == (size, size)


def test_windows_ico_holds_sizes_up_to_256() -> None:
    data = (ICONS / "notesdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = {(data[6 + 16 * i] or 256) for i in range(count)}  # width 0 means 256
    assert {16, 32, 48, 256} <= sizes


def test_macos_icns_holds_retina_sizes() -> None:
    data = (ICONS / "notesdesk.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    kinds, offset = set(), 8
    while offset < len(data):
        kind, length = data[offset:offset + 4], struct.unpack(">I", data[offset + 4:offset + 8])[0]
        kinds.add(kind.decode("ascii"))
        offset += length
    assert {"ic08", "ic09"} <= kinds  # 256 and 512 pixels


def test_desktop_entry_passes_desktop_file_validate() -> None:
    entry = LINUX / f"{APP_ID}.desktop"
    done = subprocess.run([_tool("desktop-file-validate", "desktop-file-utils"), str(entry)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error:" not in done.stdout and "warning:" not in done.stdout, done.stdout
    keys = dict(line.split("=", 1) for line in entry.read_text().splitlines() if "=" in line)
    assert keys["Exec"] == "notesdesk %f" and keys["Icon"] == APP_ID and keys["Terminal"] == "false"
    # A double-clicked backup is given to `notesdesk FILE`, which opens its restore page.
    assert keys["MimeType"].split(";") == [BACKUP_MIME, ""]


def test_metainfo_passes_appstreamcli_validate() -> None:
    metainfo = LINUX / f"{APP_ID}.metainfo.xml"
    done = subprocess.run([_tool("appstreamcli", "appstream"), "validate", "--no-net", str(metainfo)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    component = ET.parse(metainfo).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == f"{APP_ID}.desktop"
    assert component.findtext("project_license") == "LicenseRef-Proprietary"
    release = component.find("releases/release")
    assert release is not None and release.get("version") == __version__
    assert component.findtext("provides/mediatype") == BACKUP_MIME


def test_windows_version_resource_names_the_product_and_version() -> None:
    spec = importlib.util.spec_from_file_location("version_info", ROOT / "installer/windows/version_info.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.version_info_text("1.2.3", "NotesDesk", "NotesDesk.exe")
    seen: dict[str, object] = {}

    def record(kind: str):
        def make(*args, **kwargs):
            if kind == "StringStruct":
                seen[args[0]] = args[1]
            if kind == "FixedFileInfo":
                seen["filevers"] = kwargs["filevers"]
            return (kind, args, kwargs)
        return make

    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct")
    eval(compile(text, "version_info.txt", "eval"), {n: record(n) for n in names})  # PyInstaller's format
    assert seen["filevers"] == (1, 2, 3, 0)
    assert seen["ProductName"] == "NotesDesk" and seen["ProductVersion"] == "1.2.3"
    assert seen["OriginalFilename"] == "NotesDesk.exe"
    assert "LicenseRef-Proprietary" in str(seen["LegalCopyright"])
    assert module.version_tuple("0.2.0rc1") == (0, 2, 0, 0)


def test_project_licence_is_one_spdx_expression_everywhere() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == notices.PROJECT_LICENSE == "LicenseRef-Proprietary"
    metainfo = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert metainfo.findtext("project_license") == project["license"]


def _load(path: str):
    spec = importlib.util.spec_from_file_location(Path(path).stem, ROOT / "installer" / path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_backup_type_is_declared_by_its_name_and_its_first_bytes() -> None:
    root = ET.parse(LINUX / f"{APP_ID}.mime.xml").getroot()
    [kind] = root.findall("m:mime-type", MIME_NS)
    assert kind.get("type") == BACKUP_MIME
    [glob] = [g.get("pattern") for g in kind.findall("m:glob", MIME_NS)]
    backup_name = service.backup_name(datetime(2026, 12, 7, 10, 15, tzinfo=UTC), ROOT)
    assert glob == f"*{service.SUFFIX}" and fnmatch.fnmatch(backup_name.name, glob)
    [match] = kind.findall("m:magic/m:match", MIME_NS)
    assert (match.get("type"), match.get("offset")) == ("string", "0")
    assert match.get("value", "").encode() == container.MAGIC  # every format version starts so


def test_a_backup_is_that_type_and_opens_in_notesdesk_as_xdg_mime_sees_it(tmp_path: Path) -> None:
    """What the .deb installs, put in a data folder of its own and indexed as its dpkg triggers do
    (update-mime-database, update-desktop-database); then asked as a desktop asks (xdg-mime)."""
    share = tmp_path / "share"
    (share / "mime" / "packages").mkdir(parents=True)
    (share / "applications").mkdir()
    shutil.copy(LINUX / f"{APP_ID}.mime.xml", share / "mime" / "packages" / f"{APP_ID}.xml")
    shutil.copy(LINUX / f"{APP_ID}.desktop", share / "applications")
    for tool, package, folder in (("update-mime-database", "shared-mime-info", "mime"),
                                  ("update-desktop-database", "desktop-file-utils", "applications")):
        subprocess.run([_tool(tool, package), str(share / folder)], check=True, capture_output=True)
    _tool("mimetype", "libfile-mimeinfo-perl")  # what xdg-mime asks outside a desktop session
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_DIRS": f"{share}:/usr/share"}

    def query(*args: str) -> str:
        done = subprocess.run([_tool("xdg-mime", "xdg-utils"), "query", *args], env=env,
                              capture_output=True, text=True, check=True)
        return done.stdout.strip()

    vault, _key = Vault.create(tmp_path / "practice.notesdesk", "correct horse battery")
    with vault:
        backup = service.make_backup(vault, tmp_path / "backups")
    assert query("filetype", str(backup)) == BACKUP_MIME
    renamed = backup.rename(tmp_path / "sent-by-mail")  # no extension left: known by its first bytes
    assert query("filetype", str(renamed)) == BACKUP_MIME
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear colleague", encoding="utf-8")
    assert query("filetype", str(letter)) != BACKUP_MIME
    assert query("default", BACKUP_MIME) == f"{APP_ID}.desktop"


def test_the_mac_app_owns_the_backup_type_and_says_its_minimum_macos() -> None:
    module = _load("macos/info_plist.py")
    plist = plistlib.loads(plistlib.dumps(module.info_plist("1.2.3")))  # what BUNDLE writes
    assert plist["CFBundleIdentifier"] == APP_ID and plist["CFBundleShortVersionString"] == "1.2.3"
    assert plist["LSMinimumSystemVersion"] == "14.0"
    [document] = plist["CFBundleDocumentTypes"]
    [exported] = plist["UTExportedTypeDeclarations"]
    assert document["LSItemContentTypes"] == [exported["UTTypeIdentifier"]]
    assert document["LSHandlerRank"] == "Owner"
    tags = exported["UTTypeTagSpecification"]
    extension = [service.SUFFIX.lstrip(".")]
    assert tags["public.filename-extension"] == extension == document["CFBundleTypeExtensions"]
    assert tags["public.mime-type"] == [BACKUP_MIME]
    assert "public.data" in exported["UTTypeConformsTo"]
    spec = (ROOT / "installer" / "notesdesk.spec").read_text()
    assert "info_plist=info_plist(__version__)" in spec  # the BUNDLE uses this, not a copy
