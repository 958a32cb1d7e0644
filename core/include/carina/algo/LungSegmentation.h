// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/LabelVolume.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>

#include <cstdint>
#include <string>
#include <vector>

namespace carina::algo {

/// Label of the patient's right lung (lungmask's convention).
inline constexpr std::uint16_t kRightLungLabel = 1;
/// Label of the patient's left lung.
inline constexpr std::uint16_t kLeftLungLabel = 2;

struct CARINA_CORE_EXPORT LungSegmentationOptions
{
    double airThresholdHu = -320.0;     ///< air and lung parenchyma lie below this
    double airwayThresholdHu = -950.0;  ///< the airway lumen is grown from the trachea below this
    double airwayMinMl = 5.0;           ///< an airway grown smaller than this is regrown with a higher threshold...
    double airwayThresholdStepHu = 25.0; ///< ... in steps of this ...
    double airwayMaxThresholdHu = -700.0; ///< ... up to this ...
    double airwayMaxMl = 80.0;          ///< ... unless the region then grows past this (it has entered the lung)
    int airwayDilationVoxels = 2;       ///< the grown airway is closed, then dilated this much, then removed
    double secondLungMinFraction = 0.1; ///< a second component smaller than this share of the first is dropped
    double midlineSearchMm = 28.0;      ///< touching lungs are cut at the thinnest column within this of the midline
    double midlineMarginMm = 3.5;       ///< a slice component reaching this far past both sides of the midline is cut
    bool fillHoles = true;              ///< fill vessels and bronchi inside each lung, slice by slice
    /// Accept a single axial slice (2D): the airway is then the small round air region near the
    /// midline instead of a 3D growth from the top slice, and volumes are those of the one slab.
    bool allowSingleSlice = false;
    double tracheaMaxAreaMm2 = 700.0;   ///< single slice: largest air region taken for the trachea or a main bronchus
    double singleSliceMinPieceFraction = 0.02; ///< single slice: lung pieces of at least this share of the largest are kept
};

struct CARINA_CORE_EXPORT LungSegmentationResult
{
    LabelVolume labels;              ///< on the CT's grid: kRightLungLabel, kLeftLungLabel, 0 elsewhere
    double rightVolumeMl = 0.0;
    double leftVolumeMl = 0.0;
    std::size_t airwayVoxels = 0;    ///< voxels of the airway region grown from the trachea (before dilation)
    double airwayThresholdHu = 0.0;  ///< the threshold the airway was grown with (3D inputs)
    int splitSlices = 0;             ///< axial slices where the lungs touched and were cut apart
    std::vector<std::string> warnings; ///< things the user should check (one lung only, odd volumes, ...)
};

/// Classical automatic lung segmentation of an axial chest CT in HU: air below the threshold,
/// minus the air outside the body (components touching the in-plane borders), minus the airway
/// grown from the trachea in the most superior slice; the two largest 3D components are kept,
/// split left/right per slice (cut at the thinnest column near the body midline where they
/// touch; patient right taken from the geometry's direction, not the index) and hole-filled per
/// slice. Parallel over slices. Throws std::invalid_argument with a message naming the image for
/// inputs it cannot handle (not CT in HU, MR or other modality, a single slice unless
/// options.allowSingleSlice, 2 to 9 slices, non-axial, no lungs found) and TaskCanceled.
CARINA_CORE_EXPORT LungSegmentationResult segmentLungs(const Volume &ct, const LungSegmentationOptions &options = {},
                                                       const TaskContext &context = TaskContext::none());

} // namespace carina::algo
