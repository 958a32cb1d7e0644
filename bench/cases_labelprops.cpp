// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Workflow labelprops: threshold + connected components + the full region-properties table +
// the contours of every region drawn on the image, as the Label properties panel does it.
#include "BenchSupport.h"

#include "LabelPipeline.h"

#include <carina/LabelVolume.h>
#include <carina/Volume.h>
#include <carina/algo/SliceRender.h>
#include <carina/io/Npy.h>

#include <stdexcept>
#include <string>
#include <vector>

using namespace carina;
using namespace carina::bench;

namespace {

Volume loadImage(const Options &o, const std::string &file, VoxelType type)
{
    Volume v = io::readNpyVolume(o.dataDir + "/" + file); // 2D or 3D
    if (v.type() != type)
        throw std::runtime_error(file + ": expected " + voxelTypeName(type) + " voxels, got " + voxelTypeName(v.type()));
    return v;
}

// The anchor (wf6) times Otsu + label + regionprops_table and, in 2D, find_contours of every
// region on its bbox. Carina's run: labelprops::measure (Otsu, img > t, 8/26-connected labels,
// the label layer, every property of the panel's table, 3D surfaces by marching cubes), the
// per-region plasma colours, and in 2D the slice with every region's contour drawn (the
// outline overlay every slice view renders).
void benchLabelProps(const Options &o, const std::string &caseName)
{
    const bool is3d = caseName == "brain3d";
    const Volume image = is3d ? loadImage(o, "brain_flair.npy", VoxelType::Int16) : loadImage(o, caseName + ".npy", VoxelType::UInt8);
    labelprops::Measurement m;
    algo::SliceImage slice;
    std::size_t contourPixels = 0;
    const Timing t = timeRuns(o.repeat ? o.repeat : 7, 1, [&] {
        m = labelprops::measure(image, {});
        LabelTable colours;
        for (const algo::RegionProperties &r : m.table.regions) {
            LabelInfo info;
            info.id = std::uint16_t(r.label);
            info.rgb = labelprops::plasma(double(r.area) / double(image.voxelCount()));
            colours.set(info);
        }
        m.labels->table() = std::move(colours);
        if (!is3d) {
            const std::vector<algo::LabelOverlay> overlays{{m.labels.get(), 1.0, true, 0}};
            algo::renderSlice(image, algo::SlicePlane::Axial, 0, 127.5, 255.0, overlays, slice);
        }
    });
    if (!is3d) {
        // Untimed: pixels the contours cover (the slice minus the plain grey image).
        algo::SliceImage plain;
        algo::renderSlice(image, algo::SlicePlane::Axial, 0, 127.5, 255.0, {}, plain);
        for (std::size_t i = 0; i < plain.rgba.size(); ++i)
            contourPixels += plain.rgba[i] != slice.rgba[i];
    }
    std::size_t atLeast100 = 0;
    std::uint64_t largest = 0;
    for (const algo::RegionProperties &r : m.table.regions) {
        atLeast100 += r.area >= 100;
        largest = std::max(largest, r.area);
    }
    Figures figures{{"n_regions", std::to_string(m.table.regions.size())},
                    {"n_regions_area_ge_100", std::to_string(atLeast100)},
                    {"threshold", number(m.labelling.threshold)},
                    {"largest_region", std::to_string(largest)},
                    {"n_columns", std::to_string(m.table.availableColumns().size())}};
    if (!is3d)
        figures.push_back({"contour_pixels", std::to_string(contourPixels)});
    emitRow("labelprops", caseName, t, figures);
}

} // namespace

CARINA_BENCH_CASE("labelprops", "coins_512", benchLabelProps);
CARINA_BENCH_CASE("labelprops", "cells_2048", benchLabelProps);
CARINA_BENCH_CASE("labelprops", "brain3d", benchLabelProps);
