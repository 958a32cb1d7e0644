// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>
#include <carina/algo/GroundGlass.h>
#include <carina/edit/DrawnShape.h>

#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

// The GGO plugin's work on plain data: the region a drawn shape outlines, the region's
// histogram, and extraction + label layer + surface. No Qt, no document: the controller and the
// headless command both call it.

namespace carina::ggo {

/// Where to look: a box of the image and, optionally, an outline drawn on an axial slice that
/// limits every slice of the box (as the seed app's lasso does).
struct GgoRegion
{
    VoxelBox box;
    std::vector<std::uint8_t> inPlane; ///< box width x height, x fastest, non-zero inside; empty = the whole box
    bool isEmpty() const { return box.isEmpty(); }
};

/// The region outlined by a lasso or rectangle drawn on an axial slice, over slices
/// [sliceBegin, sliceEnd) (clamped to the image). Empty when the shape covers no voxel.
/// Throws std::invalid_argument for a shape that is not a lasso or rectangle on an axial slice.
GgoRegion regionFromAxialShape(const ImageGeometry &geometry, const DrawnShape &shape, int sliceBegin, int sliceEnd);

/// The axial slices [begin, end) a shape drawn on a coronal or sagittal view spans.
std::pair<int, int> sliceRangeFromShape(const ImageGeometry &geometry, const DrawnShape &shape);

/// Histogram of the region's values (box and outline; sampled evenly when the box holds more than
/// 2 million voxels), for choosing the HU range: algo::computeHistogram with even bins.
struct RegionHistogram
{
    double min = 0.0;
    double max = 0.0;
    std::vector<std::uint64_t> counts; ///< bins of equal width over [min, max]
};
RegionHistogram regionHistogram(const Volume &ct, const GgoRegion &region, int bins = 100);

struct GgoOptions
{
    double lowHu = -700.0;  ///< exclusive
    double highHu = -300.0; ///< inclusive
    int smoothingIterations = 10; ///< Taubin iterations of the surface
};

struct GgoResult
{
    algo::GroundGlassResult found;
    std::shared_ptr<LabelVolume> labels; ///< on the image's grid: kGgoLabel on the lesion
    Mesh surface;                        ///< empty when nothing was found
    double volumeMl = 0.0;
    double regionVolumeMl = 0.0;         ///< the searched region (box and outline)
};

constexpr std::uint16_t kGgoLabel = 1;
/// The lesion's colour in its layer and its surface.
inline constexpr std::array<std::uint8_t, 3> kGgoColour{204, 121, 167};

/// Extracts the GGO of `region` (algo::extractGroundGlass), puts it in a label volume on the
/// image's grid and builds its smoothed surface. Throws std::invalid_argument for a bad region
/// or range, TaskCanceled.
GgoResult runGgo(const Volume &ct, const GgoRegion &region, const GgoOptions &options,
                 const TaskContext &context = TaskContext::none());

/// The lesion's smoothed surface (marching cubes, Taubin) from a 0/1 mask padded by a voxel.
Mesh smoothedSurface(const Volume &paddedMask, int smoothingIterations, const TaskContext &context);

/// The surface of the kGgoLabel voxels of `labels`, as runGgo() builds it: for a GGO layer edited
/// by hand or restored from a session. Empty when the layer holds no lesion voxel.
Mesh layerSurface(const LabelVolume &labels, int smoothingIterations, const TaskContext &context = TaskContext::none());

} // namespace carina::ggo
