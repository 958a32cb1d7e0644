// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "GgoPipeline.h"

#include <carina/algo/Histogram.h>
#include <carina/algo/LabelVoxels.h>
#include <carina/algo/MarchingCubes.h>
#include <carina/algo/MeshSmoothing.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace carina::ggo {

GgoRegion regionFromAxialShape(const ImageGeometry &geometry, const DrawnShape &shape, int sliceBegin, int sliceEnd)
{
    if (shape.plane != algo::SlicePlane::Axial
        || (shape.kind != DrawnShape::Kind::Lasso && shape.kind != DrawnShape::Kind::Rectangle))
        throw std::invalid_argument("the region is outlined with a lasso or a rectangle on an axial slice");
    const std::vector<std::size_t> voxels = rasterizeShape(geometry, shape);
    GgoRegion region;
    if (voxels.empty())
        return region;
    const std::size_t width = std::size_t(geometry.dims[0]);
    int x0 = std::numeric_limits<int>::max(), y0 = x0, x1 = -1, y1 = -1;
    for (std::size_t v : voxels) {
        const int x = int(v % width), y = int((v / width) % std::size_t(geometry.dims[1]));
        x0 = std::min(x0, x);
        x1 = std::max(x1, x);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y);
    }
    sliceBegin = std::clamp(sliceBegin, 0, geometry.dims[2]);
    sliceEnd = std::clamp(sliceEnd, sliceBegin, geometry.dims[2]);
    region.box = {{x0, y0, sliceBegin}, {x1 + 1, y1 + 1, sliceEnd}};
    const int w = x1 + 1 - x0;
    region.inPlane.assign(std::size_t(w) * std::size_t(y1 + 1 - y0), 0);
    for (std::size_t v : voxels) {
        const int x = int(v % width), y = int((v / width) % std::size_t(geometry.dims[1]));
        region.inPlane[std::size_t(y - y0) * std::size_t(w) + std::size_t(x - x0)] = 1;
    }
    return region;
}

std::pair<int, int> sliceRangeFromShape(const ImageGeometry &geometry, const DrawnShape &shape)
{
    double low = std::numeric_limits<double>::max(), high = std::numeric_limits<double>::lowest();
    for (const Eigen::Vector3d &p : shape.points) {
        const double k = geometry.physicalToIndex(p).z();
        low = std::min(low, k);
        high = std::max(high, k);
    }
    if (shape.points.empty())
        return {0, 0};
    const int begin = std::clamp(int(std::lround(low)), 0, geometry.dims[2]);
    const int end = std::clamp(int(std::lround(high)) + 1, begin, geometry.dims[2]);
    return {begin, end};
}

RegionHistogram regionHistogram(const Volume &ct, const GgoRegion &region, int bins)
{
    RegionHistogram h;
    if (region.isEmpty() || ct.isNull() || bins < 1)
        return h;
    const VoxelBox &b = region.box;
    const std::size_t voxels = std::size_t(b.end[0] - b.begin[0]) * std::size_t(b.end[1] - b.begin[1])
        * std::size_t(b.end[2] - b.begin[2]);
    algo::HistogramOptions options;
    options.bins = bins;
    options.binning = algo::HistogramBinning::Even;
    options.region = b;
    options.inPlaneMask = region.inPlane;
    options.sampleStep = std::max<std::size_t>(1, voxels / 2000000); // a sample is enough to choose a range
    const algo::Histogram histogram = algo::computeHistogram(ct, options);
    if (histogram.isEmpty())
        return h;
    h.min = histogram.minimum;
    h.max = histogram.maximum;
    h.counts = histogram.counts;
    return h;
}

GgoResult runGgo(const Volume &ct, const GgoRegion &region, const GgoOptions &options, const TaskContext &context)
{
    if (ct.isNull() || ct.channels() != 1)
        throw std::invalid_argument("the GGO search needs a single-channel CT in HU");
    if (region.isEmpty())
        throw std::invalid_argument("outline a region first: a lasso or rectangle on an axial slice");
    context.progress(0.0, "Finding ground-glass opacity");
    GgoResult result;
    result.found = algo::extractGroundGlass(ct, region.box, region.inPlane, {options.lowHu, options.highHu, true}, context);
    const VoxelBox &b = result.found.box;
    const Dims d{b.end[0] - b.begin[0], b.end[1] - b.begin[1], b.end[2] - b.begin[2]};
    const double voxelMl = ct.geometry().spacing.prod() / 1000.0;
    result.volumeMl = double(result.found.voxels) * voxelMl;
    const std::size_t inPlaneVoxels = region.inPlane.empty()
        ? std::size_t(d[0]) * std::size_t(d[1])
        : std::size_t(std::count_if(region.inPlane.begin(), region.inPlane.end(), [](std::uint8_t v) { return v != 0; }));
    result.regionVolumeMl = double(inPlaneVoxels) * double(d[2]) * voxelMl;

    result.labels = std::make_shared<LabelVolume>(ct.geometry());
    // Okabe & Ito's reddish purple: apart from the lungs' orange and blue (labels 1 and 2), so the
    // lesion reads on a lung layer and inside the lung meshes.
    result.labels->table().set({kGgoLabel, "GGO", kGgoColour, true});
    if (result.found.voxels == 0)
        return result;
    for (int z = 0; z < d[2]; ++z)
        for (int y = 0; y < d[1]; ++y)
            for (int x = 0; x < d[0]; ++x)
                if (result.found.mask[(std::size_t(z) * std::size_t(d[1]) + std::size_t(y)) * std::size_t(d[0]) + std::size_t(x)])
                    result.labels->set(b.begin[0] + x, b.begin[1] + y, b.begin[2] + z, kGgoLabel);
    context.throwIfCanceled();

    // The surface of the box's mask, padded by one voxel so it closes where the lesion touches
    // the box.
    context.progress(0.6, "Building the surface");
    ImageGeometry padded = ct.geometry();
    padded.dims = {d[0] + 2, d[1] + 2, d[2] + 2};
    padded.origin = ct.geometry().indexToPhysical(Eigen::Vector3d(b.begin[0] - 1, b.begin[1] - 1, b.begin[2] - 1));
    Volume mask(VoxelType::UInt8, padded);
    for (int z = 0; z < d[2]; ++z)
        for (int y = 0; y < d[1]; ++y)
            std::copy_n(result.found.mask.data() + (std::size_t(z) * std::size_t(d[1]) + std::size_t(y)) * std::size_t(d[0]), d[0],
                        mask.data<std::uint8_t>() + padded.linearIndex(1, y + 1, z + 1));
    result.surface = smoothedSurface(mask, options.smoothingIterations, context);
    context.progress(1.0, "Done");
    return result;
}

Mesh smoothedSurface(const Volume &paddedMask, int smoothingIterations, const TaskContext &context)
{
    Mesh surface = algo::marchingCubes(paddedMask, {}, context);
    algo::taubinSmooth(surface, {smoothingIterations}, context);
    surface.name = "GGO";
    surface.colour = {kGgoColour[0] / 255.f, kGgoColour[1] / 255.f, kGgoColour[2] / 255.f};
    surface.opacity = 0.8f;
    return surface;
}

Mesh layerSurface(const LabelVolume &labels, int smoothingIterations, const TaskContext &context)
{
    const std::optional<VoxelBox> lesion = algo::boundsOfLabel(labels.data(), labels.dims(), kGgoLabel);
    if (!lesion)
        return Mesh{};
    context.throwIfCanceled();
    // The lesion's box, padded by one voxel on every side so the surface closes.
    const Dims &lo = lesion->begin;
    const Dims hi{lesion->end[0] - 1, lesion->end[1] - 1, lesion->end[2] - 1};
    ImageGeometry padded = labels.geometry();
    padded.dims = {hi[0] - lo[0] + 3, hi[1] - lo[1] + 3, hi[2] - lo[2] + 3};
    padded.origin = labels.geometry().indexToPhysical(Eigen::Vector3d(lo[0] - 1, lo[1] - 1, lo[2] - 1));
    Volume mask(VoxelType::UInt8, padded);
    for (int z = lo[2]; z <= hi[2]; ++z)
        for (int y = lo[1]; y <= hi[1]; ++y)
            for (int x = lo[0]; x <= hi[0]; ++x)
                if (labels.at(x, y, z) == kGgoLabel)
                    mask.data<std::uint8_t>()[padded.linearIndex(x - lo[0] + 1, y - lo[1] + 1, z - lo[2] + 1)] = 1;
    context.progress(0.3, "Building the surface");
    return smoothedSurface(mask, smoothingIterations, context);
}

} // namespace carina::ggo
