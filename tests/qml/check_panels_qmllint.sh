#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# qmllint on every in-tree plugin panel, through the carina_plugin_<id>_qmllint targets (the
# imports and type information the build generates): fails on any warning, so a typo in a
# binding (`root.controller.hasRegionn`), an unknown type or a missing import fails the tests.
# Usage: check_panels_qmllint.sh BUILD_DIR TARGET...
set -uo pipefail
build="$1"
shift
status=0
for target in "$@"; do
  output="$(cmake --build "$build" --target "$target" 2>&1)"
  code=$?
  # qmllint prints "Warning: <file>:<line>:<column>: <message>" (and "Info: ..." for hints).
  warnings="$(grep -E '^Warning: ' <<<"$output")"
  if [[ $code -ne 0 || -n "$warnings" ]]; then
    echo "FAIL: $target"
    echo "$output"
    status=1
  else
    echo "ok: $target"
  fi
done
exit $status
