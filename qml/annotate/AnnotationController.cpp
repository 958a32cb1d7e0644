// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "AnnotationController.h"

#include "SliceView.h"

#include <carina/edit/Rasterize.h>

#include <QUndoStack>

#include <algorithm>
#include <cmath>

namespace carina {

namespace {

Eigen::Vector3d toEigen(const QVector3D &v) { return {v.x(), v.y(), v.z()}; }

algo::SlicePlane toAlgo(int plane)
{
    switch (plane) {
    case SliceView::Coronal: return algo::SlicePlane::Coronal;
    case SliceView::Sagittal: return algo::SlicePlane::Sagittal;
    default: return algo::SlicePlane::Axial;
    }
}

// Path points closer than this on screen add nothing a finger can mean, only work.
constexpr double kMinStepPx = 1.5;

} // namespace

AnnotationController::AnnotationController(QObject *parent) : QObject(parent) {}

AnnotationController::~AnnotationController() = default;

void AnnotationController::setDocument(Document *document)
{
    if (m_document == document)
        return;
    cancel();
    if (m_document) {
        disconnect(m_document, nullptr, this, nullptr);
        disconnect(m_document->undoStack(), nullptr, this, nullptr);
    }
    m_document = document;
    if (m_document) {
        // A stroke belongs to the study's layers; a derived image on display leaves it be.
        connect(m_document, &Document::studyChanged, this, [this] {
            cancel();
            onLayersChanged();
        });
        connect(m_document, &Document::layersChanged, this, &AnnotationController::onLayersChanged);
        connect(m_document, &Document::labelsChanged, this,
                [this](int layer, const VoxelBox &) { onLabelsChanged(layer); });
        connect(m_document, &Document::shapeConsumerChanged, this, &AnnotationController::shapeConsumerChanged);
        QUndoStack *stack = m_document->undoStack();
        connect(stack, &QUndoStack::canUndoChanged, this, &AnnotationController::undoStateChanged);
        connect(stack, &QUndoStack::canRedoChanged, this, &AnnotationController::undoStateChanged);
        connect(stack, &QUndoStack::undoTextChanged, this, &AnnotationController::undoStateChanged);
        connect(stack, &QUndoStack::redoTextChanged, this, &AnnotationController::undoStateChanged);
    }
    emit documentChanged();
    emit shapeConsumerChanged();
    emit undoStateChanged();
    onLayersChanged();
}

void AnnotationController::setTool(Tool tool)
{
    if (tool == m_tool)
        return;
    cancel();
    m_tool = tool;
    emit toolChanged();
    // The brush and the eraser paint layers: picking one ends a plugin's outline mode, which
    // would otherwise take the strokes without painting a voxel.
    if ((tool == Brush || tool == Eraser) && m_document && !m_document->shapeConsumer().isEmpty())
        m_document->setShapeConsumer({});
}

void AnnotationController::setActiveLayer(int layer)
{
    const int count = m_document ? m_document->layerCount() : 0;
    layer = layer >= 0 && layer < count ? layer : -1;
    if (layer == m_activeLayer)
        return;
    cancel();
    m_activeLayer = layer;
    m_addedLabels.clear();
    emit activeLayerChanged();
    refreshLabels();
}

void AnnotationController::setActiveLabel(int label)
{
    label = std::clamp(label, 1, 65535);
    if (label == m_activeLabel)
        return;
    m_activeLabel = label;
    emit activeLabelChanged();
    refreshLabels();
}

void AnnotationController::setSquiggleWidthMm(double mm)
{
    mm = std::clamp(mm, 0.5, 100.0);
    if (mm == m_squiggleWidthMm)
        return;
    m_squiggleWidthMm = mm;
    emit sizesChanged();
}

void AnnotationController::setBrushRadiusMm(double mm)
{
    mm = std::clamp(mm, 0.5, 100.0);
    if (mm == m_brushRadiusMm)
        return;
    m_brushRadiusMm = mm;
    emit sizesChanged();
}

void AnnotationController::setBrushSphere(bool sphere)
{
    if (sphere == m_brushSphere)
        return;
    m_brushSphere = sphere;
    emit sizesChanged();
}

QStringList AnnotationController::layerNames() const
{
    QStringList names;
    if (m_document)
        for (int n = 0; n < m_document->layerCount(); ++n)
            names << m_document->layerName(n);
    return names;
}

QString AnnotationController::shapeConsumer() const
{
    return m_document ? m_document->shapeConsumer() : QString();
}

bool AnnotationController::canUndo() const
{
    return m_document && m_document->undoStack()->canUndo();
}

bool AnnotationController::canRedo() const
{
    return m_document && m_document->undoStack()->canRedo();
}

QString AnnotationController::undoText() const
{
    return m_document ? m_document->undoStack()->undoText() : QString();
}

QString AnnotationController::redoText() const
{
    return m_document ? m_document->undoStack()->redoText() : QString();
}

QColor AnnotationController::colourOf(int label) const
{
    const auto id = std::uint16_t(label);
    LabelInfo info;
    if (m_document && m_activeLayer >= 0 && m_activeLayer < m_document->layerCount())
        info = m_document->layer(m_activeLayer).labels->table().infoOrDefault(id);
    else
        info.rgb = LabelTable::defaultColour(id);
    return QColor(info.rgb[0], info.rgb[1], info.rgb[2]);
}

void AnnotationController::onLayersChanged()
{
    if (m_document && m_activeLayer >= m_document->layerCount()) {
        m_activeLayer = -1;
        m_addedLabels.clear();
        emit activeLayerChanged();
    }
    emit layersChanged();
    refreshLabels();
}

void AnnotationController::onLabelsChanged(int layer)
{
    if (layer == m_activeLayer)
        refreshLabels();
}

void AnnotationController::refreshLabels()
{
    QVariantList list;
    if (m_document && m_document->hasImage()) {
        std::vector<std::int64_t> counts;
        const LabelTable *table = nullptr;
        if (m_activeLayer >= 0 && m_activeLayer < m_document->layerCount()) {
            counts = m_document->labelCounts(m_activeLayer);
            table = &m_document->layer(m_activeLayer).labels->table();
            // A brush stroke in progress shows in the counts as the finger moves.
            if (m_painting && m_strokeLabels == m_document->layer(m_activeLayer).labels)
                for (const LabelCountChange &change : m_patch.countChanges()) {
                    if (change.label >= counts.size())
                        counts.resize(std::size_t(change.label) + 1, 0);
                    counts[change.label] += change.voxels;
                }
        }
        std::set<int> ids(m_addedLabels);
        ids.insert(m_activeLabel);
        for (std::size_t id = 1; id < counts.size(); ++id)
            if (counts[id] > 0)
                ids.insert(int(id));
        if (table)
            for (const LabelInfo &info : table->entries())
                ids.insert(info.id);
        const double voxelMl = m_document->image().geometry().voxelVolumeMl();
        for (const int id : ids) {
            const LabelInfo info = table ? table->infoOrDefault(std::uint16_t(id))
                                         : LabelInfo{std::uint16_t(id), "Label " + std::to_string(id),
                                                     LabelTable::defaultColour(std::uint16_t(id)), true};
            const std::int64_t voxels = std::size_t(id) < counts.size() ? counts[std::size_t(id)] : 0;
            list.append(QVariantMap{{QStringLiteral("id"), id},
                                    {QStringLiteral("name"), QString::fromStdString(info.name)},
                                    {QStringLiteral("colour"), QColor(info.rgb[0], info.rgb[1], info.rgb[2])},
                                    {QStringLiteral("voxels"), qint64(voxels)},
                                    {QStringLiteral("volumeMl"), double(voxels) * voxelMl}});
        }
    }
    m_labels = list;
    emit labelsChanged();
}

int AnnotationController::addLabel()
{
    int largest = 0;
    for (const QVariant &entry : std::as_const(m_labels))
        largest = std::max(largest, entry.toMap().value(QStringLiteral("id")).toInt());
    const int id = std::min(65535, largest + 1);
    m_addedLabels.insert(id);
    m_activeLabel = id;
    emit activeLabelChanged();
    refreshLabels();
    return id;
}

int AnnotationController::newLayer()
{
    if (!m_document || !m_document->hasImage())
        return -1;
    cancel();
    QString name = tr("Annotation");
    for (int n = 2; m_document->findLayer(name) >= 0; ++n)
        name = tr("Annotation %1").arg(n);
    const int index = m_document->addEmptyLayer(name);
    setActiveLayer(index);
    return index;
}

int AnnotationController::ensureLayer()
{
    if (m_activeLayer < 0 || m_activeLayer >= m_document->layerCount())
        newLayer();
    return m_activeLayer;
}

void AnnotationController::undo()
{
    cancel();
    if (m_document)
        m_document->undo();
}

void AnnotationController::redo()
{
    cancel();
    if (m_document)
        m_document->redo();
}

DrawnShape::Kind AnnotationController::shapeKind() const
{
    switch (m_tool) {
    case Lasso: return DrawnShape::Kind::Lasso;
    case Rectangle: return DrawnShape::Kind::Rectangle;
    case Squiggle: return DrawnShape::Kind::Squiggle;
    case Eraser: return DrawnShape::Kind::Eraser;
    default: return DrawnShape::Kind::Brush;
    }
}

int AnnotationController::layerIndexOf(const LabelVolume *labels) const
{
    for (int n = 0; m_document && n < m_document->layerCount(); ++n)
        if (m_document->layer(n).labels.get() == labels)
            return n;
    return -1;
}

void AnnotationController::press(SliceView *view, const QPointF &point)
{
    if (!view || !m_document || !m_document->hasImage() || !drawing())
        return;
    cancel();
    const bool brush = m_tool == Brush || m_tool == Eraser;
    const bool paintLive = brush && m_document->shapeConsumer().isEmpty();
    // Before the stroke starts: making a layer cancels any stroke.
    const int layer = paintLive ? ensureLayer() : -1;
    m_view = view;
    m_plane = int(view->plane());
    m_slice = view->sliceIndex();
    m_points = {toEigen(view->itemToPhysical(point))};
    if (paintLive) {
        m_strokeLabels = m_document->layer(layer).labels;
        m_document->labelCounts(layer); // counted before the stroke writes, so it stays exact
        m_painting = true;
        m_patch = LabelPatch();
        paintSegment(m_points.front(), m_points.front());
    } else if (brush) {
        const DrawnShape::Kind kind = shapeKind();
        DrawnShape dab{kind, toAlgo(m_plane), m_slice, m_points, 2 * m_brushRadiusMm, m_brushSphere, 0, -1, {}};
        m_touched = rasterizeShape(m_document->image().geometry(), dab);
    }
    ++m_strokeRevision;
    emit strokeChanged();
}

void AnnotationController::move(SliceView *view, const QPointF &point)
{
    if (!m_view || view != m_view || !m_document)
        return;
    const Eigen::Vector3d lps = toEigen(view->itemToPhysical(point));
    if (m_tool == Rectangle) {
        m_points.resize(1);
        m_points.push_back(lps);
    } else {
        const QPointF last = view->physicalToItem(QVector3D(float(m_points.back().x()), float(m_points.back().y()),
                                                            float(m_points.back().z())));
        if (std::hypot(point.x() - last.x(), point.y() - last.y()) < kMinStepPx)
            return;
        const Eigen::Vector3d previous = m_points.back();
        m_points.push_back(lps);
        if (m_painting) {
            paintSegment(previous, lps);
        } else if (m_tool == Brush || m_tool == Eraser) {
            DrawnShape piece{shapeKind(), toAlgo(m_plane), m_slice, {previous, lps}, 2 * m_brushRadiusMm,
                             m_brushSphere, 0, -1, {}};
            m_touched = edit::mergeVoxels(m_touched, rasterizeShape(m_document->image().geometry(), piece));
        }
    }
    ++m_strokeRevision;
    emit strokeChanged();
}

void AnnotationController::release(SliceView *view, const QPointF &point)
{
    if (!m_view || view != m_view)
        return;
    move(view, point);
    finishStroke();
}

void AnnotationController::paintSegment(const Eigen::Vector3d &a, const Eigen::Vector3d &b)
{
    const int layer = layerIndexOf(m_strokeLabels.get());
    if (layer < 0)
        return;
    const ImageGeometry &g = m_document->image().geometry();
    const edit::VoxelList voxels = m_brushSphere
                                       ? edit::rasterizeCapsule(g, a, b, m_brushRadiusMm)
                                       : edit::rasterizePolyline(g, toAlgo(m_plane), m_slice, {a, b}, 2 * m_brushRadiusMm);
    const std::uint16_t value = m_tool == Eraser ? 0 : std::uint16_t(m_activeLabel);
    if (edit::paintVoxels(*m_strokeLabels, m_patch, voxels, value) > 0)
        m_document->notifyLabelsEditing(layer, m_patch, edit::voxelBounds(g, voxels));
}

QVariantList AnnotationController::lastStrokePoints() const
{
    QVariantList out;
    for (const Eigen::Vector3d &p : m_lastPoints)
        out.append(QVector3D(float(p.x()), float(p.y()), float(p.z())));
    return out;
}

void AnnotationController::finishStroke()
{
    m_lastPoints = m_points;
    const std::uint16_t value = m_tool == Eraser ? 0 : std::uint16_t(m_activeLabel);
    static const char *const names[] = {"", QT_TR_NOOP("Lasso"), QT_TR_NOOP("Rectangle"), QT_TR_NOOP("Squiggle"),
                                        QT_TR_NOOP("Brush"), QT_TR_NOOP("Eraser")};
    const QString text = tr(names[m_tool]);
    if (m_painting) {
        const int layer = layerIndexOf(m_strokeLabels.get());
        LabelPatch patch = std::move(m_patch);
        m_painting = false;
        if (layer >= 0)
            m_document->commitLabelEdit(layer, std::move(patch), text);
        m_addedLabels.erase(m_activeLabel);
        clearStroke();
        return;
    }
    DrawnShape shape;
    shape.kind = shapeKind();
    shape.plane = toAlgo(m_plane);
    shape.slice = m_slice;
    shape.points = m_points;
    shape.widthMm = m_tool == Squiggle ? m_squiggleWidthMm : (m_tool == Brush || m_tool == Eraser) ? 2 * m_brushRadiusMm : 0.0;
    shape.sphere = (m_tool == Brush || m_tool == Eraser) && m_brushSphere;
    shape.label = value;
    shape.layer = m_activeLayer;
    const ImageGeometry &g = m_document->image().geometry();
    shape.voxels = (m_tool == Brush || m_tool == Eraser) ? std::move(m_touched) : rasterizeShape(g, shape);
    clearStroke();
    if (!m_document->shapeConsumer().isEmpty()) {
        m_document->submitShape(shape);
        return;
    }
    if (shape.voxels.empty())
        return;
    const int layer = ensureLayer();
    LabelPatch patch;
    edit::paintVoxels(m_document->layerLabels(layer), patch, shape.voxels, value);
    m_document->commitLabelEdit(layer, std::move(patch), text);
    m_addedLabels.erase(m_activeLabel);
}

void AnnotationController::cancel()
{
    if (!m_view && !m_painting)
        return;
    if (m_painting) {
        m_patch.discard(*m_strokeLabels);
        m_painting = false;
        const int layer = layerIndexOf(m_strokeLabels.get());
        if (layer >= 0 && m_document)
            m_document->notifyLabelsEditing(layer, m_patch, VoxelBox::whole(m_strokeLabels->dims()));
    }
    clearStroke();
}

void AnnotationController::clearStroke()
{
    m_view = nullptr;
    m_points.clear();
    m_touched.clear();
    m_strokeLabels.reset();
    m_patch = LabelPatch();
    ++m_strokeRevision;
    emit strokeChanged();
    refreshLabels();
}

QVariantList AnnotationController::strokeItemPoints(SliceView *view) const
{
    QVariantList out;
    if (!view || view != m_view || m_points.empty())
        return out;
    auto item = [view](const Eigen::Vector3d &p) {
        return view->physicalToItem(QVector3D(float(p.x()), float(p.y()), float(p.z())));
    };
    if (m_tool == Rectangle) {
        if (m_points.size() < 2)
            return out;
        // The corners in the slice's own axes, so the rectangle is the one rasterised.
        const QPointF a = item(m_points.front());
        const QPointF b = item(m_points.back());
        for (const QPointF &c : {a, QPointF(b.x(), a.y()), b, QPointF(a.x(), b.y()), a})
            out.append(c);
        return out;
    }
    out.reserve(qsizetype(m_points.size()));
    for (const Eigen::Vector3d &p : m_points)
        out.append(item(p));
    return out;
}

} // namespace carina
