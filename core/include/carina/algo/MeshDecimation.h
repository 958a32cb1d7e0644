// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/Mesh.h>
#include <carina/TaskContext.h>

#include <cstddef>

namespace carina::algo {

struct CARINA_CORE_EXPORT DecimationOptions
{
    std::size_t targetTriangles = 100000; ///< stop at or below this many triangles
    double maxNormalTurnDegrees = 80.0;   ///< a collapse may not turn any remaining face's normal more than this
};

struct CARINA_CORE_EXPORT DecimationResult
{
    std::size_t trianglesBefore = 0;
    std::size_t trianglesAfter = 0;
    bool reachedTarget = false; ///< false when every remaining collapse would break the surface
};

/// Reduces a triangle mesh to about `targetTriangles` with quadric edge collapse (M. Garland,
/// P. Heckbert, "Surface simplification using quadric error metrics", SIGGRAPH 1997): the edge
/// whose collapse moves the surface least is collapsed first, to the point minimising the summed
/// squared distances to the planes of the faces it stood for. A collapse is refused when it
/// would make the surface non-manifold (link condition), fold or flip a face, or leave a vertex
/// with fewer than three neighbours, so a closed 2-manifold stays closed with the same genus;
/// vertices on open edges are kept in place. Normals are recomputed; name, colour, opacity and
/// visibility are kept. Throws TaskCanceled.
CARINA_CORE_EXPORT DecimationResult decimateMesh(Mesh &mesh, const DecimationOptions &options,
                                                 const TaskContext &context = TaskContext::none());

} // namespace carina::algo
