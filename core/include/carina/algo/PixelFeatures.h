// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ImageGeometry.h>

#include <cstddef>
#include <string>
#include <vector>

namespace carina {
class TaskContext;
class Volume;
} // namespace carina

namespace carina::algo {

/// Which multi-scale features to compute: the seed's checklist and sigma range (skimage's
/// multiscale_basic_features with num_sigma = None).
struct CARINA_CORE_EXPORT FeatureOptions
{
    bool intensity = true;   ///< Gaussian-smoothed intensity
    bool edges = true;       ///< Sobel gradient magnitude of the smoothed image
    bool texture = true;     ///< Hessian eigenvalues of the smoothed image (2 in 2D, 3 in 3D), largest first
    double sigmaMin = 1.0;   ///< smallest sigma, in voxels of the finest axis (> 0)
    double sigmaMax = 16.0;  ///< largest sigma; sigmas are sigmaMin * 2^k up to sigmaMax

    bool operator==(const FeatureOptions &) const = default;
};

/// The sigmas of `options`: sigmaMin * 2^k, k = 0 .. floor(log2(sigmaMax / sigmaMin)).
CARINA_CORE_EXPORT std::vector<double> featureSigmas(const FeatureOptions &options);
/// Features per voxel for an image of `channels` channels, 2D (one slice) or 3D.
CARINA_CORE_EXPORT int featureCount(const FeatureOptions &options, int channels, bool is3d);
/// Short names ("c0 s1 intensity", "c0 s1 hessian 1", ...) in the order they are stored.
CARINA_CORE_EXPORT std::vector<std::string> featureNames(const FeatureOptions &options, int channels, bool is3d);
/// Throws std::invalid_argument with a readable message when options make no sense.
CARINA_CORE_EXPORT void validateFeatureOptions(const FeatureOptions &options);

/// Features of the slices [z0, z1) of a volume, one plane per feature ("planar"): feature f of
/// voxel (x, y, z) is at data[f * planeStride() + ((z - z0) * ny + y) * nx + x].
struct CARINA_CORE_EXPORT FeatureStack
{
    Dims dims{0, 0, 0};  ///< the whole volume's dims
    int z0 = 0;          ///< first slice held
    int z1 = 0;          ///< one past the last slice held
    int count = 0;       ///< features per voxel
    std::vector<float> data;

    std::size_t sliceVoxels() const { return std::size_t(dims[0]) * std::size_t(dims[1]); }
    std::size_t planeStride() const { return sliceVoxels() * std::size_t(z1 - z0); }
    bool holds(int z) const { return z >= z0 && z < z1; }
    const float *plane(int f) const { return data.data() + std::size_t(f) * planeStride(); }
};

/// Computes the multi-scale features of `image` (every channel) for slices [z0, z1), reading the
/// neighbouring slices it needs. Definitions follow skimage.feature.multiscale_basic_features
/// (skimage 0.19): the image as float (uint8 / 255, uint16 / 65535, int16 / 32767, float as is),
/// Gaussian with 'nearest' borders truncated at 4 sigma, Sobel magnitude sqrt(sum_a e_a^2 / ndim)
/// with 'reflect' borders, Hessian from np.gradient applied twice, eigenvalues in decreasing
/// order. A volume with one slice gives 2D features. Anisotropic spacing: sigma is in voxels of
/// the finest axis and scaled per axis by (finest spacing / axis spacing), derivatives likewise,
/// so isotropic data give exactly skimage's numbers. Separable and TBB-parallel; honours cancel.
CARINA_CORE_EXPORT FeatureStack computeFeatures(const Volume &image, const FeatureOptions &options, int z0, int z1,
                                                const TaskContext &context);

} // namespace carina::algo
