// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>

#include <Eigen/Core>

#include <array>
#include <cstddef>
#include <cstdint>

namespace carina {

/// Voxel index triple, x fastest in memory.
using Dims = std::array<int, 3>;

/// Half-open box of voxel indices [begin, end) used to report what an edit changed.
struct CARINA_CORE_EXPORT VoxelBox
{
    Dims begin{0, 0, 0};
    Dims end{0, 0, 0};

    bool isEmpty() const { return end[0] <= begin[0] || end[1] <= begin[1] || end[2] <= begin[2]; }
    static VoxelBox whole(const Dims &dims) { return {{0, 0, 0}, dims}; }
};

/// Where a voxel grid sits in the patient: DICOM LPS coordinates in millimetres.
///
/// physical = origin + direction * diag(spacing) * index. The columns of `direction` are the unit
/// vectors of the i, j and k axes in LPS.
struct CARINA_CORE_EXPORT ImageGeometry
{
    Dims dims{0, 0, 0};                                     ///< voxels along i, j, k
    Eigen::Vector3d spacing{1.0, 1.0, 1.0};                 ///< mm between voxel centres, > 0
    Eigen::Vector3d origin{0.0, 0.0, 0.0};                  ///< LPS mm of voxel (0,0,0)'s centre
    Eigen::Matrix3d direction = Eigen::Matrix3d::Identity(); ///< orthonormal columns, LPS

    std::size_t voxelCount() const
    {
        return std::size_t(dims[0]) * std::size_t(dims[1]) * std::size_t(dims[2]);
    }
    std::size_t linearIndex(int i, int j, int k) const
    {
        return (std::size_t(k) * std::size_t(dims[1]) + std::size_t(j)) * std::size_t(dims[0]) + std::size_t(i);
    }
    bool contains(int i, int j, int k) const
    {
        return i >= 0 && j >= 0 && k >= 0 && i < dims[0] && j < dims[1] && k < dims[2];
    }
    /// The 4x4 affine index -> LPS mm.
    Eigen::Matrix4d indexToPhysicalMatrix() const;
    /// Continuous index (voxel centres at integers) -> LPS mm.
    Eigen::Vector3d indexToPhysical(const Eigen::Vector3d &index) const;
    /// LPS mm -> continuous index; round to get the voxel.
    Eigen::Vector3d physicalToIndex(const Eigen::Vector3d &point) const;
    /// Same grid (dims equal, spacing/origin/direction within `toleranceMm` / 1e-4).
    bool sameGrid(const ImageGeometry &other, double toleranceMm = 1e-3) const;
    /// Size of one voxel in millilitres.
    double voxelVolumeMl() const { return spacing.prod() / 1000.0; }
    /// Three-letter orientation code of the i, j, k axes in LPS terms, e.g. "LPS" or "LAI"
    /// (closest axis, as ITK and 3D Slicer name it).
    std::array<char, 3> orientationCode() const;
};

} // namespace carina
