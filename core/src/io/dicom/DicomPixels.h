// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "io/dicom/DicomFileHeader.h"

#include <cstddef>
#include <stdexcept>
#include <string>

// Pixel conversion and the reading of plain (uncompressed) pixel data. No DICOM parser here: the
// header pass (GDCM, in a worker) has already found where the pixels are, so this runs in the
// workers and in the application alike.

namespace carina::io::detail {

/// Why a file cannot be read; shown to the user after the file's name.
struct DicomFileError : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

/// Where decoded slices go: the worker's shared volume, a volume in the application, or plain
/// memory in the fuzz target.
class DicomSliceSink
{
public:
    virtual ~DicomSliceSink() = default;
    /// Room for slice `slice` (DicomDecodeTask::sliceBytes): its place in the volume, or a buffer
    /// that write() then copies there.
    virtual char *buffer(int slice) = 0;
    /// Called once buffer(slice) holds the converted slice.
    virtual void write(int slice) = 0;
};

/// How stored values become output values.
struct DicomRescale
{
    double slope = 1.0;
    double intercept = 0.0;
    int bitsStored = 16;
    bool isSigned = false;
    bool maskBits = false; ///< BitsStored < BitsAllocated: the high bits may hold overlays
};

DicomRescale rescaleOf(const DicomFileHeader &header, int bitsAllocated, int bitsStored, bool isSigned);

/// Converts `n` stored values of `bitsAllocated` bits at `in` into `out` as `outType` ("i16",
/// "f32"). Returns false when a value did not fit int16. Throws DicomFileError for pixel kinds it
/// does not know.
bool convertDicomPixels(const char *in, std::size_t n, int bitsAllocated, bool isSigned, bool isFloat, const DicomRescale &r,
                        const std::string &outType, void *out);

/// Whether `task` reads plain pixel data: uncompressed little-endian grey values at an offset the
/// header pass found, which takes a bounded read and no parser.
bool isPlainPixelTask(const DicomDecodeTask &task);

/// Reads and converts the frames of a plain task from the file open on `fd` into `out`. Returns
/// false when a value did not fit an int16 output. Throws DicomFileError (a file shorter than
/// its header says, say).
bool readPlainPixels(const DicomDecodeTask &task, int fd, DicomSliceSink &out);

/// The identity of the file open on `fd`; throws DicomFileError unless it is a regular file.
DicomFileIdentity identityOf(int fd);

/// Opens `path` read-only and non-blocking (opening a FIFO must not block a load thread), and
/// checks with fstat that it is still the regular file `scanned` describes (device, inode,
/// size, modification time) when that is known. Returns the descriptor (close-on-exec); throws
/// DicomFileError naming what changed.
int openScannedFile(const std::string &path, const DicomFileIdentity &scanned);

} // namespace carina::io::detail
