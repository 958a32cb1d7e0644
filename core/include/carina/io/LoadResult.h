// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/Volume.h>

#include <string>
#include <vector>

namespace carina::io {

/// A loaded image and what the user should know about it (gaps, non-uniform spacing, ...).
struct LoadResult
{
    Volume volume;
    std::vector<std::string> warnings;
};

} // namespace carina::io
