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

/// Room for one file's slice in the scan's shared memory (see decodeDuringScan): a 5792 x 5792
/// int16 frame. Whole pages, so slices map straight from their slot.
constexpr long long kScanSlotBytes = 64ll << 20;

/// Whether the header pass can already decode this file into int16: one frame of uncompressed
/// grey values with an integral rescale, small enough for a scan slot. Most CT series are made of
/// such files; decoding them while their header is read spares a second pass over the folder.
bool canDecodeDuringScan(const DicomFileHeader &header);

/// The decode task for such a file: its one frame as int16, into slice 0.
DicomDecodeTask scanDecodeTask(const std::string &path, const DicomFileHeader &header);

/// The decode pass: the task's frames, rescaled and converted to its output type, into `out`.
/// Returns false when a value did not fit an int16 output. Throws DicomWorkerFailure.
bool decodeDicomTask(const DicomDecodeTask &task, DicomSliceSink &out);

} // namespace carina::io::detail
