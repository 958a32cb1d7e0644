// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace carina {
class TaskContext;
}

namespace carina::algo {

struct FeatureStack;

namespace detail {
/// One node of a tree as prediction walks it (RandomForest's internal layout).
struct ForestStep
{
    float threshold;
    std::int32_t feature;
    std::int32_t next; ///< left child; the right one is next + 1; a leaf points at itself
};
} // namespace detail

/// Random-forest parameters (the seed: 50 trees, depth 8..10).
struct CARINA_CORE_EXPORT ForestOptions
{
    int trees = 50;               ///< number of trees (1..1000)
    int maxDepth = 10;            ///< deepest split level; 0 = unlimited (grow until pure)
    double sampleFraction = 1.0;  ///< bootstrap sample per tree, as a fraction of the training set (0, 1]
    int featuresPerSplit = 0;     ///< candidate features per split; 0 = floor(sqrt(features))
    std::uint64_t seed = 0;       ///< the same seed and data give the same forest, whatever the thread count
};

/// A trained forest of axis-aligned Gini trees (CART, as scikit-learn and VIGRA): each split
/// sends x[feature] <= threshold left; a leaf holds the class frequencies of its bootstrap samples.
/// Prediction averages the leaves' frequencies over the trees. Plain data, so it can be saved.
class CARINA_CORE_EXPORT RandomForest
{
public:
    struct Node
    {
        float threshold = 0.0f;
        std::int32_t feature = -1;  ///< -1 for a leaf
        std::int32_t child = 0;     ///< inner node: left child index (right = child + 1, both > this node); leaf: offset into leafProbabilities
    };
    struct Tree
    {
        std::vector<Node> nodes;             ///< nodes[0] is the root
        std::vector<float> leafProbabilities; ///< classes() floats per leaf
    };

    /// Trains on `n` samples of `featureCount` features, row-major in `x` (x[i * featureCount + f]),
    /// classes `y` in 0..classCount-1. Trees train in parallel (TBB), each from its own seed.
    /// Throws std::invalid_argument on empty data or bad options; honours cancel.
    static RandomForest train(const float *x, const std::uint16_t *y, std::size_t n, int featureCount, int classCount,
                              const ForestOptions &options, const TaskContext &context);

    /// Builds a forest from saved parts; throws std::invalid_argument when the trees are not a
    /// valid forest (a child index out of range or pointing backwards, a feature or leaf out of range).
    static RandomForest fromTrees(int featureCount, int classCount, std::vector<Tree> trees);

    int features() const { return m_features; }
    int classes() const { return m_classes; }
    const std::vector<Tree> &trees() const { return m_trees; }
    bool isNull() const { return m_trees.empty(); }

    /// Sums the trees' leaf frequencies for `count` samples in `x` (row-major, features() wide)
    /// into `sums` (count * classes(), zeroed by the caller). Divide by trees().size() for probabilities.
    void accumulate(const float *x, std::size_t count, float *sums) const;

private:
    /// Prediction layout of a tree: a leaf points at itself with threshold +inf, so every sample
    /// walks the same number of steps without a branch (see accumulate()).
    struct Walk
    {
        std::vector<detail::ForestStep> steps;
        std::vector<std::int32_t> leafOffset; ///< per node: offset into leafProbabilities, -1 inside
        int depth = 0;                        ///< steps from the root to the deepest leaf
    };
    void prepare();

    int m_features = 0;
    int m_classes = 0;
    std::vector<Tree> m_trees;
    std::vector<Walk> m_walks;
};

/// What predictFeatures writes for each voxel of the requested slices.
struct CARINA_CORE_EXPORT PixelPrediction
{
    std::vector<std::uint16_t> labels;  ///< class index + 1 (1..classes), argmax of the mean probability
    std::vector<float> uncertainty;     ///< 1 - max probability (0 = all trees agree); empty when not asked
};

/// Predicts slices [z0, z1) of a feature stack (which must hold them) in parallel chunks.
/// Deterministic: the result does not depend on the thread count.
CARINA_CORE_EXPORT PixelPrediction predictFeatures(const RandomForest &forest, const FeatureStack &features, int z0, int z1,
                                                   bool withUncertainty, const TaskContext &context);

/// The training set of a feature stack: voxels whose `scribbles` (on the whole volume grid,
/// 0 = unlabelled, 1..classCount) lie in the stack's slices. `x` is row-major.
struct CARINA_CORE_EXPORT TrainingSet
{
    std::vector<float> x;
    std::vector<std::uint16_t> y;  ///< class index (scribble value - 1)
    std::size_t size() const { return y.size(); }
};
CARINA_CORE_EXPORT TrainingSet gatherTrainingSet(const FeatureStack &features, const std::uint16_t *scribbles, int classCount);

} // namespace carina::algo
