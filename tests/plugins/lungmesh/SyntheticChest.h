// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// A small synthetic chest CT shared by the lung mesh plugin tests.
#pragma once

#include <carina/Volume.h>

#include <cstdint>

namespace carina::test {

/// Body ellipse of soft tissue (40 HU) in air, two lung ellipsoids of -850 HU (the right one, at
/// low i, larger), a trachea of air from the top slice down between them. 2 x 2 x 4 mm voxels,
/// 160 x 128 x 60. Without lungs: just the body.
inline Volume syntheticChest(bool withLungs = true)
{
    const int nx = 160, ny = 128, nz = 60;
    ImageGeometry g;
    g.dims = {nx, ny, nz};
    g.spacing = {2.0, 2.0, 4.0};
    Volume ct(VoxelType::Int16, g);
    ct.info().units = "HU";
    ct.info().modality = "CT";
    ct.info().sourcePath = "synthetic-chest";
    std::int16_t *v = ct.data<std::int16_t>();
    for (int k = 0; k < nz; ++k)
        for (int j = 0; j < ny; ++j)
            for (int i = 0; i < nx; ++i) {
                const double bx = (i - 79.5) / 70.0, by = (j - 63.5) / 50.0;
                std::int16_t hu = bx * bx + by * by <= 1.0 ? 40 : -1000;
                const double lz = (k - 27.0) / 23.0;
                const double rx = (i - 48.0) / 26.0, ry = (j - 63.5) / 36.0;
                const double lx = (i - 111.0) / 22.0, ly = (j - 63.5) / 32.0;
                if (withLungs && (rx * rx + ry * ry + lz * lz <= 1.0 || lx * lx + ly * ly + lz * lz <= 1.0))
                    hu = -850;
                const double tx = (i - 79.5) / 5.0, ty = (j - 63.5) / 5.0;
                if (withLungs && k >= 40 && tx * tx + ty * ty <= 1.0)
                    hu = -1000;
                v[g.linearIndex(i, j, k)] = hu;
            }
    return ct;
}

/// Exact volumes of the two ellipsoids in mL (semi-axes in mm: 52 x 72 x 92 and 44 x 64 x 92).
inline double syntheticRightMl() { return 4.0 / 3.0 * 3.14159265358979 * 52.0 * 72.0 * 92.0 / 1000.0; }
inline double syntheticLeftMl() { return 4.0 / 3.0 * 3.14159265358979 * 44.0 * 64.0 * 92.0 / 1000.0; }

} // namespace carina::test
