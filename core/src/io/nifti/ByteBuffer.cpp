// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/nifti/ByteBuffer.h"
#include "model/VoxelMemory.h"

#include <carina/io/IoError.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace carina::io::detail {

namespace {

class FileDescriptor
{
public:
    explicit FileDescriptor(const std::string &path) : m_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC))
    {
        if (m_fd < 0)
            throw IoError(path + ": cannot open: " + std::strerror(errno));
    }
    ~FileDescriptor() { ::close(m_fd); }
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

// Reads until `count` bytes or end of file; returns how many were read.
std::size_t readAt(int fd, const std::string &path, std::uint64_t offset, std::size_t count, std::byte *out,
                   const TaskContext &context)
{
    // Chunks keep cancel responsive and progress moving on slow disks.
    constexpr std::size_t chunk = std::size_t(64) << 20;
    std::size_t done = 0;
    while (done < count) {
        context.throwIfCanceled();
        const std::size_t want = std::min(chunk, count - done);
        const ssize_t got = ::pread(fd, out + done, want, off_t(offset + done));
        if (got < 0) {
            if (errno == EINTR)
                continue;
            throw IoError(path + ": read error: " + std::strerror(errno));
        }
        if (got == 0)
            break;
        done += std::size_t(got);
        if (count > chunk)
            context.progress(double(done) / double(count));
    }
    return done;
}

} // namespace

ByteBuffer ByteBuffer::allocate(std::size_t size, const std::string &path)
{
    ByteBuffer buffer;
    try {
        buffer.owner = carina::detail::allocateVoxelMemory(size);
    } catch (const std::bad_alloc &) {
        throw IoError(path + ": not enough memory for " + megabytes(size));
    }
    buffer.data = static_cast<std::byte *>(buffer.owner.get());
    buffer.size = size;
    return buffer;
}

std::string megabytes(std::uint64_t bytes)
{
    char text[32];
    const double mb = double(bytes) / 1e6;
    std::snprintf(text, sizeof text, mb < 10 ? "%.2f MB" : "%.0f MB", mb);
    return text;
}

std::uint64_t fileSize(const std::string &path)
{
    struct stat info{};
    if (::stat(path.c_str(), &info) != 0)
        throw IoError(path + (errno == ENOENT ? ": no such file or folder" : ": cannot open: " + std::string(std::strerror(errno))));
    if (S_ISDIR(info.st_mode))
        throw IoError(path + ": is a folder, not a file");
    return std::uint64_t(info.st_size);
}

std::vector<std::byte> readFilePrefix(const std::string &path, std::size_t count)
{
    FileDescriptor fd(path);
    std::vector<std::byte> bytes(count);
    bytes.resize(readAt(fd.get(), path, 0, count, bytes.data(), TaskContext::none()));
    return bytes;
}

void readFileRange(const std::string &path, std::uint64_t offset, std::size_t count, std::byte *destination,
                   const TaskContext &context)
{
    FileDescriptor fd(path);
    const std::size_t got = readAt(fd.get(), path, offset, count, destination, context);
    if (got < count)
        throw IoError(path + ": truncated: expected " + megabytes(offset + count) + ", the file holds "
                      + megabytes(offset + got));
}

ByteBuffer readWholeFile(const std::string &path, const TaskContext &context)
{
    const std::uint64_t size = fileSize(path);
    FileDescriptor fd(path);
    ByteBuffer buffer = ByteBuffer::allocate(std::size_t(size), path);
    // A file that grew meanwhile is read up to its size at open; one that shrank is short.
    buffer.size = readAt(fd.get(), path, 0, std::size_t(size), buffer.data, context);
    return buffer;
}

} // namespace carina::io::detail
