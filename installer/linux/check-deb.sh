#!/usr/bin/env bash
# Install the built .deb as a user would (apt-get install ./notesdesk_*.deb), then check it:
#   1. `notesdesk --selftest` passes from /usr/bin, offscreen, with the real key derivation (and the
#      .tar.xz carries the notices too);
#   2. the installed program lists the same third-party components as the source tree (its About box);
#   3. the menu entry, icon and metainfo are where desktops look for them;
#   4. the app starts from its menu entry's Exec line under Xvfb and shows its window (a screenshot
#      is left in DIST/menu-entry.png to look at);
#   5. `apt-get remove` leaves a vault and a backup made with the installed program in place.
# Needs root (apt-get), xvfb, x11-utils and imagemagick, and a source venv (.venv) for the component
# list. `make installer` runs it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dist="$(cd "${1:-$root/dist}" && pwd)"
deb="$(ls "$dist"/notesdesk_*.deb | tail -1)"
app_id=org.notesdesk.NotesDesk
export DEBIAN_FRONTEND=noninteractive QT_QPA_PLATFORM=offscreen
unset NOTESDESK_INSECURE_TEST_KDF
fail() { echo "check-deb: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root: it installs and removes the package with apt-get"
for tool in xvfb-run xwininfo import; do
  command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install xvfb xauth x11-utils imagemagick"
done
apt-get install -y -qq "$deb" >/dev/null
[ "$(readlink -f /usr/bin/notesdesk)" = /opt/notesdesk/notesdesk ] || fail "/usr/bin/notesdesk is not the bundle"
for f in /usr/share/applications/$app_id.desktop /usr/share/metainfo/$app_id.metainfo.xml \
         /usr/share/icons/hicolor/256x256/apps/$app_id.png /usr/share/icons/hicolor/scalable/apps/$app_id.svg \
         /usr/share/doc/notesdesk/THIRD-PARTY-NOTICES.txt; do
  [ -f "$f" ] || fail "$f is missing"
done

(cd /tmp && /usr/bin/notesdesk --selftest) || fail "the installed self-test failed"

tarball="$(ls "$dist"/notesdesk-*-linux-*.tar.xz | tail -1)"
tar -tJf "$tarball" notesdesk/THIRD-PARTY-NOTICES.txt >/dev/null || fail "the .tar.xz lacks the notices"

# Every component the source tree lists; the bundle adds the build machine's libraries it carries.
components() { sed -n '/^Components:/,/^$/p' | grep '^  '; }
missing="$(comm -23 <("$root/.venv/bin/notesdesk" --notices | components | sort) \
                    <(/usr/bin/notesdesk --notices | components | sort))"
[ -z "$missing" ] || fail "the installed program does not list: $missing"
# (Whole outputs in variables: with pipefail, `grep -q` closing a pipe early would fail the writer.)
installed="$(/usr/bin/notesdesk --notices | components)"
grep -q '(system library: libxcb' <<<"$installed" \
  || fail "the installed program does not list the system libraries it carries"

# A throw-away home with a vault and a backup made by the installed program (a synthetic practice).
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT

# The menu entry: run its Exec line as a desktop would, on a fresh account (first-run window).
exec_line="$(sed -n 's/^Exec=//p' /usr/share/applications/$app_id.desktop)"
HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" QT_QPA_PLATFORM=xcb \
  xvfb-run -a -s "-screen 0 1280x800x24" "$root/installer/linux/shot-window.sh" "$dist/menu-entry.png" \
  "$exec_line" || fail "the app did not show a window when started from its menu entry"
pass="check-deb $(date +%s%N) passphrase"
HOME="$home" XDG_DATA_HOME="$home/.local/share" /usr/bin/notesdesk demo --clients 1 --passphrase-stdin <<<"$pass" >/dev/null
HOME="$home" XDG_DATA_HOME="$home/.local/share" /usr/bin/notesdesk backup --passphrase-stdin <<<"$pass" >/dev/null
files() { (cd "$home" && find . -type f -exec sha256sum {} + | sort -k2); }
before="$(files)"
grep -q '\.notesdesk$' <<<"$before" || fail "no vault was made"
grep -q '\.ndbk$' <<<"$before" || fail "no backup was made"
apt-get remove -y -qq notesdesk >/dev/null
[ ! -e /usr/bin/notesdesk ] || fail "/usr/bin/notesdesk is still there after apt-get remove"
[ "$(files)" = "$before" ] || fail "apt-get remove touched the user's files"
echo "check-deb: ok: installed, self-test passed, components match, remove kept the vault and backup"
