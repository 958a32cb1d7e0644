// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// parseSession on arbitrary bytes: JSON structure, base64, zlib streams, label runs, meshes.
// The limits keep what a tiny input may ask for within libFuzzer's memory limit; the app's
// defaults are larger but the checks are the same.
#include <carina/io/IoError.h>
#include <carina/io/Session.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    carina::io::SessionLimits limits;
    limits.maxVoxels = std::size_t(1) << 24;
    limits.maxMeshVertices = std::size_t(1) << 20;
    try {
        const carina::io::Session session = carina::io::parseSession(
            QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)), "input.carina", limits);
        (void)session.layers.size();
    } catch (const carina::io::IoError &) {
        // The expected answer to bad input; any other exception escapes and is a finding.
    }
    return 0;
}
