// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ImageGeometry.h>
#include <carina/TaskContext.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

/// Finding a label's voxels in a label image: what a tap on a region, a jump to a region and
/// erasing a region need. Plain data: `labels` holds dims[0] * dims[1] * dims[2] values, x
/// fastest (a LabelVolume's data()); points are continuous voxel indices (voxel centres at
/// integers), x, y, z.
namespace carina::algo {

/// The label of the voxel under `point` (each coordinate rounded to the nearest integer), 0
/// when that voxel lies outside the grid.
CARINA_CORE_EXPORT std::uint16_t labelAt(const std::uint16_t *labels, const Dims &dims, const std::array<double, 3> &point);

/// The voxel of `label` nearest to `point` among those in `box` (clipped to the grid; a
/// region's bounding box keeps the search small), by distance in mm along axes `spacing` apart
/// (1, 1, 1: in voxels). Ties go to the first voxel in raster order. nullopt when the box holds
/// no voxel of `label`.
///
/// Example: a ring's centroid lies in its hole; the nearest voxel of the ring is where to show it.
CARINA_CORE_EXPORT std::optional<Dims> nearestVoxelOfLabel(const std::uint16_t *labels, const Dims &dims,
                                                           std::uint16_t label, const std::array<double, 3> &point,
                                                           const VoxelBox &box,
                                                           const std::array<double, 3> &spacing = {1.0, 1.0, 1.0});

/// The voxels of `label` in `box` (clipped to the grid), as linear indices in raster order:
/// what erasing that region clears (an undoable edit hands them to a LabelPatch). Give the
/// region's bounding box, or VoxelBox::whole(dims).
CARINA_CORE_EXPORT std::vector<std::size_t> voxelsOfLabel(const std::uint16_t *labels, const Dims &dims,
                                                          std::uint16_t label, const VoxelBox &box);

/// The smallest box holding every voxel of `label`; nullopt when there is none. What a layer's
/// lesion or region occupies, so later passes read that box only.
CARINA_CORE_EXPORT std::optional<VoxelBox> boundsOfLabel(const std::uint16_t *labels, const Dims &dims, std::uint16_t label);

/// The smallest box holding every labelled (non-zero) voxel, whatever its label; nullopt when
/// there is none.
CARINA_CORE_EXPORT std::optional<VoxelBox> boundsOfLabels(const std::uint16_t *labels, const Dims &dims);

/// The box of every label in one pass: index = label id, up to the largest id present; labels
/// that are absent (and 0) get an empty box. Lets later passes per label (a mesh per label, a
/// superpixel a stroke touched) read only their box. Checks `context` once per slice.
CARINA_CORE_EXPORT std::vector<VoxelBox> boundsOfEachLabel(const std::uint16_t *labels, const Dims &dims,
                                                           const TaskContext &context = TaskContext::none());

} // namespace carina::algo
