// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "SmoothingCommand.h"

#include "GaussianSmoothing.h"

#include <carina/io/Nifti.h>
#include <carina/io/VolumeReader.h>

#include <QCommandLineParser>

#include <cstdio>
#include <exception>

namespace example {

namespace {

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption sigma(QStringLiteral("sigma"), QStringLiteral("standard deviation in mm"), QStringLiteral("MM"),
                                   QStringLiteral("1"));
    const QCommandLineOption output(QStringLiteral("output"), QStringLiteral("NIfTI file to write"), QStringLiteral("FILE"));
    parser.addOption(sigma);
    parser.addOption(output);
    if (!parser.parse(QStringList{QStringLiteral("smooth")} + arguments) || parser.positionalArguments().size() != 1
        || !parser.isSet(output)) {
        std::fprintf(stderr, "carina smooth: usage: smooth INPUT --sigma MM --output OUT.nii.gz\n");
        return 1;
    }
    try {
        const auto loaded = carina::io::readVolume(parser.positionalArguments().front().toStdString());
        const carina::Volume smoothed = smoothGaussian(loaded.volume, parser.value(sigma).toDouble());
        carina::io::writeNifti(smoothed, parser.value(output).toStdString());
        const auto [lo, hi] = smoothed.valueRange();
        std::printf("wrote %s: %d x %d x %d, values %g .. %g\n", qPrintable(parser.value(output)), smoothed.dims()[0],
                    smoothed.dims()[1], smoothed.dims()[2], lo, hi);
        return 0;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "carina smooth: %s\n", e.what());
        return 1;
    }
}

} // namespace

carina::HeadlessCommand smoothCommand()
{
    return {QStringLiteral("smooth"), QStringLiteral("Gaussian smoothing of an image, written as NIfTI (example plugin)"),
            QStringLiteral("INPUT --sigma MM --output OUT.nii.gz"), &run};
}

} // namespace example
