// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// readImageFile (Qt's PNG/JPEG/TIFF readers and the conversion to a volume). The last byte picks
// the file name's extension, so the name-based format hint is fuzzed too while seed files stay
// whole.
#include "FuzzInput.h"

#include <carina/io/ImageFile.h>
#include <carina/io/IoError.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const char *const names[] = {"input.png", "input.jpg", "input.tif", "input.tiff"};
    const char *name = names[size == 0 ? 0 : data[size - 1] % 4];
    const std::string path = carina::fuzz::writeInput(name, data, size);
    try {
        const carina::io::LoadResult result = carina::io::readImageFile(path);
        (void)result.volume.geometry();
    } catch (const carina::io::IoError &) {
    }
    return 0;
}
