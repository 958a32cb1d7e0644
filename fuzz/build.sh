#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# Configures and builds the libFuzzer targets in their own build folder (default: build-fuzz
# beside this folder; override with CARINA_FUZZ_BUILD_DIR). The whole project, including
# carina-dicom-worker, is compiled with clang and -fsanitize=fuzzer-no-link,address,undefined so
# coverage and sanitizers reach the library and the worker processes; only the fuzz_* executables
# link libFuzzer's main. Needs Debian's clang and libfuzzer-14-dev.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(dirname "$here")
build_dir=${CARINA_FUZZ_BUILD_DIR:-$source_dir/build-fuzz}
jobs=${CARINA_FUZZ_JOBS:-2}

flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -gline-tables-only"
link="-fsanitize=address,undefined"
export CCACHE_BASEDIR="$source_dir" CCACHE_NOHASHDIR=1

cmake -S "$source_dir" -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="$link" -DCMAKE_SHARED_LINKER_FLAGS="$link" \
  -DCARINA_BUILD_GUI=OFF -DCARINA_BUILD_TESTS=OFF -DCARINA_BUILD_FUZZERS=ON
cmake --build "$build_dir" -j "$jobs" --target \
  carina-dicom-worker fuzz_nifti fuzz_nifti_gz fuzz_image fuzz_read_volume fuzz_dicom fuzz_dicom_worker fuzz_session
