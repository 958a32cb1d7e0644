#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# The man page cannot drift from the program: every option and every headless command that
# `carina --help` lists (plugins included) has its place in the man page, with each --option of
# the command's usage in the command's own section, and groff reads the page without a warning.
# Usage: test_man_page.sh CARINA_EXECUTABLE MAN_PAGE (carina.1 or carina.1.gz)
set -euo pipefail
carina="$1"
page="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ "$page" == *.gz ]]; then zcat "$page" >"$work/carina.1"; else cp "$page" "$work/carina.1"; fi
man="$work/carina.1"
# In roff source a '-' is written '\-'; compare on plain text.
sed 's/\\-/-/g; s/\\(hy/-/g' "$man" >"$work/plain"

env -u CARINA_PLUGIN_PATH "$carina" --help >"$work/help"
fail=0

# Options: the lines of the options block, e.g. "  -h, --help   Show ...".
while read -r option; do
  grep -q -- "$option" "$work/plain" || { echo "FAIL: option $option of carina --help is not in the man page"; fail=1; }
done < <(sed -n '/^Options:/,/^$/p' "$work/help" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)

# Commands: "  NAME USAGE" lines after a "... headless commands ..." header.
commands=0
while IFS= read -r line; do
  name="$(awk '{print $1}' <<<"$line")"
  commands=$((commands + 1))
  section="$(awk -v n="$name" '$0 == ".SS " n {on = 1; next} /^\.S[SH] / {on = 0} on' "$work/plain")"
  if [[ -z "$section" ]]; then
    echo "FAIL: headless command \"$name\" of carina --help has no section (.SS $name) in the man page"
    fail=1
    continue
  fi
  for option in $(grep -oE -- '--[a-z][a-z0-9-]*' <<<"$line" | sort -u); do
    grep -q -- "$option" <<<"$section" || { echo "FAIL: $name's option $option is not in its man page section"; fail=1; }
  done
done < <(awk '/headless commands/ {on = 1; next} /^$/ {next} /^[^ ]/ {on = 0} on && /^  [a-z]/' "$work/help")
(( commands >= 2 )) || { echo "FAIL: found only $commands headless commands in carina --help"; cat "$work/help"; exit 1; }

# The page itself: groff's warnings are lintian's man page checks.
if command -v groff >/dev/null; then
  warnings="$(LC_ALL=C.UTF-8 groff -man -ww -z -K utf8 "$man" 2>&1 || true)"
  [[ -z "$warnings" ]] || { echo "FAIL: groff warns about the man page:"; echo "$warnings"; fail=1; }
fi
(( fail == 0 )) || exit 1
echo "PASS: the man page covers the $commands headless commands and every option of carina --help"
