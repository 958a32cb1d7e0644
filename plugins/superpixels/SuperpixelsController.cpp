// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "SuperpixelsController.h"

#include "SeedSuperpixels.h"
#include "SuperpixelPaint.h"

#include <carina/LayerSurfaces.h>
#include <carina/algo/Superpixels.h>
#include <carina/io/LabelNifti.h>
#include <carina/io/LocalPath.h>
#include <carina/io/Nifti.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <set>

namespace carina::superpixels {

namespace {

struct Outcome
{
    std::shared_ptr<LabelVolume> map;
    std::uint32_t produced = 0;
    std::uint32_t kept = 0;
    std::vector<VoxelBox> boxes;
};

} // namespace

SuperpixelsController::SuperpixelsController(Document *document, QObject *parent)
    : QObject(parent), m_document(document)
{
    m_task.setBusyMessage(tr("Computing superpixels…"));
    if (!m_document)
        return;
    m_task.followStudy(m_document);
    connect(m_document, &Document::studyChanged, this, [this] {
        m_map.reset();
        m_boxes.clear();
        m_count = 0;
        emit superpixelsChanged();
    });
    // A session's map layer comes back as the superpixels: nothing is recomputed.
    connect(m_document, &Document::layersChanged, this, [this] {
        adoptMapLayer();
        emit displayChanged();
        emit segmentationChanged();
    });
    connect(m_document, &Document::labelsChanged, this, [this](int layer, const VoxelBox &) {
        if (layer == segmentationLayer())
            emit segmentationChanged();
    });
    connect(m_document, &Document::shapeDrawn, this, [this](const DrawnShape &shape) {
        if (painting())
            takeShape(shape);
    });
    connect(m_document, &Document::shapeConsumerChanged, this, &SuperpixelsController::paintingChanged);
    adoptMapLayer();
}

SuperpixelsController::~SuperpixelsController()
{
    if (m_document && painting())
        m_document->setShapeConsumer({}); // the tools paint again once the panel is gone
}

void SuperpixelsController::setNSegments(int n)
{
    n = std::clamp(n, 1, 65535);
    if (n == m_nSegments)
        return;
    m_nSegments = n;
    emit parametersChanged();
}

void SuperpixelsController::setCompactness(double c)
{
    if (!(c > 0.0) || !std::isfinite(c) || c == m_compactness)
        return;
    m_compactness = c;
    emit parametersChanged();
}

void SuperpixelsController::setUseMask(bool on)
{
    if (on == m_useMask)
        return;
    m_useMask = on;
    emit parametersChanged();
}

void SuperpixelsController::setMaskThreshold(double t)
{
    if (!std::isfinite(t) || t == m_maskThreshold)
        return;
    m_maskThreshold = t;
    emit parametersChanged();
}

void SuperpixelsController::setDropDark(bool on)
{
    if (on == m_dropDark)
        return;
    m_dropDark = on;
    emit parametersChanged();
}

void SuperpixelsController::setMinMean(double m)
{
    if (!std::isfinite(m) || m == m_minMean)
        return;
    m_minMean = m;
    emit parametersChanged();
}

int SuperpixelsController::mapLayer() const
{
    return m_document && m_map ? m_document->layerOf(m_map.get()) : -1;
}

int SuperpixelsController::segmentationLayer() const
{
    return m_document ? m_document->findLayer(kSegmentationLayerName) : -1;
}

bool SuperpixelsController::showBoundaries() const
{
    const int layer = mapLayer();
    return layer >= 0 && m_document->layerVisible(layer);
}

void SuperpixelsController::setShowBoundaries(bool on)
{
    const int layer = mapLayer();
    if (layer < 0 || m_document->layerVisible(layer) == on)
        return;
    m_document->setLayerVisible(layer, on);
    emit displayChanged();
}

void SuperpixelsController::setBoundaryColor(const QColor &color)
{
    if (!color.isValid() || color == m_boundaryColor)
        return;
    m_boundaryColor = color;
    colourMap();
    emit displayChanged();
}

bool SuperpixelsController::showSegmentation() const
{
    const int layer = segmentationLayer();
    return layer >= 0 && m_document->layerVisible(layer);
}

void SuperpixelsController::setShowSegmentation(bool on)
{
    const int layer = segmentationLayer();
    if (layer < 0 || m_document->layerVisible(layer) == on)
        return;
    m_document->setLayerVisible(layer, on);
    emit displayChanged();
}

bool SuperpixelsController::painting() const
{
    return m_document && m_document->shapeConsumer() == kConsumerName;
}

void SuperpixelsController::setPainting(bool on)
{
    if (!m_document || on == painting())
        return;
    m_document->setShapeConsumer(on ? kConsumerName : QString());
}

void SuperpixelsController::setErasing(bool on)
{
    if (on == m_erasing)
        return;
    m_erasing = on;
    emit paintingChanged();
}

void SuperpixelsController::setActiveLabel(int label)
{
    label = std::clamp(label, 1, kLabelChoices);
    if (label == m_activeLabel)
        return;
    m_activeLabel = label;
    emit paintingChanged();
}

QVariantList SuperpixelsController::labelColors() const
{
    QVariantList colours;
    for (int id = 1; id <= kLabelChoices; ++id) {
        const auto rgb = LabelTable::defaultColour(std::uint16_t(id));
        colours.append(QColor(rgb[0], rgb[1], rgb[2]));
    }
    return colours;
}

int SuperpixelsController::paintedLabels() const
{
    const int layer = segmentationLayer();
    if (layer < 0)
        return 0;
    const std::vector<std::int64_t> counts = m_document->labelCounts(layer);
    int n = 0;
    for (std::size_t id = 1; id < counts.size(); ++id)
        n += counts[id] > 0;
    return n;
}

bool SuperpixelsController::compute()
{
    if (!m_document || !m_document->hasImage()) {
        setError(tr("Open an image first."));
        return false;
    }
    const Volume image = m_document->image(); // shares the voxels
    algo::SlicOptions options;
    options.nSegments = m_nSegments;
    options.compactness = m_compactness;
    const bool useMask = m_useMask;
    const double threshold = m_maskThreshold;
    const bool dropDark = m_dropDark;
    const double minMean = m_minMean;
    setError({});
    return m_task.start(
        [image, options, useMask, threshold, dropDark, minMean](const TaskContext &context) {
            std::vector<std::uint8_t> mask;
            if (useMask) {
                mask.resize(image.voxelCount());
                dispatchVoxelType(image.type(), [&](auto t) {
                    using T = decltype(t);
                    const T *v = image.data<T>();
                    const int c = image.channels();
                    for (std::size_t i = 0; i < mask.size(); ++i)
                        mask[i] = double(v[i * std::size_t(c)]) > threshold;
                });
            }
            algo::SuperpixelMap map = algo::slicSuperpixels(image, options, useMask ? mask.data() : nullptr, context);
            Outcome outcome;
            outcome.produced = map.count;
            if (dropDark)
                algo::dropDarkSuperpixels(map, image, minMean);
            if (map.count > 65535)
                throw std::invalid_argument("superpixels: " + std::to_string(map.count)
                                            + " superpixels do not fit a label layer (at most 65535): ask for fewer");
            outcome.kept = map.count;
            outcome.map = std::make_shared<LabelVolume>(image.geometry());
            std::copy(map.labels.begin(), map.labels.end(), outcome.map->data()); // <= 65535: fits uint16
            outcome.boxes = superpixelBoxes(*outcome.map);
            return outcome;
        },
        [this](Outcome outcome) {
            if (outcome.kept == 0) {
                setError(tr("No superpixel is left: every one has a mean intensity at or below %1. Lower the minimum mean.")
                             .arg(m_minMean));
                return;
            }
            m_boxes = std::move(outcome.boxes);
            showMap(std::move(outcome.map), int(outcome.kept));
            setStatus(tr("%1 superpixels (%2 made, %3 dark ones dropped)")
                          .arg(outcome.kept)
                          .arg(outcome.produced)
                          .arg(outcome.produced - outcome.kept));
        });
}

void SuperpixelsController::showMap(std::shared_ptr<LabelVolume> map, int count)
{
    const int old = mapLayer();
    m_map = map;
    m_count = count;
    colourMap();
    if (old >= 0)
        m_document->removeLayer(old);
    const int layer = m_document->addLayer(kMapLayerName, map, 1.0);
    m_document->setLayerOutline(layer, true);
    emit superpixelsChanged();
    emit displayChanged();
}

void SuperpixelsController::adoptMapLayer()
{
    if (!m_document || mapLayer() >= 0)
        return;
    const int layer = m_document->findLayer(kMapLayerName);
    if (layer < 0) {
        if (m_map) {
            m_map.reset();
            m_boxes.clear();
            m_count = 0;
            emit superpixelsChanged();
        }
        return;
    }
    m_map = m_document->layer(layer).labels;
    m_boxes = superpixelBoxes(*m_map);
    m_count = 0;
    for (const VoxelBox &b : m_boxes)
        m_count += !b.isEmpty() && b.end[0] > b.begin[0];
    const auto &entries = m_map->table().entries();
    if (!entries.empty())
        m_boundaryColor = QColor(entries.front().rgb[0], entries.front().rgb[1], entries.front().rgb[2]);
    emit superpixelsChanged();
}

void SuperpixelsController::colourMap()
{
    if (!m_map)
        return;
    // One colour for every superpixel: the outlines are the boundaries, not a label map.
    LabelTable table;
    const std::array<std::uint8_t, 3> rgb{std::uint8_t(m_boundaryColor.red()), std::uint8_t(m_boundaryColor.green()),
                                          std::uint8_t(m_boundaryColor.blue())};
    std::uint16_t top = 0;
    for (std::size_t id = m_boxes.size(); id-- > 1;)
        if (!m_boxes[id].isEmpty()) {
            top = std::uint16_t(id);
            break;
        }
    for (std::uint16_t id = 1; id <= top && id != 0; ++id) // ascending: each set() appends
        table.set(LabelInfo{id, "Superpixel " + std::to_string(id), rgb, true});
    m_map->table() = std::move(table);
    if (const int layer = mapLayer(); layer >= 0)
        m_document->notifyLayerTableChanged(layer);
}

int SuperpixelsController::ensureSegmentationLayer()
{
    int layer = segmentationLayer();
    if (layer >= 0)
        return layer;
    auto labels = std::make_shared<LabelVolume>(m_document->image().geometry());
    for (int id = 1; id <= kLabelChoices; ++id)
        labels->table().set(LabelInfo{std::uint16_t(id), "Label " + std::to_string(id), LabelTable::defaultColour(std::uint16_t(id)), true});
    layer = m_document->addLayer(kSegmentationLayerName, labels, 0.5);
    // As the seed's 3D view: each painted label as a mesh, following the strokes.
    m_document->setLayerIn3D(layer, true);
    return layer;
}

bool SuperpixelsController::takeShape(const DrawnShape &shape)
{
    if (!m_document || !m_document->hasImage())
        return false;
    if (!m_map || mapLayer() < 0) {
        setError(tr("Compute (or import) superpixels first."));
        return false;
    }
    std::vector<std::size_t> voxels = shape.voxels;
    if (voxels.empty()) {
        try {
            voxels = rasterizeShape(m_document->image().geometry(), shape);
        } catch (const std::exception &e) {
            setError(QString::fromUtf8(e.what()));
            return false;
        }
    }
    const std::vector<std::uint16_t> ids = touchedSuperpixels(*m_map, voxels);
    if (ids.empty())
        return false;
    const bool erase = m_erasing || shape.kind == DrawnShape::Kind::Eraser;
    const int layer = ensureSegmentationLayer();
    LabelVolume &segmentation = m_document->layerLabels(layer);
    LabelPatch patch;
    paintSuperpixels(*m_map, m_boxes, ids, erase ? 0 : std::uint16_t(m_activeLabel), segmentation, patch);
    patch.finish(segmentation.dims());
    setError({});
    m_document->commitLabelEdit(layer, std::move(patch),
                                erase ? tr("Erase %n superpixel(s)", nullptr, int(ids.size()))
                                      : tr("Paint %n superpixel(s)", nullptr, int(ids.size())));
    emit segmentationChanged();
    return true;
}

bool SuperpixelsController::paintAt(const QVector3D &lps)
{
    if (!m_document || !m_document->hasImage())
        return false;
    const ImageGeometry &g = m_document->image().geometry();
    const Eigen::Vector3d index = g.physicalToIndex(Eigen::Vector3d(lps.x(), lps.y(), lps.z()));
    const int i = int(std::lround(index[0])), j = int(std::lround(index[1])), k = int(std::lround(index[2]));
    if (!g.contains(i, j, k))
        return false;
    DrawnShape tap;
    tap.kind = DrawnShape::Kind::Squiggle;
    tap.voxels = {g.linearIndex(i, j, k)};
    return takeShape(tap);
}

bool SuperpixelsController::exportSegmentation(const QString &path)
{
    const int layer = segmentationLayer();
    if (layer < 0) {
        setError(tr("Nothing to export yet: paint some superpixels first."));
        return false;
    }
    try {
        io::exportLabelNifti(*m_document->layer(layer).labels, io::localPath(path).toStdString());
    } catch (const std::exception &e) {
        setError(QString::fromUtf8(e.what()));
        return false;
    }
    setError({});
    setStatus(tr("Saved %1").arg(io::localPath(path)));
    return true;
}

bool SuperpixelsController::exportSuperpixels(const QString &path)
{
    if (!m_map || mapLayer() < 0) {
        setError(tr("Nothing to export yet: compute the superpixels first."));
        return false;
    }
    try {
        io::writeNiftiLabels(*m_map, io::localPath(path).toStdString());
    } catch (const std::exception &e) {
        setError(QString::fromUtf8(e.what()));
        return false;
    }
    setError({});
    setStatus(tr("Saved %1").arg(io::localPath(path)));
    return true;
}

bool SuperpixelsController::importSuperpixels(const QString &path)
{
    if (!m_document || !m_document->hasImage()) {
        setError(tr("Open an image first."));
        return false;
    }
    const std::string file = io::localPath(path).toStdString();
    std::shared_ptr<LabelVolume> map;
    try {
        if (isSeedSuperpixelFile(file))
            map = readSeedSuperpixels(file, m_document->image().geometry());
        else
            map = io::importLabelNifti(file, m_document->image().geometry()).labels;
    } catch (const std::exception &e) {
        setError(QString::fromUtf8(e.what()));
        return false;
    }
    map->table() = {};
    m_boxes = superpixelBoxes(*map);
    int count = 0;
    for (std::size_t id = 1; id < m_boxes.size(); ++id)
        count += !m_boxes[id].isEmpty();
    if (count == 0) {
        setError(tr("%1 holds no superpixel (every voxel is 0).").arg(path));
        return false;
    }
    setError({});
    showMap(std::move(map), count);
    setStatus(tr("%1 superpixels imported").arg(count));
    return true;
}

} // namespace carina::superpixels
