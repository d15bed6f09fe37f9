"""The installer scripts that run in the suite in seconds: the bundle's filters, the NSIS script
(compiled by makensis over a stand-in payload) and what its uninstaller may delete. The slow builds
(bundle, .deb, .tar.xz, the installed-package check) run in `make installer`, not here."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import PySide6

from notesdesk import notices

ROOT = Path(__file__).resolve().parents[1]
NSI = ROOT / "installer" / "windows" / "notesdesk.nsi"
SYSTEM_LIBS = Path("/usr/lib/x86_64-linux-gnu")


def _load(path: str):
    """A script module from installer/ (not a package: PyInstaller's spec puts it on sys.path)."""
    spec = importlib.util.spec_from_file_location(Path(path).stem, ROOT / "installer" / path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _filters():
    return _load("bundle_filters.py")


def test_bundle_filters_drop_unused_qt_parts_and_keep_what_the_app_loads() -> None:
    keep = _filters().keep
    for dropped in (
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/Qt/lib/libQt6WebEngineCore.so.6",
    ):
        assert not keep(dropped), dropped
    for kept in (
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt/translations/qtbase_en.qm",
    ):
        assert keep(kept), kept


def test_pruning_drops_libraries_only_a_dropped_plugin_needed() -> None:
    xcb_plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", str(xcb_plugin), "BINARY"),
        ("libxcb-icccm.so.4", str(SYSTEM_LIBS / "libxcb-icccm.so.4"), "BINARY"),
        ("libz.so.1", str(SYSTEM_LIBS / "libz.so.1"), "BINARY"),  # needed by nothing kept here
    ]
    kept = [dest for dest, _, _ in _filters().prune_orphans(binaries)]
    assert kept == ["PySide6/Qt/plugins/platforms/libqxcb.so", "libxcb-icccm.so.4"]


def test_nsis_script_compiles_over_a_stand_in_payload(tmp_path: Path) -> None:
    assert shutil.which("makensis"), "makensis is missing: apt-get install nsis (.ci/run installs it)"
    done = subprocess.run([str(ROOT / "installer/windows/build-standin.sh"), str(tmp_path)],
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    (setup,) = tmp_path.glob("NotesDesk-*-setup-STANDIN.exe")
    assert setup.read_bytes()[:2] == b"MZ"  # a Windows executable
    assert b"Nullsoft" in setup.read_bytes()


def test_nsis_installs_per_user_and_uninstalls_only_its_own_files() -> None:
    script = NSI.read_text()
    assert "RequestExecutionLevel user" in script
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP}"' in script
    assert "HKLM" not in script  # no machine-wide keys: no administrator prompt
    uninstall = script.split('Section "Uninstall"')[1].split("SectionEnd")[0]
    recursive = re.findall(r"RMDir /r (\S+)", uninstall)
    assert recursive == ['"$INSTDIR\\_internal"']  # never the install folder or a data folder wholesale
    assert "$APPDATA" not in uninstall and "$LOCALAPPDATA" not in uninstall
    assert re.search(r"^\s*RMDir \"\$INSTDIR\"$", uninstall, re.MULTILINE)  # removed only when empty
    assert 'Section /o "Desktop shortcut"' in script  # optional, off by default


def test_nsis_opens_backups_in_the_restore_page_and_its_uninstaller_removes_only_the_association() -> None:
    script = NSI.read_text()
    install = script.split('Section "NotesDesk (required)"')[1].split("SectionEnd")[0]
    uninstall = script.split('Section "Uninstall"')[1].split("SectionEnd")[0]
    assert "WITH_BACKUP_ASSOCIATION" not in script  # on in every build
    assert 'WriteRegStr HKCU "Software\\Classes\\.ndbk" "" "${BACKUP_CLASS}"' in install
    open_command = r"""shell\open\command" "" '"$INSTDIR\NotesDesk.exe" --restore "%1"'"""
    assert f'WriteRegStr HKCU "Software\\Classes\\${{BACKUP_CLASS}}\\{open_command}' in install
    assert 'DeleteRegKey HKCU "Software\\Classes\\${BACKUP_CLASS}"' in uninstall
    # .ndbk itself only while it still names NotesDesk's class: another program may have taken it.
    ours = uninstall.split('StrCmp $0 "${BACKUP_CLASS}" 0 association_not_ours')[1]
    ours = ours.split("association_not_ours:")[0]
    assert 'DeleteRegValue HKCU "Software\\Classes\\.ndbk" ""' in ours
    assert 'DeleteRegKey /ifempty HKCU "Software\\Classes\\.ndbk"' in ours
    assert "ndbk" not in " ".join(re.findall(r"^\s*Delete (.+)$", uninstall, re.MULTILINE))  # no backup file
    assert not re.search(r"^\s*Delete .*\*", uninstall, re.MULTILINE)  # nothing by wildcard


def _system_notices():
    return _load("linux/system_notices.py")


def test_bundled_host_libraries_are_named_with_their_package_and_copyright(tmp_path: Path) -> None:
    written = tmp_path / "system-libraries.json"
    libs = [str(SYSTEM_LIBS / "libz.so.1"), str(SYSTEM_LIBS / "libxcb-icccm.so.4"), "/nonexistent/libx.so.1"]
    assert _system_notices().write(libs, written) == 2
    listed = {c.name: c for c in notices.system_components(written)}
    zlib = listed["zlib1g (system library: libz.so.1)"]
    assert "Zlib" in zlib.licence and "Jean-loup Gailly" in zlib.texts[0][1]
    assert "libxcb-icccm4 (system library: libxcb-icccm.so.4)" in listed
