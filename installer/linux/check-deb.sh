#!/usr/bin/env bash
# Install the built .deb as a user would (apt-get install ./notesdesk_*.deb), then check it:
#   1. `notesdesk --selftest` passes from /usr/bin, offscreen, with the real key derivation (and the
#      .tar.xz carries the notices too);
#   2. the installed program lists the same third-party components as the source tree (its About box);
#   3. the menu entry, icon and metainfo are where desktops look for them;
#   4. the app starts from its menu entry's Exec line under Xvfb and shows its window (a screenshot
#      is left in DIST/menu-entry.png to look at);
#   5. a backup is of the type application/x-notesdesk-backup and opens in NotesDesk (xdg-mime), and
#      the Exec line with that file starts the app on its restore page (DIST/open-backup.png);
#   6. `apt-get remove` leaves a vault and a backup made with the installed program in place, and
#      takes the file association with it.
# Needs root (apt-get), xvfb, x11-utils, imagemagick, xdg-utils with libfile-mimeinfo-perl (xdg-mime
# outside a desktop session asks `mimetype`, which reads the shared-mime-info database), and a
# source venv (.venv) for the component list. `make installer` runs it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dist="$(cd "${1:-$root/dist}" && pwd)"
deb="$(ls "$dist"/notesdesk_*.deb | tail -1)"
app_id=org.notesdesk.NotesDesk
export DEBIAN_FRONTEND=noninteractive QT_QPA_PLATFORM=offscreen
unset NOTESDESK_INSECURE_TEST_KDF
fail() { echo "check-deb: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root: it installs and removes the package with apt-get"
for tool in xvfb-run xwininfo import xdg-mime mimetype; do
  command -v "$tool" >/dev/null \
    || fail "$tool is missing: apt-get install xvfb xauth x11-utils imagemagick xdg-utils libfile-mimeinfo-perl"
done
apt-get install -y -qq "$deb" >/dev/null
[ "$(readlink -f /usr/bin/notesdesk)" = /opt/notesdesk/notesdesk ] || fail "/usr/bin/notesdesk is not the bundle"
for f in /usr/share/applications/$app_id.desktop /usr/share/metainfo/$app_id.metainfo.xml \
         /usr/share/mime/packages/$app_id.xml \
         /usr/share/icons/hicolor/256x256/apps/$app_id.png /usr/share/icons/hicolor/scalable/apps/$app_id.svg \
         /usr/share/doc/notesdesk/THIRD-PARTY-NOTICES.txt; do
  [ -f "$f" ] || fail "$f is missing"
done

(cd /tmp && /usr/bin/notesdesk --selftest) || fail "the installed self-test failed"

tarball="$(ls "$dist"/notesdesk-*-linux-*.tar.xz | tail -1)"
listing="$(tar -tJf "$tarball")"
for f in THIRD-PARTY-NOTICES.txt $app_id.desktop $app_id.mime.xml; do
  grep -qx "notesdesk/$f" <<<"$listing" || fail "the .tar.xz lacks $f"
done

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

# The menu entry: run its Exec line as a desktop would, on a fresh account (first-run window). From
# the menu no file is given, so the desktop drops the %f field code.
exec_line="$(sed -n 's/^Exec=//p' /usr/share/applications/$app_id.desktop)"
[ "${exec_line% %f}" != "$exec_line" ] || fail "the menu entry's Exec line takes no file (%f): $exec_line"
on_screen() {  # PNG COMMAND...: the command shows a NotesDesk window under Xvfb, on the throw-away account
  HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" QT_QPA_PLATFORM=xcb \
    xvfb-run -a -s "-screen 0 1280x800x24" "$root/installer/linux/shot-window.sh" "$@"
}
on_screen "$dist/menu-entry.png" ${exec_line% %f} || fail "the app did not show a window when started from its menu entry"
pass="check-deb $(date +%s%N) passphrase"
HOME="$home" XDG_DATA_HOME="$home/.local/share" /usr/bin/notesdesk demo --clients 1 --passphrase-stdin <<<"$pass" >/dev/null
HOME="$home" XDG_DATA_HOME="$home/.local/share" /usr/bin/notesdesk backup --passphrase-stdin <<<"$pass" >/dev/null

# The backup file type: a double-click on a backup opens NotesDesk, on its restore page.
backup="$(find "$home" -name '*.ndbk' | head -1)"
[ -n "$backup" ] || fail "no backup was made"
query() { HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" xdg-mime query "$@"; }
type="$(query filetype "$backup")"
[ "$type" = application/x-notesdesk-backup ] || fail "a backup's type is '$type', not application/x-notesdesk-backup"
handler="$(query default application/x-notesdesk-backup)"
[ "$handler" = "$app_id.desktop" ] || fail "backups open in '$handler', not $app_id.desktop"
on_screen "$dist/open-backup.png" ${exec_line% %f} "$backup" \
  || fail "the app did not show a window when given a backup, as a double-click gives it"

files() { (cd "$home" && find . -type f -exec sha256sum {} + | sort -k2); }
before="$(files)"
grep -q '\.notesdesk$' <<<"$before" || fail "no vault was made"
grep -q '\.ndbk$' <<<"$before" || fail "no backup was made"
apt-get remove -y -qq notesdesk >/dev/null
[ ! -e /usr/bin/notesdesk ] || fail "/usr/bin/notesdesk is still there after apt-get remove"
[ "$(files)" = "$before" ] || fail "apt-get remove touched the user's files"
[ -z "$(query default application/x-notesdesk-backup)" ] || fail "backups still open in the removed program"
echo "check-deb: ok: installed, self-test passed, components match, backups open in NotesDesk," \
  "remove kept the vault and backup and took the association"
