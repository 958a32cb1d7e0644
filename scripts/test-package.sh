#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# Install test: builds the .deb packages, installs them with apt-get, runs the installed carina
# from a clean shell (no build tree on any path), validates the desktop files, runs lintian, and
# removes the packages again. Needs root. Usage: scripts/test-package.sh
# With CARINA_PACKAGE_BUILD_DIR it packages that existing build (the test command's) instead of
# compiling the project once more.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/package.sh" --deb-only
for p in lintian desktop-file-utils appstream xvfb xauth groff-base; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || apt-get install -y -qq "$p" >/dev/null
done
dist="$root/dist"
# Every QML module the app loads at run time comes with the package (dpkg-shlibdeps cannot see them).
depends="$(dpkg-deb -f "$dist"/carina_*.deb Depends | tr ',' '\n' | sed -E 's/^ +//; s/ .*//')"
for p in $(awk '/^[A-Za-z]/ {print $2}' "$root/packaging/qml-modules.txt" | sort -u); do
  grep -qx -- "$p" <<<"$depends" || { echo "FAIL: the carina .deb does not depend on $p (packaging/qml-modules.txt)"; exit 1; }
done
cleanup() { apt-get remove -y -qq carina-dev carina >/dev/null 2>&1 || true; }
trap cleanup EXIT

DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$dist"/carina_*.deb "$dist"/carina-dev_*.deb >/dev/null
clean=(env -i HOME="$(mktemp -d)" PATH=/usr/bin:/bin)
cd /
"${clean[@]}" carina --version
"${clean[@]}" carina --headless info /usr/share/carina/sample/lungpetctdx-a0002 | grep -q "dims: 512 512 30"
plugins="$("${clean[@]}" carina --list-plugins)"
echo "$plugins"
grep -Eq "^intensity[[:space:]]+loaded[[:space:]]+/usr/lib/" <<<"$plugins"
desktop-file-validate /usr/share/applications/org.carina.Carina.desktop
# Started as the menu starts it (the installed entry's Exec line) under Xvfb: window, sample, plugins.
"${clean[@]}" bash "$root/tests/sdk/test_desktop_launch.sh" /usr/share/applications/org.carina.Carina.desktop
# The installed man page covers every command of the installed carina --help.
"${clean[@]}" bash "$root/tests/sdk/test_man_page.sh" /usr/bin/carina /usr/share/man/man1/carina.1.gz
appstreamcli validate --no-net /usr/share/metainfo/org.carina.Carina.metainfo.xml >/dev/null
test -f /usr/lib/*/cmake/Carina/CarinaConfig.cmake
# lintian: errors fail the test; warnings are printed for the record.
lintian --tag-display-limit 0 "$dist"/carina_*.deb "$dist"/carina-dev_*.deb | tee "$dist/lintian.txt" || true
if grep -q "^E:" "$dist/lintian.txt"; then
  echo "FAIL: lintian reports errors"
  exit 1
fi
echo "package test: installed, ran, validated and removed"
