// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>

#include <cstdint>
#include <vector>

namespace carina::algo {

/// Otsu's threshold of a single-channel image, identical to scikit-image 0.19's
/// `filters.threshold_otsu(image)`: integer images use one bin per integer value between the
/// image's minimum and maximum (`bins` is ignored, as skimage ignores nbins there); float images
/// use `bins` equal bins over [min, max] with skimage's float32 bin centres. The result is a bin
/// centre; pixels strictly above it are the foreground. An image of one value returns that value.
/// The histogram is computeHistogram's (HistogramBinning::Even for float images); it reports no
/// progress of its own.
/// Throws std::invalid_argument for a null or multi-channel image, bins < 2 or non-finite
/// values, and TaskCanceled.
CARINA_CORE_EXPORT double otsuThreshold(const Volume &image, int bins = 256,
                                        const TaskContext &context = TaskContext::none());

/// Otsu's threshold from a histogram: `counts[i]` values at `centres[i]` (skimage's
/// `threshold_otsu(hist=(counts, centres))` after its trimming of empty end bins).
/// Throws std::invalid_argument when the sizes differ or all counts are zero.
CARINA_CORE_EXPORT double otsuThresholdFromHistogram(const std::vector<double> &counts,
                                                     const std::vector<double> &centres);

/// Otsu's threshold of channel 0 of any image from a strided sample of about `samples` voxels
/// in 256 equal bins: a quick data-driven level (the 3D view's "Surface at" proposal) where
/// otsuThreshold's exact pass over every voxel is not needed. Within about one bin width
/// ((max - min) / 256) of otsuThreshold on a well-sampled image. Returns NaN for a null image
/// or one without a finite value.
CARINA_CORE_EXPORT double sampledOtsuThreshold(const Volume &image, std::size_t samples = 200000);

/// Mask (1 / 0, x fastest) of the voxels of a single-channel image strictly above `threshold`
/// (`image > t` in numpy, compared in the image's own type for float images).
/// Throws std::invalid_argument for a null or multi-channel image.
CARINA_CORE_EXPORT std::vector<std::uint8_t> thresholdAbove(const Volume &image, double threshold);

/// Mask of the voxels strictly below `threshold` (`image < t`): the "dark objects" of
/// scikit-image's label-properties example. Same rules and errors as thresholdAbove.
CARINA_CORE_EXPORT std::vector<std::uint8_t> thresholdBelow(const Volume &image, double threshold);

} // namespace carina::algo
