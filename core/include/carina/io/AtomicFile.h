// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>

#include <cstddef>
#include <memory>
#include <string>

class QSaveFile;

namespace carina::io {

/// Writes a file so that it is either complete or not there at all: the bytes go to a temporary
/// file in the target's folder, and commit() renames it over `path`. A writer that fails or is
/// destroyed before commit() leaves the previous file (if any) untouched and no partial file
/// behind. Every writer of the project goes through this. Not thread-safe: one writer per object.
///
/// @code
/// AtomicFile file("/data/labels.nii.gz");
/// file.write(header.data(), header.size());
/// file.write(voxels, voxelBytes);
/// file.commit();
/// @endcode
class CARINA_CORE_EXPORT AtomicFile
{
public:
    /// Opens the temporary file. Throws IoError ("<path>: cannot write: <reason>") when the folder
    /// does not exist or is not writable.
    explicit AtomicFile(const std::string &path);
    /// Discards the temporary file unless commit() succeeded.
    ~AtomicFile();
    AtomicFile(const AtomicFile &) = delete;
    AtomicFile &operator=(const AtomicFile &) = delete;

    /// Appends `size` bytes. Throws IoError (disk full, ...).
    void write(const void *data, std::size_t size);
    /// Flushes and renames into place. Throws IoError; after a failure nothing is left behind.
    void commit();
    /// Discards what was written; the target stays as it was.
    void cancel();

    const std::string &path() const { return m_path; }

private:
    std::string m_path;
    std::unique_ptr<QSaveFile> m_file;
    bool m_done = false;
};

/// Writes `size` bytes to `path` through an AtomicFile. Throws IoError.
CARINA_CORE_EXPORT void writeFileAtomically(const std::string &path, const void *data, std::size_t size);

} // namespace carina::io
