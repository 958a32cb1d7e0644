// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/LabelVolume.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>
#include <carina/algo/ConnectedComponents.h>
#include <carina/algo/RegionProperties.h>

#include <array>
#include <cstdint>
#include <memory>

namespace carina::labelprops {

/// How objects are cut out of the image (the seed's threshold + `measure.label`).
struct LabelOptions
{
    bool otsu = true;         ///< Otsu's threshold, else `threshold`
    double threshold = 0.0;   ///< manual threshold
    bool darkObjects = false; ///< objects below the threshold (`img < t`), else above (`img > t`)
    int neighbours = 0;       ///< 4 / 8 (2D), 6 / 18 / 26 (3D); 0 = full (skimage's default)
    std::uint64_t minSize = 0; ///< components with fewer voxels are dropped
};

struct LabelOutcome
{
    double threshold = 0.0; ///< the threshold used
    algo::ComponentLabels components;
};

/// The connectivity for `neighbours` on a 2D or 3D grid. Throws std::invalid_argument for a
/// count the grid does not have (e.g. 18 on a 2D image).
algo::Connectivity connectivityFor(int neighbours, bool is2d);

/// Threshold, connected components and the minimum-size filter. Throws std::invalid_argument
/// for a multi-channel image, TaskCanceled.
LabelOutcome labelObjects(const Volume &image, const LabelOptions &options, const TaskContext &context = TaskContext::none());

/// The components as a label layer on `geometry`. Throws std::invalid_argument when there are
/// more than a layer's 65535 labels.
std::shared_ptr<LabelVolume> toLabelVolume(const algo::ComponentLabels &components, const ImageGeometry &geometry);

/// matplotlib's "plasma" colour map at t in [0, 1] (clamped), the seed's contour colours.
std::array<std::uint8_t, 3> plasma(double t);

/// Threshold + label + the full property table + colour/visibility per region: what the panel
/// and the benchmark run for one image.
struct Measurement
{
    LabelOutcome labelling;
    std::shared_ptr<LabelVolume> labels;
    algo::RegionTable table;
};
Measurement measure(const Volume &image, const LabelOptions &options, const TaskContext &context = TaskContext::none());

} // namespace carina::labelprops
