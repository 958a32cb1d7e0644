// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/Threshold.h>

#include <carina/algo/Histogram.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace carina::algo {

namespace {

void checkSingleChannel(const Volume &image, const char *what)
{
    if (image.isNull())
        throw std::invalid_argument(std::string(what) + ": the image is empty");
    if (image.channels() != 1)
        throw std::invalid_argument(std::string(what) + ": expects a single-channel image, got "
                                    + std::to_string(image.channels()) + " channels");
}

} // namespace

double sampledOtsuThreshold(const Volume &image, std::size_t samples)
{
    if (image.isNull())
        return std::nan("");
    HistogramOptions options;
    options.bins = 256;
    options.binning = HistogramBinning::Even;
    options.sampleStep = std::max<std::size_t>(1, image.voxelCount() / std::max<std::size_t>(1, samples));
    const Histogram h = computeHistogram(image, options);
    if (h.isEmpty())
        return std::nan("");
    if (h.maximum <= h.minimum)
        return h.minimum;
    std::vector<double> counts(h.counts.begin(), h.counts.end());
    std::vector<double> centres(h.counts.size());
    for (std::size_t b = 0; b < centres.size(); ++b)
        centres[b] = 0.5 * (h.edges[b] + h.edges[b + 1]);
    // skimage trims empty bins at both ends before its search; so does this.
    std::size_t first = 0, last = counts.size();
    while (first < last && counts[first] == 0)
        ++first;
    while (last > first && counts[last - 1] == 0)
        --last;
    return otsuThresholdFromHistogram(std::vector<double>(counts.begin() + std::ptrdiff_t(first), counts.begin() + std::ptrdiff_t(last)),
                                      std::vector<double>(centres.begin() + std::ptrdiff_t(first), centres.begin() + std::ptrdiff_t(last)));
}

double otsuThresholdFromHistogram(const std::vector<double> &counts, const std::vector<double> &centres)
{
    if (counts.size() != centres.size() || counts.empty())
        throw std::invalid_argument("otsuThresholdFromHistogram: counts and centres differ in size or are empty");
    std::size_t begin = 0, end = counts.size();
    while (begin < end && counts[begin] == 0)
        ++begin;
    while (end > begin && counts[end - 1] == 0)
        --end;
    if (begin == end)
        throw std::invalid_argument("otsuThresholdFromHistogram: all counts are zero");
    const std::size_t n = end - begin;
    if (n == 1)
        return centres[begin];
    // Same operations in the same order as skimage (sequential cumulative sums, then
    // w1[:-1] * w2[1:] * (m1[:-1] - m2[1:])**2), so ties resolve to the same bin.
    std::vector<double> weight2(n), sum2(n);
    double w = 0.0, s = 0.0;
    for (std::size_t i = n; i-- > 0;) {
        w += counts[begin + i];
        s += counts[begin + i] * centres[begin + i];
        weight2[i] = w;
        sum2[i] = s;
    }
    double weight1 = 0.0, sum1 = 0.0, best = -1.0;
    std::size_t bestIndex = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        weight1 += counts[begin + i];
        sum1 += counts[begin + i] * centres[begin + i];
        const double mean1 = sum1 / weight1;
        const double mean2 = sum2[i + 1] / weight2[i + 1];
        const double d = mean1 - mean2;
        const double variance = weight1 * weight2[i + 1] * (d * d);
        if (variance > best || (std::isnan(best) && !std::isnan(variance))) {
            best = variance;
            bestIndex = i;
        }
    }
    return centres[begin + bestIndex];
}

double otsuThreshold(const Volume &image, int bins, const TaskContext &context)
{
    checkSingleChannel(image, "otsuThreshold");
    if (bins < 2)
        throw std::invalid_argument("otsuThreshold: bins must be >= 2, got " + std::to_string(bins));
    context.throwIfCanceled();
    // skimage's histogram: integer images one bin per value from the minimum to the maximum (at
    // most 65536 for 8- and 16-bit images; `bins` is ignored), float images numpy.histogram's
    // `bins` equal bins over [min, max] with float32 edges.
    const bool isFloat = image.type() == VoxelType::Float32;
    HistogramOptions options;
    options.bins = isFloat ? bins : 65536;
    options.binning = isFloat ? HistogramBinning::Even : HistogramBinning::WholeValues;
    // Only cancel passes through: the histogram's progress is not the caller's.
    const TaskContext cancelOnly([&context](double, const std::string &) { context.throwIfCanceled(); });
    const Histogram h = computeHistogram(image, options, cancelOnly);
    if (h.count != image.voxelCount())
        throw std::invalid_argument("otsuThreshold: the image holds NaN or infinite values");
    if (h.minimum == h.maximum) // an image of one value: skimage returns that value
        return h.minimum;
    const std::vector<double> counts(h.counts.begin(), h.counts.end());
    std::vector<double> centres(counts.size());
    for (std::size_t i = 0; i < centres.size(); ++i)
        centres[i] = isFloat ? double(float((float(h.edges[i]) + float(h.edges[i + 1])) / 2.0f)) : h.edges[i];
    return otsuThresholdFromHistogram(counts, centres);
}

namespace {

template<bool Above>
std::vector<std::uint8_t> thresholdMask(const Volume &image, double threshold, const char *what)
{
    checkSingleChannel(image, what);
    const std::size_t n = image.voxelCount();
    std::vector<std::uint8_t> mask(n);
    dispatchVoxelType(image.type(), [&](auto tag) {
        using T = decltype(tag);
        const T *data = image.data<T>();
        // numpy compares a float32 image with the float32 threshold
        using C = std::conditional_t<std::is_same_v<T, float>, float, double>;
        const C t = C(threshold);
        for (std::size_t i = 0; i < n; ++i) {
            const C v = C(data[i]);
            mask[i] = (Above ? v > t : v < t) ? 1 : 0;
        }
    });
    return mask;
}

} // namespace

std::vector<std::uint8_t> thresholdAbove(const Volume &image, double threshold)
{
    return thresholdMask<true>(image, threshold, "thresholdAbove");
}

std::vector<std::uint8_t> thresholdBelow(const Volume &image, double threshold)
{
    return thresholdMask<false>(image, threshold, "thresholdBelow");
}

} // namespace carina::algo
