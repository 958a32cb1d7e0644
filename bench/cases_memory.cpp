// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Workflow memory (issue 8.7): the largest sample scan opened, processed and closed 50 times in
// one process, the resident memory read after each cycle. A leak shows as RSS that keeps
// growing; the row says whether it stayed within 10% of its level after the first cycle.
// Not in the test run (minutes): `carina_bench --workflow memory --case load_50_cycles`.
#include "BenchSupport.h"

#include <carina/Document.h>
#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/ProcessMemory.h>
#include <carina/Volume.h>
#include <carina/algo/LungSegmentation.h>
#include <carina/algo/MarchingCubes.h>
#include <carina/algo/SliceRender.h>
#include <carina/io/VolumeReader.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>


using namespace carina;
using namespace carina::bench;

namespace {

// The largest scan among the shared CT samples (by bytes on disk).
std::string largestSample(const std::string &sharedCt)
{
    std::string best;
    std::uintmax_t bestBytes = 0;
    std::error_code error;
    for (const auto &folder : std::filesystem::directory_iterator(sharedCt, error)) {
        if (!folder.is_directory())
            continue;
        std::uintmax_t bytes = 0;
        for (const auto &file : std::filesystem::recursive_directory_iterator(folder.path(), error))
            if (file.is_regular_file())
                bytes += file.file_size();
        if (bytes > bestBytes) {
            bestBytes = bytes;
            best = folder.path().string();
        }
    }
    return best;
}

// One cycle as the app does it: read into a Document, segment the lungs into a layer, mesh
// them into the Document, render every axial slice and one of each other plane with the
// overlay, then close the image.
std::size_t cycle(const std::string &path, Document &document)
{
    const io::LoadResult loaded = io::readVolume(path);
    document.setImage(loaded.volume);
    algo::LungSegmentationResult lungs = algo::segmentLungs(document.image());
    auto labels = std::make_shared<LabelVolume>(std::move(lungs.labels));
    document.addLayer(QStringLiteral("lungs"), labels, 0.5);
    auto mesh = std::make_shared<Mesh>(algo::marchingCubesLabel(*labels, 0));
    const std::size_t triangles = mesh->triangleCount();
    document.setMesh(mesh);
    algo::SliceImage image;
    const std::vector<algo::LabelOverlay> overlays = document.visibleOverlays();
    const Dims d = document.image().dims();
    for (int k = 0; k < d[2]; ++k)
        algo::renderSlice(document.image(), algo::SlicePlane::Axial, k, -600, 1500, overlays, image);
    algo::renderSlice(document.image(), algo::SlicePlane::Coronal, d[1] / 2, -600, 1500, overlays, image);
    algo::renderSlice(document.image(), algo::SlicePlane::Sagittal, d[0] / 2, -600, 1500, overlays, image);
    document.clear();
    return triangles;
}

void benchMemory(const Options &o, const std::string &caseName)
{
    const char *sharedEnv = std::getenv("CARINA_SHARED_DIR");
    const std::string shared = sharedEnv ? sharedEnv : std::string(CARINA_SHARED_DIR);
    const std::string path = largestSample(shared + "/data/ct");
    if (path.empty()) {
        emitSkip("memory", caseName, "no CT sample under " + shared + "/data/ct");
        return;
    }
    const int cycles = o.repeat ? o.repeat : 50;
    const double before = residentMemoryMiB();
    std::vector<double> rss;
    std::size_t triangles = 0;
    Document document;
    const Timing t = timeRuns(1, 0, [&] {
        for (int c = 0; c < cycles; ++c) {
            triangles = cycle(path, document);
            // What the shell does after an image is replaced or closed.
            releaseFreedMemory();
            rss.push_back(residentMemoryMiB());
            std::fprintf(stderr, "memory: cycle %d/%d: RSS %.1f MiB\n", c + 1, cycles, rss.back());
        }
    });
    const double first = rss.front();
    double peak = 0;
    for (double r : rss)
        peak = std::max(peak, r);
    const double last = rss.back();
    std::ostringstream list;
    list << '[';
    for (std::size_t i = 0; i < rss.size(); ++i)
        list << (i ? ", " : "") << number(std::round(rss[i] * 10) / 10, 6);
    list << ']';
    emitRow("memory", caseName, t,
            {{"sample", quoted(std::filesystem::path(path).filename().string())},
             {"cycles", std::to_string(cycles)},
             {"triangles", std::to_string(triangles)},
             {"rss_before_mib", number(std::round(before * 10) / 10, 6)},
             {"rss_after_cycle1_mib", number(std::round(first * 10) / 10, 6)},
             {"rss_last_mib", number(std::round(last * 10) / 10, 6)},
             {"rss_peak_mib", number(std::round(peak * 10) / 10, 6)},
             {"last_vs_cycle1_pct", number(std::round((last / first - 1.0) * 1000) / 10, 4)},
             {"within_10pct", last <= first * 1.10 ? "true" : "false"},
             // A leak grows with every cycle; a one-off plateau (thread pools, allocator caches) does not.
             {"growth_second_half_mib", number(std::round((last - rss[rss.size() / 2]) * 10) / 10, 6)},
             {"rss_mib", list.str()}});
}

} // namespace

CARINA_BENCH_CASE("memory", "load_50_cycles", benchMemory);
