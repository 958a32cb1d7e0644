// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/RandomForest.h>

#include <carina/TaskContext.h>
#include <carina/algo/PixelFeatures.h>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

namespace carina::algo {

namespace {

// SplitMix64: decorrelates the per-tree seeds so tree t's stream depends only on (seed, t).
std::uint64_t mix(std::uint64_t z)
{
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// Uniform integer in [0, n) from the generator, independent of the standard library's
// distribution implementation, so a model trained on another build reproduces the same trees.
std::size_t below(std::mt19937_64 &rng, std::size_t n)
{
    return std::size_t(rng() % n);
}

struct Sample
{
    float value;
    std::uint16_t label;
};

RandomForest::Tree growTree(const float *x, const std::uint16_t *y, std::size_t n, int F, int K, const ForestOptions &o,
                            std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    const std::size_t m = std::max<std::size_t>(1, std::size_t(std::llround(double(n) * o.sampleFraction)));
    std::vector<std::uint32_t> idx(m);
    for (std::size_t i = 0; i < m; ++i)
        idx[i] = std::uint32_t(below(rng, n));
    const int mtry = o.featuresPerSplit > 0 ? std::min(o.featuresPerSplit, F) : std::max(1, int(std::sqrt(double(F))));

    RandomForest::Tree tree;
    tree.nodes.emplace_back();
    struct Work
    {
        std::size_t node, begin, end;
        int depth;
    };
    std::vector<Work> stack{{0, 0, m, 0}};
    std::vector<int> featureOrder(static_cast<std::size_t>(F));
    std::vector<Sample> samples;
    std::vector<double> total(static_cast<std::size_t>(K)), left(static_cast<std::size_t>(K));
    while (!stack.empty()) {
        const Work w = stack.back();
        stack.pop_back();
        std::fill(total.begin(), total.end(), 0.0);
        for (std::size_t i = w.begin; i < w.end; ++i)
            total[y[idx[i]]] += 1.0;
        const double count = double(w.end - w.begin);
        const bool pure = std::count_if(total.begin(), total.end(), [](double c) { return c > 0; }) <= 1;
        int bestFeature = -1;
        float bestThreshold = 0.0f;
        if (!pure && w.end - w.begin >= 2 && (o.maxDepth <= 0 || w.depth < o.maxDepth)) {
            double sqTotal = 0.0;
            for (double c : total)
                sqTotal += c * c;
            double bestScore = sqTotal / count + 1e-12; // a split must lower the Gini impurity
            std::iota(featureOrder.begin(), featureOrder.end(), 0);
            // Draw candidate features without replacement; like scikit-learn, keep drawing past
            // mtry while no valid split (a non-constant feature) has been found.
            for (int tried = 0; tried < F; ++tried) {
                if (tried >= mtry && bestFeature >= 0)
                    break;
                const std::size_t pick = std::size_t(tried) + below(rng, std::size_t(F - tried));
                std::swap(featureOrder[std::size_t(tried)], featureOrder[pick]);
                const int f = featureOrder[std::size_t(tried)];
                samples.clear();
                for (std::size_t i = w.begin; i < w.end; ++i)
                    samples.push_back({x[std::size_t(idx[i]) * std::size_t(F) + std::size_t(f)], y[idx[i]]});
                std::sort(samples.begin(), samples.end(), [](const Sample &a, const Sample &b) {
                    return a.value < b.value || (a.value == b.value && a.label < b.label);
                });
                if (samples.front().value == samples.back().value)
                    continue; // constant here: not a valid split, does not count as found
                std::fill(left.begin(), left.end(), 0.0);
                double sqL = 0.0, sqR = sqTotal;
                for (std::size_t i = 0; i + 1 < samples.size(); ++i) {
                    const int c = samples[i].label;
                    sqL += 2.0 * left[std::size_t(c)] + 1.0;
                    sqR -= 2.0 * (total[std::size_t(c)] - left[std::size_t(c)]) - 1.0;
                    left[std::size_t(c)] += 1.0;
                    if (samples[i].value == samples[i + 1].value)
                        continue;
                    const double nL = double(i + 1), nR = count - nL;
                    const double score = sqL / nL + sqR / nR;
                    if (score > bestScore) {
                        bestScore = score;
                        bestFeature = f;
                        float t = samples[i].value + 0.5f * (samples[i + 1].value - samples[i].value);
                        if (!(t < samples[i + 1].value))
                            t = samples[i].value;
                        bestThreshold = t;
                    }
                }
            }
        }
        if (bestFeature < 0) {
            RandomForest::Node &leaf = tree.nodes[w.node];
            leaf.feature = -1;
            leaf.child = std::int32_t(tree.leafProbabilities.size());
            for (double c : total)
                tree.leafProbabilities.push_back(float(c / count));
            continue;
        }
        const auto mid = std::partition(idx.begin() + std::ptrdiff_t(w.begin), idx.begin() + std::ptrdiff_t(w.end),
                                        [&](std::uint32_t s) {
                                            return x[std::size_t(s) * std::size_t(F) + std::size_t(bestFeature)] <= bestThreshold;
                                        });
        const std::size_t split = std::size_t(mid - idx.begin());
        const std::size_t child = tree.nodes.size();
        tree.nodes[w.node] = {bestThreshold, bestFeature, std::int32_t(child)};
        tree.nodes.emplace_back();
        tree.nodes.emplace_back();
        // Right first so the left subtree is built next (depth-first, left-to-right order).
        stack.push_back({child + 1, split, w.end, w.depth + 1});
        stack.push_back({child, w.begin, split, w.depth + 1});
    }
    return tree;
}

} // namespace

RandomForest RandomForest::train(const float *x, const std::uint16_t *y, std::size_t n, int featureCount, int classCount,
                                 const ForestOptions &options, const TaskContext &context)
{
    if (n == 0)
        throw std::invalid_argument("random forest: no training samples (draw scribbles of at least two classes)");
    if (featureCount < 1 || classCount < 1 || classCount > 255)
        throw std::invalid_argument("random forest: need at least one feature and 1..255 classes");
    if (options.trees < 1 || options.trees > 1000)
        throw std::invalid_argument("random forest: trees must be 1..1000, got " + std::to_string(options.trees));
    if (options.maxDepth < 0 || options.maxDepth > 64)
        throw std::invalid_argument("random forest: depth must be 0 (unlimited) .. 64, got " + std::to_string(options.maxDepth));
    if (!(options.sampleFraction > 0.0 && options.sampleFraction <= 1.0))
        throw std::invalid_argument("random forest: sample fraction must be in (0, 1]");
    if (n > std::numeric_limits<std::uint32_t>::max())
        throw std::invalid_argument("random forest: too many training samples");
    for (std::size_t i = 0; i < n; ++i)
        if (y[i] >= classCount)
            throw std::invalid_argument("random forest: a training label is outside 0.." + std::to_string(classCount - 1));

    RandomForest forest;
    forest.m_features = featureCount;
    forest.m_classes = classCount;
    forest.m_trees.resize(std::size_t(options.trees));
    std::atomic<int> done{0};
    std::mutex progressMutex;
    tbb::parallel_for(0, options.trees, [&](int t) {
        if (context.isCanceled())
            return;
        forest.m_trees[std::size_t(t)] =
            growTree(x, y, n, featureCount, classCount, options, mix(options.seed ^ mix(std::uint64_t(t))));
        const int d = ++done;
        std::lock_guard lock(progressMutex);
        context.progress(double(d) / options.trees, "training");
    });
    context.throwIfCanceled();
    forest.prepare();
    return forest;
}

RandomForest RandomForest::fromTrees(int featureCount, int classCount, std::vector<Tree> trees)
{
    if (featureCount < 1 || classCount < 1 || classCount > 255)
        throw std::invalid_argument("random forest: bad feature or class count");
    if (trees.empty())
        throw std::invalid_argument("random forest: no trees");
    for (std::size_t t = 0; t < trees.size(); ++t) {
        const Tree &tree = trees[t];
        const std::string where = "random forest: tree " + std::to_string(t) + ": ";
        if (tree.nodes.empty())
            throw std::invalid_argument(where + "no nodes");
        if (tree.leafProbabilities.size() % std::size_t(classCount) != 0)
            throw std::invalid_argument(where + "leaf table size is not a multiple of the class count");
        for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
            const Node &nd = tree.nodes[i];
            if (nd.feature < 0) {
                if (nd.feature != -1 || nd.child < 0 ||
                    std::size_t(nd.child) + std::size_t(classCount) > tree.leafProbabilities.size())
                    throw std::invalid_argument(where + "leaf " + std::to_string(i) + " out of range");
            } else {
                if (nd.feature >= featureCount)
                    throw std::invalid_argument(where + "node " + std::to_string(i) + " uses feature " +
                                                std::to_string(nd.feature) + " of " + std::to_string(featureCount));
                // Children after their parent: a walk always ends, whatever the file says.
                if (nd.child <= std::int32_t(i) || std::size_t(nd.child) + 1 >= tree.nodes.size())
                    throw std::invalid_argument(where + "node " + std::to_string(i) + " has a bad child index");
                if (!std::isfinite(nd.threshold))
                    throw std::invalid_argument(where + "node " + std::to_string(i) + " has a non-finite threshold");
            }
        }
    }
    RandomForest forest;
    forest.m_features = featureCount;
    forest.m_classes = classCount;
    forest.m_trees = std::move(trees);
    forest.prepare();
    return forest;
}

namespace {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CARINA_VECTOR_CLONES __attribute__((target_clones("default", "avx2", "arch=skylake-avx512")))
#else
#define CARINA_VECTOR_CLONES
#endif

// `depth` steps of every sample at once: the samples are independent, so the loop has no
// branch and no dependency between them (and vectorises with gathers where the CPU has them).
CARINA_VECTOR_CLONES void walkSteps(const detail::ForestStep *steps, int depth, const float *x, std::size_t F, std::size_t count, std::int32_t *at)
{
    for (std::size_t i = 0; i < count; ++i)
        at[i] = 0;
    for (int d = 0; d < depth; ++d)
        for (std::size_t i = 0; i < count; ++i) {
            const detail::ForestStep s = steps[at[i]];
            at[i] = s.next + std::int32_t(x[i * F + std::size_t(s.feature)] > s.threshold);
        }
}

} // namespace

void RandomForest::prepare()
{
    m_walks.clear();
    m_walks.reserve(m_trees.size());
    for (const Tree &tree : m_trees) {
        Walk w;
        w.steps.resize(tree.nodes.size());
        w.leafOffset.assign(tree.nodes.size(), -1);
        std::vector<int> depth(tree.nodes.size(), 0);
        for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
            const Node &n = tree.nodes[i];
            if (n.feature < 0) {
                w.steps[i] = {std::numeric_limits<float>::infinity(), 0, std::int32_t(i)};
                w.leafOffset[i] = n.child;
                w.depth = std::max(w.depth, depth[i]);
            } else {
                w.steps[i] = {n.threshold, n.feature, n.child};
                // children come after their parent (fromTrees checks it), so depth flows forward
                depth[std::size_t(n.child)] = depth[std::size_t(n.child) + 1] = depth[i] + 1;
            }
        }
        m_walks.push_back(std::move(w));
    }
}

void RandomForest::accumulate(const float *x, std::size_t count, float *sums) const
{
    const std::size_t F = std::size_t(m_features), K = std::size_t(m_classes);
    constexpr std::size_t kChunk = 256;
    std::int32_t at[kChunk];
    for (std::size_t c0 = 0; c0 < count; c0 += kChunk) {
        const std::size_t n = std::min(kChunk, count - c0);
        const float *xc = x + c0 * F;
        float *sc = sums + c0 * K;
        for (std::size_t t = 0; t < m_trees.size(); ++t) {
            const Walk &w = m_walks[t];
            walkSteps(w.steps.data(), w.depth, xc, F, n, at);
            const float *leaves = m_trees[t].leafProbabilities.data();
            for (std::size_t i = 0; i < n; ++i) {
                const float *p = leaves + w.leafOffset[std::size_t(at[i])];
                for (std::size_t k = 0; k < K; ++k)
                    sc[i * K + k] += p[k];
            }
        }
    }
}

PixelPrediction predictFeatures(const RandomForest &forest, const FeatureStack &features, int z0, int z1,
                                bool withUncertainty, const TaskContext &context)
{
    if (forest.isNull())
        throw std::invalid_argument("predict: the classifier is not trained");
    if (forest.features() != features.count)
        throw std::invalid_argument("predict: the classifier expects " + std::to_string(forest.features()) +
                                    " features, the image gives " + std::to_string(features.count));
    if (z0 < features.z0 || z1 > features.z1 || z0 >= z1)
        throw std::invalid_argument("predict: slices outside the computed features");
    const std::size_t sliceN = features.sliceVoxels();
    const std::size_t n = sliceN * std::size_t(z1 - z0);
    const std::size_t offset = sliceN * std::size_t(z0 - features.z0);
    const std::size_t F = std::size_t(features.count), K = std::size_t(forest.classes());
    PixelPrediction out;
    out.labels.resize(n);
    if (withUncertainty)
        out.uncertainty.resize(n);
    constexpr std::size_t kBlock = 256;  // pixels per tile: features of a tile stay in L1
    const std::size_t blocks = (n + kBlock - 1) / kBlock;
    const float invTrees = 1.0f / float(forest.trees().size());
    std::atomic<std::size_t> done{0};
    std::mutex progressMutex;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 16), [&](const tbb::blocked_range<std::size_t> &range) {
        if (context.isCanceled())
            return;
        std::vector<float> tile(kBlock * F), sums(kBlock * K);
        for (std::size_t b = range.begin(); b != range.end(); ++b) {
            const std::size_t p0 = b * kBlock, count = std::min(kBlock, n - p0);
            for (std::size_t f = 0; f < F; ++f) {
                const float *plane = features.plane(int(f)) + offset + p0;
                for (std::size_t i = 0; i < count; ++i)
                    tile[i * F + f] = plane[i];
            }
            std::fill(sums.begin(), sums.end(), 0.0f);
            forest.accumulate(tile.data(), count, sums.data());
            for (std::size_t i = 0; i < count; ++i) {
                const float *s = sums.data() + i * K;
                std::size_t best = 0;
                for (std::size_t k = 1; k < K; ++k)
                    if (s[k] > s[best])
                        best = k;
                out.labels[p0 + i] = std::uint16_t(best + 1);
                if (withUncertainty)
                    out.uncertainty[p0 + i] = std::clamp(1.0f - s[best] * invTrees, 0.0f, 1.0f);
            }
        }
        const std::size_t d = done += range.size();
        std::lock_guard lock(progressMutex);
        context.progress(double(d) / double(blocks), "predicting");
    });
    context.throwIfCanceled();
    return out;
}

TrainingSet gatherTrainingSet(const FeatureStack &features, const std::uint16_t *scribbles, int classCount)
{
    TrainingSet set;
    const std::size_t sliceN = features.sliceVoxels();
    const std::size_t base = sliceN * std::size_t(features.z0);
    const std::size_t n = features.planeStride();
    const std::size_t F = std::size_t(features.count);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint16_t s = scribbles[base + i];
        if (s == 0 || s > classCount)
            continue;
        set.y.push_back(std::uint16_t(s - 1));
        for (std::size_t f = 0; f < F; ++f)
            set.x.push_back(features.data[f * n + i]);
    }
    return set;
}

} // namespace carina::algo
