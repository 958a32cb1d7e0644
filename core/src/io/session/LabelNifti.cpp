// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/io/AtomicFile.h>
#include <carina/io/IoError.h>
#include <carina/io/LabelNifti.h>
#include <carina/io/Nifti.h>

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace carina::io {

namespace {

std::string fileName(const std::string &path)
{
    return QFileInfo(QString::fromStdString(path)).fileName().toStdString();
}

std::string number(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
}

template<typename T> void copyLabels(const Volume &volume, LabelVolume &labels, const std::string &path)
{
    const T *in = volume.data<T>();
    std::uint16_t *out = labels.data();
    const std::size_t n = labels.voxelCount();
    for (std::size_t i = 0; i < n; ++i) {
        const T v = in[i];
        if constexpr (std::is_floating_point_v<T>) {
            if (!(v >= 0) || v > 65535 || std::floor(v) != v)
                throw IoError(path + ": not a label image: voxel " + std::to_string(i) + " holds " + number(double(v))
                              + " (labels are whole numbers 0..65535)");
        } else if constexpr (std::is_signed_v<T>) {
            if (v < 0)
                throw IoError(path + ": not a label image: voxel " + std::to_string(i) + " holds " + std::to_string(v)
                              + " (labels are whole numbers 0..65535)");
        }
        out[i] = std::uint16_t(v);
    }
}

} // namespace

std::string describeGrid(const ImageGeometry &g)
{
    const auto code = g.orientationCode();
    return std::to_string(g.dims[0]) + " x " + std::to_string(g.dims[1]) + " x " + std::to_string(g.dims[2])
        + " voxels of " + number(g.spacing.x()) + " x " + number(g.spacing.y()) + " x " + number(g.spacing.z())
        + " mm, origin (" + number(g.origin.x()) + ", " + number(g.origin.y()) + ", " + number(g.origin.z())
        + ") mm, axes " + std::string(code.begin(), code.end());
}

std::string labelDescriptionPath(const std::string &niftiPath)
{
    std::string base = niftiPath;
    for (const char *suffix : {".nii.gz", ".NII.GZ", ".nii", ".NII"}) {
        const std::size_t n = std::char_traits<char>::length(suffix);
        if (base.size() > n && base.compare(base.size() - n, n, suffix) == 0) {
            base.resize(base.size() - n);
            break;
        }
    }
    return base + ".label.txt";
}

std::string formatLabelDescription(const LabelTable &table)
{
    std::string out = "################################################\n"
                      "# ITK-SnAP Label Description File (written by Carina)\n"
                      "# IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL\n"
                      "################################################\n"
                      "    0     0    0    0        0  0  0    \"Clear Label\"\n";
    char line[96];
    for (const LabelInfo &e : table.entries()) {
        std::snprintf(line, sizeof line, "%5u %5u %4u %4u %8d %2d %2d    \"", unsigned(e.id), unsigned(e.rgb[0]),
                      unsigned(e.rgb[1]), unsigned(e.rgb[2]), 1, e.visible ? 1 : 0, 1);
        out += line;
        // The format has no escapes: a quote in a name would end it early.
        std::string name = e.name;
        std::replace(name.begin(), name.end(), '"', '\'');
        std::replace(name.begin(), name.end(), '\n', ' ');
        out += name + "\"\n";
    }
    return out;
}

std::vector<std::string> parseLabelDescription(const std::string &text, LabelTable &table)
{
    std::vector<std::string> problems;
    std::istringstream lines(text);
    std::string line;
    int lineNumber = 0;
    while (std::getline(lines, line)) {
        ++lineNumber;
        const std::size_t first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#')
            continue;
        std::istringstream fields(line);
        long id = -1, r = -1, g = -1, b = -1, vis = 1, mesh = 1;
        double alpha = 1.0;
        fields >> id >> r >> g >> b >> alpha >> vis >> mesh;
        const std::size_t open = line.find('"');
        const std::size_t close = open == std::string::npos ? open : line.find('"', open + 1);
        const bool inRange = id >= 0 && id <= 65535 && r >= 0 && r <= 255 && g >= 0 && g <= 255 && b >= 0 && b <= 255;
        if (fields.fail() || !inRange || close == std::string::npos) {
            if (problems.size() < 5)
                problems.push_back("line " + std::to_string(lineNumber) + " is not IDX R G B A VIS MSH \"NAME\"");
            continue;
        }
        if (id == 0)
            continue; // "Clear Label", the background
        table.set(LabelInfo{std::uint16_t(id), line.substr(open + 1, close - open - 1),
                            {std::uint8_t(r), std::uint8_t(g), std::uint8_t(b)}, vis != 0});
    }
    return problems;
}

void exportLabelNifti(const LabelVolume &labels, const std::string &path)
{
    if (labels.voxelCount() == 0)
        throw IoError(path + ": cannot write: the label layer is empty");
    const std::uint16_t *data = labels.data();
    const std::uint16_t largest = *std::max_element(data, data + labels.voxelCount());
    if (largest < 256) {
        Volume bytes(VoxelType::UInt8, labels.geometry());
        std::copy(data, data + labels.voxelCount(), bytes.data<std::uint8_t>());
        writeNifti(bytes, path);
    } else {
        // Wraps the layer's buffer: no copy of a large layer just to write it.
        Volume wrapped(VoxelType::UInt16, labels.geometry(), 1, std::shared_ptr<void>(),
                       const_cast<std::uint16_t *>(data));
        writeNifti(wrapped, path);
    }
    // Every label present gets a line, so other tools show Carina's names and colours.
    LabelTable table = labels.table();
    const std::vector<std::size_t> histogram = labels.histogram();
    for (std::size_t id = 1; id < histogram.size(); ++id)
        if (histogram[id] > 0 && !table.find(std::uint16_t(id)))
            table.set(table.infoOrDefault(std::uint16_t(id)));
    const std::string text = formatLabelDescription(table);
    writeFileAtomically(labelDescriptionPath(path), text.data(), text.size());
}

LabelImport importLabelNifti(const std::string &path, const ImageGeometry &imageGrid, double toleranceMm,
                             const TaskContext &context)
{
    LoadResult loaded = readNifti(path, context);
    const Volume &volume = loaded.volume;
    const std::string name = fileName(path);
    if (volume.channels() != 1)
        throw IoError(path + ": not a label image: it has " + std::to_string(volume.channels())
                      + " channels per voxel (colour), labels have one");
    if (!volume.geometry().sameGrid(imageGrid, toleranceMm))
        throw IoError(path + ": its voxel grid does not match the open image's, so its labels would not line up.\n"
                      + name + ": " + describeGrid(volume.geometry()) + "\nopen image: " + describeGrid(imageGrid));
    LabelImport out;
    // The image's grid, not the file's: the two agree within the tolerance and layers must match exactly.
    ImageGeometry grid = volume.geometry();
    grid.spacing = imageGrid.spacing;
    grid.origin = imageGrid.origin;
    grid.direction = imageGrid.direction;
    out.labels = std::make_shared<LabelVolume>(grid);
    dispatchVoxelType(volume.type(), [&](auto tag) { copyLabels<decltype(tag)>(volume, *out.labels, path); });
    for (const std::string &w : loaded.warnings)
        out.warnings.push_back(w);

    const QString description = QString::fromStdString(labelDescriptionPath(path));
    QFile file(description);
    if (file.exists()) {
        // A description file is small; a huge one is not ours.
        if (file.size() > 16 * 1024 * 1024 || !file.open(QIODevice::ReadOnly)) {
            out.warnings.push_back(description.toStdString() + ": cannot read the label names: "
                                   + file.errorString().toStdString());
        } else {
            const QByteArray text = file.readAll();
            for (const std::string &problem : parseLabelDescription(text.toStdString(), out.labels->table()))
                out.warnings.push_back(fileName(description.toStdString()) + ": " + problem);
        }
    }
    return out;
}

} // namespace carina::io
