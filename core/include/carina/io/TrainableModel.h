// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/algo/PixelFeatures.h>
#include <carina/algo/RandomForest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace carina::io {

/// One class of a trainable segmentation: label value = index in the class table + 1.
struct CARINA_CORE_EXPORT TrainableClass
{
    std::string name;
    std::array<std::uint8_t, 3> rgb{0, 0, 0};
    bool operator==(const TrainableClass &) const = default;
};

/// A trained pixel classifier with everything needed to apply it to another image: the feature
/// settings, the channel count and dimensionality it was trained on, the class table and the
/// forest. Saved as a `.carina-model` file (docs/trainable.md describes the format, version 1).
struct CARINA_CORE_EXPORT TrainableModel
{
    static constexpr std::uint32_t kVersion = 1;
    algo::FeatureOptions features;
    int channels = 1;      ///< image channels the features were computed on
    bool is3d = false;     ///< 3D (volume) features or 2D (one slice)
    algo::ForestOptions training; ///< how the forest was trained (for the record and retraining)
    std::vector<TrainableClass> classes;
    algo::RandomForest forest;

    /// Throws std::invalid_argument, saying what differs, when `image` cannot be classified by
    /// this model (another channel count, 2D against 3D).
    void checkApplicable(int imageChannels, bool imageIs3d) const;
};

/// Serialises a model (little-endian binary with a trailing checksum).
CARINA_CORE_EXPORT std::string serializeTrainableModel(const TrainableModel &model);
/// Parses bytes written by serializeTrainableModel. Throws IoError naming `name` on anything
/// wrong: not a model file, a newer version, a truncated or corrupt file (checksum), counts or
/// trees that do not fit together. Never allocates more than the bytes could describe.
CARINA_CORE_EXPORT TrainableModel parseTrainableModel(const void *data, std::size_t size, const std::string &name);
/// Reads / writes (atomically) a model file; IoError on failure.
CARINA_CORE_EXPORT TrainableModel readTrainableModel(const std::string &path);
CARINA_CORE_EXPORT void writeTrainableModel(const std::string &path, const TrainableModel &model);

} // namespace carina::io
