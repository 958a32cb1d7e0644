// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>
#include <carina/algo/LungSegmentation.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace carina::lungmesh {

/// Air value the masked CT gets outside the lungs (as the seed's masking, in HU).
inline constexpr std::int16_t kMaskedAirHu = -1024;

struct LungMeshOptions
{
    int smoothingIterations = 10;        ///< Taubin lambda/mu pairs; 0 = the raw marching-cubes surface
    std::size_t targetTriangles = 150000; ///< per lung after decimation; 0 = no decimation
    bool isoSurface = false;             ///< also build the CT iso-surface (bones and skin at the default)
    double isoThresholdHu = 300.0;       ///< the iso-surface's level in HU
    std::size_t isoTargetTriangles = 300000; ///< decimation target of the iso-surface; 0 = none
};

/// What the panel and the CSV show, all from the label voxels and the final meshes.
struct LungFigures
{
    double rightVolumeMl = 0.0;
    double leftVolumeMl = 0.0;
    double totalVolumeMl() const { return rightVolumeMl + leftVolumeMl; }
    double rightAreaMm2 = 0.0;           ///< surface area of the right lung mesh
    double leftAreaMm2 = 0.0;
    double totalAreaMm2() const { return rightAreaMm2 + leftAreaMm2; }
    double rightMeshVolumeMl = 0.0;      ///< volume enclosed by the mesh (checks the smoothing)
    double leftMeshVolumeMl = 0.0;
    std::size_t rightTriangles = 0;
    std::size_t leftTriangles = 0;
};

struct LungMeshResult
{
    algo::LungSegmentationResult segmentation; ///< labels: 1 = right, 2 = left, named and coloured
    Mesh right;                                ///< "Right lung" in LPS mm
    Mesh left;                                 ///< "Left lung" in LPS mm
    std::optional<Mesh> isoSurface;            ///< "CT surface" when asked for
    Volume maskedCt;                           ///< Int16 CT with everything outside the lungs at kMaskedAirHu
    LungFigures figures;
    std::vector<std::string> warnings;
};

/// Segments the lungs of `ct` (algo::segmentLungs), meshes each lung in patient coordinates,
/// smooths and decimates the meshes, builds the masked CT and the figures. Throws
/// std::invalid_argument with a message for the user for inputs it refuses (single slice, MR, not
/// HU, no lungs), TaskCanceled when canceled.
LungMeshResult runLungMesh(const Volume &ct, const LungMeshOptions &options, const TaskContext &context = TaskContext::none());

/// What runLungMesh() builds after the segmentation, from lung labels (1 = right, 2 = left) that
/// exist already: a "Lungs" layer restored from a session or edited by hand. Throws
/// std::invalid_argument when the layer is on another grid or holds no lung.
LungMeshResult lungMeshFromLabels(const Volume &ct, const LabelVolume &labels, const LungMeshOptions &options,
                                  const TaskContext &context = TaskContext::none());

/// The CT with every voxel outside the lungs set to kMaskedAirHu, as Int16 HU.
Volume maskedCt(const Volume &ct, const LabelVolume &labels);

/// The figures as CSV: a header line, then one row per lung and a total row (source, structure,
/// volume_ml, surface_mm2, surface_cm2, triangles).
std::string figuresCsv(const LungFigures &figures, const std::string &source);

} // namespace carina::lungmesh
