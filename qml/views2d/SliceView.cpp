// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "SliceView.h"

#include <QElapsedTimer>
#include <QQuickWindow>
#include <QSGSimpleTextureNode>

#include <algorithm>
#include <cmath>

namespace carina {

namespace {

Eigen::Vector3d toEigen(const QVector3D &v) { return {v.x(), v.y(), v.z()}; }
QVector3D toQt(const Eigen::Vector3d &v) { return QVector3D(float(v.x()), float(v.y()), float(v.z())); }

// The patient direction letter of an LPS vector's largest component.
QString directionLetter(const Eigen::Vector3d &v)
{
    Eigen::Index axis = 0;
    v.cwiseAbs().maxCoeff(&axis);
    static const char *positive[3] = {"L", "P", "S"};
    static const char *negative[3] = {"R", "A", "I"};
    return QString::fromLatin1(v[axis] >= 0 ? positive[axis] : negative[axis]);
}

constexpr double kMinZoom = 0.25;
constexpr double kMaxZoom = 40.0;

} // namespace

SliceView::SliceView(QQuickItem *parent) : QQuickItem(parent)
{
    setFlag(ItemHasContents, true);
    // Zoom, pan and size all come through viewChanged: say when that changed the filtering.
    connect(this, &SliceView::viewChanged, this, [this] {
        if (nearestFiltering() != m_lastNearest) {
            m_lastNearest = nearestFiltering();
            emit filteringChanged();
        }
    });
}

SliceView::~SliceView() = default;

void SliceView::setDocument(Document *document)
{
    if (m_document == document)
        return;
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    if (m_document) {
        connect(m_document, &Document::imageChanged, this, &SliceView::onImageChanged);
        connect(m_document, &Document::cursorChanged, this, &SliceView::onCursorChanged);
        connect(m_document, &Document::windowChanged, this, &SliceView::scheduleRender);
        connect(m_document, &Document::layersChanged, this, &SliceView::scheduleRender);
        connect(m_document, &Document::labelsChanged, this, &SliceView::onLabelsChanged);
        connect(m_document, &QObject::destroyed, this, &SliceView::onImageChanged);
    }
    emit documentChanged();
    onImageChanged();
}

void SliceView::setPlane(Plane plane)
{
    if (m_plane == plane)
        return;
    m_plane = plane;
    emit planeChanged();
    onImageChanged();
}

void SliceView::setZoom(double zoom)
{
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    if (zoom == m_zoom)
        return;
    m_zoom = zoom;
    emit viewChanged();
    emit crosshairChanged();
    update();
}

void SliceView::setSmoothPixels(bool smooth)
{
    if (smooth == m_smoothPixels)
        return;
    m_smoothPixels = smooth;
    m_lastNearest = nearestFiltering();
    emit smoothPixelsChanged();
    emit filteringChanged();
    update();
}

bool SliceView::pixelsMagnified() const
{
    if (m_mapping.width <= 0 || m_mapping.height <= 0)
        return false;
    const QRectF r = imageRect();
    return std::min(r.width() / m_mapping.width, r.height() / m_mapping.height) >= kBlockPixels;
}

void SliceView::setPan(const QPointF &pan)
{
    if (pan == m_pan)
        return;
    m_pan = pan;
    emit viewChanged();
    emit crosshairChanged();
    update();
}

algo::SlicePlane SliceView::algoPlane() const
{
    switch (m_plane) {
    case Axial: return algo::SlicePlane::Axial;
    case Coronal: return algo::SlicePlane::Coronal;
    case Sagittal: return algo::SlicePlane::Sagittal;
    }
    return algo::SlicePlane::Axial;
}

QString SliceView::planeName() const
{
    switch (m_plane) {
    case Axial: return tr("Axial");
    case Coronal: return tr("Coronal");
    case Sagittal: return tr("Sagittal");
    }
    return {};
}

void SliceView::onImageChanged()
{
    if (m_document && m_document->hasImage())
        m_mapping = algo::sliceMapping(m_document->image().geometry(), algoPlane());
    else
        m_mapping = algo::SliceMapping{};
    m_renderedIndex = -1;
    m_zoom = 1.0;
    m_pan = QPointF();
    // Physical pixel sizes before the first render, so imageRect is right at once.
    if (m_document && m_document->hasImage()) {
        m_slice.pixelWidthMm = m_document->image().geometry().spacing[m_mapping.axisX];
        m_slice.pixelHeightMm = m_document->image().geometry().spacing[m_mapping.axisY];
    }
    emit sliceChanged();
    emit viewChanged();
    emit crosshairChanged();
    scheduleRender();
}

void SliceView::onCursorChanged()
{
    emit crosshairChanged();
    if (sliceIndex() != m_renderedIndex) {
        emit sliceChanged();
        scheduleRender();
    } else {
        // The position along the normal can move within one voxel.
        emit sliceChanged();
    }
}

void SliceView::onLabelsChanged(int layer, const VoxelBox &region)
{
    Q_UNUSED(layer)
    const int z = sliceIndex();
    const std::size_t axis = std::size_t(m_mapping.axisZ);
    if (z >= region.begin[axis] && z < region.end[axis])
        scheduleRender();
}

void SliceView::scheduleRender()
{
    // Coalesce: several changes in one event-loop turn give one render, in updatePolish().
    m_renderPending = true;
    polish();
    update();
}

int SliceView::sliceIndex() const
{
    if (!m_document || !m_document->hasImage() || m_mapping.sliceCount == 0)
        return 0;
    const QVector3D index = m_document->cursorIndex();
    const double along = index[m_mapping.axisZ];
    return std::clamp(int(std::lround(along)), 0, m_mapping.sliceCount - 1);
}

double SliceView::slicePositionMm() const
{
    if (!m_document || !m_document->hasImage())
        return 0.0;
    // The LPS axis this plane holds fixed: S for axial, P for coronal, L for sagittal.
    const int lpsAxis = m_plane == Axial ? 2 : m_plane == Coronal ? 1 : 0;
    return m_document->cursor()[lpsAxis];
}

QStringList SliceView::edgeLabels() const
{
    if (!m_document || !m_document->hasImage())
        return {};
    const Eigen::Matrix3d &d = m_document->image().geometry().direction;
    const Eigen::Vector3d right = d.col(m_mapping.axisX) * (m_mapping.flipX ? -1.0 : 1.0);
    const Eigen::Vector3d down = d.col(m_mapping.axisY) * (m_mapping.flipY ? -1.0 : 1.0);
    return {directionLetter(-right), directionLetter(right), directionLetter(-down), directionLetter(down)};
}

double SliceView::scale() const
{
    const double wMm = m_mapping.width * m_slice.pixelWidthMm;
    const double hMm = m_mapping.height * m_slice.pixelHeightMm;
    if (wMm <= 0 || hMm <= 0 || width() <= 0 || height() <= 0)
        return 1.0;
    return std::min(width() / wMm, height() / hMm) * m_zoom;
}

QRectF SliceView::imageRect() const
{
    if (m_mapping.width == 0)
        return {};
    const double s = scale();
    const double w = m_mapping.width * m_slice.pixelWidthMm * s;
    const double h = m_mapping.height * m_slice.pixelHeightMm * s;
    return QRectF(0.5 * (width() - w) + m_pan.x(), 0.5 * (height() - h) + m_pan.y(), w, h);
}

Eigen::Vector3d SliceView::itemToIndex(const QPointF &point) const
{
    const QRectF r = imageRect();
    // Continuous pixel coordinates with pixel centres at integers.
    const double u = (point.x() - r.x()) / r.width() * m_mapping.width - 0.5;
    const double v = (point.y() - r.y()) / r.height() * m_mapping.height - 0.5;
    Eigen::Vector3d index;
    index[m_mapping.axisX] = m_mapping.flipX ? (m_mapping.width - 1) - u : u;
    index[m_mapping.axisY] = m_mapping.flipY ? (m_mapping.height - 1) - v : v;
    index[m_mapping.axisZ] = sliceIndex();
    return index;
}

QVector3D SliceView::itemToPhysical(const QPointF &point) const
{
    if (!m_document || !m_document->hasImage())
        return {};
    return toQt(m_document->image().geometry().indexToPhysical(itemToIndex(point)));
}

QPointF SliceView::physicalToItem(const QVector3D &lps) const
{
    if (!m_document || !m_document->hasImage())
        return {};
    const Eigen::Vector3d index = m_document->image().geometry().physicalToIndex(toEigen(lps));
    const double i = index[m_mapping.axisX];
    const double j = index[m_mapping.axisY];
    const double u = m_mapping.flipX ? (m_mapping.width - 1) - i : i;
    const double v = m_mapping.flipY ? (m_mapping.height - 1) - j : j;
    const QRectF r = imageRect();
    return QPointF(r.x() + (u + 0.5) / m_mapping.width * r.width(), r.y() + (v + 0.5) / m_mapping.height * r.height());
}

QPointF SliceView::crosshair() const
{
    if (!m_document || !m_document->hasImage())
        return {};
    return physicalToItem(m_document->cursor());
}

void SliceView::pageBy(int n)
{
    if (!m_document || !m_document->hasImage() || n == 0)
        return;
    QVector3D index = m_document->cursorIndex();
    const int target = std::clamp(sliceIndex() + n, 0, m_mapping.sliceCount - 1);
    index[m_mapping.axisZ] = float(target);
    m_document->setCursorIndex(index);
}

void SliceView::setCursorAt(const QPointF &point)
{
    if (!m_document || !m_document->hasImage())
        return;
    Eigen::Vector3d index = itemToIndex(point);
    // Snap to the voxel centre so the three views agree on one voxel.
    for (int a = 0; a < 3; ++a)
        index[a] = std::clamp(std::round(index[a]), 0.0, double(m_document->image().dims()[std::size_t(a)] - 1));
    m_document->setCursorIndex(toQt(index));
}

void SliceView::zoomAbout(double factor, const QPointF &center)
{
    if (!(factor > 0))
        return;
    const double old = m_zoom;
    const double next = std::clamp(old * factor, kMinZoom, kMaxZoom);
    if (next == old)
        return;
    // The image point under `center` stays put: offset from the item centre scales with zoom.
    const QPointF c(0.5 * width(), 0.5 * height());
    const QPointF fromCentre = center - c - m_pan;
    m_zoom = next;
    m_pan = center - c - fromCentre * (next / old);
    emit viewChanged();
    emit crosshairChanged();
    update();
}

void SliceView::panBy(const QPointF &delta)
{
    setPan(m_pan + delta);
}

void SliceView::resetView()
{
    m_zoom = 1.0;
    m_pan = QPointF();
    emit viewChanged();
    emit crosshairChanged();
    update();
}

QVariantMap SliceView::probe(const QPointF &point) const
{
    QVariantMap result;
    result.insert(QStringLiteral("inside"), false);
    if (!m_document || !m_document->hasImage())
        return result;
    const Volume &image = m_document->image();
    const Eigen::Vector3d index = itemToIndex(point);
    const int i = int(std::lround(index[0]));
    const int j = int(std::lround(index[1]));
    const int k = int(std::lround(index[2]));
    if (!image.geometry().contains(i, j, k))
        return result;
    result.insert(QStringLiteral("inside"), true);
    result.insert(QStringLiteral("value"), image.valueAt(i, j, k));
    if (image.channels() >= 3)
        result.insert(QStringLiteral("rgb"), QVariantList{image.valueAt(i, j, k, 0), image.valueAt(i, j, k, 1),
                                                          image.valueAt(i, j, k, 2)});
    result.insert(QStringLiteral("units"), QString::fromStdString(image.info().units));
    result.insert(QStringLiteral("lps"), toQt(image.geometry().indexToPhysical(Eigen::Vector3d(i, j, k))));
    result.insert(QStringLiteral("index"), QVector3D(float(i), float(j), float(k)));
    return result;
}

void SliceView::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size()) {
        emit viewChanged();
        emit crosshairChanged();
        update();
    }
}

void SliceView::updatePolish()
{
    if (!m_renderPending)
        return;
    m_renderPending = false;
    if (!m_document || !m_document->hasImage() || m_mapping.sliceCount == 0) {
        m_frame = QImage();
        m_renderedIndex = -1;
        m_textureDirty = true;
        return;
    }
    QElapsedTimer timer;
    timer.start();
    const std::vector<algo::LabelOverlay> overlays = m_document->visibleOverlays();
    const int index = sliceIndex();
    algo::renderSlice(m_document->image(), algoPlane(), index, m_document->windowCenter(),
                      m_document->windowWidth(), overlays, m_slice);
    // A deep copy: the texture uploads later on the render thread while m_slice is reused.
    m_frame = QImage(reinterpret_cast<const uchar *>(m_slice.rgba.data()), m_slice.width, m_slice.height,
                     qsizetype(m_slice.width) * 4, QImage::Format_RGBA8888)
                  .copy();
    m_renderedIndex = index;
    m_textureDirty = true;
    ++m_renderCount;
    m_lastRenderMs = double(timer.nsecsElapsed()) / 1e6;
    emit rendered();
}

QSGNode *SliceView::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *)
{
    auto *node = static_cast<QSGSimpleTextureNode *>(oldNode);
    if (m_frame.isNull()) {
        delete node;
        return nullptr;
    }
    if (!node) {
        node = new QSGSimpleTextureNode;
        node->setOwnsTexture(true);
        m_textureDirty = true;
    }
    if (m_textureDirty) {
        node->setTexture(window()->createTextureFromImage(m_frame));
        m_textureDirty = false;
    }
    // Bilinear while an image pixel covers less than a couple of screen pixels (minified or
    // near fit, where blocks would alias); beyond that blocks, so pixels can be told apart and
    // counted, unless the user asked for smoothing.
    node->setFiltering(nearestFiltering() ? QSGTexture::Nearest : QSGTexture::Linear);
    node->setRect(imageRect());
    return node;
}

} // namespace carina
