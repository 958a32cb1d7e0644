// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

// Tests that include this link carina_npy (bench/NpyFile.h), the project's one .npy reader.

#include "NpyFile.h"

#include <carina/Volume.h>

#include <QString>

#include <cstring>
#include <stdexcept>

namespace carina::test {

/// Reads a 2D uint8 C-order .npy (as numpy.save writes the anchors' images) into a one-slice
/// Volume; a null Volume when the file is absent or not of that kind.
inline Volume loadNpyUInt8(const QString &path)
{
    bench::NpyFile npy;
    try {
        npy = bench::NpyFile::read(path.toStdString());
    } catch (const std::runtime_error &) {
        return {};
    }
    if (npy.descr != "|u1" || npy.shape.size() != 2)
        return {};
    ImageGeometry g;
    g.dims = {npy.shape[1], npy.shape[0], 1};
    Volume v(VoxelType::UInt8, g);
    if (npy.bytes.size() != v.byteSize())
        return {};
    std::memcpy(v.rawData(), npy.bytes.data(), v.byteSize());
    return v;
}

} // namespace carina::test
