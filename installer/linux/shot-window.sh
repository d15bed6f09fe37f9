#!/usr/bin/env bash
# Inside an X server (xvfb-run): start COMMAND, wait up to 60 s for a window named NotesDesk, save a
# screenshot of the screen to PNG, then end COMMAND. Exit 1 when no window appears.
#     shot-window.sh PNG COMMAND...
set -euo pipefail
png="$1"; shift
"$@" >/dev/null 2>&1 &
app=$!
deadline=$((SECONDS + 60))
until xwininfo -root -tree 2>/dev/null | grep -q '"NotesDesk'; do
  if ! kill -0 "$app" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    kill "$app" 2>/dev/null || true
    exit 1
  fi
  sleep 0.2
done
# The window is mapped; let Qt finish its first paint before the screenshot (poll, do not guess: the
# screenshot is retaken until two in a row match).
next="${png%.png}-next.png"
import -window root "$png"
for _ in $(seq 1 25); do
  sleep 0.2
  import -window root "$next"
  if cmp -s "$png" "$next"; then break; fi
  mv "$next" "$png"
done
rm -f "$next"
kill "$app"
wait "$app" 2>/dev/null || true
