// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/Document.h>
#include <carina/TaskRunner.h>
#include <carina/edit/DrawnShape.h>

#include <QColor>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QVariantList>

#include <cstdint>
#include <memory>
#include <vector>

namespace carina::superpixels {

/// State and actions of the Superpixels panel (seed 001).
///
/// compute() runs 3D SLIC (core's algo::slicSuperpixels, then the seed's dark-superpixel drop)
/// off the UI thread and puts the map in the document as the "Superpixels" layer, drawn as
/// outlines in one colour (the seed's orange by default): the boundaries on every slice view,
/// rendered with the slice like any outline layer. The layer is saved with a session and taken
/// back on reopening, so nothing is recomputed. While `painting` is on (the panel is open), the
/// Draw tools' strokes and taps come here (Document::shapeConsumer): every superpixel a stroke
/// touches is painted into `activeLabel` of the "Superpixel segmentation" layer (erased with the
/// eraser or `erasing`), one undoable edit per stroke through the document.
///
/// Lives on the UI thread; computing goes through task() (busy, progress, error, cancel).
class SuperpixelsController : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("carina.sessionParameters",
                "nSegments compactness useMask maskThreshold dropDark minMean boundaryColor activeLabel")
    Q_PROPERTY(carina::Document *document READ document CONSTANT)
    Q_PROPERTY(int nSegments READ nSegments WRITE setNSegments NOTIFY parametersChanged)
    Q_PROPERTY(double compactness READ compactness WRITE setCompactness NOTIFY parametersChanged)
    Q_PROPERTY(bool useMask READ useMask WRITE setUseMask NOTIFY parametersChanged)
    Q_PROPERTY(double maskThreshold READ maskThreshold WRITE setMaskThreshold NOTIFY parametersChanged)
    Q_PROPERTY(bool dropDark READ dropDark WRITE setDropDark NOTIFY parametersChanged)
    Q_PROPERTY(double minMean READ minMean WRITE setMinMean NOTIFY parametersChanged)
    Q_PROPERTY(carina::TaskRunner *task READ task CONSTANT)
    Q_PROPERTY(bool hasSuperpixels READ hasSuperpixels NOTIFY superpixelsChanged)
    Q_PROPERTY(int superpixelCount READ superpixelCount NOTIFY superpixelsChanged)
    Q_PROPERTY(bool showBoundaries READ showBoundaries WRITE setShowBoundaries NOTIFY displayChanged)
    Q_PROPERTY(QColor boundaryColor READ boundaryColor WRITE setBoundaryColor NOTIFY displayChanged)
    Q_PROPERTY(bool showSegmentation READ showSegmentation WRITE setShowSegmentation NOTIFY displayChanged)
    Q_PROPERTY(bool painting READ painting WRITE setPainting NOTIFY paintingChanged)
    Q_PROPERTY(bool erasing READ erasing WRITE setErasing NOTIFY paintingChanged)
    Q_PROPERTY(int activeLabel READ activeLabel WRITE setActiveLabel NOTIFY paintingChanged)
    Q_PROPERTY(QVariantList labelColors READ labelColors CONSTANT)
    Q_PROPERTY(int paintedLabels READ paintedLabels NOTIFY segmentationChanged)

public:
    static inline const QString kMapLayerName = QStringLiteral("Superpixels");
    static inline const QString kSegmentationLayerName = QStringLiteral("Superpixel segmentation");
    static inline const QString kConsumerName = QStringLiteral("superpixels");
    /// The seed app's boundary colour.
    static inline const QColor kDefaultBoundaryColor = QColor(255, 140, 0);
    static constexpr int kLabelChoices = 6;

    explicit SuperpixelsController(Document *document, QObject *parent = nullptr);
    ~SuperpixelsController() override;

    Document *document() const { return m_document; }
    /// Superpixels asked for (1..65535, default 3000) and SLIC's compactness (> 0, default 0.1).
    int nSegments() const { return m_nSegments; }
    void setNSegments(int n);
    double compactness() const { return m_compactness; }
    void setCompactness(double c);
    /// Only voxels above maskThreshold (image units) get superpixels (default off, 0).
    bool useMask() const { return m_useMask; }
    void setUseMask(bool on);
    double maskThreshold() const { return m_maskThreshold; }
    void setMaskThreshold(double t);
    /// The seed's clean-up: superpixels with mean <= minMean (image units) dropped (default on, 0).
    bool dropDark() const { return m_dropDark; }
    void setDropDark(bool on);
    double minMean() const { return m_minMean; }
    void setMinMean(double m);

    TaskRunner *task() { return &m_task; }
    bool hasSuperpixels() const { return mapLayer() >= 0; }
    int superpixelCount() const { return m_count; }

    bool showBoundaries() const;
    void setShowBoundaries(bool on);
    QColor boundaryColor() const { return m_boundaryColor; }
    void setBoundaryColor(const QColor &color);
    bool showSegmentation() const;
    void setShowSegmentation(bool on);

    /// Whether the Draw tools' shapes come here (Document::shapeConsumer).
    bool painting() const;
    void setPainting(bool on);
    bool erasing() const { return m_erasing; }
    void setErasing(bool on);
    /// The label strokes paint (1..kLabelChoices), in the palette's colour.
    int activeLabel() const { return m_activeLabel; }
    void setActiveLabel(int label);
    QVariantList labelColors() const;
    /// Labels present in the segmentation layer.
    int paintedLabels() const;

    /// Computes the superpixels of the shown image (a running computation is dropped); false,
    /// with the task's error set, without an image.
    Q_INVOKABLE bool compute();
    /// Paints (or erases) every superpixel under `shape`'s voxels; one undo step. False with
    /// error set when there are no superpixels yet.
    bool takeShape(const DrawnShape &shape);
    /// Paints every superpixel under the LPS point (a tap), as takeShape does.
    Q_INVOKABLE bool paintAt(const QVector3D &lps);
    /// Writes the segmentation / the superpixel map as NIfTI on the image's affine.
    Q_INVOKABLE bool exportSegmentation(const QString &path);
    Q_INVOKABLE bool exportSuperpixels(const QString &path);
    /// Takes a superpixel map made elsewhere: a label NIfTI on the image's grid, or the seed
    /// app's .npz / .npz.gz (key "seg", (z, x, y) order with z flipped, as the app wrote it).
    Q_INVOKABLE bool importSuperpixels(const QString &path);
    /// The shell calls these when the panel opens and closes: strokes paint superpixels only
    /// while the panel is open.
    Q_INVOKABLE void panelOpened() { setPainting(true); }
    Q_INVOKABLE void panelClosed() { setPainting(false); }

    /// Index of the map / segmentation layer in the document, -1 when none.
    int mapLayer() const;
    int segmentationLayer() const;

signals:
    void parametersChanged();
    void superpixelsChanged();
    void displayChanged();
    void paintingChanged();
    void segmentationChanged();

private:
    void setError(const QString &error) { m_task.setError(error); }
    void setStatus(const QString &status) { m_task.setStatus(status); }
    /// Puts `map` in the document as the map layer (replacing an older one).
    void showMap(std::shared_ptr<LabelVolume> map, int count);
    /// Takes a map layer already in the document (a session's) as the superpixels.
    void adoptMapLayer();
    void colourMap();
    int ensureSegmentationLayer();

    QPointer<Document> m_document;
    int m_nSegments = 3000;
    double m_compactness = 0.1;
    bool m_useMask = false;
    double m_maskThreshold = 0.0;
    bool m_dropDark = true;
    double m_minMean = 0.0;
    QColor m_boundaryColor = kDefaultBoundaryColor;
    bool m_erasing = false;
    int m_activeLabel = 1;
    int m_count = 0;
    std::shared_ptr<LabelVolume> m_map;   ///< the map layer's labels (shared with the document)
    std::vector<VoxelBox> m_boxes;        ///< per superpixel id, its voxels' box
    TaskRunner m_task{this};
};

} // namespace carina::superpixels
