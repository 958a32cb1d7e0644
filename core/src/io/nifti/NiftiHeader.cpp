// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/nifti/NiftiHeader.h"

#include <carina/io/IoError.h>

#include <nifti/nifti2_io.h>

#include <limits>

#include <Eigen/SVD>

#include <bit>
#include <cmath>
#include <cstring>
#include <memory>

namespace carina::io::detail {

static_assert(std::endian::native == std::endian::little, "the NIfTI reader assumes a little-endian machine");

namespace {

std::int32_t readInt32(const std::byte *p)
{
    std::int32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

std::int32_t byteSwapped(std::int32_t v)
{
    const auto u = std::uint32_t(v);
    return std::int32_t((u >> 24) | ((u >> 8) & 0xff00u) | ((u << 8) & 0xff0000u) | (u << 24));
}

struct ImageDeleter
{
    void operator()(nifti_image *image) const { nifti_image_free(image); }
};
using ImagePtr = std::unique_ptr<nifti_image, ImageDeleter>;

Eigen::Matrix4d toEigen(const nifti_dmat44 &m)
{
    Eigen::Matrix4d out;
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
            out(r, c) = m.m[r][c];
    return out;
}

std::string indexName(int i)
{
    return std::to_string(i);
}

// nibabel's Nifti1Header.get_base_affine(): the ANALYZE convention, x flipped, centred.
Eigen::Matrix4d baseAffine(const std::array<std::int64_t, 8> &dim, const std::array<double, 8> &pixdim)
{
    Eigen::Matrix4d a = Eigen::Matrix4d::Identity();
    for (int i = 0; i < 3; ++i) {
        const double zoom = (i == 0 ? -1.0 : 1.0) * pixdim[std::size_t(i + 1)];
        a(i, i) = zoom;
        a(i, 3) = -(double(dim[std::size_t(i + 1)]) - 1.0) / 2.0 * zoom;
    }
    return a;
}

// Shared between the NIfTI-1 and NIfTI-2 layouts, which have the same field names.
template<typename Raw>
NiftiHeader parseTyped(Raw raw, const NiftiMagic &magic, const std::string &path)
{
    NiftiHeader h;
    h.magic = magic;
    if (magic.swapped)
        swap_nifti_header(&raw, magic.version);

    const std::int64_t rank = raw.dim[0];
    if (rank < 1 || rank > 7)
        throw IoError(path + ": invalid NIfTI header: dim[0] (the number of dimensions) is " + std::to_string(rank)
                      + ", not 1 to 7");
    for (int i = 1; i <= 7; ++i) {
        const std::int64_t d = i <= rank ? std::int64_t(raw.dim[i]) : 1;
        if (d <= 0)
            throw IoError(path + ": invalid NIfTI header: dimension " + indexName(i) + " is " + std::to_string(d)
                          + " (must be at least 1)");
        // NIfTI-2 dims are int64; the volume indexes with int: 2^31 along one axis would wrap
        // even when the product passes the check below.
        if (i <= 3 && d > std::numeric_limits<std::int32_t>::max())
            throw IoError(path + ": invalid NIfTI header: dimension " + indexName(i) + " is " + std::to_string(d)
                          + ", more than Carina reads (2^31 - 1)");
        h.dim[std::size_t(i)] = d;
    }
    h.dim[0] = rank;
    // In floating point: NIfTI-2 dims are int64 and their product overflows any integer.
    const double spatial = double(h.dim[1]) * double(h.dim[2]) * double(h.dim[3]);
    if (spatial > double(std::uint64_t(1) << 31))
        throw IoError(path + ": invalid NIfTI header: " + std::to_string(h.dim[1]) + " x " + std::to_string(h.dim[2])
                      + " x " + std::to_string(h.dim[3]) + " voxels is more than Carina reads (2^31 per volume)");

    h.datatype = raw.datatype;
    if (h.bytesPerVoxel() == 0)
        throw IoError(path + ": NIfTI voxel type " + nifti_datatype_string(h.datatype) + " (code "
                      + std::to_string(h.datatype) + ") is not supported");

    // Voxel size along i, j, k as nibabel repairs it on load: zero becomes 1, negative its
    // absolute value (both with a warning). NaN/inf matters only when the affine is built from
    // pixdim, which is checked below.
    bool badPixdim[4] = {false, false, false, false};
    for (int i = 1; i <= 3; ++i) {
        auto &p = raw.pixdim[i];
        if (!std::isfinite(p)) {
            badPixdim[i] = true;
            p = 1.0;
        } else if (p == 0.0) {
            if (i <= rank)
                h.warnings.push_back(path + ": voxel size pixdim[" + indexName(i) + "] is 0; using 1 mm");
            p = 1.0;
        } else if (p < 0.0) {
            h.warnings.push_back(path + ": voxel size pixdim[" + indexName(i) + "] is negative; using its absolute value");
            p = -p;
        }
    }
    for (int i = 0; i < 8; ++i)
        h.pixdim[std::size_t(i)] = raw.pixdim[i];

    const double offset = double(raw.vox_offset);
    if (!std::isfinite(offset) || offset < 0.0 || offset > 1e15)
        throw IoError(path + ": invalid NIfTI header: vox_offset is " + std::to_string(offset));
    h.voxOffset = std::uint64_t(offset);
    // A one-file dataset whose offset points into the header (old writers put 0) has its voxels
    // after the header and the 4-byte extension flag.
    if (!magic.twoFile)
        h.voxOffset = std::max<std::uint64_t>(h.voxOffset, sizeof(Raw) + 4);

    h.sclSlope = raw.scl_slope;
    h.sclInter = raw.scl_inter;
    h.qformCode = raw.qform_code;
    h.sformCode = raw.sform_code;
    h.intentCode = raw.intent_code;

    // nifticlib builds qto_xyz (from the quaternion) and sto_xyz (from srow_*) from the header;
    // quiet, because its complaints would go to stderr instead of our message.
    nifti_set_debug_level(0);
    ImagePtr image(magic.version == 1 ? nifti_convert_n1hdr2nim(*reinterpret_cast<nifti_1_header *>(&raw), nullptr)
                                      : nifti_convert_n2hdr2nim(*reinterpret_cast<nifti_2_header *>(&raw), nullptr));
    if (!image)
        throw IoError(path + ": invalid NIfTI header (nifticlib cannot interpret it)");

    if (h.sformCode > 0) {
        h.affineRas = toEigen(image->sto_xyz);
        h.affineSource = "sform";
    } else if (h.qformCode > 0) {
        h.affineRas = toEigen(image->qto_xyz);
        h.affineSource = "qform";
    } else {
        h.affineRas = baseAffine(h.dim, h.pixdim);
        h.affineSource = "pixdim";
    }
    if (std::string_view(h.affineSource) != "sform")
        for (int i = 1; i <= 3; ++i)
            if (badPixdim[i])
                throw IoError(path + ": invalid NIfTI header: voxel size pixdim[" + indexName(i)
                              + "] is not a number and no sform gives the geometry");
    return h;
}

} // namespace

NiftiMagic niftiMagic(const std::byte *bytes, std::size_t size)
{
    NiftiMagic magic;
    if (size < 348)
        return magic;
    const std::int32_t sizeofHdr = readInt32(bytes);
    const char *text = reinterpret_cast<const char *>(bytes);
    if ((sizeofHdr == 348 || byteSwapped(sizeofHdr) == 348)
        && (std::memcmp(text + 344, "n+1\0", 4) == 0 || std::memcmp(text + 344, "ni1\0", 4) == 0)) {
        magic.version = 1;
        magic.swapped = sizeofHdr != 348;
        magic.twoFile = text[345] == 'i';
    } else if (size >= 540 && (sizeofHdr == 540 || byteSwapped(sizeofHdr) == 540)
               && (std::memcmp(text + 4, "n+2\0", 4) == 0 || std::memcmp(text + 4, "ni2\0", 4) == 0)) {
        magic.version = 2;
        magic.swapped = sizeofHdr != 540;
        magic.twoFile = text[5] == 'i';
    }
    return magic;
}

std::uint64_t NiftiHeader::volumeCount() const
{
    // Saturates at 2^40: only used to size buffers against what the file can hold.
    constexpr std::uint64_t cap = std::uint64_t(1) << 40;
    std::uint64_t count = 1;
    for (int i = 4; i <= 7; ++i) {
        const auto d = std::uint64_t(dim[std::size_t(i)]);
        if (d > cap || count * d > cap)
            return cap;
        count *= d;
    }
    return count;
}

int NiftiHeader::bytesPerVoxel() const
{
    switch (datatype) {
    case DT_UINT8:
    case DT_INT8: return 1;
    case DT_INT16:
    case DT_UINT16: return 2;
    case DT_RGB24: return 3;
    case DT_INT32:
    case DT_UINT32:
    case DT_FLOAT32:
    case DT_RGBA32: return 4;
    case DT_INT64:
    case DT_UINT64:
    case DT_FLOAT64: return 8;
    default: return 0;
    }
}

NiftiHeader parseNiftiHeader(const std::byte *bytes, std::size_t size, const std::string &path)
{
    const NiftiMagic magic = niftiMagic(bytes, size);
    if (magic.version == 1) {
        nifti_1_header raw;
        static_assert(sizeof raw == 348);
        std::memcpy(&raw, bytes, sizeof raw);
        return parseTyped(raw, magic, path);
    }
    if (magic.version == 2) {
        nifti_2_header raw;
        static_assert(sizeof raw == 540);
        std::memcpy(&raw, bytes, sizeof raw);
        return parseTyped(raw, magic, path);
    }
    if (size < 348)
        throw IoError(path + ": not a NIfTI file: " + std::to_string(size) + " bytes is too short for a NIfTI header");
    if (readInt32(bytes) == 348 || byteSwapped(readInt32(bytes)) == 348)
        throw IoError(path + ": an ANALYZE 7.5 header without the NIfTI magic; convert it to NIfTI first");
    throw IoError(path + ": not a NIfTI file (no NIfTI-1 or NIfTI-2 header)");
}

ImageGeometry geometryFromAffine(const Eigen::Matrix4d &lps, const Dims &dims, const std::string &path,
                                 const char *source, std::vector<std::string> &warnings)
{
    if (!lps.allFinite())
        throw IoError(path + ": invalid NIfTI header: the " + std::string(source) + " affine contains NaN or infinity");
    ImageGeometry g;
    g.dims = dims;
    const Eigen::Matrix3d m = lps.topLeftCorner<3, 3>();
    for (int c = 0; c < 3; ++c) {
        g.spacing[c] = m.col(c).norm();
        if (!(g.spacing[c] > 1e-9))
            throw IoError(path + ": invalid NIfTI header: the " + std::string(source) + " affine gives axis "
                          + std::to_string(c + 1) + " a zero voxel size");
    }
    const Eigen::Matrix3d scaled = m * g.spacing.cwiseInverse().asDiagonal();
    // Even a clean file stores the matrix in float: always snap to the nearest orthonormal matrix
    // (U V^T keeps the handedness), but only tell the user when the difference is real.
    Eigen::JacobiSVD<Eigen::Matrix3d> svd(scaled, Eigen::ComputeFullU | Eigen::ComputeFullV);
    g.direction = svd.matrixU() * svd.matrixV().transpose();
    const double deviation = (scaled.transpose() * scaled - Eigen::Matrix3d::Identity()).cwiseAbs().maxCoeff();
    if (deviation > 1e-4) {
        const double degrees = std::asin(std::min(1.0, deviation)) * 180.0 / 3.14159265358979323846;
        char text[64];
        std::snprintf(text, sizeof text, "%.2f", degrees);
        warnings.push_back(path + ": the " + std::string(source) + " affine is sheared (axes " + text
                           + " degrees from perpendicular); using the nearest rotation, so positions may be off");
    }
    g.origin = lps.block<3, 1>(0, 3);
    return g;
}

} // namespace carina::io::detail
