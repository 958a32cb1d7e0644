// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <cstddef>
#include <memory>

namespace carina::io::detail {

/// An anonymous POSIX shared-memory block that worker processes write a volume into.
///
/// The name is random and unlinked right after creation: the block is reachable only through
/// the descriptor (inherited by the workers) and the mappings, so nothing is left in /dev/shm
/// whatever happens to the processes.
class SharedMemory
{
public:
    /// Throws IoError when the memory cannot be had (including too little room in /dev/shm).
    explicit SharedMemory(std::size_t size);
    ~SharedMemory();
    SharedMemory(const SharedMemory &) = delete;
    SharedMemory &operator=(const SharedMemory &) = delete;

    int fd() const { return m_fd; }
    std::size_t size() const { return m_size; }
    /// Maps the whole block read-write; the mapping lives as long as the returned owner.
    std::shared_ptr<void> map() const;

private:
    int m_fd = -1;
    std::size_t m_size = 0;
};

} // namespace carina::io::detail
