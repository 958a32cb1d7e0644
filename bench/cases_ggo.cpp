// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Workflow ggo: ground-glass extraction in the phantom's ROI (seed 000), as wf3_ggo.py's roi case.
#include "BenchSupport.h"

#include <carina/Volume.h>
#include <carina/algo/GroundGlass.h>

#include <cstring>
#include <string>

using namespace carina;
using namespace carina::bench;

namespace {

// The anchor times crop + median + range + largest component on the CT already in memory and
// reports the lesion volume and Dice against ggo_gt.npy: so do we.
void benchGroundGlass(const Options &o, const std::string &caseName)
{
    const Volume volume = phantomCt(o.dataDir);
    const NpyFile gt = NpyFile::read(o.dataDir + "/ggo_gt.npy");
    requireShape(gt, "ggo_gt.npy", "|u1");
    const std::vector<double> roi = metaList(o.dataDir, "ggo_roi_zyx"); // z0 z1 y0 y1 x0 x1
    const std::vector<double> range = metaList(o.dataDir, "ggo_range_hu");
    const VoxelBox box{{int(roi[4]), int(roi[2]), int(roi[0])}, {int(roi[5]), int(roi[3]), int(roi[1])}};
    const algo::GroundGlassOptions options{range[0], range[1], true};
    algo::GroundGlassResult result;
    const Timing t = timeRuns(o.repeat ? o.repeat : 7, 1, [&] { result = algo::extractGroundGlass(volume, box, {}, options); });

    const Dims d = volume.dims();
    const std::uint8_t *truth = gt.as<std::uint8_t>();
    std::size_t both = 0, truthCount = 0;
    for (std::size_t n = 0, count = gt.elementCount(); n < count; ++n)
        truthCount += truth[n] != 0;
    for (int z = box.begin[2]; z < box.end[2]; ++z)
        for (int y = box.begin[1]; y < box.end[1]; ++y)
            for (int x = box.begin[0]; x < box.end[0]; ++x) {
                const std::size_t inBox = (std::size_t(z - box.begin[2]) * std::size_t(box.end[1] - box.begin[1]) + std::size_t(y - box.begin[1]))
                        * std::size_t(box.end[0] - box.begin[0]) + std::size_t(x - box.begin[0]);
                both += result.mask[inBox] && truth[(std::size_t(z) * std::size_t(d[1]) + std::size_t(y)) * std::size_t(d[0]) + std::size_t(x)];
            }
    const double voxelMl = volume.geometry().spacing.prod() / 1000.0;
    const double dice = 2.0 * double(both) / double(result.voxels + truthCount);
    emit("ggo", caseName, t,
         {{"ggo_volume_ml", number(double(result.voxels) * voxelMl, 5)},
          {"dice", number(dice, 5)}});
}

} // namespace

CARINA_BENCH_CASE("ggo", "roi", benchGroundGlass);
