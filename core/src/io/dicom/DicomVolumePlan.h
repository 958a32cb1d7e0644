// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "io/dicom/DicomFileHeader.h"

#include <carina/ImageGeometry.h>
#include <carina/Volume.h>

#include <string>
#include <vector>

namespace carina::io::detail {

/// Where one slice of the volume comes from.
struct DicomSliceSource
{
    std::size_t file = 0; ///< index into the series' files
    int frame = 0;
};

/// How the frames of a series become one volume: order, geometry, voxel type, and what the user
/// should be told about it.
struct DicomVolumePlan
{
    ImageGeometry geometry;
    std::vector<DicomSliceSource> slices; ///< slice k of the volume, sorted along the normal
    VoxelType type = VoxelType::Int16;
    int channels = 1;
    /// int16 chosen although the header range does not prove the values fit: the workers check.
    bool int16Unproven = false;
    std::vector<std::string> warnings;
};

/// Sorts the frames of `headers` (one per file of `files`) along the slice normal and derives the
/// LPS geometry. Throws IoError for mixed sizes, orientations or pixel kinds, naming files.
DicomVolumePlan planDicomVolume(const std::vector<std::string> &files, const std::vector<DicomFileHeader> &headers);

/// The workers' decode tasks for `plan` with voxels of `type`, into a volume of `volumeBytes`.
std::vector<DicomDecodeTask> planDecodeTasks(const DicomVolumePlan &plan, VoxelType type, const std::vector<std::string> &files,
                                             const std::vector<DicomFileHeader> &headers, std::size_t volumeBytes);

} // namespace carina::io::detail
