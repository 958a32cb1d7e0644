// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace carina::fuzz {

/// Writes the fuzz input to a file named `name` in a per-process scratch folder (in /dev/shm when
/// it exists, so each execution costs no disk I/O) and returns its path. The readers under test
/// take paths, so the bytes have to live in a file; the same path is reused for every input.
std::string writeInput(const std::string &name, const std::uint8_t *data, std::size_t size);

/// Aborts (a fuzzer finding) when `message` shows that a sanitizer fired inside a DICOM worker:
/// the parent turns any worker death into a message, which would otherwise hide a real bug in
/// the project's own worker code behind "the decoder crashed".
void abortOnSanitizerReport(const std::string &message);

} // namespace carina::fuzz
