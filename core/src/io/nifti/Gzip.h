// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "io/nifti/ByteBuffer.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace carina::io {
class AtomicFile;
}

namespace carina::io::detail {

/// The two magic bytes of a gzip member.
bool isGzip(const std::byte *bytes, std::size_t size);

/// The size the trailer of gzip file `path` (of `fileSize` bytes) claims for its last member,
/// modulo 2^32; 0 when the file is too short to be gzip.
std::uint32_t gzipSizeHint(const std::string &path, std::uint64_t fileSize);

/// Inflates at most `count` bytes from the start of a gzip stream (fewer when it is shorter).
/// Throws IoError when the stream is corrupt.
std::vector<std::byte> gunzipPrefix(const std::byte *in, std::size_t inSize, std::size_t count,
                                    const std::string &path);

/// The buffer size for inflating the first `needed` bytes of a gzip stream whose trailer says
/// `sizeHint` (ISIZE, modulo 2^32) and whose header says it holds `expectedTotal` bytes (0 =
/// unknown): the hint when the two agree (libdeflate can then inflate in one call), else `needed`.
std::size_t gunzipCapacity(std::uint32_t sizeHint, std::size_t needed, std::uint64_t expectedTotal);

/// Throws IoError when `inSize` bytes of gzip cannot hold `needed` bytes (deflate expands at
/// most 1032 times): checked before allocating what a lying header asks for.
void checkGunzipPlausible(std::uint64_t inSize, std::uint64_t needed, const std::string &path);

/// Inflates the first `needed` bytes of a gzip stream (one or several members) into `out`, of
/// at least gunzipCapacity() bytes. Uses libdeflate's whole-buffer decoder, zlib streaming when
/// that cannot work (files over 4 GB, only the start of a longer member wanted).
/// Throws IoError on corrupt or truncated data.
void gunzipInto(const std::byte *in, std::size_t inSize, ByteBuffer &out, std::size_t needed,
                std::uint64_t expectedTotal, const std::string &path, const TaskContext &context);

/// One contiguous piece of the bytes to compress.
struct ConstBytes
{
    const std::byte *data;
    std::size_t size;
};

/// Writes `pieces` (concatenated) to `out` as gzip at `level`. Large inputs are cut into
/// members compressed in parallel; every gzip reader concatenates members.
void gzipTo(AtomicFile &out, const std::vector<ConstBytes> &pieces, int level);

} // namespace carina::io::detail
