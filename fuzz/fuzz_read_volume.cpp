// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// readVolume: content sniffing and dispatch to every reader. The last byte picks the file name's
// extension (the sniffer uses the name as a tie-breaker for gzip and NIfTI), so the seed files
// stay whole. DICOM inputs reach the worker processes; set CARINA_DICOM_WORKER to the fuzz
// build's worker.
#include "FuzzInput.h"

#include <carina/io/IoError.h>
#include <carina/io/VolumeReader.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const char *const names[] = {"input", "input.nii", "input.nii.gz", "input.gz",
                                        "input.png", "input.dcm", "input.tif", "input.jpg"};
    const char *name = names[size == 0 ? 0 : data[size - 1] % 8];
    const std::string path = carina::fuzz::writeInput(name, data, size);
    try {
        const carina::io::LoadResult result = carina::io::readVolume(path);
        for (const std::string &warning : result.warnings)
            carina::fuzz::abortOnSanitizerReport(warning);
    } catch (const carina::io::IoError &error) {
        carina::fuzz::abortOnSanitizerReport(error.what());
    }
    return 0;
}
