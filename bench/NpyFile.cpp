// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "NpyFile.h"

#include <cstdint>
#include <fstream>
#include <regex>
#include <stdexcept>

namespace carina::bench {

std::size_t NpyFile::elementCount() const
{
    std::size_t n = 1;
    for (int d : shape)
        n *= std::size_t(d);
    return n;
}

NpyFile NpyFile::read(const std::string &path)
{
    auto fail = [&](const std::string &why) { return std::runtime_error(path + ": " + why); };
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw fail("cannot open");
    unsigned char magic[8];
    if (!f.read(reinterpret_cast<char *>(magic), 8) || std::string(reinterpret_cast<char *>(magic), 6) != "\x93NUMPY")
        throw fail("not a .npy file");
    std::uint32_t headerLength = 0;
    unsigned char l[4] = {0, 0, 0, 0};
    const int lengthBytes = magic[6] == 1 ? 2 : 4;
    if (!f.read(reinterpret_cast<char *>(l), lengthBytes))
        throw fail("truncated header");
    headerLength = l[0] | l[1] << 8 | l[2] << 16 | std::uint32_t(l[3]) << 24;
    std::string header(headerLength, '\0');
    if (!f.read(header.data(), std::streamsize(headerLength)))
        throw fail("truncated header");

    NpyFile npy;
    std::smatch m;
    if (!std::regex_search(header, m, std::regex("'descr':\\s*'([^']+)'")))
        throw fail("no dtype in the header");
    npy.descr = m[1];
    if (npy.descr.size() < 3 || npy.descr[0] == '>')
        throw fail("unsupported dtype " + npy.descr);
    if (header.find("'fortran_order': False") == std::string::npos)
        throw fail("Fortran-ordered arrays are not supported");
    if (!std::regex_search(header, m, std::regex("'shape':\\s*\\(([^)]*)\\)")))
        throw fail("no shape in the header");
    const std::string dims = m[1];
    const std::regex digits("\\d+");
    for (std::sregex_iterator it(dims.begin(), dims.end(), digits), end; it != end; ++it)
        npy.shape.push_back(std::stoi(it->str()));
    const std::size_t itemSize = std::size_t(std::stoi(npy.descr.substr(2)));
    npy.bytes.resize(npy.elementCount() * itemSize);
    if (!f.read(npy.bytes.data(), std::streamsize(npy.bytes.size())))
        throw fail("truncated data");
    return npy;
}

} // namespace carina::bench
