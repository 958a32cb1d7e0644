// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "io/dicom/DicomFileHeader.h"
#include "io/dicom/DicomPixels.h"

#include <stdexcept>
#include <string>

namespace carina::io::detail {

/// The header pass: parses the file open on `fd` (read from its start; not closed) up to its
/// pixel data, which is not read. Throws DicomFileError. GDCM runs here: call it only where an
/// abort costs a worker.
DicomFileHeader scanDicomFile(int fd);
/// The same for `path`, opened here (not in the sandboxed worker, which opens no paths).
DicomFileHeader scanDicomFile(const std::string &path);

/// The decode pass: the task's frames from the file open on `fd`, rescaled and converted to its
/// output type, into `out`. Returns false when a value did not fit an int16 output. Throws
/// DicomFileError.
bool decodeDicomTask(const DicomDecodeTask &task, int fd, DicomSliceSink &out);
/// The same for task.file, opened here.
bool decodeDicomTask(const DicomDecodeTask &task, DicomSliceSink &out);

} // namespace carina::io::detail
