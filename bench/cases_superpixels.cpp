// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Workflow superpixels: 3D SLIC of the BraTS FLAIR with the seed app's clean-up, as
// ../shared/anchors/wf4_slic3d.py times it (SLIC, then superpixels with mean <= 10 dropped,
// relabelled, and their boundaries), and SLIC at scale on the 512x512x300 CT phantom.
#include "BenchSupport.h"

#include "SuperpixelPaint.h"

#include <carina/LabelVolume.h>
#include <carina/algo/SliceRender.h>
#include <carina/algo/Superpixels.h>
#include <carina/edit/LabelPatch.h>
#include <carina/io/Npy.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace carina;
using namespace carina::bench;

namespace {

// The anchor's untimed preparation: img_as_ubyte((flair - min) / (max - min)).
Volume brainAsUbyte(const Options &o)
{
    const Volume flair = io::readNpyVolume(o.dataDir + "/brain_flair.npy");
    if (flair.type() != VoxelType::Int16 || flair.dims()[2] < 2)
        throw std::runtime_error("brain_flair.npy: expected a 3D int16 array");
    const auto [lo, hi] = flair.valueRange();
    Volume out(VoxelType::UInt8, flair.geometry());
    const std::int16_t *src = flair.data<std::int16_t>();
    std::uint8_t *dst = out.data<std::uint8_t>();
    for (std::size_t i = 0; i < flair.voxelCount(); ++i)
        dst[i] = std::uint8_t(std::nearbyint((src[i] - lo) / (hi - lo) * 255.0));
    return out;
}

// wf4's recall: tumour voxels on a tumour-label boundary (inner) that lie within one voxel
// (3x3x3) of a superpixel boundary (thick).
double boundaryRecall(const std::vector<std::uint32_t> &labels, const std::vector<std::uint32_t> &tumour, const Dims &d)
{
    const std::vector<std::uint8_t> sp = algo::superpixelBoundaries(labels.data(), d);
    const std::vector<std::uint8_t> gt = algo::superpixelBoundaries(tumour.data(), d);
    std::size_t total = 0, hit = 0;
    for (int z = 0; z < d[2]; ++z)
        for (int y = 0; y < d[1]; ++y)
            for (int x = 0; x < d[0]; ++x) {
                const std::size_t i = (std::size_t(z) * d[1] + y) * d[0] + x;
                if (!gt[i] || !tumour[i])
                    continue;
                ++total;
                bool near = false;
                for (int dz = -1; dz <= 1 && !near; ++dz)
                    for (int dy = -1; dy <= 1 && !near; ++dy)
                        for (int dx = -1; dx <= 1 && !near; ++dx) {
                            const int xx = x + dx, yy = y + dy, zz = z + dz;
                            if (xx >= 0 && yy >= 0 && zz >= 0 && xx < d[0] && yy < d[1] && zz < d[2])
                                near = sp[(std::size_t(zz) * d[1] + yy) * d[0] + xx] != 0;
                        }
                hit += near;
            }
    return total ? double(hit) / double(total) : 0.0;
}

// Peak resident memory since the last reset (VmHWM), in MiB; resetPeak() starts a new window.
double peakMiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    return 0.0;
}
double currentMiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    return 0.0;
}
void resetPeak()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

void benchBrain(const Options &o, const std::string &caseName)
{
    const Volume img = brainAsUbyte(o);
    const io::NpyArray segNpy = io::readNpy(o.dataDir + "/brain_seg.npy");
    std::vector<std::uint32_t> tumour(img.voxelCount());
    if (segNpy.bytes.size() != tumour.size())
        throw std::runtime_error("brain_seg.npy: not the FLAIR's shape");
    for (std::size_t i = 0; i < tumour.size(); ++i)
        tumour[i] = std::uint8_t(segNpy.bytes[i]);

    const bool useMask = caseName == "mask5000";
    algo::SlicOptions options;
    options.nSegments = caseName == "app" ? 300 : 5000;
    options.compactness = 0.1;
    std::vector<std::uint8_t> mask;
    if (useMask) {
        mask.resize(img.voxelCount());
        const std::uint8_t *v = img.data<std::uint8_t>();
        for (std::size_t i = 0; i < mask.size(); ++i)
            mask[i] = v[i] > 10;
    }
    algo::SuperpixelMap map;
    std::uint32_t produced = 0;
    std::size_t boundaryVoxels = 0;
    std::vector<double> slicS, postS;
    const Timing t = timeRuns(o.repeat ? o.repeat : 3, 0, [&] {
        const auto t0 = std::chrono::steady_clock::now();
        map = algo::slicSuperpixels(img, options, useMask ? mask.data() : nullptr);
        const auto t1 = std::chrono::steady_clock::now();
        produced = map.count;
        algo::dropDarkSuperpixels(map, img, 10.0);
        const std::vector<std::uint8_t> b = algo::superpixelBoundaries(map.labels.data(), map.dims);
        const auto t2 = std::chrono::steady_clock::now();
        boundaryVoxels = std::size_t(std::count(b.begin(), b.end(), std::uint8_t(1)));
        slicS.push_back(std::chrono::duration<double>(t1 - t0).count());
        postS.push_back(std::chrono::duration<double>(t2 - t1).count());
    });
    const double recall = boundaryRecall(map.labels, tumour, map.dims);
    emitRow("superpixels", caseName, t,
            {{"slic_s", number(median(slicS), 4)},
             {"post_s", number(median(postS), 4)},
             {"n_segments_requested", std::to_string(options.nSegments)},
             {"mask", useMask ? "true" : "false"},
             {"seeds", std::to_string(map.seeds)},
             {"iterations", std::to_string(map.iterations)},
             {"n_segments", std::to_string(produced)},
             {"n_kept", std::to_string(map.count)},
             {"boundary_recall", number(std::round(recall * 1e4) / 1e4, 6)},
             {"boundary_voxels", std::to_string(boundaryVoxels)}});
}

// Scale: the CT phantom (512x512x300, 0.7 x 0.7 x 1 mm), 20000 superpixels, no clean-up (the
// dark-drop threshold is the BraTS app's); peak memory beyond the loaded volume.
void benchCt(const Options &o, const std::string &caseName)
{
    const Volume ct = phantomCt(o.dataDir);
    algo::SlicOptions options;
    options.nSegments = 20000;
    options.compactness = 0.1;
    algo::SuperpixelMap map;
    double extraMiB = 0.0;
    const Timing t = timeRuns(o.repeat ? o.repeat : 1, 0, [&] {
        map = {};
        const double base = currentMiB();
        resetPeak();
        map = algo::slicSuperpixels(ct, options);
        const std::vector<std::uint8_t> b = algo::superpixelBoundaries(map.labels.data(), map.dims);
        extraMiB = std::max(extraMiB, peakMiB() - base);
    });
    emitRow("superpixels", caseName, t,
            {{"n_segments_requested", std::to_string(options.nSegments)},
             {"seeds", std::to_string(map.seeds)},
             {"iterations", std::to_string(map.iterations)},
             {"n_segments", std::to_string(map.count)},
             {"peak_extra_mib", number(std::round(extraMiB), 6)},
             {"volume_mib", number(std::round(double(ct.byteSize()) / 1048576.0), 6)}});
}

// One paint stroke on BraTS as the plugin does it: the superpixels under a 40-voxel axial stroke
// across the tumour painted into the segmentation through an undo patch, then the axial slice
// redrawn with the boundaries (outlines) and the segmentation. The map (mask5000's parameters)
// is made untimed; each run's patch is reverted untimed.
void benchStroke(const Options &o, const std::string &caseName)
{
    const Volume img = brainAsUbyte(o);
    const io::NpyArray segNpy = io::readNpy(o.dataDir + "/brain_seg.npy");
    algo::SlicOptions options;
    options.nSegments = 5000;
    std::vector<std::uint8_t> mask(img.voxelCount());
    for (std::size_t i = 0; i < mask.size(); ++i)
        mask[i] = img.data<std::uint8_t>()[i] > 10;
    algo::SuperpixelMap map = algo::slicSuperpixels(img, options, mask.data());
    LabelVolume superpixels(img.geometry());
    std::copy(map.labels.begin(), map.labels.end(), superpixels.data());
    const std::vector<VoxelBox> boxes = superpixels::superpixelBoxes(superpixels);
    LabelVolume segmentation(img.geometry());
    // The stroke: through the tumour's centre of mass, along x on its axial slice.
    const Dims d = img.dims();
    double cx = 0, cy = 0, cz = 0, n = 0;
    for (int z = 0; z < d[2]; ++z)
        for (int y = 0; y < d[1]; ++y)
            for (int x = 0; x < d[0]; ++x)
                if (segNpy.bytes[(std::size_t(z) * d[1] + y) * d[0] + x]) {
                    cx += x, cy += y, cz += z, n += 1;
                }
    if (n == 0)
        throw std::runtime_error("brain_seg.npy: no tumour");
    const int y0 = int(cy / n), z0 = int(cz / n), x0 = int(cx / n);
    std::vector<std::size_t> stroke;
    for (int x = std::max(0, x0 - 20); x < std::min(d[0], x0 + 20); ++x)
        stroke.push_back(img.geometry().linearIndex(x, y0, z0));
    LabelPatch patch;
    std::size_t painted = 0, touched = 0;
    algo::SliceImage slice;
    const Timing t = timeRuns(o.repeat ? o.repeat : 20, 1,
                              [&] {
                                  patch = LabelPatch();
                                  const std::vector<std::uint16_t> ids = superpixels::touchedSuperpixels(superpixels, stroke);
                                  painted = superpixels::paintSuperpixels(superpixels, boxes, ids, 1, segmentation, patch);
                                  patch.finish(d);
                                  touched = ids.size();
                                  const std::vector<algo::LabelOverlay> overlays{{&superpixels, 1.0, true, 0}, {&segmentation, 0.5, false, 0}};
                                  algo::renderSlice(img, algo::SlicePlane::Axial, z0, 127.5, 255.0, overlays, slice);
                              },
                              [&] { patch.revert(segmentation); });
    emitRow("superpixels", caseName, t,
            {{"superpixels_touched", std::to_string(touched)},
             {"voxels_painted", std::to_string(painted)},
             {"n_segments", std::to_string(map.count)}});
}

} // namespace

CARINA_BENCH_CASE("superpixels", "app", benchBrain);
CARINA_BENCH_CASE("superpixels", "grid5000", benchBrain);
CARINA_BENCH_CASE("superpixels", "mask5000", benchBrain);
CARINA_BENCH_CASE("superpixels", "ct_20000", benchCt);
CARINA_BENCH_CASE("superpixels", "stroke_brats", benchStroke);
