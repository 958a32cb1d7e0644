// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/MemoryBudget.h"

#include <carina/io/IoError.h>

#include <cstdio>
#include <unistd.h>

namespace carina::io::detail {

std::uint64_t machineMemoryBytes()
{
    const long pages = ::sysconf(_SC_PHYS_PAGES), pageSize = ::sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0)
        return UINT64_MAX; // unknown: no limit rather than refusing every file
    return std::uint64_t(pages) * std::uint64_t(pageSize);
}

std::string sizeText(double bytes)
{
    char text[48];
    if (bytes >= 1e11)
        std::snprintf(text, sizeof text, "%.0f GB", bytes / 1e9);
    else if (bytes >= 1e9)
        std::snprintf(text, sizeof text, "%.1f GB", bytes / 1e9);
    else
        std::snprintf(text, sizeof text, "%.0f MB", bytes / 1e6);
    return text;
}

void checkFitsInMemory(double bytes, const std::string &what)
{
    const std::uint64_t machine = machineMemoryBytes();
    if (!(bytes <= double(machine))) // (NaN too)
        throw IoError(what + " needs " + sizeText(bytes) + ", more than this machine's memory (" + sizeText(double(machine)) + ")");
}

} // namespace carina::io::detail
