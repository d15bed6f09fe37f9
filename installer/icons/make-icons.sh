#!/usr/bin/env bash
# Re-make the app icon's PNG sizes, Windows .ico and macOS .icns from resources/icons/notesdesk.svg.
# The outputs are committed (a build needs no image tools); run this after editing the SVG.
# Needs: librsvg2-bin (rsvg-convert), imagemagick (convert), icnsutils (png2icns).
set -euo pipefail
cd "$(dirname "$0")/../../resources/icons"
SIZES="16 24 32 48 64 128 256 512"
mkdir -p png
for s in $SIZES; do
  rsvg-convert -w "$s" -h "$s" notesdesk.svg -o "png/notesdesk-$s.png"
done
# /usr/bin/convert explicitly: another `convert` earlier on PATH is not ImageMagick on some machines.
/usr/bin/convert png/notesdesk-{16,24,32,48,64,128,256}.png notesdesk.ico
png2icns notesdesk.icns png/notesdesk-{16,32,48,128,256,512}.png >/dev/null
echo "icons written to $(pwd)"
