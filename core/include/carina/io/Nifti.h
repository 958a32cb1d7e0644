// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/LabelVolume.h>
#include <carina/TaskContext.h>
#include <carina/io/LoadResult.h>

#include <string>

namespace carina::io {

/// Reads NIfTI-1 or NIfTI-2, `.nii` or `.nii.gz` (or an `.hdr`/`.img` pair, either name given).
/// Header semantics follow nifticlib and nibabel's `get_best_affine()`: the sform when its code
/// is > 0, else the qform when its code is > 0, else nibabel's base affine (x flipped, centred).
/// RAS in the file becomes LPS in the volume; a sheared affine keeps its nearest rotation and
/// adds a warning. Like nibabel, a zero voxel size in pixdim becomes 1 mm and a negative one its
/// absolute value (each with a warning); NaN in pixdim or the affine is an error.
/// Voxel types: uint8, int16, uint16 and float32 are kept (without copying when unscaled);
/// int8 and wider integers become int16, else uint16, when their values fit, else float32;
/// float64 becomes float32; RGB24/RGBA32 become uint8 with 3/4 channels.
/// scl_slope/scl_inter (slope 0 or NaN = none) give int16 when the results are integers that
/// fit, else float32. With more than one volume (4D), the first is loaded and a warning added.
/// Throws IoError naming the file and the problem.
CARINA_CORE_EXPORT LoadResult readNifti(const std::string &path, const TaskContext &context = TaskContext::none());

/// Writes a label volume as NIfTI-1 uint16, intent NIFTI_INTENT_LABEL (gzip level 6 when path
/// ends with .gz; the label table is not stored) with the grid's affine
/// as both qform and sform (NIFTI_XFORM_SCANNER_ANAT), so it overlays its image in other tools.
/// Written to a temporary file in the same folder and renamed into place.
CARINA_CORE_EXPORT void writeNiftiLabels(const LabelVolume &labels, const std::string &path);

/// Writes an image volume as NIfTI-1 (same rules as writeNiftiLabels): one channel of any voxel
/// type, or uint8 with 3/4 channels as RGB24/RGBA32; other channel counts throw IoError.
CARINA_CORE_EXPORT void writeNifti(const Volume &volume, const std::string &path);

/// True when the name ends in .nii or .nii.gz.
CARINA_CORE_EXPORT bool isNiftiPath(const std::string &path);

} // namespace carina::io
