// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ImageGeometry.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace carina::algo {

struct CARINA_CORE_EXPORT HistogramOptions
{
    /// Number of bins asked for, >= 1 (default 256). For integer voxel types the bin width is
    /// rounded up to a whole number of values, so every bin covers equally many values and the
    /// histogram shows no comb pattern; the result may then have fewer bins than asked.
    int bins = 256;
    /// Voxels counted: the half-open index box [begin, end), clipped to the image; none (the
    /// default) means the whole image. A box that misses the image counts nothing.
    std::optional<VoxelBox> region;
    /// Channel of a multi-channel image (0 = first).
    int channel = 0;
};

/// Bin counts and statistics of one channel of a volume (or of a box of it), in the image's
/// units (HU for rescaled CT).
struct CARINA_CORE_EXPORT Histogram
{
    /// counts[b] = voxels v with edges[b] <= v < edges[b+1]; the last bin also holds v equal to
    /// its upper edge (float images, whose last edge is the maximum).
    std::vector<std::uint64_t> counts;
    std::vector<double> edges;         ///< counts.size() + 1 increasing bin edges
    std::uint64_t count = 0;           ///< voxels counted (NaN voxels are skipped)
    double minimum = 0.0;              ///< smallest counted value (0 when count == 0)
    double maximum = 0.0;              ///< largest counted value
    double mean = 0.0;
    double stddev = 0.0;               ///< population standard deviation (numpy's default ddof=0)

    bool isEmpty() const { return count == 0; }
    /// Largest bin count (for scaling a plot).
    std::uint64_t maxCount() const;
    /// Value below which the fraction `q` (0..1) of the counted voxels lie, interpolated
    /// linearly inside the bin; minimum for q <= 0, maximum for q >= 1. 0 for an empty histogram.
    double percentile(double q) const;
};

/// Histogram and statistics of `volume` (channel and region from `options`).
///
/// Integer images are counted exactly in one pass over a table of all their values (so minimum,
/// maximum, mean and stddev are exact); float images take two passes (range, then bins). An
/// empty region or an all-NaN image gives an empty Histogram. Throws std::invalid_argument for
/// a null volume, bins < 1 or a channel out of range, and TaskCanceled.
///
/// Example: `auto h = computeHistogram(ct, {.bins = 128}); double p99 = h.percentile(0.99);`
CARINA_CORE_EXPORT Histogram computeHistogram(const Volume &volume, const HistogramOptions &options = {},
                                              const TaskContext &context = TaskContext::none());

/// The box of voxels within `sizeMm` (edge length, mm) around the continuous index `center`,
/// clipped to the grid: at least the voxel under `center` when it lies inside the grid, an empty
/// box when it lies outside.
CARINA_CORE_EXPORT VoxelBox boxAroundIndex(const ImageGeometry &geometry, const Eigen::Vector3d &center,
                                           double sizeMm);

} // namespace carina::algo
