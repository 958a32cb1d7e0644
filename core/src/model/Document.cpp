// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/Document.h>

#include "edit/LabelEditCommand.h"

#include <carina/PixelSize.h>
#include <carina/LayerSurfaces.h>

#include <QFileInfo>
#include <QUndoStack>
#include <QVariantMap>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace carina {

namespace {

Eigen::Vector3d toEigen(const QVector3D &v) { return {v.x(), v.y(), v.z()}; }
QVector3D toQt(const Eigen::Vector3d &v) { return QVector3D(float(v.x()), float(v.y()), float(v.z())); }

// Quantiles `qs` (ascending, 0..1) of the finite values of a strided sample of about 200 000
// voxels: a robust display window and the percentile presets without a pass over every voxel,
// so a few hot pixels do not wash the image out.
std::vector<double> sampledQuantiles(const Volume &volume, std::initializer_list<double> qs)
{
    const std::size_t n = volume.voxelCount() * std::size_t(volume.channels());
    const std::size_t stride = std::max<std::size_t>(1, n / 200000);
    std::vector<double> sample;
    sample.reserve(n / stride + 1);
    dispatchVoxelType(volume.type(), [&](auto t) {
        using T = decltype(t);
        const T *p = static_cast<const T *>(volume.rawData());
        for (std::size_t i = 0; i < n; i += stride)
            if (std::isfinite(double(p[i])))
                sample.push_back(double(p[i]));
    });
    std::vector<double> out;
    for (double q : qs) {
        if (sample.empty()) {
            out.push_back(q < 0.5 ? 0.0 : 1.0);
            continue;
        }
        const std::size_t k = std::min(sample.size() - 1, std::size_t(q * double(sample.size() - 1)));
        std::nth_element(sample.begin(), sample.begin() + std::ptrdiff_t(k), sample.end());
        out.push_back(sample[k]);
    }
    return out;
}

// Low and high ends as a window: a high end above the low one.
std::pair<double, double> asRange(double lo, double hi)
{
    return {lo, hi > lo ? hi : lo + 1.0};
}

bool isCt(const Volume &image)
{
    return image.info().units == "HU" || image.info().modality == "CT";
}

} // namespace

Document::Document(QObject *parent)
    : QObject(parent), m_undoStack(new QUndoStack(this)), m_layerSurfaces(new LayerSurfaces(this))
{
    qRegisterMetaType<carina::VoxelBox>();
    qRegisterMetaType<carina::DrawnShape>();
}

Document::~Document() = default;

void Document::setImage(const Volume &image, const QStringList &warnings)
{
    m_image = image;
    m_loadedImage = image;
    const bool wasDerived = !m_derivedImageName.isEmpty();
    m_derivedImageName.clear();
    m_warnings = warnings;
    m_undoStack->clear(); // edits refer to the old image's layers
    m_layers.clear();
    m_labelCounts.clear();
    m_meshes.clear();
    m_range = image.isNull() ? std::pair<double, double>{0.0, 0.0} : image.valueRange();
    updatePercentiles();
    if (!image.isNull()) {
        if (image.info().units == "HU") {
            m_windowCenter = 40.0; // soft tissue: the radiologist's default for a first look
            m_windowWidth = 400.0;
        } else if (image.channels() >= 3) {
            m_windowCenter = 127.5;
            m_windowWidth = 255.0;
        } else {
            const std::vector<double> q = sampledQuantiles(image, {0.005, 0.995});
            const auto [lo, hi] = asRange(q[0], q[1]);
            m_windowCenter = 0.5 * (lo + hi);
            m_windowWidth = hi - lo;
        }
        const Dims &d = image.dims();
        m_cursor = toQt(image.geometry().indexToPhysical(
            Eigen::Vector3d(double(d[0] / 2), double(d[1] / 2), double(d[2] / 2))));
    }
    ++m_studyId;
    emit studyChanged();
    emit layersChanged();
    emit meshesChanged();
    emit imageChanged();
    emit windowChanged();
    emit cursorChanged();
    if (wasDerived)
        emit derivedImageChanged();
}

void Document::showDerivedImage(const Volume &voxels, const QString &name)
{
    if (m_loadedImage.isNull() || voxels.isNull())
        throw std::invalid_argument("a derived image needs a loaded image and voxels");
    if (!voxels.geometry().sameGrid(m_loadedImage.geometry()) || voxels.channels() != m_loadedImage.channels())
        throw std::invalid_argument("the derived image \"" + name.toStdString() + "\" is not on the loaded image's grid");
    m_image = voxels;
    m_derivedImageName = name.isEmpty() ? QStringLiteral("Derived image") : name;
    m_range = m_image.valueRange();
    updatePercentiles();
    emit imageChanged();
    emit derivedImageChanged();
}

void Document::showLoadedImage()
{
    if (m_derivedImageName.isEmpty())
        return;
    m_image = m_loadedImage;
    m_derivedImageName.clear();
    m_range = m_image.valueRange();
    updatePercentiles();
    emit imageChanged();
    emit derivedImageChanged();
}

void Document::updatePercentiles()
{
    if (m_image.isNull()) {
        m_percentiles = {0.0, 1.0};
        return;
    }
    const std::vector<double> q = sampledQuantiles(m_image, {0.01, 0.99});
    m_percentiles = asRange(q[0], q[1]);
}

QString Document::lengthUnit() const
{
    return hasImage() ? QString::fromStdString(lengthUnitOf(m_image)) : QString();
}

QString Document::pixelSizeText() const
{
    const std::string unit = hasImage() ? lengthUnitOf(m_image) : std::string();
    const double perUnit = millimetresPer(unit);
    if (!(perUnit > 0.0))
        return {};
    const auto &s = m_image.geometry().spacing;
    const QString symbol = QString::fromStdString(unitSymbol(unit));
    if (std::abs(s.x() - s.y()) <= 1e-9 * s.x())
        return QStringLiteral("%1 %2").arg(s.x() / perUnit, 0, 'g', 6).arg(symbol);
    return QStringLiteral("%1 x %2 %3").arg(s.x() / perUnit, 0, 'g', 6).arg(s.y() / perUnit, 0, 'g', 6).arg(symbol);
}

QString Document::setPixelSize(const QString &text)
{
    if (!hasImage())
        return tr("No image is open.");
    PixelSize size;
    try {
        size = parsePixelSize(text.toStdString());
    } catch (const std::invalid_argument &e) {
        return QString::fromUtf8(e.what());
    }
    const ImageGeometry before = m_loadedImage.geometry();
    const Eigen::Vector3d cursorIndex = before.physicalToIndex(toEigen(m_cursor));
    applyPixelSize(m_loadedImage, size);
    const ImageGeometry after = m_loadedImage.geometry();
    if (m_derivedImageName.isEmpty()) {
        m_image = m_loadedImage;
    } else {
        m_image.setGeometry(after);
        m_image.info().lengthUnit = size.unit;
    }
    for (LabelLayer &layer : m_layers)
        if (layer.labels)
            layer.labels->setGeometry(after);
    // A mesh made on the old grid stays on the same voxels: each vertex goes through its index.
    for (auto &mesh : m_meshes) {
        auto moved = std::make_shared<Mesh>(*mesh);
        for (std::size_t v = 0; v + 2 < moved->vertices.size(); v += 3) {
            const Eigen::Vector3d p(moved->vertices[v], moved->vertices[v + 1], moved->vertices[v + 2]);
            const Eigen::Vector3d q = after.indexToPhysical(before.physicalToIndex(p));
            for (int a = 0; a < 3; ++a)
                moved->vertices[v + std::size_t(a)] = float(q[a]);
        }
        mesh = std::move(moved);
    }
    m_cursor = toQt(after.indexToPhysical(cursorIndex));
    emit imageChanged();
    emit layersChanged();
    emit meshesChanged();
    emit cursorChanged();
    return {};
}

QUrl Document::imageFolder() const
{
    if (m_loadedImage.isNull() || m_loadedImage.info().sourcePath.empty())
        return {};
    const QFileInfo source(QString::fromStdString(m_loadedImage.info().sourcePath));
    return QUrl::fromLocalFile(source.isDir() ? source.absoluteFilePath() : source.absolutePath());
}

QVariantList Document::windowPresets() const
{
    QVariantList list;
    if (!hasImage())
        return list;
    const auto preset = [&list](const QString &id, const QString &name, double center, double width) {
        list.append(QVariantMap{{QStringLiteral("id"), id},
                                {QStringLiteral("title"), tr("%1  (level %2, width %3)").arg(name).arg(center, 0, 'g', 5).arg(width, 0, 'g', 5)},
                                {QStringLiteral("name"), name},
                                {QStringLiteral("center"), center},
                                {QStringLiteral("width"), width}});
    };
    // Radiology's CT windows are in HU: on any other image they show nothing useful.
    if (isCt(m_image)) {
        preset(QStringLiteral("lung"), tr("Lung"), -600.0, 1500.0);
        preset(QStringLiteral("mediastinum"), tr("Mediastinum"), 40.0, 400.0);
        preset(QStringLiteral("bone"), tr("Bone"), 400.0, 1800.0);
        preset(QStringLiteral("brain"), tr("Brain"), 40.0, 80.0);
    }
    const auto [lo, hi] = m_percentiles;
    preset(QStringLiteral("percentile"), tr("1\u201399 %"), 0.5 * (lo + hi), hi - lo);
    const double width = std::max(m_range.second - m_range.first, 1e-6);
    preset(QStringLiteral("full"), tr("Full range"), 0.5 * (m_range.first + m_range.second), width);
    return list;
}

bool Document::applyWindowPreset(const QString &id)
{
    for (const QVariant &p : windowPresets()) {
        const QVariantMap m = p.toMap();
        if (m.value(QStringLiteral("id")).toString() == id) {
            setWindow(m.value(QStringLiteral("center")).toDouble(), m.value(QStringLiteral("width")).toDouble());
            return true;
        }
    }
    return false;
}

void Document::clear()
{
    setImage(Volume{});
}

QString Document::imageName() const
{
    if (m_image.isNull())
        return {};
    const QFileInfo info(QString::fromStdString(m_image.info().sourcePath));
    return info.fileName().isEmpty() ? info.filePath() : info.fileName();
}

QString Document::imageSummary() const
{
    if (m_image.isNull())
        return {};
    const Dims &d = m_image.dims();
    if (is2d()) {
        // A photo or micrograph: no patient orientation, the pixel size only when known.
        QString text = QStringLiteral("%1 x %2 px, %3").arg(d[0]).arg(d[1]).arg(QString::fromLatin1(voxelTypeName(m_image.type())));
        if (m_image.channels() > 1)
            text += QStringLiteral(" x %1").arg(m_image.channels());
        const QString size = pixelSizeText();
        if (!size.isEmpty())
            text += QStringLiteral(", pixel %1").arg(size);
        if (!m_image.info().modality.empty())
            text += QStringLiteral(", ") + QString::fromStdString(m_image.info().modality);
        return text;
    }
    const auto &s = m_image.geometry().spacing;
    const auto code = m_image.geometry().orientationCode();
    QString text = QStringLiteral("%1 x %2 x %3, %4 x %5 x %6 mm, %7, %8")
                       .arg(d[0]).arg(d[1]).arg(d[2])
                       .arg(s.x(), 0, 'g', 4).arg(s.y(), 0, 'g', 4).arg(s.z(), 0, 'g', 4)
                       .arg(QString::fromLatin1(code.data(), 3))
                       .arg(QString::fromLatin1(voxelTypeName(m_image.type())));
    if (!m_image.info().modality.empty())
        text += QStringLiteral(", ") + QString::fromStdString(m_image.info().modality);
    return text;
}

QString Document::imageTitle() const
{
    if (m_image.isNull())
        return {};
    QStringList parts;
    const ImageInfo &info = m_image.info();
    parts << (info.modality.empty() ? tr("Image") : QString::fromStdString(info.modality));
    const QString description = QString::fromStdString(info.description).simplified();
    if (!description.isEmpty())
        parts << description.left(48);
    const Dims &d = m_image.dims();
    parts << (d[2] > 1 ? QStringLiteral("%1 x %2 x %3").arg(d[0]).arg(d[1]).arg(d[2])
                       : QStringLiteral("%1 x %2").arg(d[0]).arg(d[1]));
    return parts.join(QStringLiteral(" \u00b7 "));
}

QVector3D Document::dimsVector() const
{
    const Dims &d = m_image.dims();
    return QVector3D(float(d[0]), float(d[1]), float(d[2]));
}

QVector3D Document::spacingVector() const
{
    return toQt(m_image.geometry().spacing);
}

double Document::valueAtPhysical(const QVector3D &lps) const
{
    if (m_image.isNull())
        return std::numeric_limits<double>::quiet_NaN();
    const Eigen::Vector3d index = m_image.geometry().physicalToIndex(toEigen(lps));
    return m_image.valueAt(int(std::lround(index.x())), int(std::lround(index.y())), int(std::lround(index.z())));
}

void Document::setCursor(const QVector3D &lps)
{
    QVector3D clamped = lps;
    if (!m_image.isNull()) {
        // Keep the crosshair inside the image: views page by moving it.
        Eigen::Vector3d index = m_image.geometry().physicalToIndex(toEigen(lps));
        for (int a = 0; a < 3; ++a)
            index[a] = std::clamp(index[a], 0.0, double(m_image.dims()[std::size_t(a)] - 1));
        clamped = toQt(m_image.geometry().indexToPhysical(index));
    }
    if (qFuzzyCompare(clamped, m_cursor))
        return;
    m_cursor = clamped;
    emit cursorChanged();
}

QVector3D Document::cursorIndex() const
{
    if (m_image.isNull())
        return {};
    return toQt(m_image.geometry().physicalToIndex(toEigen(m_cursor)));
}

void Document::setCursorIndex(const QVector3D &index)
{
    if (m_image.isNull())
        return;
    setCursor(toQt(m_image.geometry().indexToPhysical(toEigen(index))));
}

void Document::setWindowCenter(double center)
{
    setWindow(center, m_windowWidth);
}

void Document::setWindowWidth(double width)
{
    setWindow(m_windowCenter, width);
}

void Document::setWindow(double center, double width)
{
    width = std::max(width, 1e-6);
    if (center == m_windowCenter && width == m_windowWidth)
        return;
    m_windowCenter = center;
    m_windowWidth = width;
    emit windowChanged();
}

int Document::addLayer(const QString &name, std::shared_ptr<LabelVolume> labels, double opacity)
{
    if (!labels)
        throw std::invalid_argument("addLayer: no labels");
    if (m_image.isNull() || !labels->geometry().sameGrid(m_image.geometry()))
        throw std::invalid_argument("the label layer is not on the image's voxel grid");
    m_labelCounts.erase(labels.get());
    m_layers.push_back(LabelLayer{name, std::move(labels), std::clamp(opacity, 0.0, 1.0), true});
    emit layersChanged();
    return int(m_layers.size()) - 1;
}

int Document::addEmptyLayer(const QString &name)
{
    if (m_image.isNull())
        return -1;
    return addLayer(name, std::make_shared<LabelVolume>(m_image.geometry()));
}

int Document::findLayer(const QString &name) const
{
    for (std::size_t i = 0; i < m_layers.size(); ++i)
        if (m_layers[i].name == name)
            return int(i);
    return -1;
}

int Document::layerOf(const LabelVolume *labels) const
{
    for (std::size_t i = 0; labels && i < m_layers.size(); ++i)
        if (m_layers[i].labels.get() == labels)
            return int(i);
    return -1;
}

void Document::removeLayer(int index)
{
    if (index < 0 || index >= layerCount())
        return;
    m_labelCounts.erase(m_layers[std::size_t(index)].labels.get());
    m_layers.erase(m_layers.begin() + index);
    emit layersChanged();
}

QString Document::layerName(int index) const
{
    return index >= 0 && index < layerCount() ? m_layers[std::size_t(index)].name : QString();
}

double Document::layerOpacity(int index) const
{
    return index >= 0 && index < layerCount() ? m_layers[std::size_t(index)].opacity : 0.0;
}

bool Document::layerVisible(int index) const
{
    return index >= 0 && index < layerCount() && m_layers[std::size_t(index)].visible;
}

void Document::setLayerOpacity(int index, double opacity)
{
    if (index < 0 || index >= layerCount())
        return;
    m_layers[std::size_t(index)].opacity = std::clamp(opacity, 0.0, 1.0);
    emit layersChanged();
}

void Document::setLayerVisible(int index, bool visible)
{
    if (index < 0 || index >= layerCount())
        return;
    m_layers[std::size_t(index)].visible = visible;
    emit layersChanged();
}

std::vector<algo::LabelOverlay> Document::visibleOverlays() const
{
    std::vector<algo::LabelOverlay> overlays;
    for (const LabelLayer &layer : m_layers)
        if (layer.visible && layer.labels)
            overlays.push_back({layer.labels.get(), layer.opacity, layer.outline, layer.highlighted});
    return overlays;
}

bool Document::layerOutline(int index) const
{
    return index >= 0 && index < layerCount() && m_layers[std::size_t(index)].outline;
}

void Document::setLayerOutline(int index, bool outline)
{
    if (index < 0 || index >= layerCount() || m_layers[std::size_t(index)].outline == outline)
        return;
    m_layers[std::size_t(index)].outline = outline;
    emit layersChanged();
}

int Document::layerHighlight(int index) const
{
    return index >= 0 && index < layerCount() ? m_layers[std::size_t(index)].highlighted : 0;
}

void Document::setLayerHighlight(int index, int label)
{
    const auto id = std::uint16_t(std::clamp(label, 0, 65535));
    if (index < 0 || index >= layerCount() || m_layers[std::size_t(index)].highlighted == id)
        return;
    m_layers[std::size_t(index)].highlighted = id;
    emit layersChanged();
}

bool Document::layerIn3D(int index) const
{
    return m_layerSurfaces->isShown(index);
}

void Document::setLayerIn3D(int index, bool shown)
{
    m_layerSurfaces->setShown(index, shown);
}

void Document::notifyLayerTableChanged(int index)
{
    if (index >= 0 && index < layerCount())
        emit layersChanged();
}

LabelVolume &Document::layerLabels(int index)
{
    return *m_layers.at(std::size_t(index)).labels;
}

void Document::notifyLabelsChanged(int index, const VoxelBox &region)
{
    if (index >= 0 && index < layerCount())
        m_labelCounts.erase(m_layers[std::size_t(index)].labels.get()); // written without a patch
    emit labelsChanged(index, region);
}

void Document::commitLabelEdit(int index, LabelPatch patch, const QString &text)
{
    if (index < 0 || index >= layerCount())
        throw std::out_of_range("commitLabelEdit: no layer " + std::to_string(index));
    LabelLayer &target = m_layers[std::size_t(index)];
    patch.finish(target.labels->dims());
    if (patch.isEmpty())
        return;
    const VoxelBox bounds = patch.bounds();
    applyCountChanges(target.labels.get(), patch.countChanges(), +1);
    m_undoStack->push(new LabelEditCommand(this, target.labels, std::move(patch), text));
    emit labelsChanged(index, bounds);
}

void Document::notifyLabelsEditing(int index, const LabelPatch &patch, const VoxelBox &region)
{
    if (index < 0 || index >= layerCount())
        return;
    const LabelVolume *labels = m_layers[std::size_t(index)].labels.get();
    if (!m_labelCounts.contains(labels)) {
        // First count while an edit is in progress: count what is there, minus the edit so far.
        labelCounts(index);
        applyCountChanges(labels, patch.countChanges(), -1);
    }
    emit labelsChanged(index, region);
}

std::vector<std::int64_t> Document::labelCounts(int index) const
{
    if (index < 0 || index >= layerCount())
        return {};
    const LabelVolume *labels = m_layers[std::size_t(index)].labels.get();
    auto it = m_labelCounts.find(labels);
    if (it == m_labelCounts.end()) {
        const std::vector<std::size_t> histogram = labels->histogram();
        it = m_labelCounts.emplace(labels, std::vector<std::int64_t>(histogram.begin(), histogram.end())).first;
    }
    return it->second;
}

void Document::applyCountChanges(const LabelVolume *labels, const std::vector<LabelCountChange> &changes, int sign)
{
    auto it = m_labelCounts.find(labels);
    if (it == m_labelCounts.end())
        return; // not counted yet: the next labelCounts() counts the volume as it is
    std::vector<std::int64_t> &counts = it->second;
    for (const LabelCountChange &change : changes) {
        if (change.label >= counts.size())
            counts.resize(std::size_t(change.label) + 1, 0);
        counts[change.label] += sign * change.voxels;
    }
    while (counts.size() > 1 && counts.back() == 0)
        counts.pop_back();
}

void Document::setShapeConsumer(const QString &consumer)
{
    if (consumer == m_shapeConsumer)
        return;
    m_shapeConsumer = consumer;
    emit shapeConsumerChanged();
}

void Document::submitShape(const DrawnShape &shape)
{
    emit shapeDrawn(shape);
}

std::size_t Document::undoMemoryBytes() const
{
    std::size_t bytes = 0;
    for (int n = 0; n < m_undoStack->count(); ++n)
        if (const auto *edit = dynamic_cast<const LabelEditCommand *>(m_undoStack->command(n)))
            bytes += edit->patch().memoryBytes();
    return bytes;
}

void Document::undo()
{
    m_undoStack->undo();
}

void Document::redo()
{
    m_undoStack->redo();
}

int Document::setMesh(std::shared_ptr<Mesh> mesh)
{
    if (!mesh)
        return -1;
    const int existing = findMesh(QString::fromStdString(mesh->name));
    if (existing >= 0) {
        m_meshes[std::size_t(existing)] = std::move(mesh);
        emit meshesChanged();
        return existing;
    }
    m_meshes.push_back(std::move(mesh));
    emit meshesChanged();
    return int(m_meshes.size()) - 1;
}

void Document::removeMesh(int index)
{
    if (index < 0 || index >= meshCount())
        return;
    m_meshes.erase(m_meshes.begin() + index);
    emit meshesChanged();
}

int Document::findMesh(const QString &name) const
{
    const std::string key = name.toStdString();
    for (std::size_t i = 0; i < m_meshes.size(); ++i)
        if (m_meshes[i]->name == key)
            return int(i);
    return -1;
}

void Document::setMeshOpacity(int index, double opacity)
{
    if (index < 0 || index >= meshCount())
        return;
    // Display settings change in place: views copy geometry once, but read colour and opacity
    // on every update, so a slider does not copy a million triangles.
    m_meshes[std::size_t(index)]->opacity = float(std::clamp(opacity, 0.0, 1.0));
    emit meshesChanged();
}

void Document::setMeshVisible(int index, bool visible)
{
    if (index < 0 || index >= meshCount())
        return;
    m_meshes[std::size_t(index)]->visible = visible;
    emit meshesChanged();
}

} // namespace carina
