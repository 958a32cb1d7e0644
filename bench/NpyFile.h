// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace carina::bench {

/// A C-ordered little-endian .npy array as raw bytes (enough for the anchors' data files).
struct NpyFile
{
    std::string descr;        ///< numpy dtype string, e.g. "|u1", "<i2"
    std::vector<int> shape;   ///< slowest axis first, e.g. (z, y, x)
    std::vector<char> bytes;  ///< the elements, C order

    std::size_t elementCount() const;
    template<typename T> const T *as() const { return reinterpret_cast<const T *>(bytes.data()); }

    /// Reads `path`; throws std::runtime_error naming the file and the problem.
    static NpyFile read(const std::string &path);
};

} // namespace carina::bench
