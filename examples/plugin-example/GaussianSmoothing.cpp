// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "GaussianSmoothing.h"

#include <carina/Parallel.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace example {

namespace {

std::vector<float> kernel(double sigmaVoxels)
{
    const int radius = std::max(1, int(std::ceil(3.0 * sigmaVoxels)));
    std::vector<float> k(std::size_t(2 * radius + 1));
    double sum = 0;
    for (int i = -radius; i <= radius; ++i)
        sum += k[std::size_t(i + radius)] = float(std::exp(-0.5 * i * i / (sigmaVoxels * sigmaVoxels)));
    for (float &v : k)
        v = float(v / sum);
    return k;
}

// One 1D pass along `axis`, edges clamped (nearest), as scipy's mode="nearest". The lines of
// the pass are independent: carina::parallelFor spreads them over the cores, checks cancel
// between ranges and reports progress.
void smoothAxis(std::vector<float> &data, const carina::Dims &d, int axis, double sigmaVoxels,
                const carina::TaskContext &context, double progressBegin)
{
    if (sigmaVoxels < 0.1 || d[std::size_t(axis)] == 1)
        return;
    const std::vector<float> k = kernel(sigmaVoxels);
    const int radius = int(k.size() / 2);
    const std::size_t stride = axis == 0 ? 1 : axis == 1 ? std::size_t(d[0]) : std::size_t(d[0]) * std::size_t(d[1]);
    const int n = d[std::size_t(axis)];
    const int a = axis == 0 ? 1 : 0, b = axis == 2 ? 1 : 2; // the two other axes
    carina::parallelFor(
        std::size_t(d[std::size_t(b)]),
        [&](std::size_t firstJ, std::size_t lastJ) {
            std::vector<float> line(static_cast<std::size_t>(n)); // one per range: no sharing
            for (std::size_t j = firstJ; j < lastJ; ++j) {
                for (int i = 0; i < d[std::size_t(a)]; ++i) {
                    int index[3] = {0, 0, 0};
                    index[a] = i;
                    index[b] = int(j);
                    const std::size_t start = (std::size_t(index[2]) * std::size_t(d[1]) + std::size_t(index[1])) * std::size_t(d[0])
                        + std::size_t(index[0]);
                    for (int t = 0; t < n; ++t)
                        line[std::size_t(t)] = data[start + std::size_t(t) * stride];
                    for (int t = 0; t < n; ++t) {
                        float sum = 0;
                        for (int r = -radius; r <= radius; ++r)
                            sum += k[std::size_t(r + radius)] * line[std::size_t(std::clamp(t + r, 0, n - 1))];
                        data[start + std::size_t(t) * stride] = sum;
                    }
                }
            }
        },
        context, {progressBegin, progressBegin + 1.0 / 3.0, "Smoothing"});
}

} // namespace

carina::Volume smoothGaussian(const carina::Volume &input, double sigmaMm, const carina::TaskContext &context)
{
    if (input.isNull())
        throw std::invalid_argument("no image to smooth");
    if (!(sigmaMm >= 0.0) || sigmaMm > 100.0)
        throw std::invalid_argument("sigma must be between 0 and 100 mm");
    const carina::Dims &d = input.dims();
    std::vector<float> data(input.voxelCount());
    for (int k = 0; k < d[2]; ++k)
        for (int j = 0; j < d[1]; ++j)
            for (int i = 0; i < d[0]; ++i)
                data[input.geometry().linearIndex(i, j, k)] = float(input.valueAt(i, j, k));
    for (int axis = 0; axis < 3; ++axis)
        smoothAxis(data, d, axis, sigmaMm / input.geometry().spacing[axis], context, axis / 3.0);
    carina::Volume out(carina::VoxelType::Float32, input.geometry());
    std::copy(data.begin(), data.end(), out.data<float>());
    out.info() = input.info();
    context.progress(1.0);
    return out;
}

} // namespace example
