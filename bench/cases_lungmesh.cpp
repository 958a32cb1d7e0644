// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Workflow lungmesh: marching cubes on the phantom's lung mask and a sphere, classical lung segmentation.
#include "BenchSupport.h"

#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/Volume.h>
#include <carina/algo/LungSegmentation.h>
#include <carina/algo/MarchingCubes.h>
#include <carina/algo/MeshDecimation.h>
#include <carina/algo/MeshSmoothing.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

using namespace carina;
using namespace carina::bench;

namespace {

void benchMesh(const Options &o, const std::string &caseName)
{
    Volume mask;
    if (caseName == "ct_lung_mask") {
        const io::NpyArray npy = io::readNpy(o.dataDir + "/ct_lung_mask_gt.npy");
        requireShape(npy, "ct_lung_mask_gt.npy", "|u1");
        mask = Volume(VoxelType::UInt8, phantomGeometry(o.dataDir, npy.shape));
        // The anchor meshes (mask > 0) as uint8, so do we: both lungs, one surface.
        std::uint8_t *p = mask.data<std::uint8_t>();
        const std::uint8_t *src = npy.as<std::uint8_t>();
        for (std::size_t n = 0, count = npy.elementCount(); n < count; ++n)
            p[n] = src[n] > 0 ? 1 : 0;
    } else {
        const io::NpyArray npy = io::readNpy(o.dataDir + "/sphere_256.npy");
        requireShape(npy, "sphere_256.npy", "|u1");
        ImageGeometry g;
        g.dims = {npy.shape[2], npy.shape[1], npy.shape[0]};
        mask = Volume(VoxelType::UInt8, g);
        std::memcpy(mask.rawData(), npy.bytes.data(), npy.bytes.size());
    }
    algo::MarchingCubesOptions options; // iso 0.5, normals on (the anchor returns normals too)
    Mesh mesh;
    const Timing t = timeRuns(o.repeat ? o.repeat : 7, 1, [&] {
        mesh = Mesh{};
        mesh = algo::marchingCubes(mask, options);
    });
    emitRow("lungmesh", caseName, t,
            {{"n_verts", std::to_string(mesh.vertexCount())},
             {"n_faces", std::to_string(mesh.triangleCount())},
             {"area_mm2", number(std::round(mesh.surfaceArea() * 10) / 10, 9)},
             {"volume_ml", number(mesh.enclosedVolume() / 1000.0, 7)},
             {"topology", quoted("classic (Lorensen/VTK)")}});
}

// The anchor (wf2 classical) times segment_lungs on the int16 phantom already in memory and
// reports Dice per lung against the ground truth: so do we.
void benchLungSegmentation(const Options &o, const std::string &caseName)
{
    const Volume volume = phantomCt(o.dataDir);
    const io::NpyArray gt = io::readNpy(o.dataDir + "/ct_lung_mask_gt.npy");
    requireShape(gt, "ct_lung_mask_gt.npy", "|u1");
    algo::LungSegmentationResult result;
    const Timing t = timeRuns(o.repeat ? o.repeat : 5, 1, [&] { result = algo::segmentLungs(volume); });
    const std::uint16_t *seg = result.labels.data();
    const std::uint8_t *ref = gt.as<std::uint8_t>();
    auto dice = [&](int label) {
        std::size_t both = 0, a = 0, b = 0;
        for (std::size_t n = 0, count = gt.elementCount(); n < count; ++n) {
            const bool x = label ? seg[n] == label : seg[n] > 0;
            const bool y = label ? ref[n] == label : ref[n] > 0;
            both += x && y;
            a += x;
            b += y;
        }
        return a + b ? 2.0 * double(both) / double(a + b) : 1.0;
    };
    emitRow("lungmesh", caseName, t,
            {{"dice_right", number(dice(1), 5)},
             {"dice_left", number(dice(2), 5)},
             {"dice_overall", number(dice(0), 5)},
             {"volume_right_ml", number(result.rightVolumeMl, 6)},
             {"volume_left_ml", number(result.leftVolumeMl, 6)}});
}

// What the lung mesh plugin does after loading: segmentation, one mesh per lung, 10 Taubin
// iterations, decimation to 150000 triangles per lung (the plugin's defaults). No anchor: the
// seed's equivalent needs lungmask's network.
void benchFullPipeline(const Options &o, const std::string &caseName)
{
    const Volume volume = phantomCt(o.dataDir);
    algo::LungSegmentationResult result;
    Mesh lungs[2];
    std::size_t rawTriangles = 0;
    const Timing t = timeRuns(o.repeat ? o.repeat : 3, 1, [&] {
        result = algo::segmentLungs(volume);
        rawTriangles = 0;
        for (int side = 0; side < 2; ++side) {
            Mesh mesh = algo::marchingCubesLabel(result.labels, std::uint16_t(side + 1));
            rawTriangles += mesh.triangleCount();
            algo::taubinSmooth(mesh, {.iterations = 10});
            algo::decimateMesh(mesh, {.targetTriangles = 150000});
            lungs[side] = std::move(mesh);
        }
    });
    emitRow("lungmesh", caseName, t,
            {{"volume_right_ml", number(result.rightVolumeMl, 6)},
             {"volume_left_ml", number(result.leftVolumeMl, 6)},
             {"mesh_volume_right_ml", number(lungs[0].enclosedVolume() / 1000.0, 6)},
             {"mesh_volume_left_ml", number(lungs[1].enclosedVolume() / 1000.0, 6)},
             {"area_mm2", number(std::round((lungs[0].surfaceArea() + lungs[1].surfaceArea()) * 10) / 10, 9)},
             {"raw_triangles", std::to_string(rawTriangles)},
             {"n_faces", std::to_string(lungs[0].triangleCount() + lungs[1].triangleCount())}});
}

} // namespace

CARINA_BENCH_CASE("lungmesh", "full_pipeline", benchFullPipeline);
CARINA_BENCH_CASE("lungmesh", "ct_lung_mask", benchMesh);
CARINA_BENCH_CASE("lungmesh", "sphere_256", benchMesh);
CARINA_BENCH_CASE("lungmesh", "classical", benchLungSegmentation);
