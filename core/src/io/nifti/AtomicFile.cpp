// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/io/AtomicFile.h>
#include <carina/io/IoError.h>

#include <QSaveFile>

#include <limits>

namespace carina::io {

namespace {
[[noreturn]] void fail(const std::string &path, const QSaveFile &file)
{
    throw IoError(path + ": cannot write: " + file.errorString().toStdString());
}
} // namespace

AtomicFile::AtomicFile(const std::string &path)
    : m_path(path), m_file(std::make_unique<QSaveFile>(QString::fromStdString(path)))
{
    if (!m_file->open(QIODevice::WriteOnly))
        fail(m_path, *m_file);
}

AtomicFile::~AtomicFile()
{
    if (!m_done)
        m_file->cancelWriting();
}

void AtomicFile::write(const void *data, std::size_t size)
{
    if (m_done)
        throw IoError(m_path + ": cannot write: the file was already committed or canceled");
    const char *bytes = static_cast<const char *>(data);
    // QIODevice::write takes a qint64 and may write less than asked; loop until all is written.
    while (size > 0) {
        const auto chunk = qint64(std::min<std::size_t>(size, std::size_t(1) << 30));
        const qint64 written = m_file->write(bytes, chunk);
        if (written <= 0) {
            m_file->cancelWriting();
            m_done = true;
            fail(m_path, *m_file);
        }
        bytes += written;
        size -= std::size_t(written);
    }
}

void AtomicFile::commit()
{
    if (m_done)
        throw IoError(m_path + ": cannot write: the file was already committed or canceled");
    m_done = true;
    if (!m_file->commit())
        fail(m_path, *m_file);
}

void AtomicFile::cancel()
{
    if (!m_done)
        m_file->cancelWriting();
    m_done = true;
}

void writeFileAtomically(const std::string &path, const void *data, std::size_t size)
{
    AtomicFile file(path);
    file.write(data, size);
    file.commit();
}

} // namespace carina::io
