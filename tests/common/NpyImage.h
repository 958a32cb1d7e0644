// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/Volume.h>

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>

#include <cstring>

namespace carina::test {

/// Reads a 2D uint8 C-order .npy (as numpy.save writes the anchors' images) into a one-slice
/// Volume; a null Volume when the file is absent or not of that kind.
inline Volume loadNpyUInt8(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    if (!bytes.startsWith("\x93NUMPY"))
        return {};
    const int headerLength = std::uint8_t(bytes[8]) | (std::uint8_t(bytes[9]) << 8);
    const QByteArray header = bytes.mid(10, headerLength);
    if (!header.contains("'|u1'") || header.contains("'fortran_order': True"))
        return {};
    const int open = header.indexOf("'shape': (") + 10;
    const QList<QByteArray> shape = header.mid(open, header.indexOf(')', open) - open).split(',');
    ImageGeometry g;
    g.dims = {shape.at(1).trimmed().toInt(), shape.at(0).trimmed().toInt(), 1};
    Volume v(VoxelType::UInt8, g);
    if (std::size_t(bytes.size() - 10 - headerLength) != v.byteSize())
        return {};
    std::memcpy(v.rawData(), bytes.constData() + 10 + headerLength, v.byteSize());
    return v;
}

} // namespace carina::test
