// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/Volume.h>

#include <cstdint>

namespace carina::test {

/// An 80 x 80 x 40 lung-like CT (1 mm, -850 HU) with two ground-glass balls at -550 HU: a large
/// one (radius 6) around voxel (40, 40, 20) and a small one (radius 3) around (20, 20, 20).
inline Volume syntheticGgoCt()
{
    ImageGeometry g;
    g.dims = {80, 80, 40};
    Volume ct(VoxelType::Int16, g);
    ct.info().modality = "CT";
    ct.info().units = "HU";
    std::int16_t *v = ct.data<std::int16_t>();
    for (int k = 0; k < 40; ++k)
        for (int j = 0; j < 80; ++j)
            for (int i = 0; i < 80; ++i) {
                const auto inBall = [&](int ci, int cj, int ck, int r) {
                    return (i - ci) * (i - ci) + (j - cj) * (j - cj) + (k - ck) * (k - ck) <= r * r;
                };
                v[g.linearIndex(i, j, k)] = inBall(40, 40, 20, 6) || inBall(20, 20, 20, 3) ? -550 : -850;
            }
    return ct;
}

/// Voxels of a ball of radius r (as syntheticGgoCt draws it) after the 3 x 3 in-plane median the GGO search smooths with: on a
/// two-valued image the median is the majority, so a voxel stays when 5 of its 9 in-plane
/// neighbours are in the ball (the ball loses the tips of its slices).
inline std::uint64_t ballVoxelsAfterMedian(int r)
{
    const auto in = [r](int i, int j, int k) { return i * i + j * j + k * k <= r * r; };
    std::uint64_t n = 0;
    for (int k = -r; k <= r; ++k)
        for (int j = -r - 1; j <= r + 1; ++j)
            for (int i = -r - 1; i <= r + 1; ++i) {
                int inside = 0;
                for (int dj = -1; dj <= 1; ++dj)
                    for (int di = -1; di <= 1; ++di)
                        inside += in(i + di, j + dj, k);
                n += inside >= 5;
            }
    return n;
}

} // namespace carina::test
