// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/algo/SliceRender.h>

#include <Qt3DRender/QPaintedTextureImage>
#include <QColor>
#include <QElapsedTimer>
#include <QImage>
#include <QPointer>
#include <QTimer>
#include <QVector3D>
#include <QtQml/qqmlregistration.h>

namespace carina {

class Document;

/// The current axial, coronal or sagittal slice of a Document as a Qt3D texture image, plus
/// where that slice sits in the patient (LPS mm corners of the textured quad).
///
/// Renders with carina::algo::renderSlice (window/level and visible label layers) when the
/// cursor, window, image or labels change, at most every `intervalMs` while they keep changing
/// (a drag in a slice view), and always once more after the last change.
class SliceTextureImage : public Qt3DRender::QPaintedTextureImage
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *document READ document WRITE setDocument NOTIFY documentChanged)
    /// 2 axial, 1 coronal, 0 sagittal (carina::algo::SlicePlane values).
    Q_PROPERTY(int plane READ plane WRITE setPlane NOTIFY planeChanged)
    /// Hidden planes cost nothing: no rendering while false; a full update when it turns true.
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    /// Shortest time between two renders while the inputs keep changing, ms (default 150).
    Q_PROPERTY(int intervalMs READ intervalMs WRITE setIntervalMs NOTIFY intervalMsChanged)
    /// Colour of the frame painted around the slice (the plane's colour in the slice views).
    Q_PROPERTY(QColor frameColour READ frameColour WRITE setFrameColour NOTIFY frameColourChanged)
    /// False when there is no image: the quad must not be drawn.
    Q_PROPERTY(bool valid READ isValid NOTIFY placementChanged)
    /// LPS mm corners of the slice quad: the image's top-left, top-right and bottom-left edges.
    Q_PROPERTY(QVector3D topLeft READ topLeft NOTIFY placementChanged)
    Q_PROPERTY(QVector3D topRight READ topRight NOTIFY placementChanged)
    Q_PROPERTY(QVector3D bottomLeft READ bottomLeft NOTIFY placementChanged)
    /// Slice index shown (voxel index along the plane's fixed axis), -1 without an image.
    Q_PROPERTY(int sliceIndex READ sliceIndex NOTIFY placementChanged)
    /// How many times the slice was rendered (for tests and the frame-budget check).
    Q_PROPERTY(int renderCount READ renderCount NOTIFY rendered)

public:
    explicit SliceTextureImage(Qt3DCore::QNode *parent = nullptr);
    ~SliceTextureImage() override;

    QObject *document() const;
    void setDocument(QObject *document);
    int plane() const { return int(m_plane); }
    void setPlane(int plane);
    bool isActive() const { return m_active; }
    void setActive(bool active);
    int intervalMs() const { return m_intervalMs; }
    void setIntervalMs(int ms);
    QColor frameColour() const { return m_frameColour; }
    void setFrameColour(const QColor &colour);
    bool isValid() const { return m_valid; }
    QVector3D topLeft() const { return m_topLeft; }
    QVector3D topRight() const { return m_topRight; }
    QVector3D bottomLeft() const { return m_bottomLeft; }
    int sliceIndex() const { return m_sliceIndex; }
    int renderCount() const { return m_renderCount; }

    /// Renders now, ignoring the interval (tests, and the first frame after activation).
    Q_INVOKABLE void renderNow();

signals:
    void documentChanged();
    void planeChanged();
    void activeChanged();
    void intervalMsChanged();
    void frameColourChanged();
    void placementChanged();
    void rendered();

protected:
    void paint(QPainter *painter) override;

private:
    void requestRender();

    QPointer<Document> m_document;
    algo::SlicePlane m_plane = algo::SlicePlane::Axial;
    bool m_active = true;
    int m_intervalMs = 150;
    QColor m_frameColour = QColor(230, 80, 80);
    QTimer m_timer;
    QElapsedTimer m_sinceRender;
    algo::SliceImage m_slice;
    QImage m_image;
    bool m_valid = false;
    QVector3D m_topLeft, m_topRight, m_bottomLeft;
    int m_sliceIndex = -1;
    int m_renderCount = 0;
};

} // namespace carina
