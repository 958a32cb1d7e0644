// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/Volume.h>

#include <QByteArray>
#include <QFile>
#include <QString>

#include <cstdlib>
#include <string>

namespace carina::test {

/// tests/data/nifti in the source tree.
inline QString niftiDataDir()
{
    return QStringLiteral(CARINA_SOURCE_DIR "/tests/data/nifti");
}

/// The generated anchor data (ct_phantom.*), or an empty string when it is absent.
inline QString anchorDataDir()
{
    const char *env = std::getenv("CARINA_ANCHOR_DATA");
    const QString dir = env && *env ? QString::fromLocal8Bit(env) : QStringLiteral("/tmp/carina-anchor-data");
    return QFile::exists(dir + QStringLiteral("/ct_phantom_meta.json")) ? dir : QString();
}

inline QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

inline bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace carina::test
