// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "TrainablePipeline.h"

#include <carina/Document.h>
#include <carina/TaskRunner.h>

#include <QColor>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QVariantList>

#include <memory>
#include <vector>

namespace carina::trainable {

/// State and actions of the trainable segmentation panel (seed 003, ilastik's pixel
/// classification). While `drawing` is on, the Draw tools' strokes (brush, open stroke of a
/// width, eraser) come here and are painted, as undoable label edits, into the "Scribbles"
/// layer in the active class; every change of that layer (a stroke, undo, redo, erase)
/// schedules a retrain after a short pause. A retrain trains the forest on the scribbled
/// voxels' features (cached per image and feature settings) and predicts the visible axial
/// slice first (task()); the other slices follow slab by slab (restTask()), nearest first.
/// Results are ordinary label layers: "Segmentation" in the class colours and "Uncertainty"
/// (1 - the largest class probability, in ten steps), so every view, the 3D view and the
/// session handle them like any other layer.
class TrainableController : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("carina.sessionParameters", "intensity edges texture sigmaMin sigmaMax trees depth opacity showSegmentation showUncertainty")
    Q_PROPERTY(carina::Document *document READ document CONSTANT)
    Q_PROPERTY(carina::TaskRunner *task READ task CONSTANT)
    Q_PROPERTY(carina::TaskRunner *restTask READ restTask CONSTANT)
    Q_PROPERTY(QVariantList classes READ classes NOTIFY classesChanged)
    Q_PROPERTY(int activeClass READ activeClass WRITE setActiveClass NOTIFY activeClassChanged)
    Q_PROPERTY(bool drawing READ drawing WRITE setDrawing NOTIFY drawingChanged)
    Q_PROPERTY(bool intensity READ intensity WRITE setIntensity NOTIFY featureOptionsChanged)
    Q_PROPERTY(bool edges READ edges WRITE setEdges NOTIFY featureOptionsChanged)
    Q_PROPERTY(bool texture READ texture WRITE setTexture NOTIFY featureOptionsChanged)
    Q_PROPERTY(double sigmaMin READ sigmaMin WRITE setSigmaMin NOTIFY featureOptionsChanged)
    Q_PROPERTY(double sigmaMax READ sigmaMax WRITE setSigmaMax NOTIFY featureOptionsChanged)
    Q_PROPERTY(int featureCount READ featureCount NOTIFY featureOptionsChanged)
    Q_PROPERTY(int trees READ trees WRITE setTrees NOTIFY forestOptionsChanged)
    Q_PROPERTY(int depth READ depth WRITE setDepth NOTIFY forestOptionsChanged)
    Q_PROPERTY(double opacity READ opacity WRITE setOpacity NOTIFY displayChanged)
    Q_PROPERTY(bool showSegmentation READ showSegmentation WRITE setShowSegmentation NOTIFY displayChanged)
    Q_PROPERTY(bool showUncertainty READ showUncertainty WRITE setShowUncertainty NOTIFY displayChanged)
    Q_PROPERTY(bool trained READ trained NOTIFY trainedChanged)
    Q_PROPERTY(int scribbleVoxels READ scribbleVoxels NOTIFY scribblesChanged)
    Q_PROPERTY(quint64 predictions READ predictions NOTIFY predicted)

public:
    static inline const QString kScribbleLayer = QStringLiteral("Scribbles");
    static inline const QString kSegmentationLayer = QStringLiteral("Segmentation");
    static inline const QString kUncertaintyLayer = QStringLiteral("Uncertainty");
    static inline const QString kConsumerName = QStringLiteral("trainable");
    static constexpr int kMaxClasses = 16;
    static constexpr int kRetrainDelayMs = 200; ///< pause after the last change before retraining

    explicit TrainableController(Document *document, QObject *parent = nullptr);
    ~TrainableController() override;

    Document *document() const { return m_document; }
    TaskRunner *task() { return &m_task; }
    TaskRunner *restTask() { return &m_restTask; }

    /// [{name, colour}] per class; class i paints label i + 1.
    QVariantList classes() const;
    int classCount() const { return int(m_classes.size()); }
    const std::vector<io::TrainableClass> &classTable() const { return m_classes; }
    Q_INVOKABLE void addClass();
    /// Removes class `index` (0-based); its scribbles go, higher classes move down one.
    Q_INVOKABLE void removeClass(int index);
    Q_INVOKABLE void renameClass(int index, const QString &name);
    Q_INVOKABLE void recolourClass(int index, const QColor &colour);
    /// The class strokes paint (1-based label value).
    int activeClass() const { return m_activeClass; }
    void setActiveClass(int label);

    bool drawing() const;
    void setDrawing(bool on);

    bool intensity() const { return m_features.intensity; }
    void setIntensity(bool on);
    bool edges() const { return m_features.edges; }
    void setEdges(bool on);
    bool texture() const { return m_features.texture; }
    void setTexture(bool on);
    double sigmaMin() const { return m_features.sigmaMin; }
    void setSigmaMin(double sigma);
    double sigmaMax() const { return m_features.sigmaMax; }
    void setSigmaMax(double sigma);
    int featureCount() const;
    const algo::FeatureOptions &featureOptions() const { return m_features; }
    int trees() const { return m_forestOptions.trees; }
    void setTrees(int trees);
    int depth() const { return m_forestOptions.maxDepth; }
    void setDepth(int depth);

    double opacity() const { return m_opacity; }
    void setOpacity(double opacity);
    bool showSegmentation() const { return m_showSegmentation; }
    void setShowSegmentation(bool on);
    bool showUncertainty() const { return m_showUncertainty; }
    void setShowUncertainty(bool on);

    bool trained() const { return m_forest != nullptr; }
    int scribbleVoxels() const { return m_scribbleVoxels; }
    /// Counts committed predictions (visible slice or a slab of the rest), for tests and views.
    quint64 predictions() const { return m_predictions; }
    /// True once every slice of the current forest is predicted.
    bool complete() const { return m_complete; }

    /// Paints a drawn shape into the scribble layer as one undoable edit (also callable directly).
    void takeShape(const DrawnShape &shape);
    /// Retrains now (the timer does it after strokes). False, with the error set, without image
    /// or with scribbles of fewer than two classes.
    Q_INVOKABLE bool retrain();
    Q_INVOKABLE void clearScribbles();
    /// The trained model (classifier + feature settings + class table) to a file; false with error set.
    Q_INVOKABLE bool saveModel(const QString &path);
    /// Loads a model and segments the image with it; refuses one for another channel count or
    /// dimensionality with the reason as error.
    Q_INVOKABLE bool loadModel(const QString &path);
    /// The segmentation as NIfTI (image affine) or 16-bit label PNG (one slice).
    Q_INVOKABLE bool exportSegmentation(const QString &path);
    /// The visible slice blended with the class colours as PNG (the seed's download).
    Q_INVOKABLE bool exportBlended(const QString &path);
    Q_INVOKABLE void panelOpened() { setDrawing(true); }
    Q_INVOKABLE void panelClosed() { setDrawing(false); }

signals:
    void classesChanged();
    void activeClassChanged();
    void drawingChanged();
    void featureOptionsChanged();
    void forestOptionsChanged();
    void displayChanged();
    void trainedChanged();
    void scribblesChanged();
    void predicted();

private:
    void onStudyChanged();
    void onImageChanged();
    void onLabelsChanged(int layer, const VoxelBox &box);
    void scheduleRetrain();
    std::shared_ptr<FeatureCache> cache();
    int ensureLayer(const QString &name, double opacity);
    void applyClassTables();
    void applyDisplay();
    void writePrediction(const SlicePrediction &p);
    /// Predicts every slice but `done` with the current forest, nearest to `from` first.
    void predictRest(int from, int done);
    void predictVisible();
    void startRestChunk();
    void countScribbles();
    QString path(const QString &pathOrUrl) const;

    QPointer<Document> m_document;
    std::vector<io::TrainableClass> m_classes;
    int m_activeClass = 1;
    algo::FeatureOptions m_features;
    algo::ForestOptions m_forestOptions;
    double m_opacity = 0.5;
    bool m_showSegmentation = true;
    bool m_showUncertainty = false;
    std::shared_ptr<FeatureCache> m_cache;
    std::shared_ptr<const algo::RandomForest> m_forest;
    int m_scribbleVoxels = 0;
    quint64 m_predictions = 0;
    bool m_complete = false;
    std::vector<std::pair<int, int>> m_restQueue; ///< slabs still to predict for m_forest
    TaskRunner m_task{this};
    TaskRunner m_restTask{this};
    QTimer m_retrainTimer;
    bool m_writing = false; ///< our own writes to the result layers (not user edits)
};

} // namespace carina::trainable
