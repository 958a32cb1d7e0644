// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/nifti/Gzip.h"

#include <carina/io/AtomicFile.h>
#include <carina/io/IoError.h>

#include <libdeflate.h>
#include <tbb/parallel_for.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <limits>

namespace carina::io::detail {

namespace {

// Deflate cannot expand data by more than this factor (258-byte matches in ~2-bit codes).
constexpr std::uint64_t maxDeflateRatio = 1032;
// zlib counts in uInt: feed it at most this much at a time.
constexpr std::size_t zlibStep = std::size_t(1) << 30;

[[noreturn]] void corrupt(const std::string &path, const char *what)
{
    throw IoError(path + ": the gzip-compressed data is corrupt (" + what + ")");
}

[[noreturn]] void truncated(const std::string &path, std::size_t got, std::size_t needed)
{
    throw IoError(path + ": truncated: the compressed data ends after " + megabytes(got) + ", the header needs "
                  + megabytes(needed));
}

// Streams `in` through zlib into `out` until `needed` bytes are out; returns the count produced,
// which is below `needed` only when `allowShort` (the stream ended first). With `checkEnd`, goes on
// to the end of the member so zlib verifies its CRC: the whole file was wanted, and a corrupt
// stream may still inflate to the right number of (wrong) bytes.
std::size_t inflateInto(const std::byte *in, std::size_t inSize, std::byte *out, std::size_t needed,
                        bool allowShort, bool checkEnd, const std::string &path, const TaskContext &context)
{
    z_stream stream{};
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
        throw IoError(path + ": cannot start the gzip decoder");
    struct End
    {
        z_stream *s;
        ~End() { inflateEnd(s); }
    } end{&stream};

    std::size_t inPos = 0;
    std::size_t outPos = 0;
    std::size_t lastProgress = 0;
    while (outPos < needed) {
        if (stream.avail_in == 0) {
            if (inPos >= inSize)
                break;
            const std::size_t step = std::min(zlibStep, inSize - inPos);
            stream.next_in = reinterpret_cast<Bytef *>(const_cast<std::byte *>(in + inPos));
            stream.avail_in = uInt(step);
            inPos += step;
        }
        const std::size_t outStep = std::min(zlibStep, needed - outPos);
        stream.next_out = reinterpret_cast<Bytef *>(out + outPos);
        stream.avail_out = uInt(outStep);
        const int status = inflate(&stream, Z_NO_FLUSH);
        outPos += outStep - stream.avail_out;
        if (status == Z_STREAM_END) {
            // Another member may follow (pigz, our own writer); anything else ends the data.
            const std::size_t consumed = inPos - stream.avail_in;
            if (outPos < needed && isGzip(in + consumed, inSize - consumed)) {
                inflateReset(&stream);
                continue;
            }
            break;
        }
        if (status == Z_DATA_ERROR)
            corrupt(path, stream.msg ? stream.msg : "invalid deflate data");
        if (status == Z_MEM_ERROR)
            throw IoError(path + ": not enough memory to decompress");
        if (status == Z_BUF_ERROR && stream.avail_in == 0 && inPos >= inSize)
            break;
        if (status != Z_OK && status != Z_BUF_ERROR)
            corrupt(path, stream.msg ? stream.msg : "zlib error");
        if (outPos - lastProgress >= (std::size_t(32) << 20)) {
            lastProgress = outPos;
            context.throwIfCanceled();
            context.progress(double(outPos) / double(needed));
        }
    }
    if (outPos < needed && !allowShort)
        truncated(path, outPos, needed);
    if (checkEnd) {
        std::byte scratch[4096];
        std::size_t extra = 0;
        while (extra < (std::size_t(1) << 20)) {
            if (stream.avail_in == 0) {
                if (inPos >= inSize)
                    truncated(path, outPos, needed);
                const std::size_t step = std::min(zlibStep, inSize - inPos);
                stream.next_in = reinterpret_cast<Bytef *>(const_cast<std::byte *>(in + inPos));
                stream.avail_in = uInt(step);
                inPos += step;
            }
            stream.next_out = reinterpret_cast<Bytef *>(scratch);
            stream.avail_out = sizeof scratch;
            const int status = inflate(&stream, Z_NO_FLUSH);
            extra += sizeof scratch - stream.avail_out;
            if (status == Z_STREAM_END)
                break;
            if (status == Z_DATA_ERROR)
                corrupt(path, stream.msg ? stream.msg : "invalid deflate data");
            if (status != Z_OK && status != Z_BUF_ERROR)
                corrupt(path, stream.msg ? stream.msg : "zlib error");
        }
    }
    return outPos;
}

struct Decompressor
{
    libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    ~Decompressor() { libdeflate_free_decompressor(d); }
};

struct Compressor
{
    explicit Compressor(int level) : c(libdeflate_alloc_compressor(level)) {}
    ~Compressor() { libdeflate_free_compressor(c); }
    libdeflate_compressor *c;
};

} // namespace

bool isGzip(const std::byte *bytes, std::size_t size)
{
    return size >= 2 && bytes[0] == std::byte{0x1f} && bytes[1] == std::byte{0x8b};
}

std::uint32_t gzipSizeHint(const std::string &path, std::uint64_t fileSize)
{
    // A gzip member is at least 18 bytes: 10 of header, 8 of trailer (CRC32, ISIZE).
    if (fileSize < 18)
        return 0;
    std::byte trailer[4];
    readFileRange(path, fileSize - 4, 4, trailer, TaskContext::none());
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i)
        value = (value << 8) | std::uint32_t(trailer[i]);
    return value;
}

std::vector<std::byte> gunzipPrefix(const std::byte *in, std::size_t inSize, std::size_t count,
                                    const std::string &path)
{
    std::vector<std::byte> out(count);
    out.resize(inflateInto(in, inSize, out.data(), count, true, false, path, TaskContext::none()));
    return out;
}

std::size_t gunzipCapacity(std::uint32_t sizeHint, std::size_t needed, std::uint64_t expectedTotal)
{
    // ISIZE is the uncompressed size modulo 2^32 of the last member: trust it only when it
    // agrees with what the header says the file holds.
    const std::uint64_t hint = sizeHint;
    const bool agrees = expectedTotal > 0 && expectedTotal < (std::uint64_t(1) << 32) && hint == expectedTotal
                        && hint >= needed && hint - needed <= std::max<std::uint64_t>(needed / 8, 1 << 20);
    return agrees ? std::size_t(hint) : needed;
}

void checkGunzipPlausible(std::uint64_t inSize, std::uint64_t needed, const std::string &path)
{
    if (needed > inSize * maxDeflateRatio + 1024)
        throw IoError(path + ": truncated: the header needs " + megabytes(needed) + " but " + megabytes(inSize)
                      + " of gzip data cannot hold more than " + megabytes(inSize * maxDeflateRatio));
}

void gunzipInto(const std::byte *in, std::size_t inSize, ByteBuffer &out, std::size_t needed,
                std::uint64_t expectedTotal, const std::string &path, const TaskContext &context)
{
    checkGunzipPlausible(inSize, needed, path);
    Decompressor decompressor;
    if (!decompressor.d)
        throw IoError(path + ": not enough memory to decompress");
    std::size_t inPos = 0;
    std::size_t outPos = 0;
    context.progress(0.0, "Decompressing");
    while (outPos < needed && isGzip(in + inPos, inSize - inPos)) {
        context.throwIfCanceled();
        std::size_t inUsed = 0;
        std::size_t outUsed = 0;
        const libdeflate_result result = libdeflate_gzip_decompress_ex(decompressor.d, in + inPos, inSize - inPos,
                                                                       out.data + outPos, out.size - outPos,
                                                                       &inUsed, &outUsed);
        if (result != LIBDEFLATE_SUCCESS) {
            // Only the start of a longer member is wanted (4D), or the data is bad: zlib streams
            // what is needed and tells truncation from corruption.
            inflateInto(in, inSize, out.data, needed, false, expectedTotal == needed, path, context);
            context.progress(1.0);
            return;
        }
        inPos += inUsed;
        outPos += outUsed;
        context.progress(double(outPos) / double(needed));
    }
    if (outPos < needed)
        truncated(path, outPos, needed);
}

void gzipTo(AtomicFile &out, const std::vector<ConstBytes> &pieces, int level)
{
    std::size_t total = 0;
    for (const ConstBytes &piece : pieces)
        total += piece.size;

    // Members of this size compress in parallel with little loss of ratio; small files stay one
    // member, which some readers (ISIZE-based sizing) handle faster.
    constexpr std::size_t memberSize = std::size_t(32) << 20;
    const std::size_t memberCount = std::max<std::size_t>(1, (total + memberSize - 1) / memberSize);

    // Gathers the bytes [begin, begin + size) of the concatenated pieces; copies only when a
    // member spans a piece boundary (the header and the first voxels).
    auto gather = [&](std::size_t begin, std::size_t size, std::vector<std::byte> &scratch) -> const std::byte * {
        std::size_t offset = 0;
        for (const ConstBytes &piece : pieces) {
            if (begin >= offset && begin + size <= offset + piece.size)
                return piece.data + (begin - offset);
            offset += piece.size;
        }
        scratch.resize(size);
        offset = 0;
        std::size_t written = 0;
        for (const ConstBytes &piece : pieces) {
            const std::size_t from = std::max(begin, offset);
            const std::size_t to = std::min(begin + size, offset + piece.size);
            if (from < to) {
                std::memcpy(scratch.data() + written, piece.data + (from - offset), to - from);
                written += to - from;
            }
            offset += piece.size;
        }
        return scratch.data();
    };

    std::vector<std::vector<std::byte>> members(memberCount);
    std::vector<int> failed(memberCount, 0);
    tbb::parallel_for(std::size_t(0), memberCount, [&](std::size_t m) {
        const std::size_t begin = m * memberSize;
        const std::size_t size = std::min(memberSize, total - begin);
        std::vector<std::byte> scratch;
        const std::byte *input = gather(begin, size, scratch);
        Compressor compressor(level);
        if (!compressor.c) {
            failed[m] = 1;
            return;
        }
        std::vector<std::byte> &compressed = members[m];
        compressed.resize(libdeflate_gzip_compress_bound(compressor.c, size));
        const std::size_t produced = libdeflate_gzip_compress(compressor.c, input, size, compressed.data(),
                                                              compressed.size());
        if (produced == 0)
            failed[m] = 1;
        compressed.resize(produced);
    });
    if (std::find(failed.begin(), failed.end(), 1) != failed.end())
        throw IoError(out.path() + ": cannot write: compression failed (out of memory?)");
    for (const std::vector<std::byte> &member : members)
        out.write(member.data(), member.size());
}

} // namespace carina::io::detail
