#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# Runs each fuzz target for SECONDS (default 600) on one core, seeded from the shared data
# (../shared/data: dicom-robustness, images2d), tests/data/nifti and the stored regressions.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]   (build first with fuzz/build.sh)
# Findings (crash-*, timeout-*, oom-*) land in $CARINA_FUZZ_OUT/<target>/ (default
# build-fuzz/findings); after fixing the cause, copy each into tests/fuzz/regressions/<target>/,
# which tests/fuzz/test_fuzz_regressions replays in the normal build.
set -u
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(dirname "$here")
build_dir=${CARINA_FUZZ_BUILD_DIR:-$source_dir/build-fuzz}
shared=${CARINA_SHARED_DIR:-$source_dir/../shared}
out=${CARINA_FUZZ_OUT:-$build_dir/findings}
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-nifti nifti_gz image read_volume dicom dicom_worker session trainable_model}

# Workers run with the same sanitizers; they inherit these settings.
export CARINA_DICOM_WORKER="$build_dir/bin/carina-dicom-worker"
export LSAN_OPTIONS="suppressions=$source_dir/tests/sanitizers/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export QT_QPA_PLATFORM=offscreen
# GDCM's JPEG decoders spend seconds on some small corrupt files (5 s in a normal build, over 10 s
# under ASan; see tests/fuzz/regressions/dicom). The loader's own watchdog turns a stuck worker
# into "<file>: the DICOM decoder hung on this file"; libFuzzer's timeout sits above it, so only a
# hang in the calling process is a finding.
export CARINA_DICOM_WATCHDOG_MS=${CARINA_DICOM_WATCHDOG_MS:-20000}

seeds() {
  case "$1" in
    nifti|nifti_gz) echo "$source_dir/tests/data/nifti" ;;
    image) echo "$shared/data/images2d" ;;
    dicom) echo "$shared/data/dicom-robustness" ;;
    dicom_worker) echo "$shared/data/dicom-robustness $shared/data/ct/nysbu-single-slices" ;;
    session) echo "$source_dir/tests/data/session" ;;
    trainable_model) echo "$source_dir/tests/data/trainable" ;;
    read_volume) echo "$source_dir/tests/data/nifti $shared/data/images2d $shared/data/dicom-robustness" ;;
  esac
}

status=0
for target in $targets; do
  exe="$build_dir/bin/fuzz_$target"
  [ -x "$exe" ] || { echo "missing $exe: run fuzz/build.sh first" >&2; exit 2; }
  corpus="$build_dir/corpus/$target"
  mkdir -p "$corpus" "$out/$target"
  # Seed folders are read, never written: new inputs go to the per-target corpus.
  dirs=""
  # Out-of-memory regressions of fuzz_dicom_worker would only be hit again at once: not seeds.
  regressions="$source_dir/tests/fuzz/regressions/$target"
  [ "$target" = dicom_worker ] && regressions=""
  for d in $(seeds "$target") $regressions; do
    [ -d "$d" ] && dirs="$dirs $d"
  done
  case "$target" in
    dicom|read_volume|dicom_worker) timeout=60 ;;
    *) timeout=10 ;;
  esac
  # fuzz_dicom_worker jumps out of GDCM's assertions, leaving what GDCM held: no leak check
  # there (fuzz_dicom checks the same code for leaks in real workers).
  # Two things the real worker survives by being a process, and this in-process target cannot:
  # GDCM allocating whatever length a damaged element declares (the worker caps its address
  # space, DicomWorkerMain.cpp; AddressSanitizer cannot mimic that), and CharLS looping on some
  # JPEG-LS data (the loader's watchdog kills the worker). So this target runs in fork mode and
  # keeps going past out-of-memory and timeout inputs: they land in the findings folder, and a
  # few go into tests/fuzz/regressions/dicom_worker, replayed through the real loader.
  # Crashes (sanitizer reports included) still stop it.
  leaks=1
  mode=""
  [ "$target" = dicom_worker ] && leaks=0 && mode="-fork=1 -ignore_ooms=1 -ignore_timeouts=1"
  echo "== fuzz_$target for ${seconds}s (seeds:$dirs)"
  # 4 MB inputs cover the seed scans; 10 s per input catches hangs (60 s past the DICOM watchdog); 2.5 GB is far above what a
  # valid small input needs, so exceeding it means a header-driven huge allocation.
  # shellcheck disable=SC2086
  ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=$leaks" "$exe" $mode "$corpus" $dirs -max_total_time="$seconds" -max_len=4194304 -timeout="$timeout" -rss_limit_mb=2560 \
    -artifact_prefix="$out/$target/" -print_final_stats=1 2>"$out/$target/log.txt"
  rc=$?
  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)" "$out/$target/log.txt" || true
  if [ -n "$mode" ]; then
    # Fork mode exits non-zero after any ignored out-of-memory input; only crashes count.
    last=$(grep -E "^#[0-9]+: cov:" "$out/$target/log.txt" | tail -1)
    echo "$last"
    crashes=$(echo "$last" | sed -n 's|.*oom/timeout/crash: [0-9]*/[0-9]*/\([0-9]*\).*|\1|p')
    [ "${crashes:-1}" = 0 ] && rc=0
  fi
  if [ $rc -ne 0 ]; then
    echo "fuzz_$target: finding (exit $rc), see $out/$target/log.txt" >&2
    status=1
  fi
done
exit $status
