// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace carina::io::detail {

/// Anonymous POSIX shared memory that worker processes write a volume into.
///
/// It may be split into parts, one per worker: writes into one tmpfs file serialise on its inode
/// lock, and allocating fresh tmpfs pages is most of the cost of an uncompressed series. Each part
/// is a sparse file as large as the whole volume; a worker writes its slices at their place in
/// its own part, and map() puts every slice, from whichever part holds it, in one address range.
///
/// Names are random and unlinked right after creation: the memory is reachable only through the
/// descriptors (sent to the workers) and the mappings, so nothing is left in /dev/shm whatever
/// happens to the processes.
class SharedMemory
{
public:
    /// Throws IoError when the memory cannot be had, or when /dev/shm has less room than `size`.
    explicit SharedMemory(std::size_t size, int parts = 1);
    ~SharedMemory();
    SharedMemory(const SharedMemory &) = delete;
    SharedMemory &operator=(const SharedMemory &) = delete;

    int fd(int part = 0) const { return m_fds.at(std::size_t(part)); }
    const std::vector<int> &fds() const { return m_fds; }
    int parts() const { return int(m_fds.size()); }
    std::size_t size() const { return m_size; }
    /// Maps the whole of part 0 read-write; the mapping lives as long as the returned owner.
    std::shared_ptr<void> map() const;
    /// Maps the volume read-write with slice k (`sliceBytes` long, a multiple of the page size
    /// when there are several parts) from part partOfSlice[k].
    std::shared_ptr<void> map(const std::vector<int> &partOfSlice, std::size_t sliceBytes) const;

    /// Whether slices of `sliceBytes` can come from several parts (page-aligned slices).
    static bool canSplit(std::size_t sliceBytes);

private:
    std::vector<int> m_fds;
    std::size_t m_size = 0;
};

} // namespace carina::io::detail
