// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/ProcessMemory.h>

#include <malloc.h>

#include <fstream>
#include <string>

namespace carina {

void applyProcessMemoryPolicy()
{
    ::mallopt(M_ARENA_MAX, 1);
}

void releaseFreedMemory()
{
    ::malloc_trim(0);
}

double residentMemoryMiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0; // kB
    return 0.0;
}

} // namespace carina
