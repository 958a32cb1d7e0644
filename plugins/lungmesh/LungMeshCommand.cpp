// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "LungMeshCommand.h"

#include "LungMeshPipeline.h"

#include <carina/io/MeshWriter.h>
#include <carina/io/AtomicFile.h>
#include <carina/io/Nifti.h>
#include <carina/io/VolumeReader.h>

#include <QCommandLineParser>

#include <cstdio>
#include <exception>

namespace carina::lungmesh {

namespace {

int failWith(const QString &message)
{
    std::fprintf(stderr, "carina lungmesh: %s\n", qUtf8Printable(message));
    return 1;
}

} // namespace

HeadlessCommand lungMeshCommand()
{
    return HeadlessCommand{QStringLiteral("lungmesh"),
                           QStringLiteral("segments the lungs of a chest CT (1 = right, 2 = left) and writes their meshes, labels and volumes"),
                           QStringLiteral("INPUT --output LUNGS.stl|.obj|.ply [--labels OUT.nii.gz] [--csv FIGURES.csv] "
                                          "[--smoothing N] [--triangles N]"),
                           &runLungMeshCommand};
}

int runLungMeshCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption outputOption(QStringLiteral("output"), QStringLiteral("mesh file (.stl, .obj, .ply)"), QStringLiteral("FILE"));
    const QCommandLineOption labelsOption(QStringLiteral("labels"), QStringLiteral("lung labels as NIfTI"), QStringLiteral("FILE"));
    const QCommandLineOption csvOption(QStringLiteral("csv"), QStringLiteral("volumes and areas as CSV"), QStringLiteral("FILE"));
    const QCommandLineOption smoothingOption(QStringLiteral("smoothing"), QStringLiteral("Taubin iterations (default 10)"),
                                             QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption trianglesOption(QStringLiteral("triangles"),
                                             QStringLiteral("triangles per lung after decimation, 0 = all (default 150000)"),
                                             QStringLiteral("N"), QStringLiteral("150000"));
    parser.addOptions({outputOption, labelsOption, csvOption, smoothingOption, trianglesOption});
    parser.addPositionalArgument(QStringLiteral("INPUT"), QStringLiteral("chest CT: DICOM folder or NIfTI file"));
    if (!parser.parse(QStringList{QStringLiteral("lungmesh")} + arguments))
        return failWith(parser.errorText());
    const QStringList positional = parser.positionalArguments();
    const QString usage = QStringLiteral("usage: carina --headless lungmesh %1").arg(lungMeshCommand().usage);
    if (positional.size() != 1)
        return failWith(QStringLiteral("expected one INPUT; %1").arg(usage));
    if (!parser.isSet(outputOption))
        return failWith(QStringLiteral("--output is required; %1").arg(usage));
    LungMeshOptions options;
    bool ok = false;
    options.smoothingIterations = parser.value(smoothingOption).toInt(&ok);
    if (!ok || options.smoothingIterations < 0 || options.smoothingIterations > 100)
        return failWith(QStringLiteral("--smoothing must be a whole number from 0 to 100, not \"%1\"").arg(parser.value(smoothingOption)));
    const qlonglong triangles = parser.value(trianglesOption).toLongLong(&ok);
    if (!ok || triangles < 0 || (triangles > 0 && triangles < 100))
        return failWith(QStringLiteral("--triangles must be 0 (keep all) or at least 100, not \"%1\"").arg(parser.value(trianglesOption)));
    options.targetTriangles = std::size_t(triangles);
    const std::string output = parser.value(outputOption).toStdString();
    try {
        io::meshFormatForPath(output); // a bad extension fails before minutes of work
    } catch (const std::exception &e) {
        return failWith(QString::fromUtf8(e.what()));
    }

    const QString input = positional.first();
    LungMeshResult result;
    try {
        const io::LoadResult loaded = io::readVolume(input.toStdString());
        for (const std::string &warning : loaded.warnings)
            std::fprintf(stderr, "carina lungmesh: warning: %s\n", warning.c_str());
        result = runLungMesh(loaded.volume, options);
        for (const std::string &warning : result.warnings)
            std::fprintf(stderr, "carina lungmesh: warning: %s\n", warning.c_str());
        io::writeMeshes({&result.right, &result.left}, output);
        if (parser.isSet(labelsOption))
            io::writeNiftiLabels(result.segmentation.labels, parser.value(labelsOption).toStdString());
        if (parser.isSet(csvOption)) {
            const std::string csv = figuresCsv(result.figures, input.toStdString());
            io::writeFileAtomically(parser.value(csvOption).toStdString(), csv.data(), csv.size());
        }
    } catch (const std::exception &e) {
        return failWith(QString::fromUtf8(e.what()));
    }
    const LungFigures &f = result.figures;
    std::printf("right_lung_ml: %.2f\nleft_lung_ml: %.2f\ntotal_ml: %.2f\n", f.rightVolumeMl, f.leftVolumeMl, f.totalVolumeMl());
    std::printf("right_surface_cm2: %.2f\nleft_surface_cm2: %.2f\n", f.rightAreaMm2 / 100.0, f.leftAreaMm2 / 100.0);
    std::printf("right_triangles: %zu\nleft_triangles: %zu\n", f.rightTriangles, f.leftTriangles);
    std::printf("output: %s\n", output.c_str());
    return 0;
}

} // namespace carina::lungmesh
