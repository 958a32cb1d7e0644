// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/GroundGlassSelector.h>

#include <carina/algo/GroundGlass.h>
#include <carina/algo/Threshold.h>

#include "detail/RunRows.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <type_traits>

namespace carina::algo {

namespace {

// The box's values (smoothed or not) in one box-sized float array: float holds every int16 and
// uint16 value exactly, and the range test is the same for every voxel type.
template<typename T>
void copyValues(const Volume &source, const VoxelBox &box, bool boxSized, std::vector<float> &out)
{
    const Dims d{box.end[0] - box.begin[0], box.end[1] - box.begin[1], box.end[2] - box.begin[2]};
    const T *in = source.data<T>();
    tbb::parallel_for(0, d[2], [&](int z) {
        for (int y = 0; y < d[1]; ++y) {
            const std::size_t src = boxSized ? (std::size_t(z) * std::size_t(d[1]) + std::size_t(y)) * std::size_t(d[0])
                                             : source.geometry().linearIndex(box.begin[0], box.begin[1] + y, box.begin[2] + z);
            float *o = out.data() + (std::size_t(z) * std::size_t(d[1]) + std::size_t(y)) * std::size_t(d[0]);
            for (int x = 0; x < d[0]; ++x)
                o[x] = float(in[src + std::size_t(x)]);
        }
    });
}

} // namespace

GroundGlassSelector::GroundGlassSelector(const Volume &ct, const VoxelBox &box, const std::vector<std::uint8_t> &regionMask,
                                         bool smooth, const TaskContext &context)
    : m_box(box), m_smooth(smooth)
{
    if (ct.isNull() || ct.channels() != 1)
        throw std::invalid_argument("the ground-glass search needs a single-channel CT in HU");
    if (box.isEmpty())
        throw std::invalid_argument("the region is empty");
    for (int a = 0; a < 3; ++a)
        if (box.begin[a] < 0 || box.end[a] > ct.dims()[a])
            throw std::invalid_argument("the region reaches outside the image");
    m_dims = {box.end[0] - box.begin[0], box.end[1] - box.begin[1], box.end[2] - box.begin[2]};
    const std::size_t n = std::size_t(m_dims[0]) * std::size_t(m_dims[1]) * std::size_t(m_dims[2]);
    if (!regionMask.empty() && regionMask.size() != n)
        throw std::invalid_argument("the region's mask does not match its box");
    if (n >= std::size_t(UINT32_MAX))
        throw std::invalid_argument("the region is too large (over 4 billion voxels)");

    std::vector<float> values(n);
    if (smooth) {
        const Volume median = medianFilterInPlane3x3(ct, box, context);
        dispatchVoxelType(ct.type(), [&](auto tag) { copyValues<decltype(tag)>(median, box, true, values); });
    } else {
        dispatchVoxelType(ct.type(), [&](auto tag) { copyValues<decltype(tag)>(ct, box, false, values); });
    }
    context.throwIfCanceled();

    const auto inside = [&](std::size_t i) { return regionMask.empty() || regionMask[i] != 0; };
    std::size_t count = regionMask.empty() ? n : std::size_t(std::count_if(regionMask.begin(), regionMask.end(), [](std::uint8_t v) { return v != 0; }));
    m_sorted.resize(count);
    m_order.resize(count);
    if (count == 0) {
        m_inRange.assign(n, 0);
        return;
    }
    float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
    bool integral = true;
    for (std::size_t i = 0; i < n; ++i)
        if (inside(i)) {
            const float v = values[i];
            if (!std::isfinite(v))
                throw std::invalid_argument("the region holds values that are not finite numbers");
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            integral = integral && v == std::floor(v);
        }
    context.throwIfCanceled();
    const double span = double(hi) - double(lo);
    if (integral && span < double(1 << 22)) {
        // Counting sort: HU are integers over a few thousand values, so sorting is one pass.
        std::vector<std::uint32_t> start(std::size_t(span) + 2, 0);
        for (std::size_t i = 0; i < n; ++i)
            if (inside(i))
                ++start[std::size_t(values[i] - lo) + 1];
        std::partial_sum(start.begin(), start.end(), start.begin());
        for (std::size_t i = 0; i < n; ++i)
            if (inside(i)) {
                const std::uint32_t at = start[std::size_t(values[i] - lo)]++;
                m_sorted[at] = values[i];
                m_order[at] = std::uint32_t(i);
            }
    } else {
        std::vector<std::uint32_t> order;
        order.reserve(count);
        for (std::size_t i = 0; i < n; ++i)
            if (inside(i))
                order.push_back(std::uint32_t(i));
        tbb::parallel_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            return values[a] < values[b] || (values[a] == values[b] && a < b);
        });
        for (std::size_t k = 0; k < count; ++k) {
            m_order[k] = order[k];
            m_sorted[k] = values[order[k]];
        }
    }
    m_inRange.assign(n, 0);
    context.throwIfCanceled();
}

std::size_t GroundGlassSelector::lowerIndex(double low) const
{
    return std::size_t(std::upper_bound(m_sorted.begin(), m_sorted.end(), low, [](double t, float v) { return t < double(v); })
                       - m_sorted.begin());
}

std::size_t GroundGlassSelector::upperIndex(double high) const
{
    return lowerIndex(high);
}

std::uint64_t GroundGlassSelector::countInRange(double low, double high) const
{
    if (!(low < high))
        return 0;
    const std::size_t a = lowerIndex(low), b = upperIndex(high);
    return b > a ? b - a : 0;
}

std::vector<std::uint64_t> GroundGlassSelector::histogram(int bins) const
{
    std::vector<std::uint64_t> counts;
    if (m_sorted.empty() || bins < 1)
        return counts;
    counts.resize(std::size_t(bins));
    const double lo = minimum(), hi = maximum();
    const double width = (hi - lo) / bins;
    if (width <= 0.0) {
        counts[0] = m_sorted.size();
        return counts;
    }
    // Bin i holds [lo + i w, lo + (i + 1) w), the last one its upper end too (numpy's rule).
    std::size_t previous = 0;
    for (int i = 0; i < bins; ++i) {
        std::size_t end = m_sorted.size();
        if (i + 1 < bins) {
            const double edge = lo + (i + 1) * width;
            end = std::size_t(std::lower_bound(m_sorted.begin(), m_sorted.end(), edge, [](float v, double t) { return double(v) < t; })
                              - m_sorted.begin());
        }
        counts[std::size_t(i)] = end - previous;
        previous = end;
    }
    return counts;
}

double GroundGlassSelector::otsu(int bins) const
{
    if (m_sorted.empty())
        return 0.0;
    if (minimum() == maximum())
        return minimum();
    bins = std::max(bins, 2);
    const std::vector<std::uint64_t> counts = histogram(bins);
    const double width = (maximum() - minimum()) / bins;
    std::vector<double> c(counts.size()), centres(counts.size());
    for (std::size_t i = 0; i < counts.size(); ++i) {
        c[i] = double(counts[i]);
        centres[i] = minimum() + (double(i) + 0.5) * width;
    }
    return otsuThresholdFromHistogram(c, centres);
}

GroundGlassSelection GroundGlassSelector::select(double low, double high, const GroundGlassKeep &keep, const TaskContext &context)
{
    if (!(low < high))
        throw std::invalid_argument("the HU range is empty: the low end must be below the high end");
    const std::lock_guard lock(m_mutex);
    GroundGlassSelection result;
    // Only the voxels between the old and the new ends change: with the values sorted, they are
    // two stretches of m_order. The mask is consistent again before any cancel point.
    const std::size_t first = lowerIndex(low), last = std::max(first, upperIndex(high));
    const auto setRange = [&](std::size_t a, std::size_t b, std::uint8_t value) {
        for (std::size_t k = a; k < b; ++k)
            m_inRange[m_order[k]] = value;
    };
    if (last <= m_first || first >= m_last) { // disjoint: clear the old, set the new
        setRange(m_first, m_last, 0);
        setRange(first, last, 1);
    } else {
        if (first < m_first)
            setRange(first, m_first, 1);
        else
            setRange(m_first, first, 0);
        if (last > m_last)
            setRange(m_last, last, 1);
        else
            setRange(last, m_last, 0);
    }
    m_first = first;
    m_last = last;
    result.voxelsInRange = last - first;
    const std::size_t plane = std::size_t(m_dims[0]) * std::size_t(m_dims[1]);
    result.mask.assign(plane * std::size_t(m_dims[2]), 0);
    if (result.voxelsInRange == 0)
        return result;

    // Pieces on runs: a row's in-range voxels are a few runs, so labelling touches runs only.
    const int nx = m_dims[0];
    const detail::RunRows rows = detail::buildRunRows(
        m_dims[1], m_dims[2],
        [&](int y, int z, std::vector<detail::Run> &out) {
            const std::uint8_t *row = m_inRange.data() + std::size_t(z) * plane + std::size_t(y) * std::size_t(nx);
            for (int x = 0; x < nx;) {
                if (!row[x]) {
                    ++x;
                    continue;
                }
                const int begin = x;
                while (x < nx && row[x])
                    ++x;
                out.push_back({begin, x});
            }
        },
        context);
    std::uint32_t count = 0;
    const std::vector<std::uint32_t> piece = detail::labelRuns(rows, count);
    context.throwIfCanceled();
    std::vector<std::uint64_t> sizes(count, 0);
    for (std::size_t r = 0; r < rows.runs.size(); ++r)
        sizes[piece[r]] += std::uint64_t(rows.runs[r].x1 - rows.runs[r].x0);
    result.pieces = count;
    std::vector<std::uint8_t> kept(count, 0);
    if (keep.minPieceVoxels == 0) {
        // Ties go to the piece first in raster order, as np.argmax over scipy's labels.
        const std::size_t largest = std::size_t(std::max_element(sizes.begin(), sizes.end()) - sizes.begin());
        kept[largest] = 1;
    } else {
        for (std::uint32_t c = 0; c < count; ++c)
            kept[c] = sizes[c] >= keep.minPieceVoxels;
    }
    for (std::uint32_t c = 0; c < count; ++c)
        if (kept[c]) {
            ++result.piecesKept;
            result.voxels += sizes[c];
        }
    tbb::parallel_for(0, m_dims[2], [&](int z) {
        for (int y = 0; y < m_dims[1]; ++y)
            for (std::uint32_t r = rows.begin(y, z), end = rows.end(y, z); r < end; ++r)
                if (kept[piece[r]])
                    std::fill_n(result.mask.data() + std::size_t(z) * plane + std::size_t(y) * std::size_t(nx) + std::size_t(rows.runs[r].x0),
                                rows.runs[r].x1 - rows.runs[r].x0, std::uint8_t(1));
    });
    return result;
}

} // namespace carina::algo
