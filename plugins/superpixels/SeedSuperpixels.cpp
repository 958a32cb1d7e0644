// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "SeedSuperpixels.h"

#include <carina/io/Npy.h>

#include <QDir>
#include <QTemporaryFile>

#include <libdeflate.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <vector>

namespace carina::superpixels {

namespace {

bool endsWith(std::string s, const std::string &suffix)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::uint32_t le32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | std::uint32_t(p[3]) << 24; }
std::uint16_t le16(const unsigned char *p) { return std::uint16_t(p[0] | p[1] << 8); }
std::uint64_t le64(const unsigned char *p) { return le32(p) | std::uint64_t(le32(p + 4)) << 32; }

std::vector<unsigned char> gunzip(const std::vector<unsigned char> &in, const std::string &path)
{
    if (in.size() < 18 || in[0] != 0x1f || in[1] != 0x8b)
        throw std::runtime_error(path + ": not a gzip file");
    // ISIZE (the last 4 bytes) is the size modulo 4 GiB; numpy's npz of one volume is far below.
    const std::size_t size = le32(in.data() + in.size() - 4);
    if (size > (std::size_t(1) << 31))
        throw std::runtime_error(path + ": larger than 2 GiB uncompressed");
    std::vector<unsigned char> out(size);
    libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    std::size_t actual = 0;
    const libdeflate_result r = libdeflate_gzip_decompress(d, in.data(), in.size(), out.data(), out.size(), &actual);
    libdeflate_free_decompressor(d);
    if (r != LIBDEFLATE_SUCCESS)
        throw std::runtime_error(path + ": corrupt gzip data");
    out.resize(actual);
    return out;
}

// The bytes of entry `name` of a zip (stored entries, zip64 sizes as numpy writes them).
std::vector<unsigned char> zipEntry(const std::vector<unsigned char> &zip, const std::string &name, const std::string &path)
{
    std::size_t at = 0;
    while (at + 30 <= zip.size() && le32(zip.data() + at) == 0x04034b50) {
        const unsigned char *h = zip.data() + at;
        const std::uint16_t method = le16(h + 8);
        std::uint64_t compressed = le32(h + 18);
        const std::uint16_t nameLength = le16(h + 26), extraLength = le16(h + 28);
        if (at + 30 + nameLength + extraLength > zip.size())
            break;
        const std::string entry(reinterpret_cast<const char *>(h + 30), nameLength);
        const unsigned char *extra = h + 30 + nameLength;
        if (compressed == 0xffffffffu) // zip64: the sizes are in extra field 0x0001
            for (std::size_t e = 0; e + 4 <= extraLength;) {
                const std::uint16_t id = le16(extra + e), length = le16(extra + e + 2);
                if (id == 1 && length >= 16)
                    compressed = le64(extra + e + 4 + 8);
                e += 4 + length;
            }
        const std::size_t data = at + 30 + nameLength + extraLength;
        if (compressed > zip.size() - data)
            throw std::runtime_error(path + ": truncated zip entry " + entry);
        if (entry == name) {
            if (method != 0)
                throw std::runtime_error(path + ": entry " + name + " is compressed (np.savez_compressed); save with np.savez");
            return {zip.begin() + std::ptrdiff_t(data), zip.begin() + std::ptrdiff_t(data + compressed)};
        }
        at = data + compressed;
    }
    throw std::runtime_error(path + ": no " + name + " in the archive (the seed app's file holds \"seg\")");
}

} // namespace

bool isSeedSuperpixelFile(const std::string &path)
{
    return endsWith(path, ".npz") || endsWith(path, ".npz.gz");
}

std::shared_ptr<LabelVolume> readSeedSuperpixels(const std::string &path, const ImageGeometry &grid)
{
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw std::runtime_error(path + ": cannot open");
    std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (endsWith(path, ".gz"))
        bytes = gunzip(bytes, path);
    const std::vector<unsigned char> npyBytes = zipEntry(bytes, "seg.npy", path);
    // The core reads .npy files: hand it the entry through a temporary file.
    QTemporaryFile temp(QDir::tempPath() + QStringLiteral("/carina-seg-XXXXXX.npy"));
    if (!temp.open() || temp.write(reinterpret_cast<const char *>(npyBytes.data()), qint64(npyBytes.size())) != qint64(npyBytes.size()))
        throw std::runtime_error(path + ": cannot write a temporary file");
    temp.close();
    const io::NpyArray seg = io::readNpy(temp.fileName().toStdString());
    const Dims &d = grid.dims;
    if (seg.shape != std::vector<int>{d[2], d[0], d[1]})
        throw std::runtime_error(path + ": \"seg\" is not (" + std::to_string(d[2]) + ", " + std::to_string(d[0]) + ", "
                                 + std::to_string(d[1]) + ") as the seed app's (k, i, j) order of this image needs");
    auto map = std::make_shared<LabelVolume>(grid);
    const std::size_t item = seg.itemSize();
    const bool isSigned = seg.descr.size() > 1 && seg.descr[1] == 'i';
    if (!(seg.descr.size() > 1 && (seg.descr[1] == 'i' || seg.descr[1] == 'u')) || item > 8)
        throw std::runtime_error(path + ": \"seg\" holds " + seg.descr + ", not integer labels");
    std::uint16_t *out = map->data();
    for (int k = 0; k < d[2]; ++k)
        for (int i = 0; i < d[0]; ++i)
            for (int j = 0; j < d[1]; ++j) {
                const std::size_t src = (std::size_t(k) * d[0] + i) * d[1] + j;
                std::int64_t v = 0;
                std::uint64_t raw = 0;
                std::memcpy(&raw, seg.bytes.data() + src * item, item); // little-endian
                if (isSigned && item < 8 && (raw >> (item * 8 - 1)) & 1)
                    raw |= ~std::uint64_t(0) << (item * 8);
                v = std::int64_t(raw);
                if (v < 0 || v > 65535)
                    throw std::runtime_error(path + ": label " + std::to_string(v) + " is outside 0..65535");
                out[(std::size_t(k) * d[1] + j) * d[0] + i] = std::uint16_t(v);
            }
    return map;
}

} // namespace carina::superpixels
