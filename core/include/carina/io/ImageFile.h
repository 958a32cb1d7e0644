// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/io/LoadResult.h>

#include <string>

namespace carina::io {

/// Reads a PNG, JPEG or TIFF as a one-slice volume: uint8 or uint16 grey (1 channel) or uint8
/// RGB/RGBA (3/4 channels), spacing 1 mm, identity direction. Throws IoError.
CARINA_CORE_EXPORT LoadResult readImageFile(const std::string &path);

/// True for .png, .jpg, .jpeg, .tif, .tiff (case-insensitive).
CARINA_CORE_EXPORT bool isImageFilePath(const std::string &path);

} // namespace carina::io
