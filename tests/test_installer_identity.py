"""The app's identity for installers: icon files, the .desktop entry and AppStream metainfo (checked by
their own validators, which CI installs), and the Windows version resource."""

from __future__ import annotations

import importlib.util
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

from notesdesk import __version__, notices

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
LINUX = ROOT / "installer" / "linux"
APP_ID = "org.notesdesk.NotesDesk"  # also notesdesk.ui.identity.APP_ID (that module imports Qt)
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


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
    assert keys["Exec"] == "notesdesk" and keys["Icon"] == APP_ID and keys["Terminal"] == "false"


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
