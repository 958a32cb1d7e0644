// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/LabelVolume.h>
#include <carina/Volume.h>

#include <cstdint>
#include <vector>

namespace carina::algo {

/// The three planes a slice view shows, named by the voxel axes they hold fixed.
enum class SlicePlane : std::uint8_t { Axial = 2, Coronal = 1, Sagittal = 0 };

/// A 2D RGBA8 image (premultiplied not needed: alpha is 255), row-major, width fastest.
struct CARINA_CORE_EXPORT SliceImage
{
    int width = 0;
    int height = 0;
    double pixelWidthMm = 1.0;  ///< physical size of one pixel along the image's x
    double pixelHeightMm = 1.0; ///< and along its y
    std::vector<std::uint32_t> rgba; ///< 0xAABBGGRR in memory order R,G,B,A (QImage::Format_RGBA8888)
};

struct CARINA_CORE_EXPORT LabelOverlay
{
    const LabelVolume *labels = nullptr;
    double opacity = 0.5;
    /// Draw only each visible label's contour in the slice (its pixels with a 4-neighbour of
    /// another id, or on the slice's edge), opaque in the label's colour, instead of a fill.
    bool outline = false;
    /// This label (0 = none) is drawn highlighted whatever its visibility: a 2-pixel bright
    /// green contour around a light fill.
    std::uint16_t highlighted = 0;
};

/// How a slice of a voxel grid maps to the screen, in radiological convention:
/// axial: patient left on the image right, anterior up; coronal and sagittal: superior up.
/// Computed from the direction matrix, so oblique or flipped acquisitions show upright too.
struct CARINA_CORE_EXPORT SliceMapping
{
    int axisX = 0;  ///< voxel axis along the image's x
    int axisY = 1;  ///< voxel axis along the image's y (down)
    int axisZ = 2;  ///< voxel axis held fixed
    bool flipX = false; ///< image x runs against voxel index
    bool flipY = false;
    int width = 0;
    int height = 0;
    int sliceCount = 0;
};

CARINA_CORE_EXPORT SliceMapping sliceMapping(const ImageGeometry &geometry, SlicePlane plane);

/// Renders slice `index` of `plane` with window/level (grey; RGB volumes are shown as they
/// are) and blends the overlays' visible labels on top. Allocation-free when `out` already has
/// the right size. Designed for < 3 ms at 512x512 with one overlay.
CARINA_CORE_EXPORT void renderSlice(const Volume &volume, SlicePlane plane, int index, double windowCenter,
                                    double windowWidth, const std::vector<LabelOverlay> &overlays, SliceImage &out);

} // namespace carina::algo
