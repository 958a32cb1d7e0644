#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# The SDK promise, end to end: install Carina to a fresh prefix, build the out-of-tree example
# plugin against that prefix ONLY (CMAKE_PREFIX_PATH), then check from a clean environment that
# the installed app lists the plugin and runs its headless command on the installed sample.
# Usage: test_sdk_example.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$1"
source="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source/examples/plugin-example" -B "$work/example" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/example" >/dev/null

# No build tree on any path: only the install prefix and the example's plugin folder.
clean=(env -i HOME="$work" PATH=/usr/bin:/bin CARINA_PLUGIN_PATH="$work/example/plugins")
plugins="$("${clean[@]}" "$work/prefix/bin/carina" --list-plugins 2>&1)"
echo "$plugins"
grep -Eq "^smoothing[[:space:]]+loaded" <<<"$plugins" || { echo "FAIL: the example plugin is not listed as loaded"; exit 1; }
grep -Eq "^intensity[[:space:]]+loaded" <<<"$plugins" || { echo "FAIL: the installed intensity plugin is not loaded"; exit 1; }
"${clean[@]}" "$work/prefix/bin/carina" --help | grep -q "smooth" || { echo "FAIL: --help does not list the plugin's command"; exit 1; }

sample="$work/prefix/share/carina/sample/lungpetctdx-a0002"
"${clean[@]}" "$work/prefix/bin/carina" --headless smooth "$sample" --sigma 2 --output "$work/smoothed.nii.gz"
info="$("${clean[@]}" "$work/prefix/bin/carina" --headless info "$work/smoothed.nii.gz")"
echo "$info"
grep -q "dims: 512 512 30" <<<"$info" || { echo "FAIL: the smoothed image has the wrong size"; exit 1; }
echo "PASS: out-of-tree plugin built against the installed SDK, listed and run"
