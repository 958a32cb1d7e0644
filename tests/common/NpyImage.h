// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/io/Npy.h>

#include <carina/Volume.h>

#include <QString>

#include <cstring>
#include <stdexcept>

namespace carina::test {

/// Reads a 2D uint8 C-order .npy (as numpy.save writes the anchors' images) into a one-slice
/// Volume; a null Volume when the file is absent or not of that kind.
inline Volume loadNpyUInt8(const QString &path)
{
    io::NpyArray npy;
    try {
        npy = io::readNpy(path.toStdString());
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
