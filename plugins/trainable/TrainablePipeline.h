// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/LabelVolume.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>
#include <carina/algo/PixelFeatures.h>
#include <carina/algo/RandomForest.h>
#include <carina/io/TrainableModel.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace carina::trainable {

/// Features of one image and one feature setting, computed slab by slab and kept up to a memory
/// budget, so a retrain after a stroke never recomputes them. Thread-safe: tasks share it.
class FeatureCache
{
public:
    /// `budgetBytes`: slabs beyond it are dropped, oldest first (the one just made stays).
    FeatureCache(Volume image, algo::FeatureOptions options, std::size_t budgetBytes = std::size_t(1536) << 20);

    const Volume &image() const { return m_image; }
    const algo::FeatureOptions &options() const { return m_options; }
    bool is3d() const { return m_image.dims()[2] > 1; }
    int featureCount() const;
    /// A slab holding slice z: a cached one, else slices [z0, z1) (z0 <= z < z1) computed now.
    std::shared_ptr<const algo::FeatureStack> slab(int z, int z0, int z1, const TaskContext &context);
    /// The cached slab holding slice z, or null.
    std::shared_ptr<const algo::FeatureStack> cached(int z) const;
    std::size_t bytes() const;

private:
    Volume m_image;
    algo::FeatureOptions m_options;
    std::size_t m_budget;
    mutable std::mutex m_mutex;
    std::vector<std::shared_ptr<const algo::FeatureStack>> m_slabs; // oldest first
};

/// A scribbled voxel: linear index on the image grid and class value (1..N).
struct Scribble
{
    std::size_t index;
    std::uint16_t value;
};

/// The scribbled voxels of a label volume (values 1..classCount; others ignored), in voxel order.
std::vector<Scribble> collectScribbles(const LabelVolume &scribbles, int classCount);

/// Trains a forest on the scribbles' features (slices computed through the cache as needed).
/// Throws std::invalid_argument with a user-facing message when fewer than two classes have
/// scribbles.
algo::RandomForest trainOnScribbles(FeatureCache &cache, const std::vector<Scribble> &scribbles, int classCount,
                                    const algo::ForestOptions &forest, const TaskContext &context);

/// Labels (class index + 1) and uncertainty (1 - max probability) of slices [z0, z1).
struct SlicePrediction
{
    int z0 = 0;
    int z1 = 0;
    std::vector<std::uint16_t> labels;
    std::vector<float> uncertainty;
};
/// Predicts slices [z0, z1), computing missing features in slabs of at most `slabSlices`.
SlicePrediction predictSlices(FeatureCache &cache, const algo::RandomForest &forest, int z0, int z1, int slabSlices,
                              bool withUncertainty, const TaskContext &context);

/// The whole image's segmentation by `model` (headless apply): checks the model fits the image
/// (channels, 2D/3D) first and throws std::invalid_argument saying why not.
LabelVolume segmentImage(const Volume &image, const io::TrainableModel &model, const TaskContext &context,
                         std::vector<float> *uncertainty = nullptr);

/// The class table as label colours (label = class index + 1).
LabelTable classTable(const std::vector<io::TrainableClass> &classes);
/// The default class table: n classes with the document's default label colours.
std::vector<io::TrainableClass> defaultClasses(int n);

/// The image blended with the class colours (`alpha` 0..1) on slice z, RGBA8 rows (x fastest),
/// grey from the image's value range; for the seed's "download the blended PNG".
std::vector<std::uint8_t> blendedSlice(const Volume &image, const LabelVolume &labels, int z, double alpha);

} // namespace carina::trainable
