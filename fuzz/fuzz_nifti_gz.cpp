// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// readNifti on .nii.gz. An input that is already gzip goes to the file as it is (corrupt deflate
// streams, truncated members, wrong trailers); any other input is compressed first, so mutated
// headers also reach the NIfTI code through the gzip path and its size hints.
#include "FuzzInput.h"

#include <carina/io/IoError.h>
#include <carina/io/Nifti.h>

#include <vector>
#include <zlib.h>

namespace {

std::vector<std::uint8_t> gzip(const std::uint8_t *data, std::size_t size)
{
    z_stream stream{};
    // windowBits 15 + 16: a gzip wrapper rather than zlib's.
    if (deflateInit2(&stream, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        std::abort();
    std::vector<std::uint8_t> out(deflateBound(&stream, uLong(size)) + 32);
    stream.next_in = const_cast<Bytef *>(data);
    stream.avail_in = uInt(size);
    stream.next_out = out.data();
    stream.avail_out = uInt(out.size());
    if (deflate(&stream, Z_FINISH) != Z_STREAM_END)
        std::abort();
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    std::string path;
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        path = carina::fuzz::writeInput("input.nii.gz", data, size);
    } else {
        const std::vector<std::uint8_t> packed = gzip(data, size);
        path = carina::fuzz::writeInput("input.nii.gz", packed.data(), packed.size());
    }
    try {
        const carina::io::LoadResult result = carina::io::readNifti(path);
        (void)result.volume.geometry();
    } catch (const carina::io::IoError &) {
    }
    return 0;
}
