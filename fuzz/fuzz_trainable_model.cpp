// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// parseTrainableModel on arbitrary bytes: header, class table, tree counts, node indices. IoError
// is the expected answer to bad input; anything else (a crash, another exception, a hang in a
// tree walk) is a finding.
#include <carina/io/IoError.h>
#include <carina/io/TrainableModel.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // Half the inputs get a valid checksum (FNV-1a 64 of all but the last 8 bytes, as the
    // writer puts it), so mutations reach the parser behind it instead of stopping there.
    std::vector<std::uint8_t> bytes(data, data + size);
    if (size > 24 && (data[size - 1] & 1)) {
        std::uint64_t h = 0xcbf29ce484222325ull;
        for (std::size_t i = 0; i + 8 < size; ++i) {
            h ^= bytes[i];
            h *= 0x100000001b3ull;
        }
        std::memcpy(bytes.data() + size - 8, &h, 8);
    }
    try {
        const carina::io::TrainableModel m = carina::io::parseTrainableModel(bytes.data(), bytes.size(), "input.carina-model");
        // A model that parses must be safe to use: one walk of every tree.
        std::vector<float> x(std::size_t(m.forest.features()), 0.5f);
        std::vector<float> sums(std::size_t(m.forest.classes()), 0.0f);
        m.forest.accumulate(x.data(), 1, sums.data());
    } catch (const carina::io::IoError &) {
    }
    return 0;
}
