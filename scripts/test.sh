#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# Installs what Carina needs, builds it and runs every test through CTest:
#  1. an AddressSanitizer + UndefinedBehaviorSanitizer build of core and the headless app, running
#     the core and IO tests;
#  2. the normal build, which is also the package's: the install test makes the .deb packages of
#     it, installs them, runs them from a clean shell and removes them (as root only: it installs
#     into /usr);
#  3. on the normal build: unit, IO, plugin, Qt Quick Test and GUI tests (GUI ones under xvfb-run).
# With ../shared beside the repository it first generates the anchors' data, so the tests that
# compare with the reference workflows run instead of skipping.
# The last line is CTest's summary of the whole run. Usage: scripts/test.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/deps.sh" --with-python
# The anchors' deterministic data (the CT phantom as DICOM, NIfTI and .npy; cells; coins): the
# tests that compare with the reference workflows skip without it. About 45 s and 600 MB.
anchor_data="${CARINA_ANCHOR_DATA:-/tmp/carina-anchor-data}"
gen_data="${CARINA_SHARED_DIR:-$root/../shared}/anchors/gen_data.py"
if [[ -f "$gen_data" && ! -f "$anchor_data/ct_phantom_meta.json" ]]; then
  echo "== anchor data into $anchor_data"
  /usr/bin/python3 "$gen_data" "$anchor_data"
elif [[ ! -f "$gen_data" ]]; then
  echo "== no ../shared/anchors: the tests that compare with the anchors will skip"
fi
export CARINA_ANCHOR_DATA="$anchor_data"
jobs="$(nproc)"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1

asan="${CARINA_ASAN_BUILD_DIR:-$root/build-asan}"
echo "== sanitizer build (core, IO, headless app)"
cmake -S "$root" -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCARINA_SANITIZE=ON -DCARINA_BUILD_GUI=OFF >/dev/null
cmake --build "$asan" -j"$jobs"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
(cd "$asan" && ctest --output-on-failure -L core -j"$jobs")
unset LSAN_OPTIONS UBSAN_OPTIONS ASAN_OPTIONS

# One build for the tests and the package: configured as the .deb needs it (/usr, no RPATH;
# CPack strips the binaries), so the package install test packages what the tests ran on.
build="${CARINA_BUILD_DIR:-$root/build}"
echo "== normal build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
  -DCARINA_RELOCATABLE=OFF >/dev/null
cmake --build "$build" -j"$jobs"

if [[ $(id -u) -eq 0 ]]; then
  echo "== package install test"
  CARINA_PACKAGE_BUILD_DIR="$build" "$root/scripts/test-package.sh"
else
  echo "== package install test skipped: it installs into /usr and needs root"
fi

cd "$build"
ctest --output-on-failure -j"$jobs"
