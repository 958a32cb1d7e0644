// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "SuperpixelsCommand.h"

#include <carina/algo/Superpixels.h>
#include <carina/io/Nifti.h>
#include <carina/io/Npy.h>
#include <carina/io/VolumeReader.h>

#include <QCommandLineParser>

#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>

namespace carina::superpixels {

namespace {

int failWith(const QString &message)
{
    std::fprintf(stderr, "carina superpixels: %s\n", qUtf8Printable(message));
    return 1;
}

double seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

} // namespace

HeadlessCommand superpixelsCommand()
{
    return HeadlessCommand{QStringLiteral("superpixels"),
                           QStringLiteral("3D/2D SLIC superpixels as a label NIfTI (the seed app's dark-superpixel drop with --min-mean)"),
                           QStringLiteral("INPUT --n-segments N --compactness C [--mask-threshold T] [--min-mean M] "
                                          "--output sp.nii.gz [--json]"),
                           &runSuperpixelsCommand};
}

int runSuperpixelsCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption nOption(QStringLiteral("n-segments"), QStringLiteral("superpixels to aim for"), QStringLiteral("N"));
    const QCommandLineOption cOption(QStringLiteral("compactness"), QStringLiteral("SLIC compactness (> 0)"), QStringLiteral("C"),
                                     QStringLiteral("0.1"));
    const QCommandLineOption maskOption(QStringLiteral("mask-threshold"), QStringLiteral("only voxels above T get superpixels"),
                                        QStringLiteral("T"));
    const QCommandLineOption meanOption(QStringLiteral("min-mean"), QStringLiteral("drop superpixels with mean <= M"), QStringLiteral("M"));
    const QCommandLineOption outOption(QStringLiteral("output"), QStringLiteral("label NIfTI to write"), QStringLiteral("FILE"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("print one JSON object"));
    for (const auto &o : {nOption, cOption, maskOption, meanOption, outOption, jsonOption})
        parser.addOption(o);
    parser.addPositionalArgument(QStringLiteral("INPUT"), QStringLiteral("image (NIfTI, DICOM folder, .npy, PNG, ...)"));
    if (!parser.parse(QStringList{QStringLiteral("superpixels")} + arguments))
        return failWith(parser.errorText());
    if (parser.positionalArguments().size() != 1)
        return failWith(QStringLiteral("expected one INPUT; usage: superpixels %1").arg(superpixelsCommand().usage));
    if (!parser.isSet(outOption))
        return failWith(QStringLiteral("nothing to write: give --output FILE.nii.gz"));
    if (!parser.isSet(nOption))
        return failWith(QStringLiteral("give --n-segments N"));
    bool ok = false;
    algo::SlicOptions options;
    options.nSegments = parser.value(nOption).toInt(&ok);
    if (!ok || options.nSegments < 1)
        return failWith(QStringLiteral("--n-segments must be a whole number >= 1, not \"%1\"").arg(parser.value(nOption)));
    options.compactness = parser.value(cOption).toDouble(&ok);
    if (!ok || !(options.compactness > 0))
        return failWith(QStringLiteral("--compactness must be a number > 0, not \"%1\"").arg(parser.value(cOption)));
    double maskThreshold = 0, minMean = 0;
    if (parser.isSet(maskOption) && (maskThreshold = parser.value(maskOption).toDouble(&ok), !ok))
        return failWith(QStringLiteral("--mask-threshold must be a number"));
    if (parser.isSet(meanOption) && (minMean = parser.value(meanOption).toDouble(&ok), !ok))
        return failWith(QStringLiteral("--min-mean must be a number"));

    const std::string input = parser.positionalArguments().first().toStdString();
    try {
        const auto t0 = std::chrono::steady_clock::now();
        const Volume image = io::isNpyPath(input) ? io::readNpyVolume(input) : io::readVolume(input).volume;
        const auto t1 = std::chrono::steady_clock::now();
        std::vector<std::uint8_t> mask;
        if (parser.isSet(maskOption)) {
            mask.resize(image.voxelCount());
            dispatchVoxelType(image.type(), [&](auto t) {
                using T = decltype(t);
                const T *v = image.data<T>();
                for (std::size_t i = 0; i < mask.size(); ++i)
                    mask[i] = double(v[i * std::size_t(image.channels())]) > maskThreshold;
            });
        }
        algo::SuperpixelMap map = algo::slicSuperpixels(image, options, mask.empty() ? nullptr : mask.data());
        const auto t2 = std::chrono::steady_clock::now();
        const std::uint32_t produced = map.count;
        if (parser.isSet(meanOption))
            algo::dropDarkSuperpixels(map, image, minMean);
        const auto t3 = std::chrono::steady_clock::now();
        if (map.count > 65535)
            throw std::invalid_argument(std::to_string(map.count) + " superpixels do not fit a 16-bit label NIfTI: ask for fewer");
        LabelVolume labels(image.geometry());
        std::copy(map.labels.begin(), map.labels.end(), labels.data());
        io::writeNiftiLabels(labels, parser.value(outOption).toStdString());
        const auto t4 = std::chrono::steady_clock::now();
        if (parser.isSet(jsonOption))
            std::printf("{\"n_segments_requested\": %d, \"seeds\": %u, \"n_segments\": %u, \"n_kept\": %u, \"iterations\": %d, "
                        "\"load_s\": %.4f, \"slic_s\": %.4f, \"post_s\": %.4f, \"write_s\": %.4f}\n",
                        options.nSegments, map.seeds, produced, map.count, map.iterations, seconds(t0, t1), seconds(t1, t2),
                        seconds(t2, t3), seconds(t3, t4));
        else
            std::printf("superpixels: %u (kept %u of %u)\nslic: %.3f s\n", map.count, map.count, produced, seconds(t1, t2));
        if (map.count == 0)
            return failWith(QStringLiteral("no superpixel kept: every one has a mean at or below --min-mean"));
    } catch (const std::exception &e) {
        return failWith(QString::fromUtf8(e.what()));
    }
    return 0;
}

} // namespace carina::superpixels
