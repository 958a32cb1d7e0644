// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/io/AtomicFile.h>
#include <carina/io/IoError.h>
#include <carina/io/Npy.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <regex>
#include <stdexcept>

namespace carina::io {

namespace {

const char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
// numpy refuses headers over this size when reading; a corrupt length must not allocate GBs.
constexpr std::uint32_t kMaxHeaderBytes = 1u << 20;

// Item size of a numeric dtype ("<f4" -> 4), 0 when descr is not one: byte order '<' or '|'
// ('>' only for single bytes), kind b, i, u, f or c, a size that is a whole number of bytes.
std::size_t numericItemSize(const std::string &descr)
{
    if (descr.size() < 3 || (descr[0] != '<' && descr[0] != '|' && descr[0] != '>'))
        return 0;
    if (std::string("biufc").find(descr[1]) == std::string::npos)
        return 0;
    std::size_t size = 0;
    for (std::size_t i = 2; i < descr.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(descr[i])) || size > 1024)
            return 0;
        size = size * 10 + std::size_t(descr[i] - '0');
    }
    if (size == 0 || (descr[0] == '>' && size != 1))
        return 0;
    return size;
}

std::string shapeText(const std::vector<int> &shape)
{
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i)
            s += ", ";
        s += std::to_string(shape[i]);
    }
    if (shape.size() == 1)
        s += ",";
    return s + ")";
}

} // namespace

std::size_t NpyArray::elementCount() const
{
    std::size_t n = 1;
    for (int d : shape)
        n *= std::size_t(std::max(d, 0));
    return n;
}

std::size_t NpyArray::itemSize() const
{
    return numericItemSize(descr);
}

NpyArray readNpy(const std::string &path)
{
    auto fail = [&](const std::string &why) { return IoError(path + ": " + why); };
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw fail("cannot open");
    f.seekg(0, std::ios::end);
    const std::uint64_t fileSize = std::uint64_t(f.tellg());
    f.seekg(0);

    unsigned char preamble[8];
    if (!f.read(reinterpret_cast<char *>(preamble), 8) || std::memcmp(preamble, kMagic, kMagicSize) != 0)
        throw fail("not a .npy file (no \\x93NUMPY magic at the start)");
    const int major = preamble[6];
    if (major < 1 || major > 3)
        throw fail("unsupported .npy format version " + std::to_string(major) + "." + std::to_string(preamble[7]));
    const int lengthBytes = major == 1 ? 2 : 4;
    unsigned char l[4] = {0, 0, 0, 0};
    if (!f.read(reinterpret_cast<char *>(l), lengthBytes))
        throw fail("truncated header");
    const std::uint32_t headerLength = l[0] | l[1] << 8 | l[2] << 16 | std::uint32_t(l[3]) << 24;
    if (headerLength > kMaxHeaderBytes || 8u + std::uint64_t(lengthBytes) + headerLength > fileSize)
        throw fail("truncated header (it says " + std::to_string(headerLength) + " bytes)");
    std::string header(headerLength, '\0');
    if (!f.read(header.data(), std::streamsize(headerLength)))
        throw fail("truncated header");

    NpyArray npy;
    std::smatch m;
    if (!std::regex_search(header, m, std::regex("'descr'\\s*:\\s*'([^']*)'")))
        throw fail("the header has no dtype ('descr'); a structured array?");
    npy.descr = m[1];
    const std::size_t itemSize = numericItemSize(npy.descr);
    if (itemSize == 0)
        throw fail("dtype " + npy.descr + " is not supported (little-endian numbers: uint8, int16, float32, ...)");
    if (!std::regex_search(header, m, std::regex("'fortran_order'\\s*:\\s*(True|False)")))
        throw fail("the header has no 'fortran_order'");
    if (m[1] == "True")
        throw fail("Fortran-ordered arrays are not supported (save with numpy.ascontiguousarray)");
    if (!std::regex_search(header, m, std::regex("'shape'\\s*:\\s*\\(([^)]*)\\)")))
        throw fail("the header has no shape");
    const std::string dims = m[1];
    std::uint64_t elements = 1;
    bool larger = false; // than the file could hold, whatever the item size
    const std::regex item("\\s*(\\d+)L?\\s*(,|$)");
    std::size_t at = 0;
    while (at < dims.size() && dims.find_first_not_of(" \t", at) != std::string::npos) {
        std::smatch d;
        const std::string rest = dims.substr(at);
        if (!std::regex_search(rest, d, item, std::regex_constants::match_continuous) || d[1].length() > 9)
            throw fail("bad shape (" + dims + ") in the header");
        const int extent = std::stoi(d[1]);
        npy.shape.push_back(extent);
        elements *= std::uint64_t(extent);
        if (elements > fileSize) {
            larger = true;
            elements = fileSize + 1; // keeps the product from overflowing
        }
        at += std::size_t(d.length(0));
    }
    const std::uint64_t dataOffset = 8u + std::uint64_t(lengthBytes) + headerLength;
    const std::uint64_t needed = elements * itemSize;
    if (larger || needed > fileSize - dataOffset)
        throw fail("truncated data: shape " + shapeText(npy.shape) + " of " + npy.descr + " needs " +
                   (larger ? std::string("more bytes than the file has") : std::to_string(needed) + " bytes") +
                   ", the file holds " + std::to_string(fileSize - dataOffset));
    npy.bytes.resize(std::size_t(needed));
    if (!f.read(npy.bytes.data(), std::streamsize(npy.bytes.size())))
        throw fail("truncated data");
    return npy;
}

void writeNpy(const std::string &path, const NpyArray &array)
{
    const std::size_t itemSize = numericItemSize(array.descr);
    if (itemSize == 0 || array.descr[0] == '>')
        throw std::invalid_argument(path + ": dtype \"" + array.descr + "\" cannot be written (little-endian numbers: <i2, |u1, <f4, ...)");
    for (int d : array.shape)
        if (d < 0)
            throw std::invalid_argument(path + ": negative extent in shape " + shapeText(array.shape));
    if (array.bytes.size() != array.elementCount() * itemSize)
        throw std::invalid_argument(path + ": " + std::to_string(array.bytes.size()) + " bytes do not hold shape " +
                                    shapeText(array.shape) + " of " + array.descr);
    std::string header = "{'descr': '" + array.descr + "', 'fortran_order': False, 'shape': " + shapeText(array.shape) + ", }";
    // Pad with spaces and end with a newline so the data starts on a multiple of 64 bytes;
    // format 1.0 has 2 bytes for the header's length, 2.0 has 4.
    const auto padded = [&](std::size_t preamble) { return header.size() + 1 + (64 - (preamble + header.size() + 1) % 64) % 64; };
    const bool v1 = padded(10) <= 65535;
    header.append(padded(v1 ? 10 : 12) - header.size() - 1, ' ');
    header += '\n';
    std::string head(kMagic, kMagicSize);
    head += char(v1 ? 1 : 2);
    head += char(0);
    const std::uint32_t n = std::uint32_t(header.size());
    head += char(n & 0xff);
    head += char((n >> 8) & 0xff);
    if (!v1) {
        head += char((n >> 16) & 0xff);
        head += char((n >> 24) & 0xff);
    }
    AtomicFile file(path);
    file.write(head.data(), head.size());
    file.write(header.data(), header.size());
    file.write(array.bytes.data(), array.bytes.size());
    file.commit();
}

Volume readNpyVolume(const std::string &path)
{
    const NpyArray npy = readNpy(path);
    ImageGeometry g;
    if (npy.shape.size() == 2)
        g.dims = {npy.shape[1], npy.shape[0], 1};
    else if (npy.shape.size() == 3)
        g.dims = {npy.shape[2], npy.shape[1], npy.shape[0]};
    else
        throw IoError(path + ": a 2D or 3D array is needed, this one has " + std::to_string(npy.shape.size()) + " axes");
    VoxelType type;
    if (npy.descr == "|u1")
        type = VoxelType::UInt8;
    else if (npy.descr == "<i2")
        type = VoxelType::Int16;
    else if (npy.descr == "<u2")
        type = VoxelType::UInt16;
    else if (npy.descr == "<f4")
        type = VoxelType::Float32;
    else
        throw IoError(path + ": dtype " + npy.descr + " is not supported (uint8, int16, uint16, float32)");
    if (g.voxelCount() == 0)
        throw IoError(path + ": the array is empty, shape " + shapeText(npy.shape));
    Volume v(type, g);
    std::memcpy(v.rawData(), npy.bytes.data(), npy.bytes.size());
    v.info().sourcePath = path;
    return v;
}

bool isNpyPath(const std::string &path)
{
    if (path.size() < 4)
        return false;
    std::string ext = path.substr(path.size() - 4);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".npy";
}

} // namespace carina::io
