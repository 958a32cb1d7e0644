// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "TrainableCommand.h"

#include "TrainablePipeline.h"

#include <carina/io/AtomicFile.h>
#include <carina/io/ImageFile.h>
#include <carina/io/IoError.h>
#include <carina/io/Nifti.h>
#include <carina/io/Npy.h>
#include <carina/io/TrainableModel.h>
#include <carina/io/VolumeReader.h>

#include <QBuffer>
#include <QCommandLineParser>
#include <QImage>

#include <cstdio>
#include <exception>
#include <stdexcept>

namespace carina::trainable {

namespace {

int failWith(const char *command, const QString &message)
{
    std::fprintf(stderr, "carina %s: %s\n", command, qUtf8Printable(message));
    return 1;
}

bool endsWith(const std::string &s, const char *suffix)
{
    return QString::fromStdString(s).toLower().endsWith(QLatin1String(suffix));
}

} // namespace

Volume readImage(const std::string &path)
{
    return io::isNpyPath(path) ? io::readNpyVolume(path) : io::readVolume(path).volume;
}

LabelVolume readScribbles(const std::string &path, const ImageGeometry &grid)
{
    const Volume v = readImage(path);
    if (v.dims() != grid.dims)
        throw std::invalid_argument(path + ": scribbles are " + std::to_string(v.dims()[0]) + "x" + std::to_string(v.dims()[1]) + "x" +
                                    std::to_string(v.dims()[2]) + ", the image is " + std::to_string(grid.dims[0]) + "x" +
                                    std::to_string(grid.dims[1]) + "x" + std::to_string(grid.dims[2]));
    if (v.channels() != 1 || (v.type() != VoxelType::UInt8 && v.type() != VoxelType::UInt16 && v.type() != VoxelType::Int16))
        throw std::invalid_argument(path + ": scribbles must be one channel of whole numbers (0 = unlabelled, 1..N = classes)");
    LabelVolume labels(grid);
    dispatchVoxelType(v.type(), [&](auto tag) {
        using T = decltype(tag);
        const T *p = v.data<T>();
        for (std::size_t i = 0; i < labels.voxelCount(); ++i) {
            if (double(p[i]) < 0 || double(p[i]) > 255)
                throw std::invalid_argument(path + ": a scribble value outside 0..255");
            labels.data()[i] = std::uint16_t(p[i]);
        }
    });
    return labels;
}

void writeSegmentation(const LabelVolume &labels, const std::string &path)
{
    if (endsWith(path, ".png"))
        io::writeLabelPng(labels, path);
    else if (endsWith(path, ".nii") || endsWith(path, ".nii.gz"))
        io::writeNiftiLabels(labels, path);
    else
        throw std::invalid_argument(path + ": write the segmentation as .nii.gz, .nii or .png");
}

void writeBlendedPng(const Volume &image, const LabelVolume &labels, int z, const std::string &path)
{
    const std::vector<std::uint8_t> rgba = blendedSlice(image, labels, z, 0.45);
    const QImage img(rgba.data(), image.dims()[0], image.dims()[1], image.dims()[0] * 4, QImage::Format_RGBA8888);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!img.convertToFormat(QImage::Format_RGB888).save(&buffer, "PNG"))
        throw io::IoError(path + ": cannot encode the PNG");
    io::writeFileAtomically(path, bytes.constData(), std::size_t(bytes.size()));
}

HeadlessCommand trainCommand()
{
    return HeadlessCommand{QStringLiteral("trainable-train"),
                           QStringLiteral("train a pixel classifier (multi-scale features + random forest) from an image and its scribbles"),
                           QStringLiteral("INPUT SCRIBBLES --output MODEL [--sigma-min 1] [--sigma-max 16] [--trees 50] [--depth 10] "
                                          "[--no-intensity] [--no-edges] [--no-texture] [--seed 0]"),
                           &runTrainCommand};
}

int runTrainCommand(const QStringList &arguments)
{
    const char *name = "trainable-train";
    QCommandLineParser parser;
    const QCommandLineOption output(QStringLiteral("output"), QStringLiteral("model file to write"), QStringLiteral("MODEL"));
    const QCommandLineOption sigmaMin(QStringLiteral("sigma-min"), QStringLiteral("smallest sigma"), QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption sigmaMax(QStringLiteral("sigma-max"), QStringLiteral("largest sigma"), QStringLiteral("S"), QStringLiteral("16"));
    const QCommandLineOption trees(QStringLiteral("trees"), QStringLiteral("trees"), QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption depth(QStringLiteral("depth"), QStringLiteral("max depth (0 = unlimited)"), QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("random seed"), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption noIntensity(QStringLiteral("no-intensity"), QStringLiteral("leave out the smoothed intensity"));
    const QCommandLineOption noEdges(QStringLiteral("no-edges"), QStringLiteral("leave out the gradient magnitude"));
    const QCommandLineOption noTexture(QStringLiteral("no-texture"), QStringLiteral("leave out the Hessian eigenvalues"));
    for (const auto &o : {output, sigmaMin, sigmaMax, trees, depth, seed, noIntensity, noEdges, noTexture})
        parser.addOption(o);
    if (!parser.parse(QStringList{QString::fromLatin1(name)} + arguments))
        return failWith(name, parser.errorText());
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2 || !parser.isSet(output))
        return failWith(name, QStringLiteral("usage: trainable-train %1").arg(trainCommand().usage));
    bool ok1 = false, ok2 = false, ok3 = false, ok4 = false, ok5 = false;
    io::TrainableModel model;
    model.features.sigmaMin = parser.value(sigmaMin).toDouble(&ok1);
    model.features.sigmaMax = parser.value(sigmaMax).toDouble(&ok2);
    model.training.trees = parser.value(trees).toInt(&ok3);
    model.training.maxDepth = parser.value(depth).toInt(&ok4);
    model.training.seed = parser.value(seed).toULongLong(&ok5);
    if (!(ok1 && ok2 && ok3 && ok4 && ok5))
        return failWith(name, QStringLiteral("--sigma-min, --sigma-max, --trees, --depth and --seed take numbers"));
    model.features.intensity = !parser.isSet(noIntensity);
    model.features.edges = !parser.isSet(noEdges);
    model.features.texture = !parser.isSet(noTexture);
    try {
        const Volume image = readImage(pos[0].toStdString());
        const LabelVolume scribbles = readScribbles(pos[1].toStdString(), image.geometry());
        int classCount = 0;
        for (std::size_t i = 0; i < scribbles.voxelCount(); ++i)
            classCount = std::max<int>(classCount, scribbles.data()[i]);
        if (classCount < 2)
            throw std::invalid_argument(pos[1].toStdString() + ": scribbles of at least two classes (values 1..N) are needed");
        model.channels = image.channels();
        model.is3d = image.dims()[2] > 1;
        model.classes = defaultClasses(classCount);
        FeatureCache cache(image, model.features, std::size_t(4) << 30);
        const std::vector<Scribble> s = collectScribbles(scribbles, classCount);
        model.forest = trainOnScribbles(cache, s, classCount, model.training, TaskContext::none());
        io::writeTrainableModel(parser.value(output).toStdString(), model);
        std::printf("{\"classes\": %d, \"features\": %d, \"training_voxels\": %zu, \"trees\": %d}\n", classCount,
                    model.forest.features(), s.size(), int(model.forest.trees().size()));
    } catch (const std::exception &e) {
        return failWith(name, QString::fromUtf8(e.what()));
    }
    return 0;
}

HeadlessCommand applyCommand()
{
    return HeadlessCommand{QStringLiteral("trainable-apply"),
                           QStringLiteral("segment an image with a saved pixel classifier (trainable segmentation model)"),
                           QStringLiteral("MODEL INPUT --output SEG.nii.gz|SEG.png [--uncertainty FILE.nii.gz] [--blended FILE.png]"),
                           &runApplyCommand};
}

int runApplyCommand(const QStringList &arguments)
{
    const char *name = "trainable-apply";
    QCommandLineParser parser;
    const QCommandLineOption output(QStringLiteral("output"), QStringLiteral("segmentation to write (.nii.gz, .nii, .png)"), QStringLiteral("FILE"));
    const QCommandLineOption uncertainty(QStringLiteral("uncertainty"), QStringLiteral("1 - max probability as float NIfTI"), QStringLiteral("FILE"));
    const QCommandLineOption blended(QStringLiteral("blended"), QStringLiteral("image blended with class colours (middle slice), PNG"), QStringLiteral("FILE"));
    for (const auto &o : {output, uncertainty, blended})
        parser.addOption(o);
    if (!parser.parse(QStringList{QString::fromLatin1(name)} + arguments))
        return failWith(name, parser.errorText());
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2 || !parser.isSet(output))
        return failWith(name, QStringLiteral("usage: trainable-apply %1").arg(applyCommand().usage));
    try {
        const io::TrainableModel model = io::readTrainableModel(pos[0].toStdString());
        const Volume image = readImage(pos[1].toStdString());
        std::vector<float> u;
        LabelVolume labels;
        try {
            labels = segmentImage(image, model, TaskContext::none(), parser.isSet(uncertainty) ? &u : nullptr);
        } catch (const std::invalid_argument &e) {
            throw std::invalid_argument(pos[0].toStdString() + " cannot segment " + pos[1].toStdString() + ": " + e.what());
        }
        writeSegmentation(labels, parser.value(output).toStdString());
        if (parser.isSet(uncertainty)) {
            Volume uv(VoxelType::Float32, image.geometry());
            std::copy(u.begin(), u.end(), uv.data<float>());
            io::writeNifti(uv, parser.value(uncertainty).toStdString());
        }
        if (parser.isSet(blended))
            writeBlendedPng(image, labels, image.dims()[2] / 2, parser.value(blended).toStdString());
        std::vector<std::size_t> counts(model.classes.size() + 1, 0);
        for (std::size_t i = 0; i < labels.voxelCount(); ++i)
            ++counts[std::min<std::size_t>(labels.data()[i], model.classes.size())];
        std::printf("{\"classes\": %zu, \"voxels_per_class\": [", model.classes.size());
        for (std::size_t c = 1; c < counts.size(); ++c)
            std::printf("%s%zu", c > 1 ? ", " : "", counts[c]);
        std::printf("]}\n");
    } catch (const std::exception &e) {
        return failWith(name, QString::fromUtf8(e.what()));
    }
    return 0;
}

} // namespace carina::trainable
