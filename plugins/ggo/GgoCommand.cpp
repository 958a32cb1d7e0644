// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "GgoCommand.h"

#include "GgoPipeline.h"

#include <carina/io/MeshWriter.h>
#include <carina/io/Nifti.h>
#include <carina/io/VolumeReader.h>

#include <QCommandLineParser>
#include <QRegularExpression>

#include <cstdio>
#include <exception>

namespace carina::ggo {

namespace {

int failWith(const QString &message)
{
    std::fprintf(stderr, "carina ggo: %s\n", qUtf8Printable(message));
    return 1;
}

} // namespace

HeadlessCommand ggoCommand()
{
    return HeadlessCommand{QStringLiteral("ggo"),
                           QStringLiteral("finds the ground-glass opacity in a box of a chest CT (largest piece in an HU range) and writes its labels and surface"),
                           QStringLiteral("INPUT --box X0:X1,Y0:Y1,Z0:Z1 [--low HU] [--high HU] [--labels OUT.nii.gz] [--mesh OUT.stl]"),
                           &runGgoCommand};
}

int runGgoCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption boxOption(QStringLiteral("box"), QStringLiteral("voxel index box, half-open: X0:X1,Y0:Y1,Z0:Z1"),
                                       QStringLiteral("BOX"));
    const QCommandLineOption lowOption(QStringLiteral("low"), QStringLiteral("exclusive low end of the range (default -700)"),
                                       QStringLiteral("HU"), QStringLiteral("-700"));
    const QCommandLineOption highOption(QStringLiteral("high"), QStringLiteral("inclusive high end of the range (default -300)"),
                                        QStringLiteral("HU"), QStringLiteral("-300"));
    const QCommandLineOption labelsOption(QStringLiteral("labels"), QStringLiteral("GGO labels as NIfTI"), QStringLiteral("FILE"));
    const QCommandLineOption meshOption(QStringLiteral("mesh"), QStringLiteral("GGO surface (.stl, .obj, .ply)"), QStringLiteral("FILE"));
    parser.addOptions({boxOption, lowOption, highOption, labelsOption, meshOption});
    parser.addPositionalArgument(QStringLiteral("INPUT"), QStringLiteral("chest CT: DICOM folder or NIfTI file"));
    if (!parser.parse(QStringList{QStringLiteral("ggo")} + arguments))
        return failWith(parser.errorText());
    const QString usage = QStringLiteral("usage: carina --headless ggo %1").arg(ggoCommand().usage);
    if (parser.positionalArguments().size() != 1)
        return failWith(QStringLiteral("expected one INPUT; %1").arg(usage));
    const QRegularExpressionMatch box = QRegularExpression(QStringLiteral("^(\\d+):(\\d+),(\\d+):(\\d+),(\\d+):(\\d+)$"))
                                            .match(parser.value(boxOption));
    if (!box.hasMatch())
        return failWith(QStringLiteral("--box X0:X1,Y0:Y1,Z0:Z1 (voxel indices) is required, not \"%1\"; %2")
                            .arg(parser.value(boxOption), usage));
    GgoOptions options;
    bool lowOk = false, highOk = false;
    options.lowHu = parser.value(lowOption).toDouble(&lowOk);
    options.highHu = parser.value(highOption).toDouble(&highOk);
    if (!lowOk || !highOk)
        return failWith(QStringLiteral("--low and --high take numbers (HU)"));
    if (parser.isSet(meshOption)) {
        try {
            io::meshFormatForPath(parser.value(meshOption).toStdString());
        } catch (const std::exception &e) {
            return failWith(QString::fromUtf8(e.what()));
        }
    }
    GgoRegion region;
    region.box = {{box.captured(1).toInt(), box.captured(3).toInt(), box.captured(5).toInt()},
                  {box.captured(2).toInt(), box.captured(4).toInt(), box.captured(6).toInt()}};
    GgoResult result;
    try {
        const io::LoadResult loaded = io::readVolume(parser.positionalArguments().first().toStdString());
        for (const std::string &warning : loaded.warnings)
            std::fprintf(stderr, "carina ggo: warning: %s\n", warning.c_str());
        result = runGgo(loaded.volume, region, options);
        if (parser.isSet(labelsOption))
            io::writeNiftiLabels(*result.labels, parser.value(labelsOption).toStdString());
        if (parser.isSet(meshOption) && result.found.voxels > 0)
            io::writeMeshes({&result.surface}, parser.value(meshOption).toStdString());
    } catch (const std::exception &e) {
        return failWith(QString::fromUtf8(e.what()));
    }
    std::printf("ggo_ml: %.3f\nggo_voxels: %llu\npieces_in_range: %u\nvoxels_in_range: %llu\nregion_ml: %.3f\n", result.volumeMl,
                (unsigned long long)result.found.voxels, result.found.pieces, (unsigned long long)result.found.voxelsInRange,
                result.regionVolumeMl);
    if (result.found.voxels == 0)
        std::fprintf(stderr, "carina ggo: no voxel of the box lies in (%g, %g] HU\n", options.lowHu, options.highHu);
    return 0;
}

} // namespace carina::ggo
