// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/Threshold.h>

#include <algorithm>
#include <cmath>
#include <limits>
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
    const std::size_t n = image.voxelCount();
    std::vector<double> counts, centres;
    dispatchVoxelType(image.type(), [&](auto tag) {
        using T = decltype(tag);
        const T *data = image.data<T>();
        if constexpr (std::is_integral_v<T> && sizeof(T) <= 2) {
            // One bin per possible value, counted into four interleaved tables so repeated
            // values do not stall on the same counter; min and max come from the bins.
            constexpr std::size_t values = std::size_t(1) << (8 * sizeof(T));
            constexpr int offset = std::is_signed_v<T> ? -int(std::numeric_limits<T>::min()) : 0;
            std::vector<std::uint32_t> parts(4 * values, 0);
            std::uint32_t *h0 = parts.data(), *h1 = h0 + values, *h2 = h1 + values, *h3 = h2 + values;
            std::vector<std::uint64_t> table(values, 0);
            constexpr std::size_t chunk = std::size_t(1) << 20; // < 2^32 per counter, cancel checks
            for (std::size_t start = 0; start < n; start += chunk) {
                context.throwIfCanceled();
                const std::size_t end = std::min(n, start + chunk);
                std::size_t i = start;
                for (; i + 4 <= end; i += 4) {
                    ++h0[std::size_t(int(data[i]) + offset)];
                    ++h1[std::size_t(int(data[i + 1]) + offset)];
                    ++h2[std::size_t(int(data[i + 2]) + offset)];
                    ++h3[std::size_t(int(data[i + 3]) + offset)];
                }
                for (; i < end; ++i)
                    ++h0[std::size_t(int(data[i]) + offset)];
                for (std::size_t v = 0; v < values; ++v) {
                    table[v] += std::uint64_t(h0[v]) + h1[v] + h2[v] + h3[v];
                    h0[v] = h1[v] = h2[v] = h3[v] = 0;
                }
            }
            std::size_t first = 0, last = values - 1;
            while (table[first] == 0)
                ++first;
            while (table[last] == 0)
                --last;
            counts.assign(table.begin() + std::ptrdiff_t(first), table.begin() + std::ptrdiff_t(last) + 1);
            centres.resize(counts.size());
            for (std::size_t i = 0; i < counts.size(); ++i)
                centres[i] = double(int(first + i) - offset);
        } else if constexpr (std::is_integral_v<T>) {
            const auto [lo, hi] = std::minmax_element(data, data + n);
            const int minimum = int(*lo), maximum = int(*hi);
            std::vector<std::uint64_t> table(std::size_t(maximum - minimum) + 1, 0);
            for (std::size_t i = 0; i < n; ++i) {
                ++table[std::size_t(int(data[i]) - minimum)];
                if ((i & 0xFFFFF) == 0)
                    context.throwIfCanceled();
            }
            counts.assign(table.begin(), table.end());
            centres.resize(table.size());
            for (std::size_t i = 0; i < table.size(); ++i)
                centres[i] = double(minimum + int(i));
        } else {
            float minimum = std::numeric_limits<float>::infinity(), maximum = -minimum;
            for (std::size_t i = 0; i < n; ++i) {
                if (!std::isfinite(data[i]))
                    throw std::invalid_argument("otsuThreshold: the image holds NaN or infinite values");
                minimum = std::min(minimum, data[i]);
                maximum = std::max(maximum, data[i]);
            }
            if (minimum == maximum)
                return;
            // numpy.histogram's uniform bins: float32 edges from a float64 linspace, the bin found
            // from the scaled offset and then corrected against the actual edges.
            const double first = minimum, last = maximum;
            const double step = (last - first) / bins;
            std::vector<float> edges(std::size_t(bins) + 1);
            for (int i = 0; i < bins; ++i)
                edges[std::size_t(i)] = float(double(i) * step + first);
            edges[std::size_t(bins)] = float(last);
            std::vector<std::uint64_t> table(std::size_t(bins), 0);
            const double norm = bins / (last - first);
            for (std::size_t i = 0; i < n; ++i) {
                const float v = data[i];
                int b = int((double(v) - first) * norm);
                b = std::clamp(b, 0, bins - 1);
                if (v < edges[std::size_t(b)])
                    --b;
                else if (b != bins - 1 && v >= edges[std::size_t(b) + 1])
                    ++b;
                ++table[std::size_t(b)];
                if ((i & 0xFFFFF) == 0)
                    context.throwIfCanceled();
            }
            counts.assign(table.begin(), table.end());
            centres.resize(table.size());
            for (std::size_t i = 0; i < table.size(); ++i)
                centres[i] = double(float((edges[i] + edges[i + 1]) / 2.0f));
        }
    });
    if (counts.empty()) // a float image of one value: skimage returns that value
        return double(image.data<float>()[0]);
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
