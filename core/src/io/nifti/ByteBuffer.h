// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/TaskContext.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace carina::io::detail {

/// malloc'd bytes whose owner can be handed to a Volume, so decoded voxels are never copied.
struct ByteBuffer
{
    std::shared_ptr<void> owner;
    std::byte *data = nullptr;
    std::size_t size = 0;

    /// Uninitialised memory; throws IoError naming `path` when it cannot be had.
    static ByteBuffer allocate(std::size_t size, const std::string &path);
};

/// "12.3 MB" for messages.
std::string megabytes(std::uint64_t bytes);

/// Size of a regular file; throws IoError for a missing file or a folder.
std::uint64_t fileSize(const std::string &path);

/// Up to `count` bytes from the start of the file (fewer when it is shorter).
std::vector<std::byte> readFilePrefix(const std::string &path, std::size_t count);

/// Exactly `count` bytes from `offset` into `destination`; throws IoError when the file is shorter.
void readFileRange(const std::string &path, std::uint64_t offset, std::size_t count, std::byte *destination,
                   const TaskContext &context);

/// The whole file. Read, not memory-mapped: a file truncated while mapped would kill the process
/// with SIGBUS, and copying out of the page cache costs little next to inflating.
ByteBuffer readWholeFile(const std::string &path, const TaskContext &context);

} // namespace carina::io::detail
