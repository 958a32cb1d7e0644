// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/LabelVolume.h>
#include <carina/TaskContext.h>
#include <carina/io/LoadResult.h>

#include <string>

namespace carina::io {

/// Reads NIfTI-1 or NIfTI-2, `.nii` or `.nii.gz`. Header semantics follow nifticlib (sform
/// preferred over qform when its code is set, as nibabel does); RAS in the file becomes LPS in
/// the volume; scl_slope/scl_inter are applied (float32 unless the result fits the stored
/// integer type exactly). Throws IoError naming the file and the problem.
CARINA_CORE_EXPORT LoadResult readNifti(const std::string &path, const TaskContext &context = TaskContext::none());

/// Writes a label volume as NIfTI-1 uint16 (gzip when path ends with .gz) with the grid's affine
/// as both qform and sform (NIFTI_XFORM_SCANNER_ANAT), so it overlays its image in other tools.
/// Written to a temporary file in the same folder and renamed into place.
CARINA_CORE_EXPORT void writeNiftiLabels(const LabelVolume &labels, const std::string &path);

/// Writes an image volume as NIfTI-1 (same rules as writeNiftiLabels).
CARINA_CORE_EXPORT void writeNifti(const Volume &volume, const std::string &path);

/// True when the name ends in .nii or .nii.gz.
CARINA_CORE_EXPORT bool isNiftiPath(const std::string &path);

} // namespace carina::io
