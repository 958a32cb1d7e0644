// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "GgoPipeline.h"

#include <carina/algo/GroundGlassSelector.h>
#include <carina/algo/Histogram.h>
#include <carina/algo/LabelVoxels.h>
#include <carina/algo/LungSegmentation.h>
#include <carina/algo/ShapeInterpolation.h>
#include <carina/algo/MarchingCubes.h>
#include <carina/algo/MeshSmoothing.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace carina::ggo {

namespace {

Dims boxDims(const VoxelBox &b)
{
    return {b.end[0] - b.begin[0], b.end[1] - b.begin[1], b.end[2] - b.begin[2]};
}

std::size_t boxVoxels(const VoxelBox &b)
{
    const Dims d = boxDims(b);
    return b.isEmpty() ? 0 : std::size_t(d[0]) * std::size_t(d[1]) * std::size_t(d[2]);
}

bool isOutline(const DrawnShape &shape)
{
    return shape.kind == DrawnShape::Kind::Lasso || shape.kind == DrawnShape::Kind::Rectangle;
}

} // namespace

bool GgoRegion::inside(int x, int y, int z) const
{
    const Dims d = boxDims(box);
    if (!mask.empty())
        return mask[(std::size_t(z) * std::size_t(d[1]) + std::size_t(y)) * std::size_t(d[0]) + std::size_t(x)] != 0;
    return inPlane.empty() || inPlane[std::size_t(y) * std::size_t(d[0]) + std::size_t(x)] != 0;
}

std::vector<std::uint8_t> GgoRegion::solid() const
{
    if (!mask.empty())
        return mask;
    const std::size_t n = boxVoxels(box);
    if (inPlane.empty())
        return std::vector<std::uint8_t>(n, 1);
    std::vector<std::uint8_t> out;
    out.reserve(n);
    for (int z = box.begin[2]; z < box.end[2]; ++z)
        out.insert(out.end(), inPlane.begin(), inPlane.end());
    return out;
}

std::uint64_t GgoRegion::voxelCount() const
{
    const auto ones = [](const std::vector<std::uint8_t> &v) {
        return std::uint64_t(std::count_if(v.begin(), v.end(), [](std::uint8_t b) { return b != 0; }));
    };
    if (isEmpty())
        return 0;
    if (!mask.empty())
        return ones(mask);
    const Dims d = boxDims(box);
    return (inPlane.empty() ? std::uint64_t(d[0]) * std::uint64_t(d[1]) : ones(inPlane)) * std::uint64_t(d[2]);
}

AxialOutline axialOutline(const ImageGeometry &geometry, const DrawnShape &shape)
{
    if (shape.plane != algo::SlicePlane::Axial || !isOutline(shape))
        throw std::invalid_argument("the region is outlined with a lasso or a rectangle on an axial slice");
    AxialOutline outline;
    outline.slice = shape.slice;
    const std::size_t width = std::size_t(geometry.dims[0]), height = std::size_t(geometry.dims[1]);
    outline.mask.assign(width * height, 0);
    int x0 = std::numeric_limits<int>::max(), y0 = x0, x1 = -1, y1 = -1;
    for (std::size_t v : rasterizeShape(geometry, shape)) {
        const int x = int(v % width), y = int((v / width) % height);
        outline.mask[std::size_t(y) * width + std::size_t(x)] = 1;
        x0 = std::min(x0, x);
        x1 = std::max(x1, x);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y);
    }
    if (x1 >= 0)
        outline.bounds = {{x0, y0, shape.slice}, {x1 + 1, y1 + 1, shape.slice + 1}};
    return outline;
}

SideLimit sideLimit(const ImageGeometry &geometry, const DrawnShape &shape)
{
    if (shape.plane == algo::SlicePlane::Axial || !isOutline(shape))
        throw std::invalid_argument("a side view limits the region with a lasso or a rectangle on a coronal or sagittal view");
    SideLimit limit;
    limit.plane = shape.plane;
    const bool coronal = shape.plane == algo::SlicePlane::Coronal;
    const Dims &d = geometry.dims;
    limit.width = coronal ? d[0] : d[1];
    limit.mask.assign(std::size_t(limit.width) * std::size_t(d[2]), 0);
    int u0 = std::numeric_limits<int>::max(), z0 = u0, u1 = -1, z1 = -1;
    for (std::size_t v : rasterizeShape(geometry, shape)) {
        const int x = int(v % std::size_t(d[0])), y = int((v / std::size_t(d[0])) % std::size_t(d[1]));
        const int z = int(v / (std::size_t(d[0]) * std::size_t(d[1])));
        const int u = coronal ? x : y;
        limit.mask[std::size_t(z) * std::size_t(limit.width) + std::size_t(u)] = 1;
        u0 = std::min(u0, u);
        u1 = std::max(u1, u);
        z0 = std::min(z0, z);
        z1 = std::max(z1, z);
    }
    if (u1 >= 0)
        limit.bounds = coronal ? VoxelBox{{u0, 0, z0}, {u1 + 1, d[1], z1 + 1}} : VoxelBox{{0, u0, z0}, {d[0], u1 + 1, z1 + 1}};
    return limit;
}

GgoRegion interpolatedRegion(const ImageGeometry &geometry, const std::vector<AxialOutline> &outlines)
{
    GgoRegion region;
    VoxelBox b;
    bool any = false;
    for (const AxialOutline &o : outlines) {
        if (o.bounds.isEmpty())
            continue;
        if (!any)
            b = o.bounds;
        for (int a = 0; a < 3; ++a) {
            b.begin[a] = std::min(b.begin[a], o.bounds.begin[a]);
            b.end[a] = std::max(b.end[a], o.bounds.end[a]);
        }
        any = true;
    }
    if (!any)
        return region;
    // Interpolated within the outlines' common box (the blend is inside only where one outline
    // is), so each distance map covers the lesion's neighbourhood, not the whole slice.
    const Dims d = boxDims(b);
    std::vector<algo::SliceOutline> crops;
    for (const AxialOutline &o : outlines) {
        if (o.bounds.isEmpty())
            continue;
        algo::SliceOutline crop{o.slice, std::vector<std::uint8_t>(std::size_t(d[0]) * std::size_t(d[1]))};
        for (int y = 0; y < d[1]; ++y)
            std::copy_n(o.mask.data() + std::size_t(b.begin[1] + y) * std::size_t(geometry.dims[0]) + std::size_t(b.begin[0]), d[0],
                        crop.mask.data() + std::size_t(y) * std::size_t(d[0]));
        crops.push_back(std::move(crop));
    }
    region.mask = algo::interpolateOutlines(std::move(crops), d[0], d[1], geometry.spacing.x(), geometry.spacing.y());
    region.box = b;
    region.inPlane.assign(std::size_t(d[0]) * std::size_t(d[1]), 0);
    const std::size_t plane = region.inPlane.size();
    for (std::size_t n = 0; n < region.mask.size(); ++n)
        region.inPlane[n % plane] |= region.mask[n];
    return region;
}

GgoRegion limitRegion(const GgoRegion &region, const SideLimit *side, const LabelVolume *lungs)
{
    if (region.isEmpty() || (!side && !lungs))
        return region;
    const VoxelBox &b = region.box;
    const Dims d = boxDims(b);
    std::vector<std::uint8_t> mask = region.solid();
    std::optional<VoxelBox> bounds;
    for (int z = 0; z < d[2]; ++z)
        for (int y = 0; y < d[1]; ++y)
            for (int x = 0; x < d[0]; ++x) {
                std::uint8_t &m = mask[(std::size_t(z) * std::size_t(d[1]) + std::size_t(y)) * std::size_t(d[0]) + std::size_t(x)];
                if (!m)
                    continue;
                const int i = b.begin[0] + x, j = b.begin[1] + y, k = b.begin[2] + z;
                // Slices beyond the side shape's own (set by hand) are not limited by it.
                if (side && k >= side->bounds.begin[2] && k < side->bounds.end[2]) {
                    const int u = side->plane == algo::SlicePlane::Coronal ? i : j;
                    if (!side->mask[std::size_t(k) * std::size_t(side->width) + std::size_t(u)]) {
                        m = 0;
                        continue;
                    }
                }
                if (lungs && lungs->at(i, j, k) == 0) {
                    m = 0;
                    continue;
                }
                if (!bounds)
                    bounds = VoxelBox{{i, j, k}, {i + 1, j + 1, k + 1}};
                bounds->begin = {std::min(bounds->begin[0], i), std::min(bounds->begin[1], j), std::min(bounds->begin[2], k)};
                bounds->end = {std::max(bounds->end[0], i + 1), std::max(bounds->end[1], j + 1), std::max(bounds->end[2], k + 1)};
            }
    GgoRegion out;
    if (!bounds)
        return out;
    out.box = *bounds;
    const Dims o = boxDims(out.box);
    out.mask.assign(std::size_t(o[0]) * std::size_t(o[1]) * std::size_t(o[2]), 0);
    out.inPlane.assign(std::size_t(o[0]) * std::size_t(o[1]), 0);
    for (int z = 0; z < o[2]; ++z)
        for (int y = 0; y < o[1]; ++y)
            for (int x = 0; x < o[0]; ++x) {
                const int sx = out.box.begin[0] - b.begin[0] + x, sy = out.box.begin[1] - b.begin[1] + y,
                          sz = out.box.begin[2] - b.begin[2] + z;
                const std::uint8_t v = mask[(std::size_t(sz) * std::size_t(d[1]) + std::size_t(sy)) * std::size_t(d[0]) + std::size_t(sx)];
                out.mask[(std::size_t(z) * std::size_t(o[1]) + std::size_t(y)) * std::size_t(o[0]) + std::size_t(x)] = v;
                out.inPlane[std::size_t(y) * std::size_t(o[0]) + std::size_t(x)] |= v;
            }
    return out;
}

std::optional<HuRange> parseRange(const std::string &text)
{
    if (text == "ggo")
        return kGgoRange;
    if (text == "consolidation")
        return kConsolidationRange;
    const std::size_t colon = text.find(':', 1); // LO may be negative
    if (colon == std::string::npos)
        return std::nullopt;
    try {
        std::size_t used = 0;
        const double low = std::stod(text.substr(0, colon), &used);
        if (used != colon)
            return std::nullopt;
        const std::string rest = text.substr(colon + 1);
        const double high = std::stod(rest, &used);
        if (used != rest.size() || !(low < high))
            return std::nullopt;
        return HuRange{low, high};
    } catch (const std::exception &) {
        return std::nullopt;
    }
}

std::vector<std::uint8_t> cropLungs(const LabelVolume &lungs, const VoxelBox &box)
{
    const Dims d = boxDims(box);
    std::vector<std::uint8_t> crop(boxVoxels(box), 0);
    for (int z = 0; z < d[2]; ++z)
        for (int y = 0; y < d[1]; ++y)
            for (int x = 0; x < d[0]; ++x) {
                const std::uint16_t l = lungs.at(box.begin[0] + x, box.begin[1] + y, box.begin[2] + z);
                crop[(std::size_t(z) * std::size_t(d[1]) + std::size_t(y)) * std::size_t(d[0]) + std::size_t(x)] =
                    l == algo::kRightLungLabel || l == algo::kLeftLungLabel ? std::uint8_t(l) : std::uint8_t(0);
            }
    return crop;
}

LungShares lungShares(const std::vector<std::uint8_t> &mask, const std::vector<std::uint8_t> &lungCrop, std::uint64_t rightVoxels,
                      std::uint64_t leftVoxels, double voxelMl)
{
    LungShares shares;
    shares.known = true;
    shares.rightMl = double(rightVoxels) * voxelMl;
    shares.leftMl = double(leftVoxels) * voxelMl;
    std::uint64_t right = 0, left = 0;
    if (mask.size() == lungCrop.size())
        for (std::size_t n = 0; n < mask.size(); ++n)
            if (mask[n]) {
                right += lungCrop[n] == algo::kRightLungLabel;
                left += lungCrop[n] == algo::kLeftLungLabel;
            }
    shares.ggoRightMl = double(right) * voxelMl;
    shares.ggoLeftMl = double(left) * voxelMl;
    return shares;
}

std::string figuresCsv(const GgoFigures &f)
{
    char line[512];
    std::string out = "low_hu,high_hu,ggo_ml,ggo_voxels,pieces_in_range,pieces_kept,region_ml,right_lung_ml,left_lung_ml,"
                      "ggo_right_ml,ggo_left_ml,right_lung_percent,left_lung_percent\n";
    std::snprintf(line, sizeof line, "%g,%g,%.3f,%llu,%u,%u,%.3f", f.lowHu, f.highHu, f.ggoMl, (unsigned long long)f.ggoVoxels, f.pieces,
                  f.piecesKept, f.regionMl);
    out += line;
    if (f.lungs.known) {
        std::snprintf(line, sizeof line, ",%.3f,%.3f,%.3f,%.3f,%.3f,%.3f", f.lungs.rightMl, f.lungs.leftMl, f.lungs.ggoRightMl,
                      f.lungs.ggoLeftMl, f.lungs.rightPercent(), f.lungs.leftPercent());
        out += line;
    } else {
        out += ",,,,,,";
    }
    return out + "\n";
}

std::string figuresJson(const GgoFigures &f)
{
    char text[1024];
    std::snprintf(text, sizeof text,
                  "{\"low_hu\": %g, \"high_hu\": %g, \"ggo_ml\": %.3f, \"ggo_voxels\": %llu, \"pieces_in_range\": %u, "
                  "\"pieces_kept\": %u, \"region_ml\": %.3f",
                  f.lowHu, f.highHu, f.ggoMl, (unsigned long long)f.ggoVoxels, f.pieces, f.piecesKept, f.regionMl);
    std::string out = text;
    if (f.lungs.known) {
        std::snprintf(text, sizeof text,
                      ", \"right_lung_ml\": %.3f, \"left_lung_ml\": %.3f, \"ggo_right_ml\": %.3f, \"ggo_left_ml\": %.3f, "
                      "\"right_lung_percent\": %.3f, \"left_lung_percent\": %.3f",
                      f.lungs.rightMl, f.lungs.leftMl, f.lungs.ggoRightMl, f.lungs.ggoLeftMl, f.lungs.rightPercent(),
                      f.lungs.leftPercent());
        out += text;
    }
    return out + "}\n";
}

std::optional<VoxelBox> applySelection(LabelVolume &labels, const VoxelBox &box, const std::vector<std::uint8_t> &previous,
                                       const std::vector<std::uint8_t> &next)
{
    const Dims d = boxDims(box);
    std::optional<VoxelBox> changed;
    const bool fresh = previous.size() != next.size();
    for (int z = 0; z < d[2]; ++z)
        for (int y = 0; y < d[1]; ++y) {
            const std::size_t row = (std::size_t(z) * std::size_t(d[1]) + std::size_t(y)) * std::size_t(d[0]);
            const std::uint8_t *n = next.data() + row;
            // Whole rows compare at memcmp speed: most rows do not change when a handle moves.
            if (!fresh && std::equal(n, n + d[0], previous.data() + row))
                continue;
            for (int x = 0; x < d[0]; ++x) {
                if (!fresh && n[x] == previous[row + std::size_t(x)])
                    continue;
                if (fresh && !n[x])
                    continue;
                const int i = box.begin[0] + x, j = box.begin[1] + y, k = box.begin[2] + z;
                labels.set(i, j, k, n[x] ? kGgoLabel : 0);
                if (!changed)
                    changed = VoxelBox{{i, j, k}, {i + 1, j + 1, k + 1}};
                changed->begin = {std::min(changed->begin[0], i), std::min(changed->begin[1], j), std::min(changed->begin[2], k)};
                changed->end = {std::max(changed->end[0], i + 1), std::max(changed->end[1], j + 1), std::max(changed->end[2], k + 1)};
            }
        }
    return changed;
}

void requireCtInHu(const Volume &image)
{
    if (image.isNull())
        throw std::invalid_argument("open a chest CT first");
    if (image.channels() != 1)
        throw std::invalid_argument("this is a colour image (" + std::to_string(image.channels())
                                    + " channels); the GGO search needs a chest CT in Hounsfield units");
    const std::string &modality = image.info().modality;
    if (!modality.empty() && modality != "CT")
        throw std::invalid_argument("this is a" + std::string(modality == "MR" ? "n " : " ") + modality
                                    + " image; the GGO search needs a chest CT in Hounsfield units");
    const std::string &units = image.info().units;
    if (!units.empty() && units != "HU")
        throw std::invalid_argument("the image holds values in '" + units + "', not Hounsfield units; the GGO search needs a CT in HU");
    if (units != "HU") {
        // Without units (NIfTI, PNG), a CT still shows air near -1000 HU; MR and photographs
        // do not go far below zero.
        const double lowest = image.valueRange().first;
        if (lowest > -500.0)
            throw std::invalid_argument("the image's values do not look like Hounsfield units (lowest " + std::to_string(int(std::lround(lowest)))
                                        + ", air should be near -1000); the GGO search needs a chest CT in HU");
    }
}

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

GgoResult runGgo(const Volume &ct, const GgoRegion &region, const GgoOptions &options, const TaskContext &context,
                 const LabelVolume *lungs)
{
    if (ct.isNull() || ct.channels() != 1)
        throw std::invalid_argument("the GGO search needs a single-channel CT in HU");
    if (region.isEmpty())
        throw std::invalid_argument("outline a region first: a lasso or rectangle on an axial slice");
    context.progress(0.0, "Finding ground-glass opacity");
    GgoResult result;
    const double voxelMl = ct.geometry().spacing.prod() / 1000.0;
    algo::GroundGlassSelector selector(ct, region.box, region.mask.empty() && region.inPlane.empty() ? std::vector<std::uint8_t>{} : region.solid(),
                                       options.smooth, context);
    algo::GroundGlassKeep keep;
    if (options.minPieceMl > 0.0)
        keep.minPieceVoxels = std::max<std::uint64_t>(1, std::uint64_t(std::ceil(options.minPieceMl / voxelMl - 1e-9)));
    algo::GroundGlassSelection selection = selector.select(options.lowHu, options.highHu, keep, context);
    result.found.box = region.box;
    result.found.mask = std::move(selection.mask);
    result.found.voxels = selection.voxels;
    result.found.voxelsInRange = selection.voxelsInRange;
    result.found.pieces = selection.pieces;
    result.piecesKept = selection.piecesKept;
    const VoxelBox &b = result.found.box;
    const Dims d{b.end[0] - b.begin[0], b.end[1] - b.begin[1], b.end[2] - b.begin[2]};
    result.volumeMl = double(result.found.voxels) * voxelMl;
    result.regionVolumeMl = double(selector.regionVoxels()) * voxelMl;
    if (lungs) {
        std::uint64_t right = 0, left = 0;
        for (std::size_t n = 0, count = lungs->voxelCount(); n < count; ++n) {
            right += lungs->data()[n] == algo::kRightLungLabel;
            left += lungs->data()[n] == algo::kLeftLungLabel;
        }
        result.lungs = lungShares(result.found.mask, cropLungs(*lungs, b), right, left, voxelMl);
    }

    result.labels = std::make_shared<LabelVolume>(ct.geometry());
    result.labels->table().set({kGgoLabel, "GGO", kGgoColour, true});
    if (result.found.voxels == 0)
        return result;
    applySelection(*result.labels, b, {}, result.found.mask);
    context.throwIfCanceled();

    // The surface of the box's mask, padded by one voxel so it closes where the lesion touches
    // the box.
    context.progress(0.6, "Building the surface");
    result.surface = boxSurface(ct.geometry(), b, result.found.mask, options.smoothingIterations, context);
    context.progress(1.0, "Done");
    return result;
}

Mesh boxSurface(const ImageGeometry &geometry, const VoxelBox &b, const std::vector<std::uint8_t> &mask, int smoothingIterations,
                const TaskContext &context)
{
    const Dims d{b.end[0] - b.begin[0], b.end[1] - b.begin[1], b.end[2] - b.begin[2]};
    ImageGeometry padded = geometry;
    padded.dims = {d[0] + 2, d[1] + 2, d[2] + 2};
    padded.origin = geometry.indexToPhysical(Eigen::Vector3d(b.begin[0] - 1, b.begin[1] - 1, b.begin[2] - 1));
    Volume paddedMask(VoxelType::UInt8, padded);
    for (int z = 0; z < d[2]; ++z)
        for (int y = 0; y < d[1]; ++y)
            std::copy_n(mask.data() + (std::size_t(z) * std::size_t(d[1]) + std::size_t(y)) * std::size_t(d[0]), d[0],
                        paddedMask.data<std::uint8_t>() + padded.linearIndex(1, y + 1, z + 1));
    return smoothedSurface(paddedMask, smoothingIterations, context);
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
