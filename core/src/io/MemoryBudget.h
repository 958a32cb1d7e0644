// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <cstdint>
#include <string>

// What a file may make Carina allocate. Readers check the sizes a file declares against this
// before committing memory, so a small crafted file is refused with a message rather than
// pushing the machine into swap or the OOM killer.

namespace carina::io::detail {

/// The machine's physical memory in bytes (a cgroup's limit is not consulted). No single image
/// or session that needs more than this can be loaded, whatever its file says.
std::uint64_t machineMemoryBytes();

/// "8.59 GB" / "512 MB" for messages about declared sizes.
std::string sizeText(double bytes);

/// Throws IoError "<what> needs <size>, more than this machine's memory (<size>)" when `bytes`
/// exceeds machineMemoryBytes(). `bytes` is a double: declared sizes overflow any integer.
void checkFitsInMemory(double bytes, const std::string &what);

} // namespace carina::io::detail
