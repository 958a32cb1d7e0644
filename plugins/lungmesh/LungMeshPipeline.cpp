// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "LungMeshPipeline.h"

#include <carina/algo/MarchingCubes.h>
#include <carina/algo/MeshDecimation.h>
#include <carina/algo/MeshSmoothing.h>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace carina::lungmesh {

namespace {

// The algorithms report 0..1 of their own work: map it into [begin, end] of the whole run, and
// hand the run's cancel on at every report (a TaskContext cannot share its flag).
class Step
{
public:
    Step(const TaskContext &parent, double begin, double end)
        : m_context([this, &parent, begin, end](double f, const std::string &m) {
              parent.progress(begin + (end - begin) * f, m);
              if (parent.isCanceled())
                  m_context.cancel();
          })
    {
        parent.throwIfCanceled();
    }
    const TaskContext &operator*() const { return m_context; }

private:
    TaskContext m_context;
};

// Lung label colours (the Lungs layer's table), as linear 0..1 for the 3D view.
std::array<float, 3> colourOf(const LabelVolume &labels, std::uint16_t id)
{
    const auto rgb = labels.table().infoOrDefault(id).rgb;
    return {rgb[0] / 255.0f, rgb[1] / 255.0f, rgb[2] / 255.0f};
}

Mesh lungMesh(const LabelVolume &labels, std::uint16_t id, const char *name, const LungMeshOptions &options,
              const TaskContext &context, double begin, double end)
{
    const double span = end - begin;
    context.progress(begin, std::string("Meshing the ") + name);
    Mesh mesh = algo::marchingCubesLabel(labels, id, {}, *Step(context, begin, begin + 0.3 * span));
    mesh.name = name;
    mesh.colour = colourOf(labels, id);
    mesh.opacity = 0.5f;
    if (options.smoothingIterations > 0) {
        context.progress(begin + 0.3 * span, std::string("Smoothing the ") + name);
        algo::taubinSmooth(mesh, {.iterations = options.smoothingIterations}, *Step(context, begin + 0.3 * span, begin + 0.5 * span));
    }
    if (options.targetTriangles > 0 && mesh.triangleCount() > options.targetTriangles) {
        context.progress(begin + 0.5 * span, std::string("Reducing the ") + name);
        algo::decimateMesh(mesh, {.targetTriangles = options.targetTriangles}, *Step(context, begin + 0.5 * span, end));
    }
    if (mesh.normals.empty())
        mesh.computeNormals();
    context.throwIfCanceled();
    return mesh;
}

} // namespace

Volume maskedCt(const Volume &ct, const LabelVolume &labels)
{
    Volume out(VoxelType::Int16, ct.geometry());
    out.info() = ct.info();
    out.info().description = "Masked CT (outside the lungs set to " + std::to_string(kMaskedAirHu) + " HU)";
    std::int16_t *dst = out.data<std::int16_t>();
    const std::uint16_t *mask = labels.data();
    dispatchVoxelType(ct.type(), [&](auto tag) {
        using T = decltype(tag);
        const T *src = ct.data<T>();
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, ct.voxelCount(), std::size_t(1) << 16),
                          [&](const tbb::blocked_range<std::size_t> &range) {
                              for (std::size_t i = range.begin(); i != range.end(); ++i)
                                  dst[i] = mask[i] ? std::int16_t(std::clamp<double>(double(src[i]), -32768.0, 32767.0))
                                                   : kMaskedAirHu;
                          });
    });
    return out;
}

namespace {

// Everything after the segmentation: meshes, the CT surface, the masked CT and the figures, from
// result.segmentation.labels (and its volumes).
void buildFromLabels(LungMeshResult &result, const Volume &ct, const LungMeshOptions &options, const TaskContext &context)
{
    const LabelVolume &labels = result.segmentation.labels;
    result.right = lungMesh(labels, algo::kRightLungLabel, "Right lung", options, context, 0.35, 0.6);
    result.left = lungMesh(labels, algo::kLeftLungLabel, "Left lung", options, context, 0.6, 0.85);
    if (options.isoSurface) {
        context.progress(0.85, "CT iso-surface");
        Mesh iso = algo::marchingCubes(ct, {.isoValue = options.isoThresholdHu, .step = 1, .computeNormals = true},
                                       *Step(context, 0.85, 0.9));
        iso.name = "CT surface";
        iso.colour = {0.93f, 0.89f, 0.80f};
        iso.opacity = 0.25f;
        if (options.isoTargetTriangles > 0 && iso.triangleCount() > options.isoTargetTriangles)
            algo::decimateMesh(iso, {.targetTriangles = options.isoTargetTriangles}, *Step(context, 0.9, 0.95));
        result.isoSurface = std::move(iso);
    }
    context.progress(0.95, "Masking the CT");
    result.maskedCt = maskedCt(ct, labels);

    LungFigures &f = result.figures;
    f.rightVolumeMl = result.segmentation.rightVolumeMl;
    f.leftVolumeMl = result.segmentation.leftVolumeMl;
    f.rightAreaMm2 = result.right.surfaceArea();
    f.leftAreaMm2 = result.left.surfaceArea();
    f.rightMeshVolumeMl = result.right.enclosedVolume() / 1000.0;
    f.leftMeshVolumeMl = result.left.enclosedVolume() / 1000.0;
    f.rightTriangles = result.right.triangleCount();
    f.leftTriangles = result.left.triangleCount();
    context.progress(1.0, "Done");
}

} // namespace

LungMeshResult runLungMesh(const Volume &ct, const LungMeshOptions &options, const TaskContext &context)
{
    LungMeshResult result;
    result.segmentation = algo::segmentLungs(ct, {}, *Step(context, 0.0, 0.35));
    context.throwIfCanceled();
    result.warnings = result.segmentation.warnings;
    buildFromLabels(result, ct, options, context);
    return result;
}

LungMeshResult lungMeshFromLabels(const Volume &ct, const LabelVolume &labels, const LungMeshOptions &options,
                                  const TaskContext &context)
{
    if (!labels.geometry().sameGrid(ct.geometry()))
        throw std::invalid_argument("the lung layer is not on the CT's grid");
    LungMeshResult result;
    result.segmentation.labels = labels;
    context.progress(0.0, "Counting the lungs");
    std::size_t right = 0, left = 0;
    const std::uint16_t *v = labels.data();
    for (std::size_t i = 0, n = labels.voxelCount(); i < n; ++i) {
        right += v[i] == algo::kRightLungLabel;
        left += v[i] == algo::kLeftLungLabel;
    }
    if (right == 0 && left == 0)
        throw std::invalid_argument("the lung layer holds no lung (labels 1 and 2 are empty)");
    const double voxelMl = labels.geometry().spacing.prod() / 1000.0;
    result.segmentation.rightVolumeMl = double(right) * voxelMl;
    result.segmentation.leftVolumeMl = double(left) * voxelMl;
    context.throwIfCanceled();
    buildFromLabels(result, ct, options, context);
    return result;
}

std::string figuresCsv(const LungFigures &f, const std::string &source)
{
    // The source may hold commas or quotes: quote it as RFC 4180 says.
    std::string quoted = "\"";
    for (char c : source) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    quoted += '"';
    std::string csv = "source,structure,volume_ml,surface_mm2,surface_cm2,triangles\n";
    char line[256];
    auto row = [&](const char *name, double ml, double mm2, std::size_t triangles) {
        std::snprintf(line, sizeof line, ",%s,%.2f,%.1f,%.2f,%zu\n", name, ml, mm2, mm2 / 100.0, triangles);
        csv += quoted + line;
    };
    row("right_lung", f.rightVolumeMl, f.rightAreaMm2, f.rightTriangles);
    row("left_lung", f.leftVolumeMl, f.leftAreaMm2, f.leftTriangles);
    row("total", f.totalVolumeMl(), f.totalAreaMm2(), f.rightTriangles + f.leftTriangles);
    return csv;
}

} // namespace carina::lungmesh
