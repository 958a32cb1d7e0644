// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ImageGeometry.h>

#include <Eigen/Core>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace carina::io::detail {

/// Bytes to read to be sure to hold a NIfTI-1 (348) or NIfTI-2 (540) header.
constexpr std::size_t niftiHeaderBytes = 540;

/// What the first bytes of a file say about NIfTI.
struct NiftiMagic
{
    int version = 0;       ///< 0 = not NIfTI, 1 or 2
    bool swapped = false;  ///< big-endian on this little-endian machine
    bool twoFile = false;  ///< "ni1"/"ni2": voxels in a separate .img file
};

NiftiMagic niftiMagic(const std::byte *bytes, std::size_t size);

/// The header fields Carina uses, in native byte order, checked, with the affine chosen as
/// nibabel's get_best_affine() does (sform if its code > 0, else qform if its code > 0, else the
/// ANALYZE-style base affine: x flipped, centred). qform/sform matrices come from nifticlib.
struct NiftiHeader
{
    NiftiMagic magic;
    int datatype = 0;
    std::array<std::int64_t, 8> dim{};  ///< dim[0] = rank, unused trailing entries 1
    std::array<double, 8> pixdim{};
    std::uint64_t voxOffset = 0;        ///< where voxels start in the data file
    double sclSlope = 0.0;
    double sclInter = 0.0;
    int qformCode = 0;
    int sformCode = 0;
    int intentCode = 0;
    Eigen::Matrix4d affineRas = Eigen::Matrix4d::Identity();
    const char *affineSource = "pixdim";
    std::vector<std::string> warnings;

    Dims spatialDims() const { return {int(dim[1]), int(dim[2]), int(dim[3])}; }
    /// Voxels in one 3D volume and the number of such volumes (t, u, v, w multiplied).
    std::uint64_t voxelsPerVolume() const { return std::uint64_t(dim[1]) * std::uint64_t(dim[2]) * std::uint64_t(dim[3]); }
    std::uint64_t volumeCount() const;
    /// Bytes per voxel of `datatype` (0 when Carina does not read it).
    int bytesPerVoxel() const;
};

/// Parses and checks a header (the first bytes of a .nii or .hdr). Throws IoError naming `path`
/// for anything that is not a readable NIfTI header.
NiftiHeader parseNiftiHeader(const std::byte *bytes, std::size_t size, const std::string &path);

/// Splits an index -> LPS affine into spacing, origin and an orthonormal direction. A sheared or
/// non-orthogonal matrix keeps the nearest rotation (polar decomposition) and adds a warning.
/// Throws IoError for NaN/inf entries or a zero-length axis.
ImageGeometry geometryFromAffine(const Eigen::Matrix4d &lps, const Dims &dims, const std::string &path,
                                 const char *source, std::vector<std::string> &warnings);

} // namespace carina::io::detail
