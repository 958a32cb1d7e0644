// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "SliceTextureImage.h"

#include <carina/Document.h>

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace carina {

namespace {
// Longest side of the texture: small matrices are resampled up to MinTextureSide so the 3D
// view does not show them as a blur of big texels; MaxTextureSide bounds a repaint to a few ms.
constexpr int MinTextureSide = 512;
constexpr int MaxTextureSide = 768;

QVector3D toQt(const Eigen::Vector3d &v) { return QVector3D(float(v.x()), float(v.y()), float(v.z())); }
} // namespace

SliceTextureImage::SliceTextureImage(Qt3DCore::QNode *parent) : Qt3DRender::QPaintedTextureImage(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SliceTextureImage::renderNow);
    setSize(QSize(2, 2));
}

SliceTextureImage::~SliceTextureImage() = default;

QObject *SliceTextureImage::document() const
{
    return m_document.data();
}

void SliceTextureImage::setDocument(QObject *document)
{
    auto *doc = qobject_cast<Document *>(document);
    if (doc == m_document)
        return;
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = doc;
    if (m_document) {
        connect(m_document, &Document::imageChanged, this, &SliceTextureImage::renderNow);
        connect(m_document, &Document::cursorChanged, this, &SliceTextureImage::requestRender);
        connect(m_document, &Document::windowChanged, this, &SliceTextureImage::requestRender);
        connect(m_document, &Document::layersChanged, this, &SliceTextureImage::requestRender);
        connect(m_document, &Document::labelsChanged, this, &SliceTextureImage::requestRender);
    }
    emit documentChanged();
    renderNow();
}

void SliceTextureImage::setPlane(int plane)
{
    if (plane < 0 || plane > 2) {
        qWarning("SliceTextureImage: plane %d is not 0 (sagittal), 1 (coronal) or 2 (axial)", plane);
        return;
    }
    if (int(m_plane) == plane)
        return;
    m_plane = algo::SlicePlane(plane);
    emit planeChanged();
    renderNow();
}

void SliceTextureImage::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    emit activeChanged();
    if (m_active)
        renderNow();
    else
        m_timer.stop();
}

void SliceTextureImage::setIntervalMs(int ms)
{
    ms = std::max(0, ms);
    if (m_intervalMs == ms)
        return;
    m_intervalMs = ms;
    emit intervalMsChanged();
}

void SliceTextureImage::setFrameColour(const QColor &colour)
{
    if (m_frameColour == colour)
        return;
    m_frameColour = colour;
    emit frameColourChanged();
    if (m_valid)
        update();
}

void SliceTextureImage::requestRender()
{
    if (!m_active || m_timer.isActive())
        return;
    // Leading edge renders at once; while changes keep coming, one render per interval.
    const qint64 since = m_sinceRender.isValid() ? m_sinceRender.elapsed() : m_intervalMs;
    if (since >= m_intervalMs)
        renderNow();
    else
        m_timer.start(int(m_intervalMs - since));
}

void SliceTextureImage::renderNow()
{
    m_timer.stop();
    if (!m_active)
        return;
    const bool hadImage = m_valid;
    if (!m_document || !m_document->hasImage()) {
        m_valid = false;
        m_sliceIndex = -1;
        if (hadImage)
            emit placementChanged();
        return;
    }
    const Volume &image = m_document->image();
    const ImageGeometry &g = image.geometry();
    const algo::SliceMapping m = algo::sliceMapping(g, m_plane);
    if (m.width <= 0 || m.height <= 0 || m.sliceCount <= 0)
        return;
    const QVector3D cursor = m_document->cursorIndex();
    const int slice = std::clamp(int(std::lround(cursor[m.axisZ])), 0, m.sliceCount - 1);

    const std::vector<algo::LabelOverlay> overlays = m_document->visibleOverlays();
    try {
        algo::renderSlice(image, m_plane, slice, m_document->windowCenter(), m_document->windowWidth(), overlays,
                          m_slice);
    } catch (const std::exception &e) {
        qWarning("SliceTextureImage: cannot render slice %d: %s", slice, e.what());
        return;
    }
    m_sinceRender.start();
    m_image = QImage(reinterpret_cast<const uchar *>(m_slice.rgba.data()), m_slice.width, m_slice.height,
                     m_slice.width * 4, QImage::Format_RGBA8888);

    // Square texels on screen need the physical aspect: non-cubic voxels (thick CT slices)
    // stretch one side. The longer physical side gets the finer pixel size.
    const double widthMm = m_slice.width * m_slice.pixelWidthMm;
    const double heightMm = m_slice.height * m_slice.pixelHeightMm;
    const double longestMm = std::max(widthMm, heightMm);
    const double finestMm = std::min({m_slice.pixelWidthMm, m_slice.pixelHeightMm, longestMm / MinTextureSide});
    const double mmPerTexel = std::max(finestMm, longestMm / MaxTextureSide);
    const QSize size(std::max(2, int(std::lround(widthMm / mmPerTexel))),
                     std::max(2, int(std::lround(heightMm / mmPerTexel))));
    if (size != this->size())
        setSize(size);

    // Quad corners at the outer pixel edges: image pixel (u, v) is voxel index
    // u (or width-1-u when flipped) along axisX, likewise v along axisY.
    auto corner = [&](double u, double v) {
        Eigen::Vector3d index;
        index[m.axisX] = m.flipX ? (m.width - 1) - u : u;
        index[m.axisY] = m.flipY ? (m.height - 1) - v : v;
        index[m.axisZ] = slice;
        return toQt(g.indexToPhysical(index));
    };
    m_topLeft = corner(-0.5, -0.5);
    m_topRight = corner(m.width - 0.5, -0.5);
    m_bottomLeft = corner(-0.5, m.height - 0.5);
    m_sliceIndex = slice;
    m_valid = true;
    update();
    ++m_renderCount;
    emit placementChanged();
    emit rendered();
}

void SliceTextureImage::paint(QPainter *painter)
{
    const QRect target(QPoint(0, 0), size());
    if (m_image.isNull()) {
        painter->fillRect(target, Qt::black);
        return;
    }
    painter->setRenderHint(QPainter::SmoothPixmapTransform, true);
    painter->drawImage(target, m_image);
    // The frame marks the plane in 3D like the coloured border of its slice view.
    const int width = std::max(2, std::min(target.width(), target.height()) / 128);
    QPen pen(m_frameColour, width);
    pen.setJoinStyle(Qt::MiterJoin);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(QRectF(target).adjusted(width / 2.0, width / 2.0, -width / 2.0, -width / 2.0));
}

} // namespace carina
