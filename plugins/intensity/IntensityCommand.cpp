// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "IntensityCommand.h"

#include <carina/algo/Histogram.h>
#include <carina/io/IoError.h>
#include <carina/io/VolumeReader.h>

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <exception>

namespace carina::intensity {

namespace {

// Enough digits to round-trip what the statistics mean, few enough to diff outputs by eye.
QString number(double value)
{
    return QString::number(value, 'g', 10);
}

int failWith(const QString &message)
{
    std::fprintf(stderr, "carina intensity: %s\n", qUtf8Printable(message));
    return 1;
}

} // namespace

HeadlessCommand intensityCommand()
{
    return HeadlessCommand{QStringLiteral("intensity"),
                           QStringLiteral("histogram and statistics (count, mean, std, min, max, percentiles) of an image"),
                           QStringLiteral("FILE|FOLDER [--bins N] [--json]"), &runIntensityCommand};
}

int runIntensityCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption binsOption(QStringLiteral("bins"), QStringLiteral("number of bins (default 128)"),
                                        QStringLiteral("N"), QStringLiteral("128"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("print JSON instead of text"));
    parser.addOption(binsOption);
    parser.addOption(jsonOption);
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("image file or DICOM folder"));
    // parse() expects the program name first.
    if (!parser.parse(QStringList{QStringLiteral("intensity")} + arguments))
        return failWith(parser.errorText());
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return failWith(QStringLiteral("expected one FILE or FOLDER; usage: intensity %1").arg(intensityCommand().usage));
    bool ok = false;
    const int bins = parser.value(binsOption).toInt(&ok);
    if (!ok || bins < 1 || bins > 65536)
        return failWith(QStringLiteral("--bins must be a whole number from 1 to 65536, not \"%1\"").arg(parser.value(binsOption)));

    const QString path = positional.first();
    algo::Histogram histogram;
    std::string units;
    try {
        const io::LoadResult loaded = io::readVolume(path.toStdString());
        for (const std::string &warning : loaded.warnings)
            std::fprintf(stderr, "carina intensity: warning: %s\n", warning.c_str());
        units = loaded.volume.info().units;
        histogram = algo::computeHistogram(loaded.volume, {.bins = bins});
    } catch (const std::exception &e) {
        return failWith(QString::fromUtf8(e.what()));
    }

    const double p1 = histogram.percentile(0.01);
    const double p99 = histogram.percentile(0.99);
    if (parser.isSet(jsonOption)) {
        QJsonArray edges;
        for (double edge : histogram.edges)
            edges.append(edge);
        QJsonArray counts;
        for (std::uint64_t count : histogram.counts)
            counts.append(double(count));
        const QJsonObject root{{QStringLiteral("path"), path},
                               {QStringLiteral("units"), QString::fromStdString(units)},
                               {QStringLiteral("count"), double(histogram.count)},
                               {QStringLiteral("mean"), histogram.mean},
                               {QStringLiteral("std"), histogram.stddev},
                               {QStringLiteral("min"), histogram.minimum},
                               {QStringLiteral("max"), histogram.maximum},
                               {QStringLiteral("p1"), p1},
                               {QStringLiteral("p99"), p99},
                               {QStringLiteral("edges"), edges},
                               {QStringLiteral("counts"), counts}};
        std::fputs(QJsonDocument(root).toJson(QJsonDocument::Indented).constData(), stdout);
        return 0;
    }

    const QString unit = units.empty() ? QString() : QLatin1Char(' ') + QString::fromStdString(units);
    QString text;
    text += QStringLiteral("path: %1\n").arg(path);
    text += QStringLiteral("units: %1\n").arg(units.empty() ? QStringLiteral("unknown") : QString::fromStdString(units));
    text += QStringLiteral("count: %1\n").arg(histogram.count);
    text += QStringLiteral("mean: %1%2\n").arg(number(histogram.mean), unit);
    text += QStringLiteral("std: %1%2\n").arg(number(histogram.stddev), unit);
    text += QStringLiteral("min: %1%2\n").arg(number(histogram.minimum), unit);
    text += QStringLiteral("max: %1%2\n").arg(number(histogram.maximum), unit);
    text += QStringLiteral("p1: %1%2\n").arg(number(p1), unit);
    text += QStringLiteral("p99: %1%2\n").arg(number(p99), unit);
    text += QStringLiteral("bins: %1 (lower edge, upper edge, count)\n").arg(histogram.counts.size());
    for (std::size_t b = 0; b < histogram.counts.size(); ++b)
        text += QStringLiteral("%1 %2 %3\n").arg(number(histogram.edges[b]), number(histogram.edges[b + 1])).arg(histogram.counts[b]);
    std::fputs(text.toUtf8().constData(), stdout);
    return 0;
}

} // namespace carina::intensity
