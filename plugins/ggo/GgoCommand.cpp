// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "GgoCommand.h"

#include "GgoPipeline.h"

#include <carina/io/MeshWriter.h>
#include <carina/io/Nifti.h>
#include <carina/io/VolumeReader.h>
#include <carina/algo/LungSegmentation.h>

#include <QCommandLineParser>
#include <QRegularExpression>

#include <cstdio>
#include <optional>
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
                           QStringLiteral("finds the ground-glass opacity of a chest CT in a box and/or the lungs (an HU range, the largest piece or pieces above a size) and writes its figures, labels and surface"),
                           QStringLiteral("INPUT (--box X0:X1,Y0:Y1,Z0:Z1 | --lungs) [--range ggo|consolidation|LO:HI] [--low HU] [--high HU] "
                                          "[--min-piece-ml ML] [--no-median] [--labels OUT.nii.gz] [--mesh OUT.stl] [--csv OUT.csv] [--json OUT.json]"),
                           &runGgoCommand};
}

namespace {

// Written beside the target and renamed into place; "-" is standard output.
bool writeText(const QString &path, const std::string &text, QString &error)
{
    if (path == QLatin1String("-")) {
        std::fputs(text.c_str(), stdout);
        return true;
    }
    const std::string file = path.toStdString(), temporary = file + ".part";
    std::FILE *out = std::fopen(temporary.c_str(), "wb");
    if (!out || std::fwrite(text.data(), 1, text.size(), out) != text.size() || std::fclose(out) != 0) {
        error = QStringLiteral("cannot write %1").arg(path);
        std::remove(temporary.c_str());
        return false;
    }
    if (std::rename(temporary.c_str(), file.c_str()) != 0) {
        error = QStringLiteral("cannot write %1").arg(path);
        std::remove(temporary.c_str());
        return false;
    }
    return true;
}

} // namespace

int runGgoCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption boxOption(QStringLiteral("box"), QStringLiteral("voxel index box, half-open: X0:X1,Y0:Y1,Z0:Z1"),
                                       QStringLiteral("BOX"));
    const QCommandLineOption lungsOption(QStringLiteral("lungs"),
                                         QStringLiteral("segment the lungs and search inside them (within --box when given); reports each lung's share"));
    const QCommandLineOption rangeOption(QStringLiteral("range"), QStringLiteral("ggo (-700..-300), consolidation (-300..50) or LO:HI in HU"),
                                         QStringLiteral("RANGE"));
    const QCommandLineOption lowOption(QStringLiteral("low"), QStringLiteral("exclusive low end of the range (default -700)"),
                                       QStringLiteral("HU"));
    const QCommandLineOption highOption(QStringLiteral("high"), QStringLiteral("inclusive high end of the range (default -300)"),
                                        QStringLiteral("HU"));
    const QCommandLineOption minPieceOption(QStringLiteral("min-piece-ml"),
                                            QStringLiteral("keep every piece of at least ML millilitres instead of the largest one only"),
                                            QStringLiteral("ML"));
    const QCommandLineOption noMedianOption(QStringLiteral("no-median"), QStringLiteral("skip the 3 x 3 in-plane median"));
    const QCommandLineOption labelsOption(QStringLiteral("labels"), QStringLiteral("GGO labels as NIfTI"), QStringLiteral("FILE"));
    const QCommandLineOption meshOption(QStringLiteral("mesh"), QStringLiteral("GGO surface (.stl, .obj, .ply)"), QStringLiteral("FILE"));
    const QCommandLineOption csvOption(QStringLiteral("csv"), QStringLiteral("the figures as CSV (- for standard output)"), QStringLiteral("FILE"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("the figures as JSON (- for standard output)"), QStringLiteral("FILE"));
    parser.addOptions({boxOption, lungsOption, rangeOption, lowOption, highOption, minPieceOption, noMedianOption, labelsOption, meshOption,
                       csvOption, jsonOption});
    parser.addPositionalArgument(QStringLiteral("INPUT"), QStringLiteral("chest CT: DICOM folder or NIfTI file"));
    if (!parser.parse(QStringList{QStringLiteral("ggo")} + arguments))
        return failWith(parser.errorText());
    const QString usage = QStringLiteral("usage: carina --headless ggo %1").arg(ggoCommand().usage);
    if (parser.positionalArguments().size() != 1)
        return failWith(QStringLiteral("expected one INPUT; %1").arg(usage));
    const bool useLungs = parser.isSet(lungsOption);
    const QRegularExpressionMatch box = QRegularExpression(QStringLiteral("^(\\d+):(\\d+),(\\d+):(\\d+),(\\d+):(\\d+)$"))
                                            .match(parser.value(boxOption));
    if (parser.isSet(boxOption) ? !box.hasMatch() : !useLungs)
        return failWith(QStringLiteral("--box X0:X1,Y0:Y1,Z0:Z1 (voxel indices) or --lungs is required, not \"%1\"; %2")
                            .arg(parser.value(boxOption), usage));
    GgoOptions options;
    if (parser.isSet(rangeOption)) {
        const std::optional<HuRange> range = parseRange(parser.value(rangeOption).toStdString());
        if (!range)
            return failWith(QStringLiteral("--range takes ggo, consolidation or LO:HI with LO below HI (HU), not \"%1\"")
                                .arg(parser.value(rangeOption)));
        options.lowHu = range->low;
        options.highHu = range->high;
    }
    bool ok = true;
    if (parser.isSet(lowOption))
        options.lowHu = parser.value(lowOption).toDouble(&ok);
    if (ok && parser.isSet(highOption))
        options.highHu = parser.value(highOption).toDouble(&ok);
    if (!ok)
        return failWith(QStringLiteral("--low and --high take numbers (HU)"));
    if (!(options.lowHu < options.highHu))
        return failWith(QStringLiteral("the HU range is empty: the low end (%1) must be below the high end (%2)").arg(options.lowHu).arg(options.highHu));
    if (parser.isSet(minPieceOption)) {
        options.minPieceMl = parser.value(minPieceOption).toDouble(&ok);
        if (!ok || !(options.minPieceMl > 0.0))
            return failWith(QStringLiteral("--min-piece-ml takes a positive volume in mL, not \"%1\"").arg(parser.value(minPieceOption)));
    }
    options.smooth = !parser.isSet(noMedianOption);
    if (parser.isSet(meshOption)) {
        try {
            io::meshFormatForPath(parser.value(meshOption).toStdString());
        } catch (const std::exception &e) {
            return failWith(QString::fromUtf8(e.what()));
        }
    }
    GgoResult result;
    GgoFigures figures;
    try {
        const io::LoadResult loaded = io::readVolume(parser.positionalArguments().first().toStdString());
        for (const std::string &warning : loaded.warnings)
            std::fprintf(stderr, "carina ggo: warning: %s\n", warning.c_str());
        requireCtInHu(loaded.volume);
        GgoRegion region;
        region.box = box.hasMatch() ? VoxelBox{{box.captured(1).toInt(), box.captured(3).toInt(), box.captured(5).toInt()},
                                               {box.captured(2).toInt(), box.captured(4).toInt(), box.captured(6).toInt()}}
                                    : VoxelBox::whole(loaded.volume.dims());
        std::optional<LabelVolume> lungs;
        if (useLungs) {
            std::fprintf(stderr, "carina ggo: segmenting the lungs\n");
            lungs = algo::segmentLungs(loaded.volume).labels;
            region = limitRegion(region, nullptr, &*lungs);
            if (region.isEmpty())
                return failWith(QStringLiteral("the region holds no lung voxel"));
        }
        result = runGgo(loaded.volume, region, options, TaskContext::none(), lungs ? &*lungs : nullptr);
        if (parser.isSet(labelsOption))
            io::writeNiftiLabels(*result.labels, parser.value(labelsOption).toStdString());
        if (parser.isSet(meshOption) && result.found.voxels > 0)
            io::writeMeshes({&result.surface}, parser.value(meshOption).toStdString());
    } catch (const std::exception &e) {
        return failWith(QString::fromUtf8(e.what()));
    }
    figures.lowHu = options.lowHu;
    figures.highHu = options.highHu;
    figures.ggoMl = result.volumeMl;
    figures.ggoVoxels = result.found.voxels;
    figures.pieces = result.found.pieces;
    figures.piecesKept = result.piecesKept;
    figures.regionMl = result.regionVolumeMl;
    figures.lungs = result.lungs;
    QString error;
    if (parser.isSet(csvOption) && !writeText(parser.value(csvOption), figuresCsv(figures), error))
        return failWith(error);
    if (parser.isSet(jsonOption) && !writeText(parser.value(jsonOption), figuresJson(figures), error))
        return failWith(error);
    if (parser.value(csvOption) != QLatin1String("-") && parser.value(jsonOption) != QLatin1String("-")) {
        std::printf("ggo_ml: %.3f\nggo_voxels: %llu\npieces_in_range: %u\npieces_kept: %u\nvoxels_in_range: %llu\nregion_ml: %.3f\n",
                    result.volumeMl, (unsigned long long)result.found.voxels, result.found.pieces, result.piecesKept,
                    (unsigned long long)result.found.voxelsInRange, result.regionVolumeMl);
        if (result.lungs.known)
            std::printf("right_lung_percent: %.3f\nleft_lung_percent: %.3f\n", result.lungs.rightPercent(), result.lungs.leftPercent());
    }
    if (result.found.voxels == 0)
        std::fprintf(stderr, "carina ggo: no voxel of the region lies in (%g, %g] HU: widen the range or move the region\n",
                     options.lowHu, options.highHu);
    return 0;
}

} // namespace carina::ggo
