// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Workflow annotation: what undo costs. 100 brush strokes on a 512 x 512 x 300 label layer
// through Document::commitLabelEdit, as the drawing tools make them (2D discs, or 3D spheres
// for the sphere case); the undo stack must add less than 50 MB and one undo must take less
// than 20 ms.
#include "BenchSupport.h"

#include <carina/Document.h>
#include <carina/LabelVolume.h>
#include <carina/edit/Rasterize.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>


using namespace carina;
using namespace carina::bench;

namespace {

double residentMb()
{
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

void benchBrush(const Options &o, const std::string &caseName)
{
    // A chest CT grid: 0.7 mm pixels, 1 mm slices.
    ImageGeometry g;
    g.dims = {512, 512, 300};
    g.spacing = {0.7, 0.7, 1.0};
    g.origin = {-179.0, -179.0, -300.0};
    Volume image(VoxelType::Int16, g);
    image.info().units = "HU";
    Document doc;
    doc.setImage(image);
    const int layer = doc.addEmptyLayer(QStringLiteral("annotation"));
    LabelVolume &labels = doc.layerLabels(layer);
    // Touch every page of the layer first, so the RSS delta is the undo stack, not the zero
    // pages a stroke happens to fault in.
    std::fill_n(labels.data(), labels.voxelCount(), std::uint16_t(0));
    doc.labelCounts(layer);

    const int strokes = o.repeat ? o.repeat : 100;
    const int dabsPerStroke = 12;
    const double radiusMm = 5.0;
    const bool sphere = caseName == "sphere_512x512x300";
    std::mt19937 rng(2024);
    std::uniform_real_distribution<double> start(60.0, 450.0), step(-12.0, 12.0);
    std::uniform_int_distribution<int> slice(20, 279), label(1, 4);

    const double rssBefore = residentMb();
    std::size_t patchBytes = 0, changed = 0;
    std::vector<double> paintTimes;
    for (int s = 0; s < strokes; ++s) {
        // A stroke: the finger's path in voxels, dabs joined by thick segments as the brush does.
        const int k = slice(rng);
        Eigen::Vector3d previous = g.indexToPhysical({start(rng), start(rng), double(k)});
        const auto value = std::uint16_t(label(rng));
        const auto t0 = std::chrono::steady_clock::now();
        LabelPatch patch;
        for (int d = 0; d < dabsPerStroke; ++d) {
            const Eigen::Vector3d next = previous + Eigen::Vector3d(step(rng), step(rng), 0.0);
            edit::paintVoxels(labels, patch,
                              sphere ? edit::rasterizeCapsule(g, previous, next, radiusMm)
                                     : edit::rasterizePolyline(g, algo::SlicePlane::Axial, k, {previous, next}, 2 * radiusMm),
                              value);
            previous = next;
        }
        changed += patch.changedVoxels();
        doc.commitLabelEdit(layer, std::move(patch), QStringLiteral("Brush"));
        paintTimes.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    const double rssAfter = residentMb();
    const std::vector<std::uint16_t> painted(labels.data(), labels.data() + labels.voxelCount());
    const std::vector<std::int64_t> countsPainted = doc.labelCounts(layer);

    Timing undo;
    for (int s = 0; s < strokes; ++s) {
        const auto t0 = std::chrono::steady_clock::now();
        doc.undo();
        const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        undo.times.push_back(dt);
        undo.cpu.push_back(dt);
    }
    const bool allBackground = std::all_of(labels.data(), labels.data() + labels.voxelCount(),
                                           [](std::uint16_t v) { return v == 0; });
    for (int s = 0; s < strokes; ++s)
        doc.redo();
    const bool restored = std::equal(painted.begin(), painted.end(), labels.data());
    const bool countsRight = doc.labelCounts(layer) == countsPainted;
    patchBytes = doc.undoMemoryBytes();

    emitRow("annotation", caseName, undo,
            {{"strokes", std::to_string(strokes)},
             {"changed_voxels", std::to_string(changed)},
             {"undo_patch_mb", number(double(patchBytes) / (1024.0 * 1024.0), 4)},
             {"undo_rss_delta_mb", number(rssAfter - rssBefore, 4)},
             {"undo_median_ms", number(median(undo.times) * 1000.0, 4)},
             {"undo_max_ms", number(*std::max_element(undo.times.begin(), undo.times.end()) * 1000.0, 4)},
             {"stroke_paint_median_ms", number(median(paintTimes) * 1000.0, 4)},
             {"undo_restores_exactly", allBackground && restored && countsRight ? "true" : "false"}});
}

// A new empty layer on a chest CT grid (what "New layer", the GGO result and every plugin's
// output layer cost before anything is drawn), then a first stroke's worth of writes. The
// reference is what a zero-filled std::vector of the same size costs on the same machine.
void benchNewLayer(const Options &o, const std::string &caseName)
{
    ImageGeometry g;
    g.dims = {512, 512, 300};
    g.spacing = {0.7, 0.7, 1.0};
    const std::size_t n = g.voxelCount();
    auto firstStroke = [&](std::uint16_t *voxels) {
        for (std::size_t i = 0; i < 4096; ++i)
            voxels[(i * 7919 * 512) % n] = 1;
    };
    std::size_t checksum = 0;
    const Timing vector = timeRuns(o.repeat ? o.repeat : 10, 1, [&] {
        std::vector<std::uint16_t> zeros(n, 0);
        firstStroke(zeros.data());
        checksum += zeros[n / 2];
    });
    const Timing layer = timeRuns(o.repeat ? o.repeat : 10, 1, [&] {
        LabelVolume labels(g);
        firstStroke(labels.data());
        checksum += labels.data()[n / 2];
    });
    emitRow("annotation", caseName, layer,
            {{"voxels", std::to_string(n)},
             {"zero_filled_vector_median_ms", number(median(vector.times) * 1000.0, 4)},
             {"new_layer_median_ms", number(median(layer.times) * 1000.0, 4)},
             {"checksum", std::to_string(checksum)}});
}

} // namespace

CARINA_BENCH_CASE("annotation", "new_layer_512x512x300", benchNewLayer);
CARINA_BENCH_CASE("annotation", "brush_512x512x300", benchBrush);
CARINA_BENCH_CASE("annotation", "sphere_512x512x300", benchBrush);
