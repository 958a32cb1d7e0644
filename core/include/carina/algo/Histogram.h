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

/// How computeHistogram lays out its bins.
enum class HistogramBinning
{
    /// Integer images: the bin width is a whole number of values, rounded up so every bin covers
    /// equally many values and the histogram shows no comb pattern; the result may then have fewer
    /// bins than asked and its last edge may pass the maximum. Float images: `bins` equal bins over
    /// [minimum, maximum].
    WholeValues,
    /// Exactly `bins` equal bins over [minimum, maximum] for every voxel type, as
    /// numpy.histogram(values, bins): edges from numpy's linspace in the image's precision (float32
    /// for float images, double for integer ones), a value in bin b when edges[b] <= v < edges[b+1],
    /// the maximum in the last bin. A region of one value counts all in the first bin of [v, v + 1].
    Even,
};

struct CARINA_CORE_EXPORT HistogramOptions
{
    /// Number of bins asked for, >= 1 (default 256); see `binning`.
    int bins = 256;
    /// Voxels counted: the half-open index box [begin, end), clipped to the image; none (the
    /// default) means the whole image. A box that misses the image counts nothing.
    std::optional<VoxelBox> region;
    /// Voxels counted inside each slice (a lasso or any outline drawn in the plane): non-zero for
    /// counted, x fastest, the same mask on every slice. Sized to the region's box as given
    /// (width x height, before clipping), or to the image's slice without a region. Empty (the
    /// default): every voxel of the box.
    std::vector<std::uint8_t> inPlaneMask;
    /// Channel of a multi-channel image (0 = first).
    int channel = 0;
    HistogramBinning binning = HistogramBinning::WholeValues;
    /// Counts only every sampleStep-th voxel of the (clipped) box in raster order, x fastest,
    /// counted before the in-plane mask: a quick histogram of a large region. 1 = every voxel.
    std::size_t sampleStep = 1;
};

/// Bin counts and statistics of one channel of a volume (or of a box of it), in the image's
/// units (HU for rescaled CT).
struct CARINA_CORE_EXPORT Histogram
{
    /// counts[b] = voxels v with edges[b] <= v < edges[b+1]; the last bin also holds v equal to
    /// its upper edge (float images, whose last edge is the maximum).
    std::vector<std::uint64_t> counts;
    std::vector<double> edges;         ///< counts.size() + 1 increasing bin edges
    std::uint64_t count = 0;           ///< voxels counted (NaN and infinite values are skipped)
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

/// Histogram and statistics of `volume` (channel, region, in-plane mask, binning and sampling
/// from `options`): the one histogram of core (Intensity's plot, Otsu's threshold, GGO's region).
///
/// Integer images are counted exactly in one pass over a table of all their values (so minimum,
/// maximum, mean and stddev are exact); float images take two passes (range, then bins). An
/// empty region or mask, or an image without a finite value, gives an empty Histogram. Throws
/// std::invalid_argument for a null volume, bins < 1, a channel out of range, an in-plane mask
/// of the wrong size or sampleStep 0, and TaskCanceled.
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
