// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/LabelVolume.h>
#include <carina/TaskContext.h>

#include <memory>
#include <string>
#include <vector>

namespace carina::io {

/// Exports a label layer so that it overlays its image in other tools (ITK-SNAP, 3D Slicer,
/// nibabel): NIfTI-1 (.nii or .nii.gz) on the layer's grid, with the grid's affine as both qform
/// and sform exactly as writeNifti() writes the image, uint8 when every label is below 256 else
/// uint16. The label names and colours go to an ITK-SNAP label description file beside it
/// (labelDescriptionPath()). Both files are written atomically (temporary file + rename).
/// Throws IoError naming the file and the problem; nothing is left half-written.
CARINA_CORE_EXPORT void exportLabelNifti(const LabelVolume &labels, const std::string &path);

/// The ITK-SNAP label description file that accompanies a label NIfTI:
/// "seg.nii.gz" -> "seg.label.txt".
CARINA_CORE_EXPORT std::string labelDescriptionPath(const std::string &niftiPath);

/// A label NIfTI read onto an image's grid.
struct CARINA_CORE_EXPORT LabelImport
{
    std::shared_ptr<LabelVolume> labels; ///< on the image's grid; table from the description file
    std::vector<std::string> warnings;   ///< e.g. an unreadable description file
};

/// Reads a label NIfTI for an image on `imageGrid`. Refuses (IoError naming the file and both
/// grids) when the dims differ, or spacing/origin differ by more than `toleranceMm`, or the axes
/// by more than 1e-4; refuses non-integer, negative or above-65535 values and multi-channel
/// data. Reads labelDescriptionPath(path) when it exists for names and colours.
CARINA_CORE_EXPORT LabelImport importLabelNifti(const std::string &path, const ImageGeometry &imageGrid,
                                                double toleranceMm = 0.01,
                                                const TaskContext &context = TaskContext::none());

/// ITK-SNAP label description text for `table` (every entry, plus the "Clear Label" 0 line).
CARINA_CORE_EXPORT std::string formatLabelDescription(const LabelTable &table);
/// Parses ITK-SNAP label description text into `table`; returns the problems found (one per bad
/// line, at most a few), never throws.
CARINA_CORE_EXPORT std::vector<std::string> parseLabelDescription(const std::string &text, LabelTable &table);

/// "512 x 512 x 300 voxels of 0.7 x 0.7 x 1 mm, origin (-120, 33.5, -71) mm, axes LPS" for messages.
CARINA_CORE_EXPORT std::string describeGrid(const ImageGeometry &grid);

} // namespace carina::io
