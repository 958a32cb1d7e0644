// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Workflow ggo (seed 000): the ground-glass search in the phantom's ROI, as wf3_ggo.py's roi case
// (the core algorithm) and app case (one user interaction: a lasso, then the lesion and its mesh).
#include "BenchSupport.h"

#include "GgoPipeline.h"

#include <carina/Volume.h>
#include <carina/algo/GroundGlass.h>
#include <carina/algo/GroundGlassSelector.h>

#include <algorithm>
#include <cstring>
#include <string>

using namespace carina;
using namespace carina::bench;

namespace {

// The phantom with its lesion's ground truth, ROI and HU range (ct_phantom_meta.json).
struct PhantomGgo
{
    Volume ct;
    io::NpyArray truth;
    VoxelBox roi;
    algo::GroundGlassOptions range;
};

PhantomGgo phantomGgo(const Options &o)
{
    PhantomGgo p{phantomCt(o.dataDir), io::readNpy(o.dataDir + "/ggo_gt.npy"), {}, {}};
    requireShape(p.truth, "ggo_gt.npy", "|u1");
    const std::vector<double> roi = metaList(o.dataDir, "ggo_roi_zyx"); // z0 z1 y0 y1 x0 x1
    const std::vector<double> range = metaList(o.dataDir, "ggo_range_hu");
    p.roi = {{int(roi[4]), int(roi[2]), int(roi[0])}, {int(roi[5]), int(roi[3]), int(roi[1])}};
    p.range = {range[0], range[1], true};
    return p;
}

// Dice of a box-sized mask against the whole-volume truth.
double diceInBox(const PhantomGgo &p, const VoxelBox &box, const std::vector<std::uint8_t> &mask, std::uint64_t maskVoxels)
{
    const Dims d = p.ct.dims();
    const std::uint8_t *truth = p.truth.as<std::uint8_t>();
    std::size_t both = 0, truthCount = 0;
    for (std::size_t n = 0, count = p.truth.elementCount(); n < count; ++n)
        truthCount += truth[n] != 0;
    const Dims b{box.end[0] - box.begin[0], box.end[1] - box.begin[1], box.end[2] - box.begin[2]};
    for (int z = 0; z < b[2]; ++z)
        for (int y = 0; y < b[1]; ++y)
            for (int x = 0; x < b[0]; ++x)
                both += mask[(std::size_t(z) * std::size_t(b[1]) + std::size_t(y)) * std::size_t(b[0]) + std::size_t(x)]
                    && truth[(std::size_t(box.begin[2] + z) * std::size_t(d[1]) + std::size_t(box.begin[1] + y)) * std::size_t(d[0])
                             + std::size_t(box.begin[0] + x)];
    return 2.0 * double(both) / double(maskVoxels + truthCount);
}

// The anchor's roi case times crop + median + range + largest component on the CT in memory and
// reports the lesion volume and Dice against ggo_gt.npy: so do we.
void benchGroundGlass(const Options &o, const std::string &caseName)
{
    const PhantomGgo p = phantomGgo(o);
    algo::GroundGlassResult result;
    const Timing t = timeRuns(o.repeat ? o.repeat : 7, 1, [&] { result = algo::extractGroundGlass(p.ct, p.roi, {}, p.range); });
    const double voxelMl = p.ct.geometry().spacing.prod() / 1000.0;
    emitRow("ggo", caseName, t,
            {{"ggo_volume_ml", number(double(result.voxels) * voxelMl, 5)}, {"dice", number(diceInBox(p, p.roi, result.mask, result.voxels), 5)}});
}

// The anchor's app case replays one interaction of the seed app: a lasso (an octagon just inside
// the ROI box, corners cut by 15 %) over the ROI's slices, the region's histogram, the lesion,
// and its mesh. Carina's plugin does the same from a lasso the drawing tools hand over: region,
// histogram, lesion, label layer and smoothed surface (ggo::runGgo).
void benchGroundGlassInteraction(const Options &o, const std::string &caseName)
{
    const PhantomGgo p = phantomGgo(o);
    const VoxelBox &b = p.roi;
    const double c = 0.15 * std::min(b.end[1] - b.begin[1], b.end[0] - b.begin[0]);
    const double x0 = b.begin[0], x1 = b.end[0], y0 = b.begin[1], y1 = b.end[1];
    const double xs[] = {x0 + c, x1 - c, x1, x1, x1 - c, x0 + c, x0, x0};
    const double ys[] = {y0, y0, y0 + c, y1 - c, y1, y1, y1 - c, y0 + c};
    DrawnShape lasso;
    lasso.kind = DrawnShape::Kind::Lasso;
    lasso.plane = algo::SlicePlane::Axial;
    lasso.slice = b.begin[2];
    for (int i = 0; i < 8; ++i)
        lasso.points.push_back(p.ct.geometry().indexToPhysical(Eigen::Vector3d(xs[i], ys[i], b.begin[2])));
    const ggo::GgoOptions options{p.range.lowHu, p.range.highHu, 10};
    ggo::GgoResult result;
    ggo::RegionHistogram histogram;
    const Timing t = timeRuns(o.repeat ? o.repeat : 5, 1, [&] {
        const ggo::GgoRegion region = ggo::regionFromAxialShape(p.ct.geometry(), lasso, b.begin[2], b.end[2]);
        histogram = ggo::regionHistogram(p.ct, region);
        result = ggo::runGgo(p.ct, region, options);
    });
    emitRow("ggo", caseName, t,
            {{"ggo_volume_ml", number(result.volumeMl, 5)},
             {"dice", number(diceInBox(p, result.found.box, result.found.mask, result.found.voxels), 5)},
             {"ggo_mesh_n_faces", std::to_string(result.surface.triangleCount())},
             {"histogram_bins", std::to_string(histogram.counts.size())}});
}

// A handle moved on the panel's histogram: the upper end of the range up by 10 HU and back, on a
// 200 x 200 x 100 region of the phantom around its lesion, prepared once (median, values sorted)
// as the panel prepares it when the region is drawn. Timed: the new selection (voxels between the
// old and new ends toggled, pieces on runs, the largest kept) and its writing into a label layer
// on the image's grid where it changed, i.e. the mask and its volume the views show.
void benchThresholdUpdate(const Options &o, const std::string &caseName)
{
    const PhantomGgo p = phantomGgo(o);
    const Dims d = p.ct.dims();
    const auto around = [&](int axis, int size) {
        const int centre = (p.roi.begin[axis] + p.roi.end[axis]) / 2;
        const int begin = std::clamp(centre - size / 2, 0, std::max(0, d[axis] - size));
        return std::pair{begin, std::min(begin + size, d[axis])};
    };
    const auto [x0, x1] = around(0, 200);
    const auto [y0, y1] = around(1, 200);
    const auto [z0, z1] = around(2, 100);
    const VoxelBox box{{x0, y0, z0}, {x1, y1, z1}};
    algo::GroundGlassSelector selector(p.ct, box, {}, true);
    LabelVolume labels(p.ct.geometry());
    std::vector<std::uint8_t> shown = selector.select(p.range.lowHu, p.range.highHu).mask;
    ggo::applySelection(labels, box, {}, shown);
    double high = p.range.highHu;
    algo::GroundGlassSelection last;
    const Timing t = timeRuns(o.repeat ? o.repeat : 41, 1, [&] {
        high = high == p.range.highHu ? p.range.highHu + 10 : p.range.highHu;
        last = selector.select(p.range.lowHu, high);
        ggo::applySelection(labels, box, shown, last.mask);
        shown.swap(last.mask);
    });
    const double voxelMl = p.ct.geometry().spacing.prod() / 1000.0;
    const algo::GroundGlassSelection at = selector.select(p.range.lowHu, p.range.highHu);
    emitRow("ggo", caseName, t,
            {{"ggo_volume_ml", number(double(at.voxels) * voxelMl, 5)},
             {"dice", number(diceInBox(p, box, at.mask, at.voxels), 5)},
             {"region_voxels", std::to_string(selector.regionVoxels())},
             {"handle_step_hu", "10"}});
}

} // namespace

CARINA_BENCH_CASE("ggo", "roi", benchGroundGlass);
CARINA_BENCH_CASE("ggo", "threshold_update", benchThresholdUpdate);
CARINA_BENCH_CASE("ggo", "app", benchGroundGlassInteraction);
