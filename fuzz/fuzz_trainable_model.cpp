// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// parseTrainableModel on arbitrary bytes: header, class table, tree counts, node indices. IoError
// is the expected answer to bad input; anything else (a crash, another exception, a hang in a
// tree walk) is a finding.
#include <carina/io/IoError.h>
#include <carina/io/TrainableModel.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    try {
        const carina::io::TrainableModel m = carina::io::parseTrainableModel(data, size, "input.carina-model");
        // A model that parses must be safe to use: one walk of every tree.
        std::vector<float> x(std::size_t(m.forest.features()), 0.5f);
        std::vector<float> sums(std::size_t(m.forest.classes()), 0.0f);
        m.forest.accumulate(x.data(), 1, sums.data());
    } catch (const carina::io::IoError &) {
    }
    return 0;
}
