// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// A folder nobody can write into for the length of a test, to make saves fail for real: the
// permission bits for a normal user, the immutable attribute (chattr +i) for root, whom the
// permission bits do not stop.
#pragma once

#include <QFile>
#include <QProcess>
#include <QString>

#include <unistd.h>

namespace carina::testing {

class ReadOnlyFolder
{
public:
    explicit ReadOnlyFolder(const QString &path) : m_path(path)
    {
        if (::geteuid() != 0) {
            m_ok = QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        } else {
            m_immutable = QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("+i"), path}) == 0;
            m_ok = m_immutable;
        }
    }
    ~ReadOnlyFolder() { restore(); }
    ReadOnlyFolder(const ReadOnlyFolder &) = delete;
    ReadOnlyFolder &operator=(const ReadOnlyFolder &) = delete;

    /// False when the folder could not be made read-only (QSKIP then).
    bool ok() const { return m_ok; }
    void restore()
    {
        if (!m_ok)
            return;
        if (m_immutable)
            QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("-i"), m_path});
        else
            QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        m_ok = false;
    }

private:
    QString m_path;
    bool m_ok = false;
    bool m_immutable = false;
};

} // namespace carina::testing
