// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "HeadlessCommands.h"

#include <carina/io/DicomSeries.h>
#include <carina/io/Nifti.h>
#include <carina/io/VolumeReader.h>

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <cstdio>
#include <exception>

namespace carina {

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 10);
}

void print(const QString &text)
{
    std::fputs(text.toUtf8().constData(), stdout);
}

int failWith(const char *command, const QString &message)
{
    std::fprintf(stderr, "carina %s: %s\n", command, qUtf8Printable(message));
    return 1;
}

// Parses `arguments` with `parser`; false (and a message on stderr) on unknown options.
bool parseArguments(QCommandLineParser &parser, const char *command, const QStringList &arguments)
{
    if (parser.parse(QStringList{QString::fromLatin1(command)} + arguments))
        return true;
    failWith(command, parser.errorText());
    return false;
}

QJsonArray jsonArray(const Eigen::Vector3d &v)
{
    return {v.x(), v.y(), v.z()};
}

QString text(const Eigen::Vector3d &v)
{
    return QStringLiteral("%1 %2 %3").arg(number(v.x()), number(v.y()), number(v.z()));
}

const QString infoUsage = QStringLiteral("FILE|FOLDER [--json]");
const QString pluginsUsage = QStringLiteral("[--json] [--retry FILE]");
const QString convertUsage = QStringLiteral("INPUT OUTPUT.nii[.gz] [--series N|UID] [--json]");

Q_LOGGING_CATEGORY(lcHeadless, "carina.headless", QtInfoMsg)

} // namespace

int runInfoCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("print JSON instead of text"));
    parser.addOption(jsonOption);
    if (!parseArguments(parser, "info", arguments))
        return 1;
    if (parser.positionalArguments().size() != 1)
        return failWith("info", QStringLiteral("expected one FILE or FOLDER; usage: carina --headless info %1").arg(infoUsage));
    const QString path = parser.positionalArguments().first();

    io::LoadResult loaded;
    try {
        loaded = io::readVolume(path.toStdString());
    } catch (const std::exception &e) {
        return failWith("info", QString::fromUtf8(e.what()));
    }
    const Volume &volume = loaded.volume;
    const ImageGeometry &g = volume.geometry();
    const auto code = g.orientationCode();
    const QString orientation = QString::fromLatin1(code.data(), int(code.size()));
    const auto [low, high] = volume.valueRange();
    const ImageInfo &info = volume.info();
    QStringList warnings;
    for (const std::string &warning : loaded.warnings)
        warnings << QString::fromStdString(warning);
    // Geometry and modality only: the series description is free text and stays out of logs.
    qCDebug(lcHeadless, "info: read %dx%dx%d %s %s, %d warnings", g.dims[0], g.dims[1], g.dims[2],
            voxelTypeName(volume.type()), info.modality.c_str(), int(warnings.size()));

    if (parser.isSet(jsonOption)) {
        QJsonArray direction;
        for (int row = 0; row < 3; ++row)
            direction.append(QJsonArray{g.direction(row, 0), g.direction(row, 1), g.direction(row, 2)});
        const QJsonObject root{{QStringLiteral("path"), path},
                               {QStringLiteral("dims"), QJsonArray{g.dims[0], g.dims[1], g.dims[2]}},
                               {QStringLiteral("spacing"), jsonArray(g.spacing)},
                               {QStringLiteral("origin"), jsonArray(g.origin)},
                               {QStringLiteral("orientation"), orientation},
                               {QStringLiteral("direction"), direction},
                               {QStringLiteral("voxelType"), QString::fromLatin1(voxelTypeName(volume.type()))},
                               {QStringLiteral("channels"), volume.channels()},
                               {QStringLiteral("valueRange"), QJsonArray{low, high}},
                               {QStringLiteral("modality"), QString::fromStdString(info.modality)},
                               {QStringLiteral("units"), QString::fromStdString(info.units)},
                               {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)}};
        print(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
        return 0;
    }

    auto orUnknown = [](const std::string &s) { return s.empty() ? QStringLiteral("unknown") : QString::fromStdString(s); };
    QString out;
    out += QStringLiteral("path: %1\n").arg(path);
    out += QStringLiteral("dims: %1 %2 %3\n").arg(g.dims[0]).arg(g.dims[1]).arg(g.dims[2]);
    out += QStringLiteral("spacing: %1 mm\n").arg(text(g.spacing));
    out += QStringLiteral("origin: %1 mm (LPS)\n").arg(text(g.origin));
    out += QStringLiteral("orientation: %1\n").arg(orientation);
    // Row-major, so the columns read as the i, j, k axes in LPS, as in ImageGeometry.
    out += QStringLiteral("direction: %1  %2  %3\n")
               .arg(text(g.direction.row(0).transpose()), text(g.direction.row(1).transpose()),
                    text(g.direction.row(2).transpose()));
    out += QStringLiteral("voxel type: %1\n").arg(QString::fromLatin1(voxelTypeName(volume.type())));
    out += QStringLiteral("channels: %1\n").arg(volume.channels());
    out += QStringLiteral("value range: %1 %2\n").arg(number(low), number(high));
    out += QStringLiteral("modality: %1\n").arg(orUnknown(info.modality));
    out += QStringLiteral("units: %1\n").arg(orUnknown(info.units));
    for (const QString &warning : warnings)
        out += QStringLiteral("warning: %1\n").arg(warning);
    print(out);
    return 0;
}

int runConvertCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("print JSON instead of text"));
    const QCommandLineOption seriesOption(QStringLiteral("series"),
                                          QStringLiteral("the series of a DICOM folder: its number in `info`'s order (1 = most slices) or its UID"),
                                          QStringLiteral("N|UID"));
    parser.addOptions({jsonOption, seriesOption});
    if (!parseArguments(parser, "convert", arguments))
        return 1;
    if (parser.positionalArguments().size() != 2)
        return failWith("convert", QStringLiteral("expected INPUT and OUTPUT; usage: carina --headless convert %1").arg(convertUsage));
    const QString input = parser.positionalArguments().at(0);
    const QString output = parser.positionalArguments().at(1);
    if (!io::isNiftiPath(output.toStdString()))
        return failWith("convert", QStringLiteral("OUTPUT must end in .nii or .nii.gz: %1").arg(output));

    io::ReadOptions options;
    int seriesCount = 0;
    try {
        if (parser.isSet(seriesOption)) {
            const QString wanted = parser.value(seriesOption);
            if (!io::looksLikeDicom(input.toStdString()))
                return failWith("convert", QStringLiteral("--series applies to DICOM input only"));
            const io::DicomScan scan = io::scanDicom(input.toStdString());
            seriesCount = int(scan.series.size());
            bool isNumber = false;
            const int n = wanted.toInt(&isNumber);
            if (isNumber) {
                if (n < 1 || n > seriesCount)
                    return failWith("convert", QStringLiteral("--series %1: the folder holds %2 series (1..%2)").arg(n).arg(seriesCount));
                options.seriesInstanceUid = scan.series[std::size_t(n - 1)].seriesInstanceUid;
            } else {
                options.seriesInstanceUid = wanted.toStdString();
            }
        }
        const io::LoadResult loaded = io::readVolume(input.toStdString(), options);
        io::writeNifti(loaded.volume, output.toStdString());
        const ImageGeometry &g = loaded.volume.geometry();
        QStringList warnings;
        for (const std::string &warning : loaded.warnings)
            warnings << QString::fromStdString(warning);
        if (parser.isSet(jsonOption)) {
            const QJsonObject root{{QStringLiteral("output"), output},
                                   {QStringLiteral("dims"), QJsonArray{g.dims[0], g.dims[1], g.dims[2]}},
                                   {QStringLiteral("spacing"), jsonArray(g.spacing)},
                                   {QStringLiteral("voxelType"), QString::fromLatin1(voxelTypeName(loaded.volume.type()))},
                                   {QStringLiteral("channels"), loaded.volume.channels()},
                                   {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)}};
            print(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
        } else {
            print(QStringLiteral("wrote %1: %2 x %3 x %4, %5 mm, %6\n")
                      .arg(output).arg(g.dims[0]).arg(g.dims[1]).arg(g.dims[2]).arg(text(g.spacing))
                      .arg(QString::fromLatin1(voxelTypeName(loaded.volume.type()))));
            for (const QString &warning : warnings)
                print(QStringLiteral("warning: %1\n").arg(warning));
        }
    } catch (const std::exception &e) {
        return failWith("convert", QString::fromUtf8(e.what()));
    }
    return 0;
}

int runPluginsCommand(const std::function<const PluginHost &()> &discovered, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("print JSON instead of text"));
    const QCommandLineOption retryOption(QStringLiteral("retry"),
                                         QStringLiteral("load FILE again although it crashed a start"), QStringLiteral("FILE"));
    parser.addOption(jsonOption);
    parser.addOption(retryOption);
    if (!parseArguments(parser, "plugins", arguments))
        return 1;
    if (!parser.positionalArguments().isEmpty())
        return failWith("plugins", QStringLiteral("takes no arguments; usage: carina --headless plugins %1").arg(pluginsUsage));
    // Before discovery, so the list below already tries the plugin again.
    if (parser.isSet(retryOption)) {
        const QString file = parser.value(retryOption);
        if (!PluginHost::retryPlugin(PluginHost::defaultJournalPath(), file))
            return failWith("plugins", QStringLiteral("%1 is not marked as having crashed a start").arg(file));
        std::fprintf(stderr, "carina plugins: %s will be loaded again\n", qUtf8Printable(file));
    }
    const PluginHost &host = discovered();

    if (parser.isSet(jsonOption)) {
        QJsonArray list;
        for (const PluginRecord &record : host.plugins())
            list.append(QJsonObject{{QStringLiteral("id"), record.id},
                                    {QStringLiteral("name"), record.name},
                                    {QStringLiteral("version"), record.version},
                                    {QStringLiteral("sdkVersion"), record.sdkVersion},
                                    {QStringLiteral("file"), record.filePath},
                                    {QStringLiteral("status"), record.loaded ? QStringLiteral("loaded") : QStringLiteral("failed")},
                                    {QStringLiteral("reason"), record.error}});
        print(QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Indented)));
        return 0;
    }
    // One plugin per line, tab-separated: id, status, file, reason.
    QString out;
    for (const PluginRecord &record : host.plugins())
        out += QStringLiteral("%1\t%2\t%3\t%4\n")
                   .arg(record.id.isEmpty() ? QStringLiteral("-") : record.id,
                        record.loaded ? QStringLiteral("loaded") : QStringLiteral("failed"), record.filePath,
                        record.error);
    if (host.plugins().empty())
        std::fputs("carina: no plugins found\n", stderr);
    print(out);
    return 0;
}

std::vector<HeadlessCommand> builtinHeadlessCommands(std::function<const PluginHost &()> host)
{
    return {
        HeadlessCommand{QStringLiteral("info"),
                        QStringLiteral("dims, spacing, origin, orientation, voxel type, value range, modality of an image"),
                        infoUsage, &runInfoCommand},
        HeadlessCommand{QStringLiteral("convert"),
                        QStringLiteral("any readable image (DICOM series, NIfTI, PNG/TIFF) to NIfTI on its own affine"),
                        convertUsage, &runConvertCommand},
        HeadlessCommand{QStringLiteral("plugins"), QStringLiteral("the plugins found: id, status, file, reason"),
                        pluginsUsage,
                        [host](const QStringList &arguments) { return runPluginsCommand(host, arguments); }},
    };
}

} // namespace carina
