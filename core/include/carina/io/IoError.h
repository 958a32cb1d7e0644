// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>

#include <stdexcept>
#include <string>

namespace carina::io {

/// A file could not be read or written. what() names the file and the problem in words a user
/// understands ("scan.nii.gz: truncated: header says 91 MB of voxels, file holds 12 MB").
class CARINA_CORE_EXPORT IoError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

} // namespace carina::io
