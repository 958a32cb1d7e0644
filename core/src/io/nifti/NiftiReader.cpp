// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/io/IoError.h>
#include <carina/io/Nifti.h>

#include "io/nifti/ByteBuffer.h"
#include "io/nifti/Gzip.h"
#include "io/MemoryBudget.h"
#include "io/nifti/NiftiHeader.h"

#include <nifti/nifti2_io.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>
#include <thread>

#include <unistd.h>

namespace carina::io {

using namespace detail;

namespace {

bool endsWith(const std::string &text, const char *suffix)
{
    const std::size_t n = std::strlen(suffix);
    if (text.size() < n)
        return false;
    return std::equal(text.end() - std::ptrdiff_t(n), text.end(), suffix,
                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

bool fileExists(const std::string &path)
{
    try {
        fileSize(path);
        return true;
    } catch (const IoError &) {
        return false;
    }
}

// For an ANALYZE-style pair, the file holding the header and the one holding the voxels.
struct PairPaths
{
    std::string header;
    std::string image;
};

PairPaths pairPaths(const std::string &path)
{
    const bool gz = endsWith(path, ".gz");
    const std::string stem = path.substr(0, path.size() - (gz ? 7 : 4));
    const std::string ext = gz ? ".gz" : "";
    PairPaths p{stem + ".hdr" + ext, stem + ".img" + ext};
    // A compressed header may come with an uncompressed image, and the other way round.
    if (!fileExists(p.header) && fileExists(stem + (gz ? ".hdr" : ".hdr.gz")))
        p.header = stem + (gz ? ".hdr" : ".hdr.gz");
    if (!fileExists(p.image) && fileExists(stem + (gz ? ".img" : ".img.gz")))
        p.image = stem + (gz ? ".img" : ".img.gz");
    return p;
}

// A file holding a header or voxels, gzip-compressed or not (told by content, not name).
struct Source
{
    std::string path;
    std::uint64_t size = 0;
    bool compressed = false;
};

Source openSource(const std::string &path)
{
    Source source;
    source.path = path;
    source.size = fileSize(path);
    if (source.size == 0)
        throw IoError(path + ": the file is empty");
    const std::vector<std::byte> start = readFilePrefix(path, 2);
    source.compressed = isGzip(start.data(), start.size());
    return source;
}

std::vector<std::byte> headerBytes(const Source &source)
{
    if (!source.compressed)
        return readFilePrefix(source.path, niftiHeaderBytes);
    // 540 header bytes come from far less than 64 KB of deflate data.
    const std::vector<std::byte> start = readFilePrefix(source.path, std::size_t(64) << 10);
    return gunzipPrefix(start.data(), start.size(), niftiHeaderBytes, source.path);
}

// Compression ratios beyond this are rare in real scans (mostly-zero masks reach it): the
// output pages are then left for the decompressor to commit as it really fills them.
constexpr std::uint64_t kTouchAheadRatio = 64;

// Writes one byte per page of `buffer`, so the kernel maps its pages now rather than one fault
// at a time while libdeflate fills it (a 150 MB scan in 4 KB pages is ~40,000 faults, ~25 % of
// inflating; where the buffer gets 2 MB pages, the writes after the first of each are cheap).
void touchPages(ByteBuffer &buffer)
{
    const auto page = std::size_t(::sysconf(_SC_PAGESIZE));
    for (std::size_t i = 0; i < buffer.size; i += page)
        buffer.data[i] = std::byte{0};
}

// Reads the voxels of the first volume; the returned pointer sits inside `buffer` and is
// aligned for `alignment`.
struct RawVoxels
{
    ByteBuffer buffer;
    std::byte *data = nullptr;
};

RawVoxels readVoxels(const Source &source, const NiftiHeader &h, std::size_t voxelBytes, std::size_t alignment,
                     const TaskContext &context)
{
    RawVoxels raw;
    const std::uint64_t offset = h.voxOffset;
    if (!source.compressed) {
        const std::uint64_t size = fileSize(source.path);
        if (offset + voxelBytes > size) {
            const std::uint64_t present = size > offset ? size - offset : 0;
            throw IoError(source.path + ": truncated: the header says " + megabytes(voxelBytes)
                          + " of voxels, the file holds " + megabytes(present));
        }
        // A buffer of its own for the voxels alone: malloc's alignment suits every type.
        raw.buffer = ByteBuffer::allocate(voxelBytes, source.path);
        readFileRange(source.path, offset, voxelBytes, raw.buffer.data, context);
        raw.data = raw.buffer.data;
        return raw;
    }
    const std::uint64_t needed = offset + voxelBytes;
    // What the whole stream should hold, for the gzip size hint; 0 (unknown) when it would overflow.
    const std::uint64_t volumes = h.volumeCount();
    const std::uint64_t total = volumes <= (std::uint64_t(1) << 62) / std::max<std::uint64_t>(voxelBytes, 1)
                                    ? offset + std::uint64_t(voxelBytes) * volumes
                                    : 0;
    if (needed > std::numeric_limits<std::size_t>::max() / 2)
        throw IoError(source.path + ": the header says " + megabytes(voxelBytes) + " of voxels, too much to load");
    checkGunzipPlausible(source.size, needed, source.path);

    // Decompressing header and voxels together into one buffer lets the Volume wrap the voxels
    // where they land: no second copy of a 100 MB scan.
    raw.buffer = ByteBuffer::allocate(gunzipCapacity(gzipSizeHint(source.path, source.size), std::size_t(needed), total),
                                      source.path);
    ByteBuffer compressed;
    {
        // The second core maps the output pages while this one reads the compressed file. Only
        // at a ratio real scans have: past it the header may lie (deflate allows 1032:1, so a
        // 100 KB file passes the check above declaring 100 MB), and libdeflate then commits only
        // the pages the stream really fills.
        std::thread toucher;
        try {
            if (needed <= source.size * kTouchAheadRatio)
                toucher = std::thread(touchPages, std::ref(raw.buffer));
        } catch (const std::system_error &) {
            // No thread to spare: libdeflate takes the page faults itself.
        }
        struct Join
        {
            std::thread &thread;
            ~Join()
            {
                if (thread.joinable())
                    thread.join();
            }
        } join{toucher};
        compressed = readWholeFile(source.path, context);
    }
    gunzipInto(compressed.data, compressed.size, raw.buffer, std::size_t(needed), total, source.path, context);
    raw.data = raw.buffer.data + offset;
    if (offset % alignment != 0) {
        std::memmove(raw.buffer.data, raw.data, voxelBytes);
        raw.data = raw.buffer.data;
    }
    return raw;
}

void swapBytes(std::byte *data, std::size_t count, int width)
{
    for (std::size_t i = 0; i < count; ++i)
        std::reverse(data + i * std::size_t(width), data + (i + 1) * std::size_t(width));
}

template<typename T> constexpr bool isInteger = std::numeric_limits<T>::is_integer;

// Converts (and scales) `count` values of type Src into a new or the same buffer; picks the
// smallest Carina type that holds the result exactly: int16, then uint16, else float32.
template<typename Src>
Volume convertVoxels(const Src *src, std::size_t count, const ImageGeometry &geometry, RawVoxels &raw,
                     double slope, double inter, bool scaled, const std::string &path,
                     std::vector<std::string> &warnings)
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    if constexpr (isInteger<Src>) {
        Src mn = std::numeric_limits<Src>::max();
        Src mx = std::numeric_limits<Src>::lowest();
        for (std::size_t i = 0; i < count; ++i) {
            mn = std::min(mn, src[i]);
            mx = std::max(mx, src[i]);
        }
        lo = double(mn);
        hi = double(mx);
        if (scaled) {
            const double a = lo * slope + inter;
            const double b = hi * slope + inter;
            lo = std::min(a, b);
            hi = std::max(a, b);
        }
    }
    const bool integral = isInteger<Src> && (!scaled || (slope == std::round(slope) && inter == std::round(inter)));
    VoxelType type = VoxelType::Float32;
    if (integral && lo >= -32768.0 && hi <= 32767.0)
        type = VoxelType::Int16;
    else if (integral && lo >= 0.0 && hi <= 65535.0)
        type = VoxelType::UInt16;
    else if (integral && std::max(std::abs(lo), std::abs(hi)) > 16777216.0)
        warnings.push_back(path + ": integer values up to " + std::to_string(std::llround(std::max(std::abs(lo), std::abs(hi))))
                           + " are kept as float32, which rounds those above 16777216");

    // Same-sized results overwrite the source in place (we own the buffer alone).
    const bool inPlace = voxelTypeSize(type) == sizeof(Src);
    Volume volume = inPlace ? Volume(type, geometry, 1, raw.buffer.owner, raw.data) : Volume(type, geometry, 1);
    dispatchVoxelType(type, [&](auto t) {
        using Out = decltype(t);
        Out *out = static_cast<Out *>(volume.rawData());
        for (std::size_t i = 0; i < count; ++i) {
            const Src value = src[i];
            const double v = scaled ? double(value) * slope + inter : double(value);
            if constexpr (std::is_same_v<Out, float>)
                out[i] = float(v);
            else
                out[i] = Out(std::lround(v));
        }
    });
    return volume;
}

Volume makeVolume(RawVoxels &raw, const NiftiHeader &h, const ImageGeometry &geometry, const std::string &path,
                  std::vector<std::string> &warnings)
{
    const std::size_t count = geometry.voxelCount();
    bool scaled = std::isfinite(h.sclSlope) && h.sclSlope != 0.0 && !(h.sclSlope == 1.0 && h.sclInter == 0.0);
    if (scaled && !std::isfinite(h.sclInter))
        throw IoError(path + ": invalid NIfTI header: scl_slope is set but scl_inter is " + std::to_string(h.sclInter));
    if (h.datatype == DT_RGB24 || h.datatype == DT_RGBA32) {
        // The standard says scaling does not apply to colour.
        return Volume(VoxelType::UInt8, geometry, h.datatype == DT_RGB24 ? 3 : 4, raw.buffer.owner, raw.data);
    }
    auto wrap = [&](VoxelType type) { return Volume(type, geometry, 1, raw.buffer.owner, raw.data); };
    auto convert = [&](auto *typed) {
        return convertVoxels(typed, count, geometry, raw, h.sclSlope, h.sclInter, scaled, path, warnings);
    };
    switch (h.datatype) {
    case DT_UINT8:
        return scaled ? convert(reinterpret_cast<std::uint8_t *>(raw.data)) : wrap(VoxelType::UInt8);
    case DT_INT16:
        return scaled ? convert(reinterpret_cast<std::int16_t *>(raw.data)) : wrap(VoxelType::Int16);
    case DT_UINT16:
        return scaled ? convert(reinterpret_cast<std::uint16_t *>(raw.data)) : wrap(VoxelType::UInt16);
    case DT_FLOAT32:
        return scaled ? convert(reinterpret_cast<float *>(raw.data)) : wrap(VoxelType::Float32);
    case DT_INT8: return convert(reinterpret_cast<std::int8_t *>(raw.data));
    case DT_INT32: return convert(reinterpret_cast<std::int32_t *>(raw.data));
    case DT_UINT32: return convert(reinterpret_cast<std::uint32_t *>(raw.data));
    case DT_INT64: return convert(reinterpret_cast<std::int64_t *>(raw.data));
    case DT_UINT64: return convert(reinterpret_cast<std::uint64_t *>(raw.data));
    case DT_FLOAT64: return convert(reinterpret_cast<double *>(raw.data));
    default: break;
    }
    throw IoError(path + ": NIfTI voxel type " + nifti_datatype_string(h.datatype) + " is not supported");
}

} // namespace

bool isNiftiPath(const std::string &path)
{
    return endsWith(path, ".nii") || endsWith(path, ".nii.gz");
}

LoadResult readNifti(const std::string &path, const TaskContext &context)
{
    LoadResult result;
    context.progress(0.0, "Reading NIfTI");

    const bool pairName = endsWith(path, ".hdr") || endsWith(path, ".img") || endsWith(path, ".hdr.gz")
                          || endsWith(path, ".img.gz");
    const PairPaths pair = pairName ? pairPaths(path) : PairPaths{path, path};

    Source headerSource = openSource(pair.header);
    const std::vector<std::byte> bytes = headerBytes(headerSource);
    NiftiHeader h = parseNiftiHeader(bytes.data(), bytes.size(), pair.header);
    result.warnings = h.warnings;

    Source dataSource;
    if (h.magic.twoFile) {
        if (!pairName)
            throw IoError(path + ": the header says its voxels are in a separate .img file, but the name does not "
                                 "end in .hdr or .img");
        if (!fileExists(pair.image))
            throw IoError(path + ": the voxels belong in " + pair.image + ", which does not exist");
        dataSource = openSource(pair.image);
    } else {
        dataSource = std::move(headerSource);
    }

    const Dims dims = h.spatialDims();
    const std::uint64_t volumes = h.volumeCount();
    if (volumes > 1)
        result.warnings.push_back(path + ": holds " + std::to_string(volumes)
                                  + " volumes (4D or more); only the first one was loaded");

    // Geometry before voxels: a broken affine fails fast, without reading 100 MB first.
    const Eigen::Matrix4d rasToLps = Eigen::Vector4d(-1.0, -1.0, 1.0, 1.0).asDiagonal();
    const ImageGeometry geometry = geometryFromAffine(rasToLps * h.affineRas, dims, path, h.affineSource,
                                                      result.warnings);

    const int width = h.bytesPerVoxel();
    const std::size_t voxelBytes = std::size_t(h.voxelsPerVolume()) * std::size_t(width);
    const std::size_t alignment = h.datatype == DT_RGB24 || h.datatype == DT_RGBA32 ? 1 : std::size_t(width);
    // Before any allocation: a header may declare more than the machine has.
    detail::checkFitsInMemory(double(h.voxelsPerVolume()) * width + (dataSource.compressed ? double(h.voxOffset) : 0.0),
                              path + ": a " + std::to_string(dims[0]) + " x " + std::to_string(dims[1]) + " x " + std::to_string(dims[2])
                                  + " image");
    RawVoxels raw = readVoxels(dataSource, h, voxelBytes, alignment, context);
    context.throwIfCanceled();

    if (h.magic.swapped && alignment > 1)
        swapBytes(raw.data, std::size_t(h.voxelsPerVolume()), width);

    result.volume = makeVolume(raw, h, geometry, path, result.warnings);
    result.volume.info().sourcePath = path;
    context.progress(1.0);
    return result;
}

} // namespace carina::io
