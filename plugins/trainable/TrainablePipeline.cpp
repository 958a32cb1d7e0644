// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "TrainablePipeline.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

namespace carina::trainable {

FeatureCache::FeatureCache(Volume image, algo::FeatureOptions options, std::size_t budgetBytes)
    : m_image(std::move(image)), m_options(options), m_budget(budgetBytes)
{
    algo::validateFeatureOptions(m_options);
}

int FeatureCache::featureCount() const
{
    return algo::featureCount(m_options, m_image.channels(), is3d());
}

std::shared_ptr<const algo::FeatureStack> FeatureCache::cached(int z) const
{
    std::lock_guard lock(m_mutex);
    for (auto it = m_slabs.rbegin(); it != m_slabs.rend(); ++it)
        if ((*it)->holds(z))
            return *it;
    return nullptr;
}

std::size_t FeatureCache::bytes() const
{
    std::lock_guard lock(m_mutex);
    std::size_t n = 0;
    for (const auto &s : m_slabs)
        n += s->data.size() * sizeof(float);
    return n;
}

std::shared_ptr<const algo::FeatureStack> FeatureCache::slab(int z, int z0, int z1, const TaskContext &context)
{
    if (auto hit = cached(z))
        return hit;
    // Computed outside the lock: two tasks may both compute a slab (the stale one is cancelled
    // soon anyway); neither blocks the other.
    auto stack = std::make_shared<const algo::FeatureStack>(algo::computeFeatures(m_image, m_options, z0, z1, context));
    std::lock_guard lock(m_mutex);
    m_slabs.push_back(stack);
    std::size_t total = 0;
    for (const auto &s : m_slabs)
        total += s->data.size() * sizeof(float);
    while (total > m_budget && m_slabs.size() > 1) {
        total -= m_slabs.front()->data.size() * sizeof(float);
        m_slabs.erase(m_slabs.begin());
    }
    return stack;
}

std::vector<Scribble> collectScribbles(const LabelVolume &scribbles, int classCount)
{
    std::vector<Scribble> out;
    const std::uint16_t *p = scribbles.data();
    for (std::size_t i = 0; i < scribbles.voxelCount(); ++i)
        if (p[i] != 0 && p[i] <= classCount)
            out.push_back({i, p[i]});
    return out;
}

algo::RandomForest trainOnScribbles(FeatureCache &cache, const std::vector<Scribble> &scribbles, int classCount,
                                    const algo::ForestOptions &forest, const TaskContext &context)
{
    std::set<int> classes;
    for (const Scribble &s : scribbles)
        classes.insert(s.value);
    if (classes.size() < 2)
        throw std::invalid_argument("draw scribbles of at least two classes to train");
    const Dims d = cache.image().dims();
    const std::size_t sliceN = std::size_t(d[0]) * std::size_t(d[1]);
    const int F = cache.featureCount();
    std::vector<float> x;
    std::vector<std::uint16_t> y;
    x.reserve(scribbles.size() * std::size_t(F));
    y.reserve(scribbles.size());
    std::shared_ptr<const algo::FeatureStack> slab;
    for (std::size_t i = 0; i < scribbles.size(); ++i) {
        const int z = int(scribbles[i].index / sliceN);
        if (!slab || !slab->holds(z)) {
            // A slab over the scribbled slices from here (at most 16), so a stroke drawn on a
            // coronal view does not cost one slab per slice.
            int last = z;
            for (std::size_t j = i; j < scribbles.size() && int(scribbles[j].index / sliceN) < z + 16; ++j)
                last = int(scribbles[j].index / sliceN);
            slab = cache.slab(z, z, last + 1, context);
        }
        const std::size_t local = scribbles[i].index - sliceN * std::size_t(slab->z0);
        for (int f = 0; f < F; ++f)
            x.push_back(slab->plane(f)[local]);
        y.push_back(std::uint16_t(scribbles[i].value - 1));
    }
    context.throwIfCanceled();
    return algo::RandomForest::train(x.data(), y.data(), y.size(), F, classCount, forest, context);
}

SlicePrediction predictSlices(FeatureCache &cache, const algo::RandomForest &forest, int z0, int z1, int slabSlices,
                              bool withUncertainty, const TaskContext &context)
{
    const Dims d = cache.image().dims();
    if (z0 < 0 || z1 > d[2] || z0 >= z1)
        throw std::invalid_argument("predict: slices outside the image");
    const std::size_t sliceN = std::size_t(d[0]) * std::size_t(d[1]);
    SlicePrediction out;
    out.z0 = z0;
    out.z1 = z1;
    out.labels.resize(sliceN * std::size_t(z1 - z0));
    if (withUncertainty)
        out.uncertainty.resize(out.labels.size());
    int z = z0;
    while (z < z1) {
        auto slab = cache.slab(z, z, std::min(z1, z + std::max(1, slabSlices)), context);
        const int end = std::min(z1, slab->z1);
        const algo::PixelPrediction p = algo::predictFeatures(forest, *slab, z, end, withUncertainty, context);
        std::copy(p.labels.begin(), p.labels.end(), out.labels.begin() + std::ptrdiff_t(sliceN * std::size_t(z - z0)));
        if (withUncertainty)
            std::copy(p.uncertainty.begin(), p.uncertainty.end(),
                      out.uncertainty.begin() + std::ptrdiff_t(sliceN * std::size_t(z - z0)));
        context.progress(double(end - z0) / double(z1 - z0), "predicting");
        z = end;
    }
    return out;
}

LabelVolume segmentImage(const Volume &image, const io::TrainableModel &model, const TaskContext &context,
                         std::vector<float> *uncertainty)
{
    const bool is3d = image.dims()[2] > 1;
    model.checkApplicable(image.channels(), is3d);
    // Slabs of about 64 MB of features: memory stays flat whatever the volume's size.
    const std::size_t perSlice = std::size_t(image.dims()[0]) * std::size_t(image.dims()[1]) *
                                 std::size_t(algo::featureCount(model.features, image.channels(), is3d)) * sizeof(float);
    const int slab = int(std::clamp<std::size_t>((std::size_t(64) << 20) / std::max<std::size_t>(1, perSlice), 1, 64));
    FeatureCache cache(image, model.features, std::size_t(1) << 30);
    const SlicePrediction p = predictSlices(cache, model.forest, 0, image.dims()[2], slab, uncertainty != nullptr, context);
    LabelVolume labels(image.geometry());
    std::copy(p.labels.begin(), p.labels.end(), labels.data());
    labels.table() = classTable(model.classes);
    if (uncertainty)
        *uncertainty = p.uncertainty;
    return labels;
}

LabelTable classTable(const std::vector<io::TrainableClass> &classes)
{
    LabelTable table;
    for (std::size_t i = 0; i < classes.size(); ++i) {
        LabelInfo info;
        info.id = std::uint16_t(i + 1);
        info.name = classes[i].name;
        info.rgb = classes[i].rgb;
        table.set(info);
    }
    return table;
}

std::vector<io::TrainableClass> defaultClasses(int n)
{
    std::vector<io::TrainableClass> out;
    for (int i = 1; i <= n; ++i)
        out.push_back({"Class " + std::to_string(i), LabelTable::defaultColour(std::uint16_t(i))});
    return out;
}

std::vector<std::uint8_t> blendedSlice(const Volume &image, const LabelVolume &labels, int z, double alpha)
{
    const Dims d = image.dims();
    if (z < 0 || z >= d[2] || labels.dims() != d)
        throw std::invalid_argument("blend: slice or label grid does not match the image");
    const auto [lo, hi] = image.valueRange();
    const double scale = hi > lo ? 255.0 / (hi - lo) : 0.0;
    std::vector<std::uint8_t> rgba(std::size_t(d[0]) * std::size_t(d[1]) * 4);
    const int channels = image.channels();
    for (int y = 0; y < d[1]; ++y)
        for (int x = 0; x < d[0]; ++x) {
            std::uint8_t *px = rgba.data() + (std::size_t(y) * std::size_t(d[0]) + std::size_t(x)) * 4;
            for (int c = 0; c < 3; ++c)
                px[c] = std::uint8_t(std::clamp((image.valueAt(x, y, z, channels >= 3 ? c : 0) - lo) * scale, 0.0, 255.0));
            px[3] = 255;
            const std::uint16_t l = labels.at(x, y, z);
            if (l == 0)
                continue;
            const LabelInfo info = labels.table().infoOrDefault(l);
            for (int c = 0; c < 3; ++c)
                px[c] = std::uint8_t(std::lround((1.0 - alpha) * px[c] + alpha * info.rgb[std::size_t(c)]));
        }
    return rgba;
}

} // namespace carina::trainable
