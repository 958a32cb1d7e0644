// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/LabelSurfaces.h>

#include <carina/Volume.h>
#include <carina/algo/MarchingCubes.h>

#include <algorithm>

namespace carina::algo {

std::vector<Mesh> labelSurfaces(const LabelVolume &labels, const TaskContext &context)
{
    const Dims &d = labels.dims();
    // Every label's box in one pass.
    struct Box
    {
        Dims lo{1 << 30, 1 << 30, 1 << 30};
        Dims hi{-1, -1, -1};
    };
    std::vector<Box> boxes;
    const std::uint16_t *p = labels.data();
    for (int z = 0; z < d[2]; ++z) {
        for (int y = 0; y < d[1]; ++y)
            for (int x = 0; x < d[0]; ++x) {
                const std::uint16_t id = *p++;
                if (!id)
                    continue;
                if (id >= boxes.size())
                    boxes.resize(std::size_t(id) + 1);
                Box &b = boxes[id];
                b.lo = {std::min(b.lo[0], x), std::min(b.lo[1], y), std::min(b.lo[2], z)};
                b.hi = {std::max(b.hi[0], x), std::max(b.hi[1], y), std::max(b.hi[2], z)};
            }
        context.throwIfCanceled();
    }
    std::vector<Mesh> meshes;
    for (std::size_t id = 1; id < boxes.size(); ++id) {
        const Box &b = boxes[id];
        if (b.hi[0] < 0)
            continue;
        context.throwIfCanceled();
        context.progress(double(id) / double(boxes.size()), "Building label surfaces");
        // The box padded by one voxel on every side, so the surface closes at the volume's edge.
        ImageGeometry padded = labels.geometry();
        padded.dims = {b.hi[0] - b.lo[0] + 3, b.hi[1] - b.lo[1] + 3, b.hi[2] - b.lo[2] + 3};
        padded.origin = labels.geometry().indexToPhysical(Eigen::Vector3d(b.lo[0] - 1, b.lo[1] - 1, b.lo[2] - 1));
        Volume mask(VoxelType::UInt8, padded);
        std::uint8_t *m = mask.data<std::uint8_t>();
        for (int z = b.lo[2]; z <= b.hi[2]; ++z)
            for (int y = b.lo[1]; y <= b.hi[1]; ++y) {
                const std::uint16_t *row = labels.data() + (std::size_t(z) * d[1] + y) * d[0];
                std::uint8_t *out = m + padded.linearIndex(1, y - b.lo[1] + 1, z - b.lo[2] + 1);
                for (int x = b.lo[0]; x <= b.hi[0]; ++x)
                    out[x - b.lo[0]] = row[x] == id;
            }
        Mesh mesh = marchingCubes(mask, {}, context);
        if (mesh.triangleCount() == 0)
            continue;
        const LabelInfo info = labels.table().infoOrDefault(std::uint16_t(id));
        mesh.name = info.name;
        for (int c = 0; c < 3; ++c)
            mesh.colour[std::size_t(c)] = float(info.rgb[std::size_t(c)]) / 255.0f;
        meshes.push_back(std::move(mesh));
    }
    context.progress(1.0);
    return meshes;
}

} // namespace carina::algo
