// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ImageGeometry.h>
#include <carina/algo/SliceRender.h>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace carina {

class LabelPatch;
class LabelVolume;

namespace edit {

/// Voxels as linear indices into a grid (x fastest), sorted ascending, no duplicates.
using VoxelList = std::vector<std::size_t>;

/// Rasterisation of drawn shapes onto a voxel grid.
///
/// 2D shapes lie on slice `slice` of `plane` (the voxel axis held fixed is the one
/// algo::sliceMapping() picks for the plane, so shapes land where the slice views show them).
/// Points are patient LPS mm; each is projected onto the slice along that voxel axis, which is
/// exact for points a view produced from the same slice. A voxel belongs to a shape when its
/// centre does; distances are in mm, so anisotropic pixels are handled. Everything outside the
/// grid is clipped. All functions are pure and thread-safe.

/// Voxels whose centres lie inside the closed polygon (lasso) through `lps` (the last point
/// joins the first). Non-zero winding: a lasso looped around an area twice still fills it.
/// Fewer than 3 points give nothing.
CARINA_CORE_EXPORT VoxelList rasterizePolygon(const ImageGeometry &geometry, algo::SlicePlane plane, int slice,
                                              const std::vector<Eigen::Vector3d> &lps);

/// Voxels whose centres lie in the slice-aligned rectangle with opposite corners `a` and `b`
/// (edges included).
CARINA_CORE_EXPORT VoxelList rasterizeRectangle(const ImageGeometry &geometry, algo::SlicePlane plane, int slice,
                                                const Eigen::Vector3d &a, const Eigen::Vector3d &b);

/// Voxels within `widthMm` / 2 of the open path through `lps` (a polyline thickened with round
/// joins and caps, exactly what Boost.Geometry's buffer with round strategies approximates).
/// One point gives a disc.
CARINA_CORE_EXPORT VoxelList rasterizePolyline(const ImageGeometry &geometry, algo::SlicePlane plane, int slice,
                                               const std::vector<Eigen::Vector3d> &lps, double widthMm);

/// Voxels of the slice within `radiusMm` of `centre` (a 2D brush dab).
CARINA_CORE_EXPORT VoxelList rasterizeDisc(const ImageGeometry &geometry, algo::SlicePlane plane, int slice,
                                           const Eigen::Vector3d &centre, double radiusMm);

/// Voxels of the volume within `radiusMm` of `centre` (a 3D brush dab).
CARINA_CORE_EXPORT VoxelList rasterizeSphere(const ImageGeometry &geometry, const Eigen::Vector3d &centre,
                                             double radiusMm);

/// Voxels of the volume within `radiusMm` of the segment a-b: a sphere swept from a to b, so a
/// 3D brush stroke has no gaps between dabs however fast the finger moves.
CARINA_CORE_EXPORT VoxelList rasterizeCapsule(const ImageGeometry &geometry, const Eigen::Vector3d &a,
                                              const Eigen::Vector3d &b, double radiusMm);

/// Sorted union of two voxel lists.
CARINA_CORE_EXPORT VoxelList mergeVoxels(const VoxelList &a, const VoxelList &b);

/// Smallest box holding every voxel of `voxels` (empty box for an empty list).
CARINA_CORE_EXPORT VoxelBox voxelBounds(const ImageGeometry &geometry, const VoxelList &voxels);

/// Writes `label` into every voxel of `voxels` through `patch` (label 0 erases). Returns how
/// many voxels changed.
CARINA_CORE_EXPORT std::size_t paintVoxels(LabelVolume &labels, LabelPatch &patch, const VoxelList &voxels,
                                           std::uint16_t label);

} // namespace edit
} // namespace carina
