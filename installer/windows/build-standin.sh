#!/usr/bin/env bash
# Compile installer/windows/notesdesk.nsi on Linux over a stand-in payload (placeholder files named as
# the Windows bundle's), so every CI run proves the script compiles. The real payload comes from the
# Windows build (installer/README.md). Output: DIST/NotesDesk-<version>-setup-STANDIN.exe.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dist="${1:-$root/dist}"
mkdir -p "$dist"
dist="$(cd "$dist" && pwd)"
command -v makensis >/dev/null || { echo "makensis is missing: apt-get install nsis" >&2; exit 1; }
version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/src/notesdesk/__init__.py")"
payload="$(mktemp -d)"
trap 'rm -rf "$payload"' EXIT
mkdir -p "$payload/_internal"
echo "stand-in: the real NotesDesk.exe comes from the Windows PyInstaller build" > "$payload/NotesDesk.exe"
echo "stand-in: the real notesdesk.com comes from the Windows PyInstaller build" > "$payload/notesdesk.com"
echo "stand-in payload" > "$payload/_internal/README.txt"
if [ -f "$root/dist/notesdesk/THIRD-PARTY-NOTICES.txt" ]; then
  cp "$root/dist/notesdesk/THIRD-PARTY-NOTICES.txt" "$payload/"
else
  echo "Third-party notices: written by the real build." > "$payload/THIRD-PARTY-NOTICES.txt"
fi
out="$dist/NotesDesk-$version-setup-STANDIN.exe"
(cd "$here" && makensis -V2 -DPAYLOAD="$payload" -DVERSION="$version" -DOUTFILE="$out" notesdesk.nsi)
echo "built $out ($(du -h "$out" | cut -f1)) over a stand-in payload"
