// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/LabelSurfaces.h>

#include <carina/Volume.h>
#include <carina/algo/LabelVoxels.h>
#include <carina/algo/MarchingCubes.h>

#include <algorithm>

namespace carina::algo {

std::vector<Mesh> labelSurfaces(const LabelVolume &labels, const TaskContext &context)
{
    const Dims &d = labels.dims();
    const std::vector<VoxelBox> boxes = boundsOfEachLabel(labels.data(), d, context);
    std::vector<Mesh> meshes;
    for (std::size_t id = 1; id < boxes.size(); ++id) {
        const VoxelBox &b = boxes[id];
        if (b.isEmpty())
            continue;
        context.throwIfCanceled();
        context.progress(double(id) / double(boxes.size()), "Building label surfaces");
        // The box padded by one voxel on every side, so the surface closes at the volume's edge.
        ImageGeometry padded = labels.geometry();
        padded.dims = {b.end[0] - b.begin[0] + 2, b.end[1] - b.begin[1] + 2, b.end[2] - b.begin[2] + 2};
        padded.origin = labels.geometry().indexToPhysical(Eigen::Vector3d(b.begin[0] - 1, b.begin[1] - 1, b.begin[2] - 1));
        Volume mask(VoxelType::UInt8, padded);
        std::uint8_t *m = mask.data<std::uint8_t>();
        for (int z = b.begin[2]; z < b.end[2]; ++z)
            for (int y = b.begin[1]; y < b.end[1]; ++y) {
                const std::uint16_t *row = labels.data() + (std::size_t(z) * d[1] + y) * d[0];
                std::uint8_t *out = m + padded.linearIndex(1, y - b.begin[1] + 1, z - b.begin[2] + 1);
                for (int x = b.begin[0]; x < b.end[0]; ++x)
                    out[x - b.begin[0]] = row[x] == id;
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
