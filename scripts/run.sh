#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# Installs what Carina needs, builds it, and starts it on FILE|FOLDER (the bundled sample scan
# when none is given). Usage: scripts/run.sh [FILE|FOLDER]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/deps.sh"
build="${CARINA_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)"
exec "$build/bin/carina" "$@"
