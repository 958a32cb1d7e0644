#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# Starts Carina the way the desktop menu does: the Exec line of the .desktop file, its field
# codes expanded as a launcher would for a start without a file (%f, %F, %u, %U dropped), under
# Xvfb. The app reports (CARINA_STARTUP_REPORT) once its window is up and the bundled sample is
# open; the test checks the window, the image, and that every plugin `carina --list-plugins`
# finds is listed as a loaded tile. The app then opens and cancels every file and folder dialog
# of the shell and of each plugin panel (CARINA_STARTUP_EXERCISE_DIALOGS): a QML module missing
# from the machine (or from the .deb's Depends) crashes Qt's own dialogs. The start-up log must
# hold no QML warning.
# Usage: test_desktop_launch.sh DESKTOP_FILE [BIN_DIR]   (BIN_DIR first on PATH; default: the installed carina)
# Also run by scripts/test-package.sh against the installed .deb.
set -euo pipefail
desktop="$1"
bin_dir="${2:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

exec_line="$(sed -n 's/^Exec=//p' "$desktop" | head -n1)"
[[ -n "$exec_line" ]] || { echo "FAIL: $desktop has no Exec line"; exit 1; }
# Field codes: a launcher drops file/URL codes when no file is given, and %% is a percent sign.
command_line="$(sed -E 's/ ?%[fFuUdDnNickvm]//g; s/%%/%/g' <<<"$exec_line")"
read -r -a argv <<<"$command_line"
path="/usr/bin:/bin"
[[ -n "$bin_dir" ]] && path="$bin_dir:$path"
# A clean session as a menu gives it: no build tree paths, no plugin path.
clean=(env -i HOME="$work" PATH="$path" LANG=C.UTF-8)
command -v xvfb-run >/dev/null || { echo "FAIL: xvfb-run is missing (apt-get install xvfb xauth)"; exit 1; }
program="$(PATH="$path" command -v "${argv[0]}")" || { echo "FAIL: ${argv[0]} (from $desktop) is not on $path"; exit 1; }
echo "menu command: $exec_line -> ${argv[*]} ($program)"

expected="$("${clean[@]}" "$program" --list-plugins 2>/dev/null | awk '{print $1, $2}')"
echo "plugins found by the host:"; echo "$expected"

report="$work/startup.json"
status=0
"${clean[@]}" CARINA_STARTUP_REPORT="$report" CARINA_STARTUP_EXERCISE_DIALOGS=1 timeout 300 xvfb-run -a -s "-screen 0 1280x800x24" "${argv[@]}" \
  >"$work/log" 2>&1 || status=$?
if [[ $status -ne 0 || ! -s "$report" ]]; then
  echo "FAIL: carina started from the menu entry exited with $status and no report"; cat "$work/log"; exit 1
fi
cat "$report"
[[ -n "${CARINA_DESKTOP_SCREENSHOT:-}" ]] && cp "$work/startup.png" "$CARINA_DESKTOP_SCREENSHOT"

/usr/bin/python3 - "$report" "$expected" "$work/log" <<'PY'
import json, re, sys
report = json.load(open(sys.argv[1]))
expected = [line.split() for line in sys.argv[2].splitlines() if line.strip()]
failures = []
qml_warnings = [line for line in open(sys.argv[3], errors="replace")
                if re.search(r"\.qml:\d+|^QML |Failed to load non-native", line)]
for line in qml_warnings: failures.append("QML warning at start-up: " + line.strip())
dialogs = report.get("dialogs", [])
for d in dialogs:
    if not (d["opened"] and d["closed"]):
        failures.append(f"dialog '{d['title']}' ({d['where']}) did not open and close: {d}")
shell_dialogs = [d for d in dialogs if d["where"] == "shell"]
if len(shell_dialogs) < 4:
    failures.append(f"only {len(shell_dialogs)} shell dialogs were opened (open file, folder, sessions...)")
if report["timedOut"]: failures.append("the window did not come up with the sample within 3 minutes")
if not report["windowVisible"]: failures.append("no visible window")
if not report["hasImage"]: failures.append("the bundled sample is not open: " + report["lastError"])
listed = {p["id"]: p for p in report["plugins"]}
for plugin_id, status in expected:
    if plugin_id not in listed:
        failures.append(f"plugin {plugin_id} is not in the window's plugin list")
    elif status == "loaded" and not listed[plugin_id]["loaded"]:
        failures.append(f"plugin {plugin_id} is listed as not loaded: {listed[plugin_id]['error']}")
for p in report["plugins"]:
    if p["loaded"] and not p.get("iconLoads"):
        failures.append(f"plugin {p['id']} has no icon on its tile (or the SVG image plugin is missing)")
loaded = sum(1 for p in report["plugins"] if p["loaded"])
if loaded == 0: failures.append("no plugin loaded")
if report["tilesShown"] != len(report["plugins"]):
    failures.append(f"{report['tilesShown']} tiles shown for {len(report['plugins'])} plugins")
for f in failures: print("FAIL:", f)
if failures: sys.exit(1)
print(f"PASS: started from the menu entry, window '{report['title']}' {report['width']}x{report['height']}, "
      f"sample open, {loaded} plugins loaded and shown, {len(dialogs)} dialogs opened and cancelled "
      f"({', '.join(sorted(set(d['where'] for d in dialogs)))}), no QML warning")
PY
