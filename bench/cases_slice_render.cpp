// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Workflow slice_render: one axial slice with window/level and a label overlay.
#include "BenchSupport.h"

#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/Volume.h>
#include <carina/algo/SliceRender.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

using namespace carina;
using namespace carina::bench;

namespace {

void benchSliceRender(const Options &o, const std::string &caseName)
{
    const Volume volume = phantomCt(o.dataDir);
    const io::NpyArray mask = io::readNpy(o.dataDir + "/ct_lung_mask_gt.npy");
    requireShape(mask, "ct_lung_mask_gt.npy", "|u1");
    LabelVolume labels(volume.geometry());
    std::copy(mask.as<std::uint8_t>(), mask.as<std::uint8_t>() + mask.elementCount(), labels.data());

    // Lung window on the middle axial slice, both lungs overlaid at half opacity.
    const int slice = volume.dims()[2] / 2;
    const double centre = -600, width = 1500;
    const std::vector<algo::LabelOverlay> overlays{{&labels, 0.5}};
    algo::SliceImage image;
    const Timing t = timeRuns(o.repeat ? o.repeat : 200, 3, [&] {
        algo::renderSlice(volume, algo::SlicePlane::Axial, slice, centre, width, overlays, image);
    });
    std::size_t tinted = 0;
    for (std::uint32_t px : image.rgba) {
        const std::uint32_t r = px & 0xff, g = (px >> 8) & 0xff, b = (px >> 16) & 0xff;
        tinted += r != g || g != b;
    }
    emitRow("slice_render", caseName, t,
            {{"width", std::to_string(image.width)},
             {"height", std::to_string(image.height)},
             {"slice", std::to_string(slice)},
             {"tinted_pixels", std::to_string(tinted)}});
}

} // namespace

CARINA_BENCH_CASE("slice_render", "axial_512", benchSliceRender);
