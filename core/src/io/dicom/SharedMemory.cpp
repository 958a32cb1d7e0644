// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/dicom/SharedMemory.h"

#include <carina/io/IoError.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <fcntl.h>
#include <random>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace carina::io::detail {

namespace {
std::string megabytes(std::size_t bytes)
{
    return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MB";
}
} // namespace

namespace {
int createBlock(std::size_t size)
{
    int fd = -1;
    std::random_device random;
    for (int attempt = 0; attempt < 8 && fd < 0; ++attempt) {
        char name[64];
        std::snprintf(name, sizeof name, "/carina-%08x%08x%08x%08x", random(), random(), random(), random());
        fd = ::shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            ::shm_unlink(name);
        else if (errno != EEXIST)
            break;
    }
    if (fd < 0)
        throw IoError(std::string("cannot create shared memory for the volume: ") + std::strerror(errno));
    if (::ftruncate(fd, off_t(size)) != 0) {
        const int e = errno;
        ::close(fd);
        throw IoError("cannot size shared memory for a " + megabytes(size) + " volume: " + std::strerror(e));
    }
    return fd;
}
} // namespace

SharedMemory::SharedMemory(std::size_t size, int parts) : m_size(size)
{
    if (size == 0)
        throw IoError("cannot allocate an empty volume");
    // tmpfs over-commits: running out of room would kill a worker with SIGBUS mid-write and be
    // misreported as a bad file, so check first. (Parts are sparse: together they hold `size`.)
    struct statvfs fs {};
    if (::statvfs("/dev/shm", &fs) == 0 && std::size_t(fs.f_bavail) * fs.f_frsize < size)
        throw IoError("not enough shared memory (/dev/shm) for a " + megabytes(size) + " volume ("
                      + megabytes(std::size_t(fs.f_bavail) * fs.f_frsize) + " free)");
    try {
        for (int part = 0; part < std::max(1, parts); ++part)
            m_fds.push_back(createBlock(size));
    } catch (...) {
        for (int fd : m_fds)
            ::close(fd);
        throw;
    }
}

SharedMemory::~SharedMemory()
{
    for (int fd : m_fds)
        ::close(fd);
}

bool SharedMemory::canSplit(std::size_t sliceBytes)
{
    return sliceBytes > 0 && sliceBytes % std::size_t(::sysconf(_SC_PAGESIZE)) == 0;
}

std::shared_ptr<void> SharedMemory::map() const
{
    void *p = ::mmap(nullptr, m_size, PROT_READ | PROT_WRITE, MAP_SHARED, m_fds.front(), 0);
    if (p == MAP_FAILED)
        throw IoError("cannot map a " + megabytes(m_size) + " volume: " + std::strerror(errno));
    const std::size_t size = m_size;
    return std::shared_ptr<void>(p, [size](void *q) { ::munmap(q, size); });
}

std::shared_ptr<void> SharedMemory::map(const std::vector<int> &partOfSlice, std::size_t sliceBytes) const
{
    if (m_fds.size() == 1)
        return map();
    const std::size_t total = partOfSlice.size() * sliceBytes;
    if (!canSplit(sliceBytes) || total == 0)
        throw IoError("internal: slices of " + std::to_string(sliceBytes) + " bytes cannot be mapped piece by piece");
    if (total != m_size)
        throw IoError("internal: " + std::to_string(partOfSlice.size()) + " slices do not fill the shared memory");
    // Reserve the range, then lay each run of slices from one part over it.
    char *base = static_cast<char *>(::mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
    if (base == MAP_FAILED)
        throw IoError("cannot map a " + megabytes(total) + " volume: " + std::strerror(errno));
    std::shared_ptr<void> owner(base, [total](void *q) { ::munmap(q, total); });
    for (std::size_t k = 0; k < partOfSlice.size();) {
        const int part = partOfSlice[k];
        if (part < 0 || std::size_t(part) >= m_fds.size())
            throw IoError("internal: slice " + std::to_string(k) + " has no place in the shared memory");
        std::size_t end = k + 1;
        while (end < partOfSlice.size() && partOfSlice[end] == part)
            ++end;
        void *p = ::mmap(base + k * sliceBytes, (end - k) * sliceBytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd(part),
                         off_t(k * sliceBytes));
        if (p == MAP_FAILED)
            throw IoError("cannot map a " + megabytes(total) + " volume: " + std::strerror(errno));
        k = end;
    }
    return owner;
}

} // namespace carina::io::detail
