// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/dicom/SharedMemory.h"

#include <carina/io/IoError.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
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

SharedMemory::SharedMemory(std::size_t size) : m_size(size)
{
    if (size == 0)
        throw IoError("cannot allocate an empty volume");
    // tmpfs over-commits: running out of room would kill a worker with SIGBUS mid-write and be
    // misreported as a bad file, so check first.
    struct statvfs fs {};
    if (::statvfs("/dev/shm", &fs) == 0 && std::size_t(fs.f_bavail) * fs.f_frsize < size)
        throw IoError("not enough shared memory (/dev/shm) for a " + megabytes(size) + " volume ("
                      + megabytes(std::size_t(fs.f_bavail) * fs.f_frsize) + " free)");
    std::random_device random;
    for (int attempt = 0; attempt < 8 && m_fd < 0; ++attempt) {
        char name[64];
        std::snprintf(name, sizeof name, "/carina-%08x%08x%08x%08x", random(), random(), random(), random());
        m_fd = ::shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (m_fd >= 0)
            ::shm_unlink(name);
        else if (errno != EEXIST)
            break;
    }
    if (m_fd < 0)
        throw IoError(std::string("cannot create shared memory for the volume: ") + std::strerror(errno));
    if (::ftruncate(m_fd, off_t(size)) != 0) {
        const int e = errno;
        ::close(m_fd);
        m_fd = -1;
        throw IoError("cannot size shared memory for a " + megabytes(size) + " volume: " + std::strerror(e));
    }
}

SharedMemory::~SharedMemory()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

std::shared_ptr<void> SharedMemory::map() const
{
    void *p = ::mmap(nullptr, m_size, PROT_READ | PROT_WRITE, MAP_SHARED, m_fd, 0);
    if (p == MAP_FAILED)
        throw IoError("cannot map a " + megabytes(m_size) + " volume: " + std::strerror(errno));
    const std::size_t size = m_size;
    return std::shared_ptr<void>(p, [size](void *q) { ::munmap(q, size); });
}

} // namespace carina::io::detail
