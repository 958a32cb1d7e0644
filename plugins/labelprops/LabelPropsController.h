// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "LabelPipeline.h"
#include "RegionTableModel.h"

#include <carina/Document.h>
#include <carina/TaskRunner.h>

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVariantMap>

#include <memory>

namespace carina::labelprops {

/// State and actions of the Label properties panel.
///
/// Measures regions off the UI thread (threshold + connected components + properties, or the
/// properties of an existing layer), puts the labels in a layer drawn as contours coloured by
/// one column (plasma), and links the table with the views: filtered-out rows hide their
/// contours, selecting a row highlights its region and moves the cursor to it, tapping a region
/// (moving the cursor onto it) selects its row, deleting rows clears their labels (undoable).
///
/// Lives on the UI thread. A measurement goes through task() (busy, progress, status, error,
/// cancel); a new one supersedes a running one. The result belongs to the study: a derived
/// image on display (the lung mask's masked CT) keeps it, a new study clears it.
class LabelPropsController : public QObject
{
    Q_OBJECT
    Q_PROPERTY(carina::Document *document READ document CONSTANT)
    Q_PROPERTY(bool otsu READ otsu WRITE setOtsu NOTIFY parametersChanged)
    Q_PROPERTY(double threshold READ threshold WRITE setThreshold NOTIFY parametersChanged)
    Q_PROPERTY(bool darkObjects READ darkObjects WRITE setDarkObjects NOTIFY parametersChanged)
    Q_PROPERTY(int neighbours READ neighbours WRITE setNeighbours NOTIFY parametersChanged)
    Q_PROPERTY(int minSize READ minSize WRITE setMinSize NOTIFY parametersChanged)
    Q_PROPERTY(int sourceLayer READ sourceLayer WRITE setSourceLayer NOTIFY parametersChanged)
    Q_PROPERTY(QStringList layerNames READ layerNames NOTIFY layerNamesChanged)
    Q_PROPERTY(QVariantList neighbourChoices READ neighbourChoices NOTIFY layerNamesChanged)
    Q_PROPERTY(carina::TaskRunner *task READ task CONSTANT)
    Q_PROPERTY(double usedThreshold READ usedThreshold NOTIFY resultChanged)
    Q_PROPERTY(bool hasResult READ hasResult NOTIFY resultChanged)
    Q_PROPERTY(int resultLayer READ resultLayer NOTIFY resultChanged)
    Q_PROPERTY(carina::labelprops::RegionTableModel *table READ table CONSTANT)
    Q_PROPERTY(QString colourColumn READ colourColumn WRITE setColourColumn NOTIFY coloursChanged)
    Q_PROPERTY(double colourMin READ colourMin NOTIFY coloursChanged)
    Q_PROPERTY(double colourMax READ colourMax NOTIFY coloursChanged)
    Q_PROPERTY(int selectedLabel READ selectedLabel NOTIFY selectionChanged)
    Q_PROPERTY(int selectedRow READ selectedRow NOTIFY selectionChanged)
    Q_PROPERTY(QVariantMap selectedProperties READ selectedProperties NOTIFY selectionChanged)

public:
    explicit LabelPropsController(Document *document, QObject *parent = nullptr);

    Document *document() const { return m_document; }
    bool otsu() const { return m_options.otsu; }
    void setOtsu(bool otsu);
    /// Manual threshold (used when otsu is false).
    double threshold() const { return m_options.threshold; }
    void setThreshold(double threshold);
    bool darkObjects() const { return m_options.darkObjects; }
    void setDarkObjects(bool dark);
    /// 4 / 8 in 2D, 6 / 18 / 26 in 3D; 0 = the most (skimage's default).
    int neighbours() const { return m_options.neighbours; }
    void setNeighbours(int neighbours);
    int minSize() const { return int(m_options.minSize); }
    void setMinSize(int minSize);
    /// -1: threshold the image; else measure the document's layer of that index.
    int sourceLayer() const { return m_sourceLayer; }
    void setSourceLayer(int layer);
    QStringList layerNames() const;
    QVariantList neighbourChoices() const;

    TaskRunner *task() { return &m_task; }
    double usedThreshold() const { return m_usedThreshold; }
    bool hasResult() const { return bool(m_labels); }
    /// Index of the measured layer in the document, -1 when none (or it was removed).
    int resultLayer() const;
    RegionTableModel *table() const { return m_model; }

    QString colourColumn() const { return m_colourColumn; }
    void setColourColumn(const QString &column);
    double colourMin() const { return m_colourMin; }
    double colourMax() const { return m_colourMax; }

    int selectedLabel() const { return m_selectedLabel; }
    int selectedRow() const;
    QVariantMap selectedProperties() const;

    /// Measures with the current parameters (a running measurement is dropped); false, with the
    /// task's error set, without a single-channel image.
    Q_INVOKABLE bool run();
    /// Selects shown row `row`: highlights its region and moves the cursor to its centroid.
    Q_INVOKABLE void selectRow(int row);
    /// Selects `label` (0 = none); with moveViews the cursor goes to its centroid.
    Q_INVOKABLE void selectLabel(int label, bool moveViews);
    /// The label of the measured layer at an LPS point (0 = background or outside).
    Q_INVOKABLE int labelAtPhysical(const QVector3D &lps) const;
    /// Clears the labels of shown rows `rows` from the layer, as one undoable edit.
    Q_INVOKABLE bool deleteRows(const QList<int> &rows);
    /// Deletes the selected row's label.
    Q_INVOKABLE bool deleteSelected();
    /// Writes the shown rows and columns as CSV (path or file: URL). False + error on failure.
    Q_INVOKABLE bool exportCsv(const QString &path);
    /// Writes the measured layer as NIfTI (.nii / .nii.gz) or, for a 2D image, 16-bit PNG.
    Q_INVOKABLE bool exportLabels(const QString &path);

signals:
    void parametersChanged();
    void layerNamesChanged();
    void resultChanged();
    void coloursChanged();
    void selectionChanged();

private:
    struct Outcome;
    void commit(Outcome outcome);
    void onStudyChanged();
    void setError(const QString &error) { m_task.setError(error); }
    void setStatus(const QString &status) { m_task.setStatus(status); }
    void applyColours();
    void onLabelsChanged(int layer);
    void onCursorChanged();
    void updateStatus();

    QPointer<Document> m_document;
    LabelOptions m_options;
    int m_sourceLayer = -1;
    double m_usedThreshold = 0.0;
    std::shared_ptr<LabelVolume> m_labels; ///< the measured layer's labels (shared with the document)
    bool m_ownLayer = false;               ///< the layer was made by this controller
    bool m_stale = false;
    RegionTableModel *m_model;
    QString m_colourColumn = QStringLiteral("area");
    double m_colourMin = 0.0;
    double m_colourMax = 0.0;
    int m_selectedLabel = 0;
    bool m_movingCursor = false;
    TaskRunner m_task{this};
};

} // namespace carina::labelprops
