#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# The SDK promise, end to end, as a reader of docs/plugin-guide.md lives it: install Carina to a
# fresh prefix, write the guide's files into an empty folder, build them against that prefix
# ONLY (CMAKE_PREFIX_PATH), run their Qt Test, then check from a clean environment that the
# installed app lists the plugin and runs its headless command on the installed sample.
# Then the versioned contract: the same plugin built against an SDK that claims another major
# version is refused, with the reason in the plugin list.
# Usage: test_sdk_example.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$1"
source="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
# A build configured for the Debian package (CARINA_RELOCATABLE=OFF, as scripts/test.sh does to
# package the tested build) installs without an $ORIGIN RPATH: like any install outside the
# loader's folders, this prefix then needs LD_LIBRARY_PATH.
loader=()
if grep -q '^CARINA_RELOCATABLE:BOOL=OFF' "$build/CMakeCache.txt"; then
  loader=(LD_LIBRARY_PATH="$(dirname "$(find "$work/prefix" -name 'libcarina-core.so*' | head -n1)")")
fi
/usr/bin/python3 "$source/tests/sdk/guide_snippets.py" extract "$source/docs/plugin-guide.md" "$work/smoothing"
cmake -S "$work/smoothing" -B "$work/example" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/example" >/dev/null
ctest --test-dir "$work/example" --output-on-failure

# pkg-config finds the SDK inside this prefix, not where the build was configured to go.
pc="$(find "$work/prefix" -name carina-core.pc | head -n1)"
[[ -n "$pc" ]] || { echo "FAIL: no carina-core.pc in the install"; exit 1; }
cflags="$(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --cflags-only-I carina-core | tr ' ' '\n' | grep -F -- "-I" | grep -v -i qt | grep -v eigen | head -n1)"
[[ "$(realpath -m "${cflags#-I}")" == "$(realpath "$work/prefix")/include" ]] \
  || { echo "FAIL: pkg-config --cflags gives '$cflags', not $work/prefix/include"; exit 1; }
libs="$(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --libs-only-L carina-core | tr ' ' '\n' | grep -- '^-L' | head -n1)"
[[ "$(realpath -m "${libs#-L}")" == "$(realpath "$(dirname "$(dirname "$pc")")")" ]] \
  || { echo "FAIL: pkg-config --libs gives '$libs', not the folder of libcarina-core"; exit 1; }

# `cmake --install` puts the plugin where the guide says the app looks, below the same prefix.
cmake --install "$work/example" --prefix "$work/prefix" >/dev/null
plugin_dir="$(sed -n 's/^set(CARINA_PLUGIN_INSTALL_DIR "\(.*\)")$/\1/p' "$(find "$work/prefix" -name CarinaConfig.cmake | head -n1)")"
[[ "$plugin_dir" == lib*/carina/plugins ]] || { echo "FAIL: CARINA_PLUGIN_INSTALL_DIR is '$plugin_dir'"; exit 1; }
[[ -f "$work/prefix/$plugin_dir/smoothing.so" ]] || { echo "FAIL: the plugin is not in $work/prefix/$plugin_dir"; ls -R "$work/prefix/lib" | head -30; exit 1; }
installed="$(env -i HOME="$work" PATH=/usr/bin:/bin "${loader[@]}" "$work/prefix/bin/carina" --list-plugins 2>&1)"
grep -Eq "^smoothing[[:space:]]+loaded[[:space:]]+$work/prefix/$plugin_dir/smoothing.so" <<<"$installed" \
  || { echo "FAIL: the installed app does not load the installed plugin:"; echo "$installed"; exit 1; }
rm "$work/prefix/$plugin_dir/smoothing.so" # the checks below load it from the build folder

# No build tree on any path: only the install prefix and the example's plugin folder.
clean=(env -i HOME="$work" PATH=/usr/bin:/bin "${loader[@]}" CARINA_PLUGIN_PATH="$work/example/plugins")
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

# The panel (which imports Carina.Controls from the host) opens in the installed app.
if [[ -x "$(command -v xvfb-run)" ]]; then
  "${clean[@]}" CARINA_STARTUP_REPORT="$work/panel.json" CARINA_STARTUP_OPEN_PLUGIN=smoothing \
    timeout 300 xvfb-run -a -s "-screen 0 1280x800x24" "$work/prefix/bin/carina" >"$work/gui.log" 2>&1 \
    || { echo "FAIL: the app with the plugin did not start"; cat "$work/gui.log"; exit 1; }
  grep -q '"panelLoaded": true' "$work/panel.json" || { echo "FAIL: the plugin's panel did not load"; cat "$work/panel.json" "$work/gui.log"; exit 1; }
  grep -q '"shellErrors": ""' "$work/panel.json" || { echo "FAIL: the shell reports an error"; cat "$work/panel.json"; exit 1; }
fi

# A faked SDK of another major version: a copy of the prefix whose CMake package says so.
# (With SDK 0.x there is no older major; a newer one is refused by the same rule.)
config="$(cd "$work/prefix" && find . -path '*/cmake/Carina/CarinaConfig.cmake' | head -n1)"
[[ -n "$config" ]] || { echo "FAIL: no CarinaConfig.cmake in the install"; exit 1; }
sdk="$(sed -n 's/^set(CARINA_SDK_VERSION "\(.*\)")$/\1/p' "$work/prefix/$config")"
major="${sdk%%.*}"
if (( major > 0 )); then fake="$((major - 1)).0"; else fake="$((major + 1)).0"; fi
cp -a "$work/prefix" "$work/fake-prefix"
sed -i "s/^set(CARINA_SDK_VERSION \".*\")$/set(CARINA_SDK_VERSION \"$fake\")/" "$work/fake-prefix/$config"
cmake -S "$work/smoothing" -B "$work/example-fake" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/fake-prefix" >/dev/null
cmake --build "$work/example-fake" --target carina_plugin_smoothing >/dev/null
grep -q "\"sdkVersion\": \"$fake\"" "$work"/example-fake/carina_plugin_smoothing_metadata/smoothing.json \
  || { echo "FAIL: the faked SDK version $fake did not reach the plugin's metadata"; exit 1; }
refused="$(env -i HOME="$work" PATH=/usr/bin:/bin "${loader[@]}" CARINA_PLUGIN_PATH="$work/example-fake/plugins" \
  "$work/prefix/bin/carina" --list-plugins 2>/dev/null)"
echo "$refused"
grep -E "^smoothing[[:space:]]+failed[[:space:]].*built for Carina SDK $fake, this host provides SDK $sdk \(the major version must match\)" \
  <<<"$refused" >/dev/null || { echo "FAIL: a plugin built for SDK $fake is not refused with its reason"; exit 1; }
echo "PASS: the guide's plugin built against the installed SDK, tested, listed and run; built for SDK $fake it is refused"
