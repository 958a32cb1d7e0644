#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# The first window fits the screen it opens on: an upright tablet (800 x 1280) gets the whole
# screen and the portrait layout, a desktop screen the default 1280 x 800 landscape window. Runs
# `carina` with no file under Xvfb screens of those sizes; the app reports (CARINA_STARTUP_REPORT)
# once the bundled sample is open.
# Usage: test_screen_fit.sh CARINA_EXECUTABLE
set -euo pipefail
carina="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v xvfb-run >/dev/null || { echo "FAIL: xvfb-run is missing (apt-get install xvfb xauth)"; exit 1; }

# screen, expected window size, expected portrait flag
cases=("800x1280 800 1280 true" "1920x1080 1280 800 false" "1280x800 1280 800 false")
failures=0
for entry in "${cases[@]}"; do
  read -r screen width height portrait <<<"$entry"
  report="$work/$screen.json"
  status=0
  HOME="$work" CARINA_STARTUP_REPORT="$report" timeout 300 xvfb-run -a -s "-screen 0 ${screen}x24" "$carina" \
    >"$work/$screen.log" 2>&1 || status=$?
  if [[ $status -ne 0 || ! -s "$report" ]]; then
    echo "FAIL: on a $screen screen carina exited with $status and no report"; cat "$work/$screen.log"; exit 1
  fi
  if ! /usr/bin/python3 - "$report" "$screen" "$width" "$height" "$portrait" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
screen, width, height, portrait = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "true"
problems = []
if (report["width"], report["height"]) != (width, height):
    problems.append(f"window {report['width']} x {report['height']}, expected {width} x {height}")
if report["portrait"] != portrait:
    problems.append(f"portrait layout {report['portrait']}, expected {portrait}")
if not report["hasImage"]:
    problems.append("the bundled sample is not open: " + report["lastError"])
for p in problems:
    print(f"FAIL: {screen} screen: {p}")
print(f"{screen} screen: window {report['width']} x {report['height']}, portrait {report['portrait']}")
sys.exit(1 if problems else 0)
PY
  then
    failures=$((failures + 1))
  fi
done
[[ $failures -eq 0 ]] || exit 1
echo "PASS"
