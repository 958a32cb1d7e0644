// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ImageGeometry.h>
#include <carina/LabelVolume.h>

#include <memory>
#include <string>

namespace carina::superpixels {

/// True for the seed app's superpixel files: .npz or .npz.gz (case-insensitive).
bool isSeedSuperpixelFile(const std::string &path);

/// Reads the seed app's superpixels (dash-3d-image-partitioning's
/// BraTS19_2013_10_1_flair_superpixels.npz.gz: a gzip of an uncompressed .npz whose "seg" array
/// holds the labels as (k, i, j) = the NIfTI's voxel axes transposed (2, 0, 1)) onto `grid`.
/// Throws std::runtime_error naming the file and the problem (not a zip, no "seg", compressed
/// entries, a shape that is not the grid's, labels above 65535).
std::shared_ptr<LabelVolume> readSeedSuperpixels(const std::string &path, const ImageGeometry &grid);

} // namespace carina::superpixels
