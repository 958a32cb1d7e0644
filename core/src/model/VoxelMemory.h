// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <cstddef>
#include <memory>

namespace carina::detail {

/// Zeroed memory for `bytes` of voxels, freed when the last owner goes. Throws std::bad_alloc.
///
/// Blocks of kHugePageThreshold and more come straight from mmap, aligned to 2 MiB and marked
/// for transparent huge pages. Filling a fresh 150 MB CT volume takes the kernel one page fault
/// and one page allocation per 4 KiB otherwise, which costs more than reading and converting
/// the voxels (about 80-110 ms against 22 ms with huge pages, on this project's CI machines).
/// numpy does the same for its large arrays. Where the kernel has no huge page at hand it falls
/// back to small pages; pages still arrive only when first written, as with calloc.
std::shared_ptr<void> allocateVoxelMemory(std::size_t bytes);

/// Whether this kernel gives allocateVoxelMemory() huge pages when it asks (transparent huge
/// pages "always" or "madvise"; not "never", not missing). Read once.
bool voxelMemoryGetsHugePages();

/// Blocks from this size on are huge-page candidates (numpy's threshold).
constexpr std::size_t kHugePageThreshold = std::size_t(4) << 20;

} // namespace carina::detail
