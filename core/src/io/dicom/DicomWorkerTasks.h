// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "io/dicom/DicomFileHeader.h"

#include <stdexcept>
#include <string>

namespace carina::io::detail {

/// Why the worker cannot read a file; shown to the user after the file's name.
struct DicomWorkerFailure : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

/// The header pass: parses `path` up to its pixel data, which is not read.
/// Throws DicomWorkerFailure. GDCM runs here: call it only where an abort costs a worker.
DicomFileHeader scanDicomFile(const std::string &path);

/// Where the decode pass puts converted slices: the worker's shared volume, or plain memory in
/// the in-process fuzz target.
class DicomSliceSink
{
public:
    virtual ~DicomSliceSink() = default;
    /// Room for one converted slice (DicomDecodeTask::sliceBytes), reused slice after slice.
    virtual char *buffer() = 0;
    /// Stores what buffer() holds as slice `slice` of the volume.
    virtual void write(int slice) = 0;
};

/// The decode pass: the task's frames, rescaled and converted to its output type, into `out`.
/// Returns false when a value did not fit an int16 output. Throws DicomWorkerFailure.
bool decodeDicomTask(const DicomDecodeTask &task, DicomSliceSink &out);

} // namespace carina::io::detail
