// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "model/VoxelMemory.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <new>

#include <sys/mman.h>

namespace carina::detail {

std::shared_ptr<void> allocateVoxelMemory(std::size_t bytes)
{
    if (bytes < kHugePageThreshold) {
        void *memory = std::calloc(std::max<std::size_t>(bytes, 1), 1);
        if (!memory)
            throw std::bad_alloc();
        return std::shared_ptr<void>(memory, [](void *p) { std::free(p); });
    }
    constexpr std::size_t huge = std::size_t(2) << 20;
    if (bytes > SIZE_MAX - huge)
        throw std::bad_alloc();
    // Over-allocate by one huge page so the block can start on a 2 MiB boundary: only aligned
    // 2 MiB ranges can be huge pages, and a volume's first and last pages are its busiest.
    const std::size_t mapped = bytes + huge;
    void *base = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        throw std::bad_alloc();
    const std::uintptr_t start = (reinterpret_cast<std::uintptr_t>(base) + huge - 1) & ~std::uintptr_t(huge - 1);
    void *aligned = reinterpret_cast<void *>(start);
    // Advice only: a kernel without transparent huge pages (or with them off) says no, and the
    // block simply keeps small pages.
    (void)::madvise(aligned, bytes, MADV_HUGEPAGE);
    return std::shared_ptr<void>(aligned, [base, mapped](void *) { ::munmap(base, mapped); });
}

bool voxelMemoryGetsHugePages()
{
    static const bool answer = [] {
        std::string modes;
        std::getline(std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled"), modes);
        return modes.find("[always]") != std::string::npos || modes.find("[madvise]") != std::string::npos;
    }();
    return answer;
}

} // namespace carina::detail
