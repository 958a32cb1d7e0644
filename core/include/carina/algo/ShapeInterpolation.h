// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>

#include <cstdint>
#include <vector>

// Shape-based interpolation (Raya & Udupa 1990; Herman et al. 1992): outlines drawn on a few
// slices become a solid that changes shape smoothly between them, by interpolating each
// outline's signed distance map instead of stacking prisms.

namespace carina::algo {

/// A filled outline on one slice: `mask` holds width x height bytes, x fastest, non-zero inside.
struct SliceOutline
{
    int slice = 0;
    std::vector<std::uint8_t> mask;
};

/// Signed Euclidean distance of each pixel of a width x height mask to the outline between inside
/// and outside, in units of `spacingX`/`spacingY` (mm, or 1 for pixels): negative inside,
/// positive outside (half a pixel either side of the boundary, so +-0.5 next to it at spacing 1).
/// Exact (Felzenszwalb & Huttenlocher's lower envelope, separable). A mask with nothing inside is
/// +infinity everywhere, one with nothing outside -infinity. Throws std::invalid_argument when
/// the mask's size is not width x height.
CARINA_CORE_EXPORT std::vector<float> signedDistance2d(const std::vector<std::uint8_t> &mask, int width, int height,
                                                       double spacingX = 1.0, double spacingY = 1.0);

/// The solid `outlines` (width x height each, on distinct slices, any order) outline: the slices
/// from the lowest to the highest outline's, width x height x (that many slices) bytes, x fastest,
/// slice 0 of the result = the lowest outline's slice. Between two consecutive outlines a pixel is
/// inside where the linear blend of their signed distances is <= 0; an outline's own slice is
/// that outline. Throws std::invalid_argument for no outline, a mask of the wrong size or two
/// outlines on one slice.
CARINA_CORE_EXPORT std::vector<std::uint8_t> interpolateOutlines(std::vector<SliceOutline> outlines, int width, int height,
                                                                 double spacingX = 1.0, double spacingY = 1.0);

} // namespace carina::algo
