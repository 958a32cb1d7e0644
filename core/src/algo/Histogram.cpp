// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/Histogram.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace carina::algo {

namespace {

// The voxels counted: a box inside the image, an optional in-plane mask over it, a sampling step.
struct Selection
{
    VoxelBox box;                         ///< clipped to the image
    const std::uint8_t *mask = nullptr;   ///< in-plane mask at the box's first row and column, or none
    std::size_t maskStride = 0;           ///< mask row length
    std::size_t step = 1;
};

Selection select(const Volume &volume, const HistogramOptions &options)
{
    const Dims &d = volume.dims();
    const VoxelBox asked = options.region ? *options.region : VoxelBox::whole(d);
    Selection s;
    for (std::size_t a = 0; a < 3; ++a) {
        s.box.begin[a] = std::clamp(asked.begin[a], 0, d[a]);
        s.box.end[a] = std::clamp(asked.end[a], s.box.begin[a], d[a]);
    }
    s.step = options.sampleStep;
    if (!options.inPlaneMask.empty()) {
        const long long width = asked.end[0] - asked.begin[0], height = asked.end[1] - asked.begin[1];
        if (width <= 0 || height <= 0 || std::size_t(width * height) != options.inPlaneMask.size())
            throw std::invalid_argument("histogram: the in-plane mask holds " + std::to_string(options.inPlaneMask.size())
                                        + " values, the region's slice " + std::to_string(std::max(width, 0LL)) + " x "
                                        + std::to_string(std::max(height, 0LL)));
        s.maskStride = std::size_t(width);
        if (!s.box.isEmpty())
            s.mask = options.inPlaneMask.data() + std::size_t(s.box.begin[1] - asked.begin[1]) * s.maskStride
                + std::size_t(s.box.begin[0] - asked.begin[0]);
    }
    return s;
}

// Calls f(value) for every selected voxel of `channel`, slice by slice, with progress mapped
// onto [progressBegin, progressEnd] and a cancel check per slice.
template<typename T, typename F>
void forEachVoxel(const Volume &volume, const Selection &selection, int channel, const TaskContext &context,
                  double progressBegin, double progressEnd, F &&f)
{
    const T *data = volume.data<T>();
    const ImageGeometry &g = volume.geometry();
    const VoxelBox &box = selection.box;
    const std::size_t channels = std::size_t(volume.channels());
    const std::size_t width = std::size_t(box.end[0] - box.begin[0]), height = std::size_t(box.end[1] - box.begin[1]);
    const std::size_t step = selection.step;
    const int slices = box.end[2] - box.begin[2];
    for (int k = box.begin[2]; k < box.end[2]; ++k) {
        context.throwIfCanceled();
        for (int j = box.begin[1]; j < box.end[1]; ++j) {
            const T *row = data + g.linearIndex(box.begin[0], j, k) * channels + std::size_t(channel);
            const std::uint8_t *mask =
                selection.mask ? selection.mask + std::size_t(j - box.begin[1]) * selection.maskStride : nullptr;
            std::size_t i = 0;
            if (step > 1) {
                // The first voxel of this row whose raster index in the box is a multiple of step.
                const std::size_t first = (std::size_t(k - box.begin[2]) * height + std::size_t(j - box.begin[1])) * width;
                i = (step - first % step) % step;
            }
            if (!mask && step == 1) {
                for (; i < width; ++i)
                    f(row[i * channels]);
            } else {
                for (; i < width; i += step)
                    if (!mask || mask[i])
                        f(row[i * channels]);
            }
        }
        context.progress(progressBegin + (progressEnd - progressBegin) * double(k - box.begin[2] + 1) / double(slices));
    }
}

// HistogramBinning::Even: numpy.histogram's edges in precision E, and the bin of a value found from
// the scaled offset and then corrected against those edges (numpy's uniform-bin path).
template<typename E>
struct EvenBins
{
    double lo = 0.0;
    double norm = 0.0;
    int bins = 1;
    std::vector<E> edges;

    EvenBins(double minimum, double maximum, int count) : lo(minimum), norm(count / (maximum - minimum)), bins(count)
    {
        const double step = (maximum - minimum) / count;
        edges.resize(std::size_t(count) + 1);
        for (int i = 0; i < count; ++i)
            edges[std::size_t(i)] = E(double(i) * step + minimum);
        edges[std::size_t(count)] = E(maximum);
    }

    int binOf(E v) const
    {
        int b = std::clamp(int((double(v) - lo) * norm), 0, bins - 1);
        if (v < edges[std::size_t(b)])
            --b;
        else if (b != bins - 1 && v >= edges[std::size_t(b) + 1])
            ++b;
        return b;
    }
};

// Even bins of a region holding one value v: all in the first bin of [v, v + 1].
void oneValueBins(Histogram &h, int bins)
{
    h.counts.assign(std::size_t(bins), 0);
    h.counts[0] = h.count;
    h.edges.resize(std::size_t(bins) + 1);
    for (int b = 0; b <= bins; ++b)
        h.edges[std::size_t(b)] = h.minimum + double(b) / double(bins);
}

// 8- and 16-bit images: one pass fills a table of every possible value, everything else
// (exact statistics, any binning) comes from the table without touching the voxels again.
template<typename T>
Histogram integerHistogram(const Volume &volume, const Selection &selection, const HistogramOptions &options,
                           const TaskContext &context)
{
    constexpr long long lowest = std::numeric_limits<T>::lowest();
    constexpr std::size_t tableSize = std::size_t(1) << (8 * sizeof(T));
    std::vector<std::uint64_t> table(tableSize, 0);
    forEachVoxel<T>(volume, selection, options.channel, context, 0.0, 1.0,
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

    if (options.binning == HistogramBinning::Even) {
        if (lo == hi) {
            oneValueBins(h, options.bins);
            return h;
        }
        const EvenBins<double> even(h.minimum, h.maximum, options.bins);
        h.counts.assign(std::size_t(options.bins), 0);
        h.edges.assign(even.edges.begin(), even.edges.end());
        for (std::size_t t = first; t <= last; ++t)
            if (table[t])
                h.counts[std::size_t(even.binOf(double(static_cast<long long>(t) + lowest)))] += table[t];
        return h;
    }
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

Histogram floatHistogram(const Volume &volume, const Selection &selection, const HistogramOptions &options,
                         const TaskContext &context)
{
    Histogram h;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    double sum = 0.0;
    forEachVoxel<float>(volume, selection, options.channel, context, 0.0, 0.5, [&](float v) {
        if (!std::isfinite(v))
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

    double squares = 0.0;
    if (options.binning == HistogramBinning::Even) {
        std::optional<EvenBins<float>> even;
        if (hi > lo) {
            even.emplace(lo, hi, options.bins);
            h.counts.assign(std::size_t(options.bins), 0);
            h.edges.assign(even->edges.begin(), even->edges.end());
        } else {
            oneValueBins(h, options.bins);
        }
        forEachVoxel<float>(volume, selection, options.channel, context, 0.5, 1.0, [&](float v) {
            if (!std::isfinite(v))
                return;
            const double delta = double(v) - h.mean;
            squares += delta * delta;
            if (even)
                ++h.counts[std::size_t(even->binOf(v))];
        });
        h.stddev = std::sqrt(squares / double(h.count));
        return h;
    }

    const std::size_t bins = std::size_t(options.bins);
    const double span = hi > lo ? hi - lo : 1.0;
    h.counts.assign(bins, 0);
    h.edges.resize(bins + 1);
    for (std::size_t b = 0; b <= bins; ++b)
        h.edges[b] = lo + span * double(b) / double(bins);
    h.edges.back() = hi > lo ? hi : lo + 1.0;
    const double scale = double(bins) / span;
    forEachVoxel<float>(volume, selection, options.channel, context, 0.5, 1.0, [&](float v) {
        if (!std::isfinite(v))
            return;
        const double delta = double(v) - h.mean;
        squares += delta * delta;
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
    if (options.sampleStep < 1)
        throw std::invalid_argument("histogram: sampleStep must be >= 1");
    const Selection selection = select(volume, options);
    if (selection.box.isEmpty())
        return {};
    return dispatchVoxelType(volume.type(), [&](auto t) {
        using T = decltype(t);
        if constexpr (std::is_floating_point_v<T>)
            return floatHistogram(volume, selection, options, context);
        else
            return integerHistogram<T>(volume, selection, options, context);
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
