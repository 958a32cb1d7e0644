// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "SuperpixelPaint.h"

#include <carina/algo/LabelVoxels.h>

#include <algorithm>
#include <stdexcept>

namespace carina::superpixels {

std::vector<VoxelBox> superpixelBoxes(const LabelVolume &superpixels)
{
    return algo::boundsOfEachLabel(superpixels.data(), superpixels.dims());
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
