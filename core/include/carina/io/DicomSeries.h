// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/TaskContext.h>
#include <carina/io/LoadResult.h>

#include <memory>
#include <string>
#include <vector>

namespace carina::io {

namespace detail {
struct DicomScannedHeaders;
}

/// One series found in a folder. Carries no patient identity. The scan reads no pixel data.
struct CARINA_CORE_EXPORT DicomSeriesInfo
{
    std::string seriesInstanceUid;
    std::string modality;
    std::string description;       ///< SeriesDescription
    std::vector<std::string> files; ///< the files of the series, unsorted
    int frameCount = 0;            ///< slices in total (multi-frame files count each frame)
    int rows = 0;
    int columns = 0;
    /// The headers scanDicom read for `files` (opaque). loadDicomSeries uses them to skip a
    /// second header pass; it rescans when they are missing or `files` was changed.
    std::shared_ptr<const detail::DicomScannedHeaders> scannedHeaders;
};

/// Result of scanning files: the series found, and files that are not readable images.
struct CARINA_CORE_EXPORT DicomScan
{
    std::vector<DicomSeriesInfo> series; ///< largest first
    std::vector<std::string> problems;   ///< "<file>: <why it was skipped>"
};

/// Lists the files below `folder` (recursively) or the one file `path`, reads their headers
/// and groups them by SeriesInstanceUID. Untrusted files are parsed in worker processes
/// (carina-dicom-worker, found through $CARINA_DICOM_WORKER or next to libcarina-core), so a
/// file that makes GDCM abort or hang is reported in `problems`, not fatal.
/// Throws IoError when nothing readable is found or the worker is missing; TaskCanceled.
CARINA_CORE_EXPORT DicomScan scanDicom(const std::string &path, const TaskContext &context = TaskContext::none());

/// Reads one series into a volume: sorted along the slice normal, rescaled (int16 HU for CT
/// when the values fit, float32 otherwise), LPS geometry. Compressed pixel data is decoded in
/// worker processes that write into shared memory, in parallel; plain uncompressed pixel data,
/// which needs no parser once the workers have located it, is read on all cores in-process.
/// Gaps and non-uniform spacing become warnings naming the gap; mixed orientations or sizes
/// throw IoError, as does a file of the series that is cut short or the decoder fails or crashes
/// on.
CARINA_CORE_EXPORT LoadResult loadDicomSeries(const DicomSeriesInfo &series, const TaskContext &context = TaskContext::none());

/// What a scan's skipped files are worth telling the user, as warnings: files that are no
/// DICOM image at all (a README, checksums, a DICOMDIR) in one line with their count, or not at
/// all unless `countStrayFiles`; damaged DICOM files by file name (never the folder: DICOM
/// folders are often named after the patient), the first 10, then a count.
CARINA_CORE_EXPORT std::vector<std::string> scanProblemWarnings(const std::vector<std::string> &problems,
                                                                bool countStrayFiles = true);

/// True when `path` looks like DICOM (a "DICM" preamble, or a folder holding such files).
CARINA_CORE_EXPORT bool looksLikeDicom(const std::string &path);

} // namespace carina::io
