// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ImageGeometry.h>
#include <carina/LabelVolume.h>
#include <carina/edit/LabelPatch.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace carina::superpixels {

/// Per superpixel id, the box of its voxels (index = id; empty boxes for absent ids), so a
/// stroke reads only the boxes of the superpixels it touched, never the whole volume.
std::vector<VoxelBox> superpixelBoxes(const LabelVolume &superpixels);

/// The superpixel ids (sorted, no 0) under `voxels` (linear indices on the map's grid; out of
/// range ones are ignored).
std::vector<std::uint16_t> touchedSuperpixels(const LabelVolume &superpixels, const std::vector<std::size_t> &voxels);

/// Writes `value` (0 erases) into `segmentation` over every voxel of the superpixels `ids`,
/// through `patch` (undoable; call patch.finish() after). Returns the voxels assigned.
std::size_t paintSuperpixels(const LabelVolume &superpixels, const std::vector<VoxelBox> &boxes,
                             const std::vector<std::uint16_t> &ids, std::uint16_t value, LabelVolume &segmentation,
                             LabelPatch &patch);

} // namespace carina::superpixels
