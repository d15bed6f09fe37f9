#!/usr/bin/env bash
# Wrap the PyInstaller bundle (dist/notesdesk) in a .deb and a .tar.xz:
#     installer/linux/build-packages.sh [DIST]        (DIST defaults to dist; `make installer` runs it)
# The .deb puts the bundle in /opt/notesdesk, links /usr/bin/notesdesk, and adds the menu entry,
# icons, AppStream metainfo, the backup file type (shared-mime-info XML) and the third-party notices.
# It has no maintainer scripts: the MIME and desktop databases are rebuilt by the file triggers of
# shared-mime-info and desktop-file-utils (on /usr/share/mime/packages and /usr/share/applications)
# when either is installed; vaults and backups live in each user's data folder, which dpkg never
# owns, so removing the package leaves them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dist="$(cd "${1:-$root/dist}" && pwd)"
bundle="$dist/notesdesk"
app_id=org.notesdesk.NotesDesk
[ -x "$bundle/notesdesk" ] || { echo "no bundle at $bundle: run 'make bundle' first" >&2; exit 1; }
for tool in dpkg-deb objdump zstd xz; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install dpkg-dev binutils zstd xz-utils" >&2; exit 1; }
done

version="$("$bundle/notesdesk" --version | awk '{print $2}')"
arch="$(dpkg --print-architecture)"

# The bundle prints its own notices: the same text as its About dialog, from its own metadata.
"$bundle/notesdesk" --notices > "$bundle/THIRD-PARTY-NOTICES.txt"

# The oldest glibc the bundle runs on: the newest GLIBC_x.y symbol version any of its files asks for.
glibc="$(find "$bundle" -type f \( -name '*.so*' -o -name notesdesk \) -print0 \
  | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)"
echo "$glibc" > "$dist/glibc-floor.txt"

# -- .deb ------------------------------------------------------------------------------------------
pkg="$(mktemp -d)"
trap 'rm -rf "$pkg"' EXIT
install -d "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" "$pkg/usr/share/metainfo" \
  "$pkg/usr/share/mime/packages" "$pkg/usr/share/doc/notesdesk" "$pkg/DEBIAN"
cp -a "$bundle" "$pkg/opt/notesdesk"
ln -s /opt/notesdesk/notesdesk "$pkg/usr/bin/notesdesk"
install -m 644 "$here/$app_id.desktop" "$pkg/usr/share/applications/"
install -m 644 "$here/$app_id.metainfo.xml" "$pkg/usr/share/metainfo/"
install -m 644 "$here/$app_id.mime.xml" "$pkg/usr/share/mime/packages/$app_id.xml"
for png in "$root"/resources/icons/png/notesdesk-*.png; do
  size="$(basename "$png" .png)"; size="${size#notesdesk-}"
  install -D -m 644 "$png" "$pkg/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
install -D -m 644 "$root/resources/icons/notesdesk.svg" "$pkg/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
install -m 644 "$bundle/THIRD-PARTY-NOTICES.txt" "$pkg/usr/share/doc/notesdesk/"
cat > "$pkg/usr/share/doc/notesdesk/copyright" <<EOF
NotesDesk $version
License: LicenseRef-Proprietary (all rights reserved).
Third-party components and their licences: /usr/share/doc/notesdesk/THIRD-PARTY-NOTICES.txt
EOF
cat > "$pkg/DEBIAN/control" <<EOF
Package: notesdesk
Version: $version
Architecture: $arch
Maintainer: NotesDesk <support@notesdesk.invalid>
Installed-Size: $(du -sk "$pkg" | cut -f1)
Depends: libc6 (>= $glibc), libegl1, libgl1, libfontconfig1, libxkbcommon0
Section: misc
Priority: optional
Description: encrypted, offline session notes for solo therapists
 NotesDesk keeps client records on this computer, encrypted with a passphrase:
 signed session notes, treatment plans, homework, safety plans and measures.
 Run 'notesdesk --selftest' to check an installation.
EOF
chmod -R u=rwX,go=rX "$pkg"
deb="$dist/notesdesk_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zzstd --build "$pkg" "$deb" >/dev/null

# -- .tar.xz ---------------------------------------------------------------------------------------
tarball="$dist/notesdesk-${version}-linux-$(uname -m).tar.xz"
cp "$here/$app_id.desktop" "$here/$app_id.mime.xml" "$root/resources/icons/notesdesk.svg" "$bundle/"
tar -C "$dist" -cf - notesdesk | xz -T0 -6 > "$tarball"

echo "built $deb ($(du -h "$deb" | cut -f1)), $tarball ($(du -h "$tarball" | cut -f1)); needs glibc >= $glibc"
