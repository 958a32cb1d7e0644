#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# Builds the Debian packages (carina, carina-dev) and the relocatable .tar.gz into dist/.
# Usage: scripts/package.sh [--deb-only]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/deps.sh"
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
for p in dpkg-dev file; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || $SUDO apt-get install -y -qq "$p"
done
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
dist="$root/dist"
mkdir -p "$dist"

# /usr layout, no RPATH: what Debian expects. CARINA_PACKAGE_BUILD_DIR packages a build that
# already exists (the test command's, configured so), instead of compiling the project again.
deb="${CARINA_PACKAGE_BUILD_DIR:-$root/build-deb}"
if [[ -n "${CARINA_PACKAGE_BUILD_DIR:-}" ]]; then
  grep -q '^CARINA_RELOCATABLE:BOOL=OFF' "$deb/CMakeCache.txt" && grep -q '^CMAKE_INSTALL_PREFIX:PATH=/usr$' "$deb/CMakeCache.txt" \
    || { echo "package: $deb is not configured for the .deb (-DCMAKE_INSTALL_PREFIX=/usr -DCARINA_RELOCATABLE=OFF)"; exit 1; }
else
  cmake -S "$root" -B "$deb" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DCARINA_RELOCATABLE=OFF -DCARINA_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$deb" -j"$(nproc)"
rm -f "$dist"/carina_*.deb "$dist"/carina-dev_*.deb
(cd "$deb" && cpack -G DEB -B "$dist" >/dev/null)

if [[ "${1:-}" == "--deb-only" ]]; then
  rm -rf "$dist/_CPack_Packages"
  ls -1 "$dist"
  exit 0
fi

# Relocatable archive: unpack anywhere, run bin/carina.
tgz="$root/build-tgz"
cmake -S "$root" -B "$tgz" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/ \
  -DCARINA_RELOCATABLE=ON -DCARINA_BUILD_TESTS=OFF >/dev/null
cmake --build "$tgz" -j"$(nproc)"
(cd "$tgz" && cpack -G TGZ -B "$dist" >/dev/null)
rm -rf "$dist/_CPack_Packages"
ls -1 "$dist"
