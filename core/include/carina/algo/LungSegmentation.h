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

// The four steps of segmentLungs, in its order, for tests and for plugins that need one of them
// (the body midline, the airway). Each takes the LungMask the previous one left; progress runs
// from 0 to 1 over the step. They do not check the CT as segmentLungs does.

/// Value of the voxels of a LungMask that may still be lung.
inline constexpr std::uint16_t kLungCandidate = 1;

/// What the steps hand on: a mask on the CT's grid and where it lies.
struct CARINA_CORE_EXPORT LungMask
{
    LabelVolume mask;       ///< kLungCandidate where the lungs may be, 0 elsewhere; null when no air was found
    VoxelBox box;           ///< holds every kLungCandidate voxel (the steps look only inside it)
    std::size_t internalAirVoxels = 0; ///< voxels of internal air step 1 found (step 2's leak test compares with it)
    double midlineX = 0.0;  ///< the body's midline, as a column index: the middle of the columns holding body
};

/// Step 1: the air inside the body. Voxels below options.airThresholdHu, minus the 3D
/// face-connected air components that touch an x or y face of the image (outside the body; the
/// z faces do not count, the trachea leaves through the top slice). The midline is the middle of
/// the columns that hold anything but outside air. No internal air gives internalAirVoxels 0 and a
/// null mask. Throws std::invalid_argument for a null or multi-channel image, TaskCanceled.
CARINA_CORE_EXPORT LungMask findInternalAir(const Volume &ct, const LungSegmentationOptions &options = {},
                                            const TaskContext &context = TaskContext::none());

/// What removeAirway found.
struct CARINA_CORE_EXPORT AirwayRemoval
{
    std::size_t voxels = 0;   ///< voxels of the grown airway, before closing and dilation (single slice: of the airway regions)
    double thresholdHu = 0.0; ///< the threshold the airway was grown with (0 for a single slice)
    std::vector<std::string> warnings;
};

/// Step 2: removes the airway from the mask. In the most superior slice of the box (from the
/// geometry's direction), the 2D component nearest the midline is the trachea; its lumen is grown
/// in 3D (face-connected, inside the mask) below options.airwayThresholdHu, the threshold raised by
/// airwayThresholdStepHu up to airwayMaxThresholdHu while the airway stays under airwayMinMl and the
/// next step neither passes airwayMaxMl nor a quarter of the internal air. The airway is then
/// closed and dilated by airwayDilationVoxels (6-neighbour cross) and removed, unless it holds more
/// than a quarter of the internal air (it has flooded the lungs: kept, with a warning). A single
/// slice has no growth: its air regions of at most tracheaMaxAreaMm2 within 30 mm of the midline
/// are removed. Throws std::invalid_argument when the mask is not on the CT's grid, TaskCanceled.
CARINA_CORE_EXPORT AirwayRemoval removeAirway(const Volume &ct, LungMask &lungs, const LungSegmentationOptions &options = {},
                                              const TaskContext &context = TaskContext::none());

/// What keepLungComponents found.
struct CARINA_CORE_EXPORT LungComponents
{
    std::uint32_t found = 0;  ///< face-connected 3D components in the mask
    std::uint32_t kept = 0;
    bool secondLung = false;  ///< the second largest was kept as the other lung (not when the lungs touch)
};

/// Step 3: keeps the largest face-connected 3D component of the mask, and the second largest when
/// it holds at least options.secondLungMinFraction of the first; a single slice also keeps every
/// piece of at least singleSliceMinPieceFraction of the largest. The others are cleared. Throws
/// TaskCanceled.
CARINA_CORE_EXPORT LungComponents keepLungComponents(LungMask &lungs, const LungSegmentationOptions &options = {},
                                                     const TaskContext &context = TaskContext::none());

/// What splitAndFillLungs labelled.
struct CARINA_CORE_EXPORT LungSides
{
    std::size_t rightVoxels = 0;
    std::size_t leftVoxels = 0;
    int splitSlices = 0;      ///< slices where a component crossed the midline and was cut
};

/// Step 4: turns the mask (kLungCandidate and 0 only) into kRightLungLabel / kLeftLungLabel, slice
/// by slice. A 2D component reaching more than midlineMarginMm past both sides of the midline is
/// cut at its thinnest column (fewest voxels; the first one on a tie) within midlineSearchMm of the
/// midline: that column and those below it go to the low-index side. Other components go whole to
/// the side of their centroid. Patient right is towards -x in LPS, taken from the direction.
/// With options.fillHoles, background regions inside each lung's slice box that do not touch the
/// box border become that lung. Parallel over slices. Throws TaskCanceled.
CARINA_CORE_EXPORT LungSides splitAndFillLungs(LungMask &lungs, const LungSegmentationOptions &options = {},
                                               const TaskContext &context = TaskContext::none());

} // namespace carina::algo
