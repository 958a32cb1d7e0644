// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/LabelVoxels.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace carina::algo {

namespace {

VoxelBox clipped(const VoxelBox &box, const Dims &dims)
{
    VoxelBox out;
    for (std::size_t a = 0; a < 3; ++a) {
        out.begin[a] = std::clamp(box.begin[a], 0, dims[a]);
        out.end[a] = std::clamp(box.end[a], out.begin[a], dims[a]);
    }
    return out;
}

std::size_t linearIndex(const Dims &dims, int x, int y, int z)
{
    return (std::size_t(z) * std::size_t(dims[1]) + std::size_t(y)) * std::size_t(dims[0]) + std::size_t(x);
}

// Calls f(linear, x, y, z) for every voxel of `label` in `box` (already clipped), raster order.
template<typename F>
void forEachVoxelOf(const std::uint16_t *labels, const Dims &dims, std::uint16_t label, const VoxelBox &box, F &&f)
{
    for (int z = box.begin[2]; z < box.end[2]; ++z)
        for (int y = box.begin[1]; y < box.end[1]; ++y) {
            const std::size_t row = linearIndex(dims, 0, y, z);
            for (int x = box.begin[0]; x < box.end[0]; ++x)
                if (labels[row + std::size_t(x)] == label)
                    f(row + std::size_t(x), x, y, z);
        }
}

// The box of the voxels whose label satisfies `wanted`.
template<typename Wanted>
std::optional<VoxelBox> boundsOf(const std::uint16_t *labels, const Dims &dims, Wanted wanted)
{
    VoxelBox box{{dims[0], dims[1], dims[2]}, {0, 0, 0}};
    for (int z = 0; z < dims[2]; ++z)
        for (int y = 0; y < dims[1]; ++y) {
            const std::uint16_t *row = labels + linearIndex(dims, 0, y, z);
            for (int x = 0; x < dims[0]; ++x)
                if (wanted(row[x])) {
                    box.begin = {std::min(box.begin[0], x), std::min(box.begin[1], y), std::min(box.begin[2], z)};
                    box.end = {std::max(box.end[0], x + 1), std::max(box.end[1], y + 1), std::max(box.end[2], z + 1)};
                }
        }
    if (box.isEmpty())
        return std::nullopt;
    return box;
}

} // namespace

std::uint16_t labelAt(const std::uint16_t *labels, const Dims &dims, const std::array<double, 3> &point)
{
    Dims v{};
    for (std::size_t a = 0; a < 3; ++a) {
        if (!std::isfinite(point[a]))
            return 0;
        const double r = std::round(point[a]);
        if (r < 0.0 || r >= double(dims[a]))
            return 0;
        v[a] = int(r);
    }
    return labels[linearIndex(dims, v[0], v[1], v[2])];
}

std::optional<Dims> nearestVoxelOfLabel(const std::uint16_t *labels, const Dims &dims, std::uint16_t label,
                                        const std::array<double, 3> &point, const VoxelBox &box,
                                        const std::array<double, 3> &spacing)
{
    std::optional<Dims> best;
    double bestDistance = std::numeric_limits<double>::infinity();
    forEachVoxelOf(labels, dims, label, clipped(box, dims), [&](std::size_t, int x, int y, int z) {
        const double dx = (x - point[0]) * spacing[0];
        const double dy = (y - point[1]) * spacing[1];
        const double dz = (z - point[2]) * spacing[2];
        const double d = dx * dx + dy * dy + dz * dz;
        if (!best || d < bestDistance) {
            bestDistance = d;
            best = Dims{x, y, z};
        }
    });
    return best;
}

std::vector<std::size_t> voxelsOfLabel(const std::uint16_t *labels, const Dims &dims, std::uint16_t label,
                                       const VoxelBox &box)
{
    std::vector<std::size_t> out;
    forEachVoxelOf(labels, dims, label, clipped(box, dims), [&](std::size_t linear, int, int, int) { out.push_back(linear); });
    return out;
}

std::optional<VoxelBox> boundsOfLabel(const std::uint16_t *labels, const Dims &dims, std::uint16_t label)
{
    return boundsOf(labels, dims, [label](std::uint16_t v) { return v == label; });
}

std::optional<VoxelBox> boundsOfLabels(const std::uint16_t *labels, const Dims &dims)
{
    return boundsOf(labels, dims, [](std::uint16_t v) { return v != 0; });
}

std::vector<VoxelBox> boundsOfEachLabel(const std::uint16_t *labels, const Dims &dims, const TaskContext &context)
{
    // Grown from an inverted box, so min/max need no "first voxel" case; absent labels keep it
    // and are made plainly empty at the end.
    const VoxelBox none{{1 << 30, 1 << 30, 1 << 30}, {-1, -1, -1}};
    std::vector<VoxelBox> boxes;
    const std::uint16_t *p = labels;
    for (int z = 0; z < dims[2]; ++z) {
        context.throwIfCanceled();
        for (int y = 0; y < dims[1]; ++y)
            for (int x = 0; x < dims[0]; ++x) {
                const std::uint16_t id = *p++;
                if (!id)
                    continue;
                if (id >= boxes.size())
                    boxes.resize(std::size_t(id) + 1, none);
                VoxelBox &b = boxes[id];
                b.begin = {std::min(b.begin[0], x), std::min(b.begin[1], y), std::min(b.begin[2], z)};
                b.end = {std::max(b.end[0], x + 1), std::max(b.end[1], y + 1), std::max(b.end[2], z + 1)};
            }
    }
    for (VoxelBox &b : boxes)
        if (b.isEmpty())
            b = VoxelBox{};
    return boxes;
}

} // namespace carina::algo
