// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/io/LoadResult.h>

#include <string>

namespace carina {
class LabelVolume;
}

namespace carina::io {

/// Reads a PNG, JPEG or TIFF as a one-slice volume: uint8 or uint16 grey (1 channel) or uint8
/// RGB/RGBA (3/4 channels), spacing 1 mm, identity direction, image row 0 at j = 0. A multi-page
/// TIFF whose pages share size and kind becomes a stack along k (else its first page and a
/// warning). TIFF needs Qt's image formats plugin (Debian qt6-image-formats-plugins).
/// Throws IoError.
CARINA_CORE_EXPORT LoadResult readImageFile(const std::string &path);

/// True for .png, .jpg, .jpeg, .tif, .tiff (case-insensitive).
CARINA_CORE_EXPORT bool isImageFilePath(const std::string &path);

/// Writes a one-slice label layer as a 16-bit grey PNG holding the label values (row 0 = j 0;
/// readImageFile() reads it back as uint16), atomically. Throws std::invalid_argument for a
/// layer of more than one slice (NIfTI holds those), IoError naming the file when writing fails.
CARINA_CORE_EXPORT void writeLabelPng(const LabelVolume &labels, const std::string &path);

} // namespace carina::io
