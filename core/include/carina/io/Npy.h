// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/Volume.h>

#include <cstddef>
#include <string>
#include <vector>

namespace carina::io {

/// A NumPy array as numpy.save writes it (.npy): C order, little-endian or single-byte elements,
/// kept as raw bytes. The anchors' test images and ground truths come as .npy.
struct CARINA_CORE_EXPORT NpyArray
{
    std::string descr;       ///< numpy dtype string: "|u1", "<i2", "<u2", "<f4", "<f8", "|b1", ...
    std::vector<int> shape;  ///< slowest axis first, e.g. (z, y, x); empty for a scalar
    std::vector<char> bytes; ///< the elements, C order

    std::size_t elementCount() const;
    /// Bytes per element, from descr ("<i2" -> 2).
    std::size_t itemSize() const;
    template<typename T> const T *as() const { return reinterpret_cast<const T *>(bytes.data()); }
};

/// Reads a .npy file (format versions 1 to 3). Throws IoError naming the file and the problem:
/// not a .npy file, a header without dtype or shape, a big-endian or non-numeric dtype, Fortran
/// order, data shorter than the shape says.
CARINA_CORE_EXPORT NpyArray readNpy(const std::string &path);

/// Writes `array` as numpy.save does (format 1.0, or 2.0 for a header over 64 kB) through an
/// AtomicFile. Throws std::invalid_argument when descr is not a little-endian or single-byte
/// numeric dtype or bytes do not hold shape's elements; IoError when writing fails.
CARINA_CORE_EXPORT void writeNpy(const std::string &path, const NpyArray &array);

/// Reads a .npy image as a volume: 2D (rows, cols) as one slice, 3D as (z, y, x); uint8, int16,
/// uint16 or float32; spacing 1 mm, origin 0, identity direction. Throws IoError naming the file
/// (and, for another dtype or rank, what is supported).
CARINA_CORE_EXPORT Volume readNpyVolume(const std::string &path);

/// True for a path ending in .npy (case-insensitive).
CARINA_CORE_EXPORT bool isNpyPath(const std::string &path);

} // namespace carina::io
