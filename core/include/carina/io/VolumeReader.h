// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/TaskContext.h>
#include <carina/io/LoadResult.h>

#include <string>

namespace carina::io {

struct CARINA_CORE_EXPORT ReadOptions
{
    /// For a DICOM folder with several series: which one; empty = the one with most slices.
    std::string seriesInstanceUid;
};

/// Reads any supported input: a DICOM folder or file, NIfTI, PNG/JPEG/TIFF. Picks the reader
/// from the content, not only the name. Throws IoError naming the path and the problem.
CARINA_CORE_EXPORT LoadResult readVolume(const std::string &path, const ReadOptions &options = {},
                                         const TaskContext &context = TaskContext::none());

} // namespace carina::io
