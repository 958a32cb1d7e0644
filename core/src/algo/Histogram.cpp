// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/Histogram.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace carina::algo {

namespace {

VoxelBox clippedRegion(const Volume &volume, const std::optional<VoxelBox> &region)
{
    const Dims &d = volume.dims();
    if (!region)
        return VoxelBox::whole(d);
    VoxelBox box;
    for (std::size_t a = 0; a < 3; ++a) {
        box.begin[a] = std::clamp(region->begin[a], 0, d[a]);
        box.end[a] = std::clamp(region->end[a], box.begin[a], d[a]);
    }
    return box;
}

// Calls f(value) for every voxel of `channel` inside `box`, slice by slice, with progress
// mapped onto [progressBegin, progressEnd] and a cancel check per slice.
template<typename T, typename F>
void forEachVoxel(const Volume &volume, const VoxelBox &box, int channel, const TaskContext &context,
                  double progressBegin, double progressEnd, F &&f)
{
    const T *data = volume.data<T>();
    const ImageGeometry &g = volume.geometry();
    const std::size_t channels = std::size_t(volume.channels());
    const int slices = box.end[2] - box.begin[2];
    for (int k = box.begin[2]; k < box.end[2]; ++k) {
        context.throwIfCanceled();
        for (int j = box.begin[1]; j < box.end[1]; ++j) {
            const T *row = data + g.linearIndex(box.begin[0], j, k) * channels + std::size_t(channel);
            const int n = box.end[0] - box.begin[0];
            for (int i = 0; i < n; ++i)
                f(row[std::size_t(i) * channels]);
        }
        context.progress(progressBegin + (progressEnd - progressBegin) * double(k - box.begin[2] + 1) / double(slices));
    }
}

// 8- and 16-bit images: one pass fills a table of every possible value, everything else
// (exact statistics, any binning) comes from the table without touching the voxels again.
template<typename T>
Histogram integerHistogram(const Volume &volume, const VoxelBox &box, const HistogramOptions &options,
                           const TaskContext &context)
{
    constexpr long long lowest = std::numeric_limits<T>::lowest();
    constexpr std::size_t tableSize = std::size_t(1) << (8 * sizeof(T));
    std::vector<std::uint64_t> table(tableSize, 0);
    forEachVoxel<T>(volume, box, options.channel, context, 0.0, 1.0,
                    [&](T v) { ++table[std::size_t(static_cast<long long>(v) - lowest)]; });

    Histogram h;
    std::size_t first = tableSize;
    std::size_t last = 0;
    long double sum = 0.0L;
    for (std::size_t t = 0; t < tableSize; ++t) {
        if (!table[t])
            continue;
        first = std::min(first, t);
        last = t;
        h.count += table[t];
        sum += static_cast<long double>(table[t]) * static_cast<long double>(static_cast<long long>(t) + lowest);
    }
    if (h.count == 0)
        return h;
    const long long lo = static_cast<long long>(first) + lowest;
    const long long hi = static_cast<long long>(last) + lowest;
    h.minimum = double(lo);
    h.maximum = double(hi);
    h.mean = double(sum / static_cast<long double>(h.count));
    long double squares = 0.0L;
    for (std::size_t t = first; t <= last; ++t) {
        const long double delta = static_cast<long double>(static_cast<long long>(t) + lowest) - h.mean;
        squares += static_cast<long double>(table[t]) * delta * delta;
    }
    h.stddev = double(std::sqrt(squares / static_cast<long double>(h.count)));

    const long long values = hi - lo + 1;
    const long long width = (values + options.bins - 1) / options.bins;
    const long long bins = (values + width - 1) / width;
    h.counts.assign(std::size_t(bins), 0);
    h.edges.resize(std::size_t(bins) + 1);
    for (long long b = 0; b <= bins; ++b)
        h.edges[std::size_t(b)] = double(lo + b * width);
    for (std::size_t t = first; t <= last; ++t)
        h.counts[std::size_t((static_cast<long long>(t) - static_cast<long long>(first)) / width)] += table[t];
    return h;
}

Histogram floatHistogram(const Volume &volume, const VoxelBox &box, const HistogramOptions &options,
                         const TaskContext &context)
{
    Histogram h;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    double sum = 0.0;
    forEachVoxel<float>(volume, box, options.channel, context, 0.0, 0.5, [&](float v) {
        if (std::isnan(v))
            return;
        ++h.count;
        lo = std::min(lo, double(v));
        hi = std::max(hi, double(v));
        sum += double(v);
    });
    if (h.count == 0)
        return h;
    h.minimum = lo;
    h.maximum = hi;
    h.mean = sum / double(h.count);

    const std::size_t bins = std::size_t(options.bins);
    const double span = hi > lo ? hi - lo : 1.0;
    h.counts.assign(bins, 0);
    h.edges.resize(bins + 1);
    for (std::size_t b = 0; b <= bins; ++b)
        h.edges[b] = lo + span * double(b) / double(bins);
    h.edges.back() = hi > lo ? hi : lo + 1.0;
    const double scale = double(bins) / span;
    double squares = 0.0;
    forEachVoxel<float>(volume, box, options.channel, context, 0.5, 1.0, [&](float v) {
        if (std::isnan(v))
            return;
        const double delta = double(v) - h.mean;
        squares += delta * delta;
        // Infinite values land in the end bins: the clamp runs on the double before the cast.
        const double position = std::clamp((double(v) - lo) * scale, 0.0, double(bins - 1));
        ++h.counts[std::size_t(position)];
    });
    h.stddev = std::sqrt(squares / double(h.count));
    return h;
}

} // namespace

std::uint64_t Histogram::maxCount() const
{
    return counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end());
}

double Histogram::percentile(double q) const
{
    if (count == 0)
        return 0.0;
    if (q <= 0.0)
        return minimum;
    if (q >= 1.0)
        return maximum;
    const double target = q * double(count);
    double below = 0.0;
    for (std::size_t b = 0; b < counts.size(); ++b) {
        const double c = double(counts[b]);
        if (c > 0.0 && below + c >= target) {
            const double value = edges[b] + (target - below) / c * (edges[b + 1] - edges[b]);
            return std::clamp(value, minimum, maximum);
        }
        below += c;
    }
    return maximum;
}

Histogram computeHistogram(const Volume &volume, const HistogramOptions &options, const TaskContext &context)
{
    if (volume.isNull())
        throw std::invalid_argument("histogram of an empty volume");
    if (options.bins < 1)
        throw std::invalid_argument("a histogram needs at least one bin");
    if (options.channel < 0 || options.channel >= volume.channels())
        throw std::invalid_argument("histogram channel out of range");
    const VoxelBox box = clippedRegion(volume, options.region);
    if (box.isEmpty())
        return {};
    return dispatchVoxelType(volume.type(), [&](auto t) {
        using T = decltype(t);
        if constexpr (std::is_floating_point_v<T>)
            return floatHistogram(volume, box, options, context);
        else
            return integerHistogram<T>(volume, box, options, context);
    });
}

VoxelBox boxAroundIndex(const ImageGeometry &geometry, const Eigen::Vector3d &center, double sizeMm)
{
    VoxelBox box;
    for (std::size_t a = 0; a < 3; ++a) {
        const int voxel = int(std::lround(center[Eigen::Index(a)]));
        if (voxel < 0 || voxel >= geometry.dims[a])
            return {};
        // Voxels whose centres lie within half the edge length of the centre voxel's centre.
        const int half = std::max(0, int(std::floor(0.5 * sizeMm / geometry.spacing[Eigen::Index(a)] + 1e-9)));
        box.begin[a] = std::max(0, voxel - half);
        box.end[a] = std::min(geometry.dims[a], voxel + half + 1);
    }
    return box;
}

} // namespace carina::algo
