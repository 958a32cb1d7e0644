// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "SuperpixelPaint.h"

#include <algorithm>
#include <stdexcept>

namespace carina::superpixels {

std::vector<VoxelBox> superpixelBoxes(const LabelVolume &superpixels)
{
    const Dims &d = superpixels.dims();
    std::vector<VoxelBox> boxes;
    const std::uint16_t *p = superpixels.data();
    for (int z = 0; z < d[2]; ++z)
        for (int y = 0; y < d[1]; ++y)
            for (int x = 0; x < d[0]; ++x) {
                const std::uint16_t id = *p++;
                if (!id)
                    continue;
                if (id >= boxes.size())
                    boxes.resize(std::size_t(id) + 1, VoxelBox{{1 << 30, 1 << 30, 1 << 30}, {-1, -1, -1}});
                VoxelBox &b = boxes[id];
                b.begin = {std::min(b.begin[0], x), std::min(b.begin[1], y), std::min(b.begin[2], z)};
                b.end = {std::max(b.end[0], x + 1), std::max(b.end[1], y + 1), std::max(b.end[2], z + 1)};
            }
    return boxes;
}

std::vector<std::uint16_t> touchedSuperpixels(const LabelVolume &superpixels, const std::vector<std::size_t> &voxels)
{
    std::vector<std::uint16_t> ids;
    for (std::size_t v : voxels)
        if (v < superpixels.voxelCount() && superpixels.data()[v])
            ids.push_back(superpixels.data()[v]);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

std::size_t paintSuperpixels(const LabelVolume &superpixels, const std::vector<VoxelBox> &boxes,
                             const std::vector<std::uint16_t> &ids, std::uint16_t value, LabelVolume &segmentation,
                             LabelPatch &patch)
{
    if (!superpixels.geometry().sameGrid(segmentation.geometry()))
        throw std::invalid_argument("the segmentation is not on the superpixels' grid");
    const Dims &d = superpixels.dims();
    const std::uint16_t *sp = superpixels.data();
    std::size_t painted = 0;
    for (std::uint16_t id : ids) {
        if (id >= boxes.size() || boxes[id].isEmpty())
            continue;
        const VoxelBox &b = boxes[id];
        for (int z = b.begin[2]; z < b.end[2]; ++z)
            for (int y = b.begin[1]; y < b.end[1]; ++y) {
                const std::size_t row = (std::size_t(z) * d[1] + y) * d[0];
                for (int x = b.begin[0]; x < b.end[0]; ++x)
                    if (sp[row + x] == id) {
                        patch.assign(segmentation, row + x, value);
                        ++painted;
                    }
            }
    }
    return painted;
}

} // namespace carina::superpixels
