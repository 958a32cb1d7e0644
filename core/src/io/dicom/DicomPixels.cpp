// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/dicom/DicomPixels.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <memory>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>

namespace carina::io::detail {

namespace {

template<typename In, typename Acc>
inline Acc storedValue(In raw, const DicomRescale &r, Acc mask, Acc signBit)
{
    static_assert(std::is_integral_v<In>, "float pixels have no stored-value bits");
    Acc x = Acc(raw);
    if (r.maskBits) {
        x &= mask;
        x = (x ^ signBit) - signBit;
    }
    return x;
}

// The hot loop of every CT series (16-bit stored values to int16 HU). Built for AVX2 as well:
// the x86-64 baseline lacks the packed 32-bit multiply and min/max it needs to vectorise.
template<typename In>
[[gnu::always_inline]] inline bool rescaleToInt16Kernel(const In *in, std::size_t n, std::int32_t s, std::int32_t b, std::int16_t *o)
{
    std::int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t v = std::int32_t(in[i]) * s + b;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        o[i] = std::int16_t(v);
    }
    return n == 0 || (lo >= INT16_MIN && hi <= INT16_MAX);
}

[[gnu::target_clones("avx2", "default")]] bool rescaleToInt16(const std::uint16_t *in, std::size_t n, std::int32_t s, std::int32_t b,
                                                           std::int16_t *o)
{
    return rescaleToInt16Kernel(in, n, s, b, o);
}

[[gnu::target_clones("avx2", "default")]] bool rescaleToInt16(const std::int16_t *in, std::size_t n, std::int32_t s, std::int32_t b,
                                                           std::int16_t *o)
{
    return rescaleToInt16Kernel(in, n, s, b, o);
}

/// Returns false when a value did not fit int16 (the caller then redoes the volume in float).
template<typename In>
bool convertFrame(const In *in, std::size_t n, const DicomRescale &r, const std::string &outType, void *out)
{
    using Acc = std::conditional_t<(sizeof(In) >= 4), std::int64_t, std::int32_t>;
    Acc mask = 0, signBit = 0;
    if constexpr (std::is_integral_v<In>) {
        mask = Acc((std::int64_t(1) << r.bitsStored) - 1);
        signBit = r.isSigned ? Acc(std::int64_t(1) << (r.bitsStored - 1)) : 0;
    }
    if (outType == "f32") {
        float *o = static_cast<float *>(out);
        // Float Pixel Data keeps its fractions (and its NaNs): no stored-value step for it.
        if (!std::is_integral_v<In> || !r.maskBits) {
            for (std::size_t i = 0; i < n; ++i)
                o[i] = float(double(in[i]) * r.slope + r.intercept);
            return true;
        }
        if constexpr (std::is_integral_v<In>) {
            for (std::size_t i = 0; i < n; ++i)
                o[i] = float(double(storedValue(in[i], r, mask, signBit)) * r.slope + r.intercept);
        }
        return true;
    }
    if constexpr (std::is_integral_v<In>) {
        if (outType == "i16") {
            std::int16_t *o = static_cast<std::int16_t *>(out);
            const double sr = std::round(r.slope), br = std::round(r.intercept);
            // A stored value is below 2^32 in magnitude: with slope and intercept below 2^30 the
            // products fit int64. Larger whole numbers (a damaged header) would wrap the integer
            // conversion itself: doubles decide those, and no nonzero value fits int16 anyway.
            if (!(std::fabs(sr) < 0x1p30 && std::fabs(br) < 0x1p30)) {
                double lo = INFINITY, hi = -INFINITY;
                for (std::size_t i = 0; i < n; ++i) {
                    const double v = double(r.maskBits ? storedValue(in[i], r, mask, signBit) : Acc(in[i])) * sr + br;
                    lo = std::min(lo, v);
                    hi = std::max(hi, v);
                    o[i] = v >= INT16_MIN && v <= INT16_MAX ? std::int16_t(v) : 0;
                }
                return n == 0 || (lo >= INT16_MIN && hi <= INT16_MAX);
            }
            const std::int64_t s = std::int64_t(sr), b = std::int64_t(br);
            if constexpr (sizeof(In) == 2) {
                // The int32 kernel only where no stored value can overflow it: 65535 x 32768
                // alone is 2^31 - 32768, so the bound is worked out in 64 bits for the type.
                const std::int64_t largest = std::is_signed_v<In> ? 32768 : 65535;
                if (!r.maskBits && largest * (s < 0 ? -s : s) + (b < 0 ? -b : b) <= INT32_MAX)
                    return rescaleToInt16(in, n, std::int32_t(s), std::int32_t(b), o);
            }
            std::int64_t lo = INT64_MAX, hi = INT64_MIN;
            if (!r.maskBits) {
                for (std::size_t i = 0; i < n; ++i) {
                    const std::int64_t v = std::int64_t(in[i]) * s + b;
                    lo = std::min(lo, v);
                    hi = std::max(hi, v);
                    o[i] = std::int16_t(v);
                }
            } else {
                for (std::size_t i = 0; i < n; ++i) {
                    const std::int64_t v = std::int64_t(storedValue(in[i], r, mask, signBit)) * s + b;
                    lo = std::min(lo, v);
                    hi = std::max(hi, v);
                    o[i] = std::int16_t(v);
                }
            }
            return n == 0 || (lo >= INT16_MIN && hi <= INT16_MAX);
        }
    }
    throw DicomFileError("internal: unsupported output type " + outType);
}

} // namespace

bool convertDicomPixels(const char *in, std::size_t n, int bitsAllocated, bool isSigned, bool isFloat, const DicomRescale &r,
                        const std::string &outType, void *out)
{
    if (isFloat && bitsAllocated == 32)
        return convertFrame(reinterpret_cast<const float *>(in), n, r, outType, out);
    if (isFloat && bitsAllocated == 64)
        return convertFrame(reinterpret_cast<const double *>(in), n, r, outType, out);
    switch (bitsAllocated) {
    case 8:
        return isSigned ? convertFrame(reinterpret_cast<const std::int8_t *>(in), n, r, outType, out)
                        : convertFrame(reinterpret_cast<const std::uint8_t *>(in), n, r, outType, out);
    case 16:
        return isSigned ? convertFrame(reinterpret_cast<const std::int16_t *>(in), n, r, outType, out)
                        : convertFrame(reinterpret_cast<const std::uint16_t *>(in), n, r, outType, out);
    case 32:
        return isSigned ? convertFrame(reinterpret_cast<const std::int32_t *>(in), n, r, outType, out)
                        : convertFrame(reinterpret_cast<const std::uint32_t *>(in), n, r, outType, out);
    default:
        throw DicomFileError("unsupported pixel data: " + std::to_string(bitsAllocated) + " bits allocated");
    }
}

DicomRescale rescaleOf(const DicomFileHeader &h, int bitsAllocated, int bitsStored, bool isSigned)
{
    DicomRescale r;
    r.slope = h.slope;
    r.intercept = h.intercept;
    r.bitsStored = bitsStored;
    r.isSigned = isSigned;
    r.maskBits = bitsStored > 0 && bitsStored < bitsAllocated && bitsAllocated <= 32;
    return r;
}

bool isPlainPixelTask(const DicomDecodeTask &task)
{
    return task.header.pixelOffset >= 0 && task.channels == 1 && task.header.samplesPerPixel == 1;
}

DicomFileIdentity identityOf(int fd)
{
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw DicomFileError(std::string("cannot read the file: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        throw DicomFileError("not a regular file");
    DicomFileIdentity id;
    id.device = st.st_dev;
    id.inode = st.st_ino;
    id.size = st.st_size;
    id.mtimeNs = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    return id;
}

int openScannedFile(const std::string &path, const DicomFileIdentity &scanned)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        throw DicomFileError(std::string("cannot open: ") + std::strerror(errno));
    try {
        const DicomFileIdentity now = identityOf(fd);
        if (scanned.size >= 0 && now != scanned)
            throw DicomFileError(now.device != scanned.device || now.inode != scanned.inode
                                     ? std::string("replaced by another file since it was scanned")
                                 : now.size < scanned.size
                                     ? "truncated since it was scanned (" + std::to_string(scanned.size) + " -> " + std::to_string(now.size) + " bytes)"
                                 : now.size > scanned.size
                                     ? "changed since it was scanned (" + std::to_string(scanned.size) + " -> " + std::to_string(now.size) + " bytes)"
                                     : std::string("changed since it was scanned (modified)"));
    } catch (...) {
        ::close(fd);
        throw;
    }
    return fd;
}

bool readPlainPixels(const DicomDecodeTask &task, int fd, DicomSliceSink &out)
{
    const DicomFileHeader &h = task.header;
    const std::size_t pixels = std::size_t(h.rows) * std::size_t(h.columns);
    const std::size_t frameBytes = pixels * std::size_t(h.bitsAllocated / 8);
    // The sink holds task.sliceBytes per slice; a header that disagrees would write past it.
    const std::size_t outBytes = task.outputType == "f32" ? 4 : task.outputType == "i16" ? 2 : 0;
    if (outBytes == 0 || pixels * outBytes != std::size_t(task.sliceBytes))
        throw DicomFileError("internal: a " + std::to_string(h.columns) + " x " + std::to_string(h.rows) + " frame as "
                             + task.outputType + " does not fill a slice of " + std::to_string(task.sliceBytes) + " bytes");
    // Kept across tasks, one per thread: a fresh 512 KB buffer per slice costs more in page
    // faults than the read. Only up to kKeptFrameBytes, so the application's threads do not
    // hold a huge frame's buffer for good.
    constexpr std::size_t kKeptFrameBytes = std::size_t(8) << 20;
    thread_local std::unique_ptr<std::uint64_t[]> kept;
    thread_local std::size_t keptWords = 0;
    std::unique_ptr<std::uint64_t[]> once;
    const std::size_t words = (frameBytes + 7) / 8; // 8-byte aligned for any pixel type
    if (frameBytes > kKeptFrameBytes) {
        once.reset(new std::uint64_t[words]);
    } else if (keptWords < words) {
        kept.reset(new std::uint64_t[words]);
        keptWords = words;
    }
    const std::unique_ptr<std::uint64_t[]> &buffer = once ? once : kept;
    bool fits = true;
    {
        for (std::size_t i = 0; i < task.frames.size(); ++i) {
            const off_t at = off_t(h.pixelOffset) + off_t(task.frames[i]) * off_t(frameBytes);
            std::size_t got = 0;
            while (got < frameBytes) {
                const ssize_t n = ::pread(fd, reinterpret_cast<char *>(buffer.get()) + got, frameBytes - got, at + off_t(got));
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0)
                    throw DicomFileError("truncated: pixel data of frame " + std::to_string(task.frames[i] + 1) + " ends early");
                got += std::size_t(n);
            }
            const DicomRescale r = rescaleOf(h, h.bitsAllocated, h.bitsStored, h.pixelRepresentation == 1);
            fits &= convertDicomPixels(reinterpret_cast<const char *>(buffer.get()), pixels, h.bitsAllocated,
                                       h.pixelRepresentation == 1, h.floatPixels, r, task.outputType, out.buffer(task.slices[i]));
            out.write(task.slices[i]);
        }
    }
    return fits;
}

} // namespace carina::io::detail
