// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/Mesh.h>
#include <carina/TaskContext.h>

namespace carina::algo {

struct CARINA_CORE_EXPORT TaubinOptions
{
    int iterations = 10;   ///< lambda/mu pairs; 0 leaves the mesh as it is
    double lambda = 0.5;   ///< shrinking step, 0 < lambda < 1
    double mu = -0.53;     ///< inflating step, mu < -lambda (Taubin 1995: pass band k = 1/lambda + 1/mu ~ 0.11)
};

/// Taubin's lambda/mu smoothing (G. Taubin, "A signal processing approach to fair surface
/// design", SIGGRAPH 1995) with the uniform umbrella operator: removes the voxel staircase of a
/// marching-cubes surface without the shrinkage of plain Laplacian smoothing (the enclosed
/// volume of a closed mesh changes by well under 1 % at the defaults). Topology and triangle
/// count do not change; boundary vertices (open edges) stay where they are. Normals are
/// recomputed. Parallel over vertices. Throws TaskCanceled.
CARINA_CORE_EXPORT void taubinSmooth(Mesh &mesh, const TaubinOptions &options = {},
                                     const TaskContext &context = TaskContext::none());

} // namespace carina::algo
