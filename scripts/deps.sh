#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# Installs the Debian 12 packages Carina needs to build, run and test. Idempotent; needs root
# (or sudo). Set CARINA_SKIP_APT=1 to skip when the packages are known to be there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-base-private-dev qt6-declarative-dev qt6-declarative-dev-tools qt6-3d-dev libxkbcommon-dev
  qt6-image-formats-plugins qt6-qpa-plugins libqt6svg6
  qml6-module-qt3d-animation qml6-module-qttest qml6-module-qtqml-models qml6-module-qt-labs-qmlmodels
  qml6-module-qt-labs-platform qml6-module-qtqml-workerscript qml6-module-qtcore qml6-module-qt-labs-settings
  libgdcm-dev libgdcm-tools libeigen3-dev libboost-dev libboost-iostreams-dev
  libboost-program-options-dev libnifti2-dev libtbb-dev libdeflate-dev zlib1g-dev libseccomp-dev
  xvfb xauth libgl1-mesa-dri fonts-dejavu-core
)
# The QML modules the app loads at run time: the list the .deb's Depends and the app's start-up
# check use too.
root="$(cd "$(dirname "$0")/.." && pwd)"
mapfile -t qml_packages < <(awk '/^[A-Za-z]/ {print $2}' "$root/packaging/qml-modules.txt" | sort -u)
packages+=("${qml_packages[@]}")
if [[ "${1:-}" == "--with-python" ]]; then
  # The reference workflows (anchors) and the test-data checks use Debian's Python stack.
  packages+=(python3-numpy python3-scipy python3-skimage python3-sklearn python3-nibabel python3-pydicom dcm2niix)
fi

if [[ "${CARINA_SKIP_APT:-0}" == "1" ]]; then
  exit 0
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} == 0 )); then
  echo "deps: all ${#packages[@]} packages present"
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "deps: installing ${#missing[@]} packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
