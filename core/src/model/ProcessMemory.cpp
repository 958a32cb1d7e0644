// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/ProcessMemory.h>

#include <malloc.h>

namespace carina {

void applyProcessMemoryPolicy()
{
    ::mallopt(M_ARENA_MAX, 1);
}

void releaseFreedMemory()
{
    ::malloc_trim(0);
}

} // namespace carina
