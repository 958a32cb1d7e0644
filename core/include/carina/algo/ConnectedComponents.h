// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ImageGeometry.h>
#include <carina/TaskContext.h>

#include <cstdint>
#include <vector>

namespace carina::algo {

/// Which neighbours touch. In 2D (dims[2] == 1) Faces is 4-connectivity and anything more is 8;
/// in 3D Faces is 6, FacesEdges 18 and Full 26. scikit-image's default (connectivity = ndim) is Full.
enum class Connectivity : std::uint8_t { Faces = 1, FacesEdges = 2, Full = 3 };

/// Connected components of a mask, numbered 1..count in raster order of their first voxel
/// (x fastest, then y, then z) — the numbering scikit-image's `measure.label` gives.
struct CARINA_CORE_EXPORT ComponentLabels
{
    Dims dims{0, 0, 0};
    std::vector<std::uint32_t> labels;  ///< 0 = background, x fastest
    std::uint32_t count = 0;            ///< number of components
    std::vector<std::uint64_t> sizes;   ///< voxels per component, index = label (sizes[0] = background)
};

/// Labels the voxels where `mask` is non-zero. `mask` holds dims[0]*dims[1]*dims[2] bytes, x
/// fastest. Run-based union-find: memory grows with the number of runs, not with the voxels.
/// Throws TaskCanceled.
CARINA_CORE_EXPORT ComponentLabels labelConnectedComponents(const std::uint8_t *mask, const Dims &dims,
                                                            Connectivity connectivity = Connectivity::Full,
                                                            const TaskContext &context = TaskContext::none());

/// Removes the components smaller than `minSize` voxels and renumbers the rest 1..count,
/// keeping their order (scikit-image's `remove_small_objects` followed by `label`).
CARINA_CORE_EXPORT void removeSmallComponents(ComponentLabels &components, std::uint64_t minSize);

/// Keeps the `keep` largest components of `components` (ties broken by the lower label) and
/// returns a mask of them: 1 for the largest, 2 for the second, ... (0 elsewhere).
CARINA_CORE_EXPORT std::vector<std::uint8_t> largestComponents(const ComponentLabels &components, int keep);

} // namespace carina::algo
