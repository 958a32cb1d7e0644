// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// readNifti on uncompressed .nii bytes: header validation, affine handling, voxel conversion.
#include "FuzzInput.h"

#include <carina/io/IoError.h>
#include <carina/io/Nifti.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string path = carina::fuzz::writeInput("input.nii", data, size);
    try {
        const carina::io::LoadResult result = carina::io::readNifti(path);
        (void)result.volume.geometry();
    } catch (const carina::io::IoError &) {
        // The expected answer to bad input; any other exception escapes and is a finding.
    }
    return 0;
}
