// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "SliceView.h"

#include <carina/Document.h>
#include <carina/edit/DrawnShape.h>
#include <carina/edit/LabelPatch.h>

#include <QColor>
#include <QObject>
#include <QPointer>
#include <QPointF>
#include <QQmlEngine>
#include <QVariantList>

#include <memory>
#include <set>

namespace carina {

/// The drawing tools of the slice views: which tool, label and layer are active, the stroke in
/// progress (kept in LPS mm, so it stays right when the view zooms), and what a finished stroke
/// does: paint the active layer as one undo step, or go to the plugin that claims shapes
/// (Document::shapeConsumer). QML forwards pointer events (press/move/release in a view's
/// item coordinates) and mirrors the properties; it holds no drawing state of its own.
class AnnotationController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(carina::Document *document READ document WRITE setDocument NOTIFY documentChanged)
    Q_PROPERTY(Tool tool READ tool WRITE setTool NOTIFY toolChanged)
    /// A drawing tool is active (not pan/zoom): one finger draws, two still pinch and pan.
    Q_PROPERTY(bool drawing READ drawing NOTIFY toolChanged)
    /// Layer the tools paint, -1: a new layer "Annotation" is made by the first stroke.
    Q_PROPERTY(int activeLayer READ activeLayer WRITE setActiveLayer NOTIFY activeLayerChanged)
    Q_PROPERTY(int activeLabel READ activeLabel WRITE setActiveLabel NOTIFY activeLabelChanged)
    Q_PROPERTY(QColor activeColour READ activeColour NOTIFY activeLabelChanged)
    /// Squiggle width, mm (default 3).
    Q_PROPERTY(double squiggleWidthMm READ squiggleWidthMm WRITE setSquiggleWidthMm NOTIFY sizesChanged)
    /// Brush and eraser radius, mm (default 5).
    Q_PROPERTY(double brushRadiusMm READ brushRadiusMm WRITE setBrushRadiusMm NOTIFY sizesChanged)
    /// Brush and eraser paint spheres (3D) instead of discs on the slice.
    Q_PROPERTY(bool brushSphere READ brushSphere WRITE setBrushSphere NOTIFY sizesChanged)
    /// The active layer's labels: [{id, name, colour, voxels, volumeMl}], voxel counts live.
    Q_PROPERTY(QVariantList labels READ labels NOTIFY labelsChanged)
    Q_PROPERTY(QStringList layerNames READ layerNames NOTIFY layersChanged)
    /// Non-empty while a plugin takes the shapes instead of the layer (its name).
    Q_PROPERTY(QString shapeConsumer READ shapeConsumer NOTIFY shapeConsumerChanged)
    Q_PROPERTY(bool canUndo READ canUndo NOTIFY undoStateChanged)
    Q_PROPERTY(bool canRedo READ canRedo NOTIFY undoStateChanged)
    Q_PROPERTY(QString undoText READ undoText NOTIFY undoStateChanged)
    Q_PROPERTY(QString redoText READ redoText NOTIFY undoStateChanged)
    Q_PROPERTY(bool stroking READ stroking NOTIFY strokeChanged)
    /// Bumped whenever the stroke in progress changes (views re-read strokeItemPoints()).
    Q_PROPERTY(int strokeRevision READ strokeRevision NOTIFY strokeChanged)

public:
    enum Tool { Navigate, Lasso, Rectangle, Squiggle, Brush, Eraser };
    Q_ENUM(Tool)

    explicit AnnotationController(QObject *parent = nullptr);
    ~AnnotationController() override;

    Document *document() const { return m_document; }
    void setDocument(Document *document);
    Tool tool() const { return m_tool; }
    void setTool(Tool tool);
    bool drawing() const { return m_tool != Navigate; }
    int activeLayer() const { return m_activeLayer; }
    void setActiveLayer(int layer);
    int activeLabel() const { return m_activeLabel; }
    void setActiveLabel(int label);
    QColor activeColour() const { return colourOf(m_activeLabel); }
    double squiggleWidthMm() const { return m_squiggleWidthMm; }
    void setSquiggleWidthMm(double mm);
    double brushRadiusMm() const { return m_brushRadiusMm; }
    void setBrushRadiusMm(double mm);
    bool brushSphere() const { return m_brushSphere; }
    void setBrushSphere(bool sphere);
    QVariantList labels() const { return m_labels; }
    QStringList layerNames() const;
    QString shapeConsumer() const;
    bool canUndo() const;
    bool canRedo() const;
    QString undoText() const;
    QString redoText() const;
    bool stroking() const { return m_view != nullptr; }
    int strokeRevision() const { return m_strokeRevision; }

    /// Pointer events of a slice view, in its item coordinates.
    Q_INVOKABLE void press(carina::SliceView *view, const QPointF &point);
    Q_INVOKABLE void move(carina::SliceView *view, const QPointF &point);
    Q_INVOKABLE void release(carina::SliceView *view, const QPointF &point);
    /// Drops the stroke in progress; a brush stroke's voxels go back as they were.
    Q_INVOKABLE void cancel();
    /// The stroke in progress in `view`'s item coordinates (empty when it is drawn elsewhere):
    /// lasso and squiggle their path, rectangle its four corners.
    Q_INVOKABLE QVariantList strokeItemPoints(carina::SliceView *view) const;
    /// LPS mm (vector3d) of the points of the last finished stroke, as rasterised: a finger's
    /// samples, not every position the screen reported (those are coalesced per frame).
    Q_INVOKABLE QVariantList lastStrokePoints() const;
    /// A new label id (one above the largest listed) that becomes the active label.
    Q_INVOKABLE int addLabel();
    /// A new empty layer that becomes the active one.
    Q_INVOKABLE int newLayer();
    Q_INVOKABLE void undo();
    Q_INVOKABLE void redo();

signals:
    void documentChanged();
    void toolChanged();
    void activeLayerChanged();
    void activeLabelChanged();
    void sizesChanged();
    void labelsChanged();
    void layersChanged();
    void shapeConsumerChanged();
    void undoStateChanged();
    void strokeChanged();

private:
    QColor colourOf(int label) const;
    void refreshLabels();
    void onLayersChanged();
    void onLabelsChanged(int layer);
    /// The layer to paint, made when there is none.
    int ensureLayer();
    DrawnShape::Kind shapeKind() const;
    /// Brush/eraser: paints the segment a-b of the stroke (live).
    void paintSegment(const Eigen::Vector3d &a, const Eigen::Vector3d &b);
    void finishStroke();
    void clearStroke();
    int layerIndexOf(const LabelVolume *labels) const;

    QPointer<Document> m_document;
    Tool m_tool = Navigate;
    int m_activeLayer = -1;
    int m_activeLabel = 1;
    double m_squiggleWidthMm = 3.0;
    double m_brushRadiusMm = 5.0;
    bool m_brushSphere = false;
    QVariantList m_labels;
    std::set<int> m_addedLabels; ///< labels added with addLabel() that have no voxels yet

    // The stroke in progress.
    QPointer<SliceView> m_view;
    int m_plane = 0;
    int m_slice = 0;
    std::vector<Eigen::Vector3d> m_points; ///< LPS mm
    std::vector<Eigen::Vector3d> m_lastPoints;
    bool m_painting = false;               ///< brush/eraser writing into the layer as it goes
    std::shared_ptr<LabelVolume> m_strokeLabels;
    LabelPatch m_patch;
    std::vector<std::size_t> m_touched; ///< brush/eraser voxels when a plugin takes the shape
    int m_strokeRevision = 0;
};

} // namespace carina
