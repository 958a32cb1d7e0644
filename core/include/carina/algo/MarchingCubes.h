// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>

namespace carina::algo {

struct CARINA_CORE_EXPORT MarchingCubesOptions
{
    double isoValue = 0.5;   ///< surface where the (first channel) value crosses this
    int step = 1;            ///< voxel step; 2 or 3 gives a coarse preview mesh
    bool computeNormals = true;
};

/// Iso-surface of an image in LPS mm (scikit-image's marching_cubes topology: same vertex and
/// triangle counts on binary masks, surface area within 0.5 %). Vertices are shared between
/// triangles; the mesh is closed where the surface does not touch the volume border.
/// Parallel over slabs. Throws TaskCanceled.
CARINA_CORE_EXPORT Mesh marchingCubes(const Volume &volume, const MarchingCubesOptions &options = {},
                                      const TaskContext &context = TaskContext::none());

/// Surface of the voxels equal to `label` (all labels > 0 when label == 0).
CARINA_CORE_EXPORT Mesh marchingCubesLabel(const LabelVolume &labels, std::uint16_t label,
                                           const MarchingCubesOptions &options = {},
                                           const TaskContext &context = TaskContext::none());

} // namespace carina::algo
