// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/Document.h>
#include <carina/algo/SliceRender.h>

#include <QImage>
#include <QPointer>
#include <QQuickItem>
#include <QVariantMap>
#include <QVector3D>

namespace carina {

/// One slice of the document's image through the shared cursor, in radiological orientation.
///
/// Renders with algo::renderSlice into a texture, again only when what it shows changed (the
/// slice through the cursor, the window, the image, the layers, or labels in this slice). Keeps
/// the physical aspect ratio; `zoom` 1 fits the slice into the item. Gestures live in QML
/// (SlicePane.qml) and call the invokables here; all points are in item coordinates.
class SliceView : public QQuickItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(carina::Document *document READ document WRITE setDocument NOTIFY documentChanged)
    Q_PROPERTY(Plane plane READ plane WRITE setPlane NOTIFY planeChanged)
    Q_PROPERTY(double zoom READ zoom WRITE setZoom NOTIFY viewChanged)
    Q_PROPERTY(QPointF pan READ pan WRITE setPan NOTIFY viewChanged)
    /// Where the slice is drawn, in item coordinates.
    Q_PROPERTY(QRectF imageRect READ imageRect NOTIFY viewChanged)
    /// Item pixels per millimetre at the current zoom (drawing tools size their strokes with it).
    Q_PROPERTY(double pixelsPerMm READ pixelsPerMm NOTIFY viewChanged)
    /// The cursor projected into this view, item coordinates.
    Q_PROPERTY(QPointF crosshair READ crosshair NOTIFY crosshairChanged)
    Q_PROPERTY(int sliceIndex READ sliceIndex NOTIFY sliceChanged)
    Q_PROPERTY(int sliceCount READ sliceCount NOTIFY sliceChanged)
    /// The cursor's LPS coordinate along the plane's normal axis, mm.
    Q_PROPERTY(double slicePositionMm READ slicePositionMm NOTIFY sliceChanged)
    Q_PROPERTY(QString planeName READ planeName NOTIFY planeChanged)
    /// Patient directions at the left, right, top and bottom edges ("R", "L", "A", "P", ...).
    Q_PROPERTY(QStringList edgeLabels READ edgeLabels NOTIFY sliceChanged)
    /// Magnified pixels drawn smoothed (bilinear) instead of as blocks; default false.
    Q_PROPERTY(bool smoothPixels READ smoothPixels WRITE setSmoothPixels NOTIFY smoothPixelsChanged)
    /// One image pixel covers at least kBlockPixels item pixels: blocks are drawn unless smoothPixels.
    Q_PROPERTY(bool pixelsMagnified READ pixelsMagnified NOTIFY viewChanged)
    /// What the texture is drawn with now: true for nearest neighbour (blocks), false for bilinear.
    Q_PROPERTY(bool nearestFiltering READ nearestFiltering NOTIFY filteringChanged)
    /// How many times the slice was rendered (tests check that paging re-renders, panning not).
    Q_PROPERTY(int renderCount READ renderCount NOTIFY rendered)
    Q_PROPERTY(double lastRenderMs READ lastRenderMs NOTIFY rendered)

public:
    enum Plane { Axial, Coronal, Sagittal };
    Q_ENUM(Plane)

    explicit SliceView(QQuickItem *parent = nullptr);
    ~SliceView() override;

    Document *document() const { return m_document; }
    void setDocument(Document *document);
    Plane plane() const { return m_plane; }
    void setPlane(Plane plane);
    double zoom() const { return m_zoom; }
    void setZoom(double zoom);
    QPointF pan() const { return m_pan; }
    void setPan(const QPointF &pan);
    QRectF imageRect() const;
    double pixelsPerMm() const { return scale(); }
    QPointF crosshair() const;
    int sliceIndex() const;
    int sliceCount() const { return m_mapping.sliceCount; }
    double slicePositionMm() const;
    QString planeName() const;
    QStringList edgeLabels() const;
    bool smoothPixels() const { return m_smoothPixels; }
    void setSmoothPixels(bool smooth);
    bool pixelsMagnified() const;
    bool nearestFiltering() const { return pixelsMagnified() && !m_smoothPixels; }
    /// Item pixels one image pixel must cover before it is drawn as a block.
    static constexpr double kBlockPixels = 2.0;
    int renderCount() const { return m_renderCount; }
    double lastRenderMs() const { return m_lastRenderMs; }

    /// LPS mm of an item point, on the current slice.
    Q_INVOKABLE QVector3D itemToPhysical(const QPointF &point) const;
    /// Item point of an LPS position projected onto this plane.
    Q_INVOKABLE QPointF physicalToItem(const QVector3D &lps) const;
    /// Moves the cursor `n` slices along this plane's normal (positive = increasing index).
    Q_INVOKABLE void pageBy(int n);
    /// Puts the cursor (crosshair) under an item point, keeping this view's slice.
    Q_INVOKABLE void setCursorAt(const QPointF &point);
    /// Multiplies the zoom, keeping the image point under `center` in place.
    Q_INVOKABLE void zoomAbout(double factor, const QPointF &center);
    Q_INVOKABLE void panBy(const QPointF &delta);
    /// Zoom 1 (fit) and no pan.
    Q_INVOKABLE void resetView();
    /// What lies under an item point: {inside, value, units, lps (vector3d), index (vector3d)}.
    Q_INVOKABLE QVariantMap probe(const QPointF &point) const;

signals:
    void documentChanged();
    void planeChanged();
    void viewChanged();
    void crosshairChanged();
    void sliceChanged();
    void rendered();
    void smoothPixelsChanged();
    void filteringChanged();

protected:
    QSGNode *updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *data) override;
    void updatePolish() override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;

private:
    algo::SlicePlane algoPlane() const;
    void onImageChanged();
    void onCursorChanged();
    void onLabelsChanged(int layer, const carina::VoxelBox &region);
    void scheduleRender();
    /// Item px per mm at the current zoom.
    double scale() const;
    Eigen::Vector3d itemToIndex(const QPointF &point) const;

    QPointer<Document> m_document;
    Plane m_plane = Axial;
    double m_zoom = 1.0;
    QPointF m_pan;
    algo::SliceMapping m_mapping;
    algo::SliceImage m_slice;
    QImage m_frame;
    int m_renderedIndex = -1;
    bool m_renderPending = false;
    bool m_textureDirty = false;
    int m_renderCount = 0;
    bool m_smoothPixels = false;
    bool m_lastNearest = false;
    double m_lastRenderMs = 0.0;
};

} // namespace carina
