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
#include <optional>
#include <string>
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
    /// Box-sized (x fastest), non-zero inside: a region that changes from slice to slice
    /// (outlines interpolated, limited by a side view or the lungs). When set, inPlane is only
    /// the union of its slices.
    std::vector<std::uint8_t> mask;
    bool isEmpty() const { return box.isEmpty(); }
    /// Whether box-relative voxel (x, y, z) is inside.
    bool inside(int x, int y, int z) const;
    /// The region as a box-sized mask (mask, or inPlane repeated, or all ones).
    std::vector<std::uint8_t> solid() const;
    /// Voxels inside.
    std::uint64_t voxelCount() const;
};

/// An outline drawn on one axial slice: the slice's plane as a mask (image width x height) and
/// the box it occupies in the plane (z: that slice).
struct AxialOutline
{
    int slice = 0;
    VoxelBox bounds;
    std::vector<std::uint8_t> mask;
};

/// A lasso or rectangle drawn on a coronal or sagittal view: it limits the region in its own
/// plane. `mask` is over (x, z) for a coronal view and (y, z) for a sagittal one, x/y fastest.
struct SideLimit
{
    algo::SlicePlane plane = algo::SlicePlane::Coronal;
    std::vector<std::uint8_t> mask;
    int width = 0;    ///< image width (coronal) or height (sagittal): the mask's row length
    VoxelBox bounds;  ///< in the image: the axis the view looks along spans the whole image
};

/// The outline a lasso or rectangle on an axial slice covers; empty bounds when it covers no
/// voxel. Throws std::invalid_argument for another shape or plane.
AxialOutline axialOutline(const ImageGeometry &geometry, const DrawnShape &shape);

/// The limit a lasso or rectangle on a coronal or sagittal view sets; empty bounds when it
/// covers no voxel. Throws std::invalid_argument for another shape or an axial one.
SideLimit sideLimit(const ImageGeometry &geometry, const DrawnShape &shape);

/// Outlines on several axial slices joined by shape-based interpolation (algo::interpolateOutlines)
/// from the lowest to the highest outline's slice. Empty when they cover nothing.
GgoRegion interpolatedRegion(const ImageGeometry &geometry, const std::vector<AxialOutline> &outlines);

/// `region` limited to a side view's shape (on the slices the shape spans; slices set beyond
/// them by hand stay whole) and/or to the lungs (non-zero voxels of `lungs`, a
/// label volume on the image's grid); the box shrinks to what is left (empty when nothing is).
/// The inputs that are null leave the region as it is.
GgoRegion limitRegion(const GgoRegion &region, const SideLimit *side, const LabelVolume *lungs);

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
    /// 0 (default): keep the largest piece (the seed's rule); otherwise every piece of at least
    /// this volume (mL).
    double minPieceMl = 0.0;
    bool smooth = true; ///< the seed's 3 x 3 in-plane median first
};

/// The HU range presets: GGO (-700..-300, the seed's) and consolidation (-300..+50).
struct HuRange
{
    double low;
    double high;
};
inline constexpr HuRange kGgoRange{-700.0, -300.0};
inline constexpr HuRange kConsolidationRange{-300.0, 50.0};
/// "ggo", "consolidation" or "LO:HI" (HU); nullopt for anything else or LO >= HI.
std::optional<HuRange> parseRange(const std::string &text);

/// The share of each lung the lesion takes, as Lung CT Analyzer reports it.
struct LungShares
{
    bool known = false;         ///< a lung layer was there
    double rightMl = 0.0;       ///< right lung volume
    double leftMl = 0.0;
    double ggoRightMl = 0.0;    ///< lesion inside the right lung
    double ggoLeftMl = 0.0;
    double rightPercent() const { return rightMl > 0 ? 100.0 * ggoRightMl / rightMl : 0.0; }
    double leftPercent() const { return leftMl > 0 ? 100.0 * ggoLeftMl / leftMl : 0.0; }
};

/// The lung labels (0, algo::kRightLungLabel, kLeftLungLabel) of `lungs` inside `box`, box-sized,
/// x fastest: a copy a task may read while the user paints the layer.
std::vector<std::uint8_t> cropLungs(const LabelVolume &lungs, const VoxelBox &box);
/// Lesion voxels (box-sized `mask`) in each lung of `lungCrop` (cropLungs() of the same box),
/// against lungs of `rightVoxels` and `leftVoxels` voxels of `voxelMl` each.
LungShares lungShares(const std::vector<std::uint8_t> &mask, const std::vector<std::uint8_t> &lungCrop, std::uint64_t rightVoxels,
                      std::uint64_t leftVoxels, double voxelMl);

/// The figures the panel shows and the exports write.
struct GgoFigures
{
    double lowHu = 0.0, highHu = 0.0;
    double ggoMl = 0.0;
    std::uint64_t ggoVoxels = 0;
    std::uint32_t pieces = 0;     ///< in the range
    std::uint32_t piecesKept = 0;
    double regionMl = 0.0;
    LungShares lungs;
};
/// Two CSV lines: a header and the figures (lung columns empty without a lung layer).
std::string figuresCsv(const GgoFigures &figures);
/// One JSON object of the figures.
std::string figuresJson(const GgoFigures &figures);

struct GgoResult
{
    algo::GroundGlassResult found;
    std::uint32_t piecesKept = 0;
    std::shared_ptr<LabelVolume> labels; ///< on the image's grid: kGgoLabel on the lesion
    Mesh surface;                        ///< empty when nothing was found
    double volumeMl = 0.0;
    double regionVolumeMl = 0.0;         ///< the searched region (box and outline)
    LungShares lungs;                    ///< when runGgo() had a lung layer
};

constexpr std::uint16_t kGgoLabel = 1;
/// The lesion's colour in its layer and its surface: red, apart from the lungs' orange and
/// blue and the region's yellow.
inline constexpr std::array<std::uint8_t, 3> kGgoColour{220, 30, 40};

/// Writes `next` (box-sized 0/1 over `box`) into `labels` as kGgoLabel where it differs from
/// `previous` (same box, or empty: nothing written before). Returns the box of the voxels that
/// changed (nullopt when none did): only that redraws.
std::optional<VoxelBox> applySelection(LabelVolume &labels, const VoxelBox &box, const std::vector<std::uint8_t> &previous,
                                       const std::vector<std::uint8_t> &next);

/// Extracts the GGO of `region` (algo::extractGroundGlass), puts it in a label volume on the
/// image's grid and builds its smoothed surface. Throws std::invalid_argument for a bad region
/// or range, TaskCanceled.
GgoResult runGgo(const Volume &ct, const GgoRegion &region, const GgoOptions &options,
                 const TaskContext &context = TaskContext::none(), const LabelVolume *lungs = nullptr);

/// Refuses what is not a CT in Hounsfield units (modality, units, or values that never go near
/// air), as the lung segmentation does: std::invalid_argument with a message saying why.
void requireCtInHu(const Volume &image);

/// The smoothed surface of a box-sized 0/1 mask over `box` of the image (padded by a voxel so it
/// closes where the lesion touches the box).
Mesh boxSurface(const ImageGeometry &geometry, const VoxelBox &box, const std::vector<std::uint8_t> &mask, int smoothingIterations,
                const TaskContext &context = TaskContext::none());

/// The lesion's smoothed surface (marching cubes, Taubin) from a 0/1 mask padded by a voxel.
Mesh smoothedSurface(const Volume &paddedMask, int smoothingIterations, const TaskContext &context);

/// The surface of the kGgoLabel voxels of `labels`, as runGgo() builds it: for a GGO layer edited
/// by hand or restored from a session. Empty when the layer holds no lesion voxel.
Mesh layerSurface(const LabelVolume &labels, int smoothingIterations, const TaskContext &context = TaskContext::none());

} // namespace carina::ggo
