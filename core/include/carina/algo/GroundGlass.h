// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ImageGeometry.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>

#include <cstdint>
#include <vector>

// Ground-glass opacity (GGO) extraction as in seed 000 (plotly's dash-covid-xray app): inside a
// region the user marked, the voxels of the in-plane median-smoothed CT in an HU range, and of
// those the largest face-connected piece.

namespace carina::algo {

/// The median of each voxel's 3 x 3 in-plane neighbourhood (footprint (1, 3, 3)) of `box` of a
/// single-channel image, the box's own edge voxels repeated outwards: scikit-image 0.19's
/// `filters.median(image[box], footprint=np.ones((1, 3, 3)))` (scipy's mode 'nearest'). Returns
/// a volume of the box, of the image's type, placed where the box lies in the patient.
/// Throws std::invalid_argument for a null or multi-channel image or an empty box or one outside
/// the image; TaskCanceled.
CARINA_CORE_EXPORT Volume medianFilterInPlane3x3(const Volume &image, const VoxelBox &box,
                                                 const TaskContext &context = TaskContext::none());

struct GroundGlassOptions
{
    double lowHu = -700.0;  ///< exclusive: voxels strictly above it ...
    double highHu = -300.0; ///< ... and at most this (the seed app's `vmin < HU <= vmax`)
    bool smooth = true;     ///< 3 x 3 in-plane median first, as the seed app does
};

struct GroundGlassResult
{
    VoxelBox box;                     ///< where the search ran (the input box)
    std::vector<std::uint8_t> mask;   ///< box-sized, x fastest: 1 on the largest piece
    std::uint64_t voxels = 0;         ///< voxels of the largest piece (0: nothing in the range)
    std::uint64_t voxelsInRange = 0;  ///< all voxels in the range, before keeping the largest piece
    std::uint32_t pieces = 0;         ///< face-connected pieces in the range
};

/// GGO inside `box` of a CT (HU), optionally limited on every slice to `inPlaneMask` (box width x
/// height bytes, x fastest, non-zero = inside; empty = the whole box), e.g. a lasso. Equals the
/// seed's ROI path (`wf3_ggo.py roi`): median, range, largest 6-connected component.
/// Throws std::invalid_argument for a bad box, a mask of the wrong size or low >= high; TaskCanceled.
CARINA_CORE_EXPORT GroundGlassResult extractGroundGlass(const Volume &ct, const VoxelBox &box,
                                                        const std::vector<std::uint8_t> &inPlaneMask,
                                                        const GroundGlassOptions &options = {},
                                                        const TaskContext &context = TaskContext::none());

} // namespace carina::algo
