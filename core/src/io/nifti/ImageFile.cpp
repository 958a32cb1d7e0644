// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/LabelVolume.h>
#include <carina/io/AtomicFile.h>
#include <carina/io/ImageFile.h>
#include <carina/io/IoError.h>

#include <QBuffer>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>

#include <cstring>
#include <stdexcept>

namespace carina::io {

namespace {

struct Layout
{
    VoxelType type;
    int channels;
    QImage::Format format;
};

bool isGreyPalette(const QImage &image)
{
    const QList<QRgb> table = image.colorTable();
    if (table.isEmpty())
        return false;
    for (QRgb c : table)
        if (qRed(c) != qGreen(c) || qGreen(c) != qBlue(c) || qAlpha(c) != 255)
            return false;
    return true;
}

// What an image becomes: grey stays grey at its depth, colour becomes 8-bit RGB(A).
Layout layoutOf(const QImage &image)
{
    switch (image.format()) {
    case QImage::Format_Grayscale8:
    case QImage::Format_Mono:
    case QImage::Format_MonoLSB: return {VoxelType::UInt8, 1, QImage::Format_Grayscale8};
    case QImage::Format_Grayscale16: return {VoxelType::UInt16, 1, QImage::Format_Grayscale16};
    case QImage::Format_Indexed8:
        if (isGreyPalette(image))
            return {VoxelType::UInt8, 1, QImage::Format_Grayscale8};
        break;
    default: break;
    }
    if (image.hasAlphaChannel())
        return {VoxelType::UInt8, 4, QImage::Format_RGBA8888};
    return {VoxelType::UInt8, 3, QImage::Format_RGB888};
}

bool isSixteenBitColour(QImage::Format format)
{
    return format == QImage::Format_RGBX64 || format == QImage::Format_RGBA64
           || format == QImage::Format_RGBA64_Premultiplied;
}

// Copies one page into slice k, row 0 of the image to j = 0.
void copySlice(const QImage &converted, Volume &volume, int k)
{
    const std::size_t rowBytes = std::size_t(converted.width()) * std::size_t(volume.channels())
                                 * voxelTypeSize(volume.type());
    auto *base = static_cast<std::byte *>(volume.rawData());
    for (int y = 0; y < converted.height(); ++y) {
        const std::size_t index = volume.geometry().linearIndex(0, y, k) * std::size_t(volume.channels())
                                  * voxelTypeSize(volume.type());
        std::memcpy(base + index, converted.constScanLine(y), rowBytes);
    }
}

} // namespace

bool isImageFilePath(const std::string &path)
{
    const QString suffix = QFileInfo(QString::fromStdString(path)).suffix().toLower();
    return suffix == QLatin1String("png") || suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg")
           || suffix == QLatin1String("tif") || suffix == QLatin1String("tiff");
}

LoadResult readImageFile(const std::string &path)
{
    const QString name = QString::fromStdString(path);
    if (!QFileInfo::exists(name))
        throw IoError(path + ": no such file or folder");
    QImageReader reader(name);
    // Content decides, not the suffix: a PNG named .jpg still reads.
    reader.setDecideFormatFromContent(true);
    // Microscopy images are often larger than Qt's default 256 MB guard (a process-wide
    // setting: raise it, never lower what the application chose).
    if (QImageReader::allocationLimit() != 0 && QImageReader::allocationLimit() < 2048)
        QImageReader::setAllocationLimit(2048);
    if (!reader.canRead()) {
        const QByteArray format = QImageReader::imageFormat(name);
        if (format == "tiff" || format == "tif" || QFileInfo(name).suffix().toLower().startsWith(QLatin1String("tif")))
            throw IoError(path + ": cannot read this TIFF (is the Qt image formats plugin, Debian package "
                                 "qt6-image-formats-plugins, installed?): " + reader.errorString().toStdString());
        throw IoError(path + ": not a readable PNG, JPEG or TIFF image: " + reader.errorString().toStdString());
    }

    // Asked before read(): Qt's TIFF handler reports 1 once the first page has been decoded.
    const int count = std::max(1, reader.imageCount());
    LoadResult result;
    QImage first = reader.read();
    if (first.isNull())
        throw IoError(path + ": cannot decode the image: " + reader.errorString().toStdString());
    const Layout layout = layoutOf(first);
    if (isSixteenBitColour(first.format()))
        result.warnings.push_back(path + ": 16-bit colour reduced to 8 bits per channel");

    // A multi-page TIFF whose pages all match becomes a stack along k; otherwise the first page.
    ImageGeometry geometry;
    geometry.dims = {first.width(), first.height(), count};
    try {
        result.volume = Volume(layout.type, geometry, layout.channels);
    } catch (const std::bad_alloc &) {
        throw IoError(path + ": not enough memory for the image");
    }
    copySlice(first.convertToFormat(layout.format), result.volume, 0);
    for (int page = 1; page < count; ++page) {
        QImage next = reader.jumpToNextImage() ? reader.read() : QImage();
        if (next.isNull() || next.size() != first.size() || layoutOf(next).type != layout.type
            || layoutOf(next).channels != layout.channels) {
            geometry.dims[2] = 1;
            Volume single(layout.type, geometry, layout.channels);
            std::memcpy(single.rawData(), result.volume.rawData(), single.byteSize());
            result.volume = single;
            result.warnings.push_back(path + ": holds " + std::to_string(count)
                                      + " pages of different sizes or kinds; only the first one was loaded");
            break;
        }
        copySlice(next.convertToFormat(layout.format), result.volume, page);
    }
    result.volume.info().sourcePath = path;
    // Image files do not say their pixel size in a way to trust (most PNGs claim 72 dpi): lengths
    // are in pixels until the user gives one (applyPixelSize).
    result.volume.info().lengthUnit = "px";
    return result;
}

void writeLabelPng(const LabelVolume &labels, const std::string &path)
{
    const Dims &d = labels.dims();
    if (d[2] != 1)
        throw std::invalid_argument(path + ": a PNG holds one slice; save this volume's " + std::to_string(d[2]) +
                                    " slices of labels as .nii.gz");
    QImage image(d[0], d[1], QImage::Format_Grayscale16);
    if (image.isNull())
        throw IoError(path + ": cannot write: not enough memory for a " + std::to_string(d[0]) + " x " +
                      std::to_string(d[1]) + " image");
    for (int y = 0; y < d[1]; ++y)
        std::memcpy(image.scanLine(y), labels.data() + std::size_t(y) * std::size_t(d[0]), std::size_t(d[0]) * sizeof(std::uint16_t));
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        throw IoError(path + ": cannot write: the PNG encoder failed");
    writeFileAtomically(path, png.constData(), std::size_t(png.size()));
}

} // namespace carina::io
