// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "LabelPropsCommand.h"

#include "LabelPipeline.h"

#include <carina/PixelSize.h>
#include <carina/io/ImageFile.h>
#include <carina/io/Nifti.h>
#include <carina/io/Npy.h>
#include <carina/io/VolumeReader.h>

#include <QCommandLineParser>

#include <cstdio>
#include <exception>
#include <optional>
#include <stdexcept>

namespace carina::labelprops {

namespace {

int failWith(const QString &message)
{
    std::fprintf(stderr, "carina labelprops: %s\n", qUtf8Printable(message));
    return 1;
}

void writeLabels(const LabelVolume &labels, const QString &file)
{
    if (file.toLower().endsWith(QLatin1String(".png")))
        io::writeLabelPng(labels, file.toStdString());
    else
        io::writeNiftiLabels(labels, file.toStdString());
}

} // namespace

Volume readInputImage(const std::string &path)
{
    return io::isNpyPath(path) ? io::readNpyVolume(path) : io::readVolume(path).volume;
}

HeadlessCommand labelPropsCommand()
{
    return HeadlessCommand{
        QStringLiteral("labelprops"),
        QStringLiteral("threshold + connected components + region properties table (CSV with scikit-image's column names)"),
        QStringLiteral("INPUT [--threshold otsu|VALUE] [--dark] [--connectivity N] [--min-size N] --csv FILE "
                       "[--columns a,b,...] [--labels FILE.nii.gz|FILE.png] [--pixel-size SIZE]"),
        &runLabelPropsCommand};
}

int runLabelPropsCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption thresholdOption(QStringLiteral("threshold"), QStringLiteral("otsu (default) or a value"),
                                             QStringLiteral("otsu|VALUE"), QStringLiteral("otsu"));
    const QCommandLineOption darkOption(QStringLiteral("dark"), QStringLiteral("objects are darker than the threshold"));
    const QCommandLineOption connectivityOption(QStringLiteral("connectivity"),
                                                QStringLiteral("neighbours: 4 or 8 (2D), 6, 18 or 26 (3D); default the most"),
                                                QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption minSizeOption(QStringLiteral("min-size"), QStringLiteral("drop regions with fewer voxels"),
                                           QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption csvOption(QStringLiteral("csv"), QStringLiteral("write the region table here"), QStringLiteral("FILE"));
    const QCommandLineOption columnsOption(QStringLiteral("columns"), QStringLiteral("comma-separated columns (default all)"),
                                           QStringLiteral("LIST"));
    const QCommandLineOption labelsOption(QStringLiteral("labels"), QStringLiteral("write the label image (.nii.gz, 2D .png)"),
                                          QStringLiteral("FILE"));
    const QCommandLineOption pixelSizeOption(QStringLiteral("pixel-size"),
                                             QStringLiteral("the image's pixel size with its unit (0.65um, 650nm, 0.5mm): "
                                                            "physical columns in that unit (area_um2, ...)"),
                                             QStringLiteral("SIZE"));
    for (const auto &o : {thresholdOption, darkOption, connectivityOption, minSizeOption, csvOption, columnsOption, labelsOption,
                          pixelSizeOption})
        parser.addOption(o);
    parser.addPositionalArgument(QStringLiteral("INPUT"), QStringLiteral("image file (.npy, NIfTI, PNG, TIFF, ...) or DICOM folder"));
    if (!parser.parse(QStringList{QStringLiteral("labelprops")} + arguments))
        return failWith(parser.errorText());
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return failWith(QStringLiteral("expected one INPUT; usage: labelprops %1").arg(labelPropsCommand().usage));
    if (!parser.isSet(csvOption) && !parser.isSet(labelsOption))
        return failWith(QStringLiteral("nothing to write: give --csv FILE (and/or --labels FILE)"));

    LabelOptions options;
    const QString threshold = parser.value(thresholdOption);
    if (threshold.compare(QLatin1String("otsu"), Qt::CaseInsensitive) != 0) {
        bool ok = false;
        options.otsu = false;
        options.threshold = threshold.toDouble(&ok);
        if (!ok)
            return failWith(QStringLiteral("--threshold must be \"otsu\" or a number, not \"%1\"").arg(threshold));
    }
    options.darkObjects = parser.isSet(darkOption);
    bool ok = false;
    options.neighbours = parser.value(connectivityOption).toInt(&ok);
    if (!ok)
        return failWith(QStringLiteral("--connectivity must be 4, 8, 6, 18 or 26, not \"%1\"").arg(parser.value(connectivityOption)));
    const qlonglong minSize = parser.value(minSizeOption).toLongLong(&ok);
    if (!ok || minSize < 0)
        return failWith(QStringLiteral("--min-size must be a whole number >= 0, not \"%1\"").arg(parser.value(minSizeOption)));
    options.minSize = std::uint64_t(minSize);

    std::optional<PixelSize> pixelSize;
    if (parser.isSet(pixelSizeOption)) {
        try {
            pixelSize = parsePixelSize(parser.value(pixelSizeOption).toStdString());
        } catch (const std::invalid_argument &e) {
            return failWith(QStringLiteral("--pixel-size: %1").arg(QString::fromUtf8(e.what())));
        }
    }

    const QString path = positional.first();
    try {
        Volume image = readInputImage(path.toStdString());
        if (pixelSize)
            applyPixelSize(image, *pixelSize);
        if (image.channels() != 1)
            throw std::invalid_argument(path.toStdString() + ": region properties need a single-channel image");
        const Measurement m = measure(image, options);
        if (parser.isSet(csvOption)) {
            std::vector<std::string> columns;
            if (parser.isSet(columnsOption))
                for (const QString &c : parser.value(columnsOption).split(QLatin1Char(','), Qt::SkipEmptyParts))
                    columns.push_back(c.trimmed().toStdString());
            algo::writeCsv(m.table, parser.value(csvOption).toStdString(), columns);
        }
        if (parser.isSet(labelsOption))
            writeLabels(*m.labels, parser.value(labelsOption));
        std::printf("regions: %zu\nthreshold: %.17g\n", m.table.regions.size(), m.labelling.threshold);
    } catch (const std::exception &e) {
        return failWith(QString::fromUtf8(e.what()));
    }
    return 0;
}

} // namespace carina::labelprops
