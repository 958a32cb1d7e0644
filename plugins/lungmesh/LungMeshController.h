// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "LungMeshPipeline.h"

#include <carina/Document.h>
#include <carina/TaskRunner.h>

#include <QColor>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

namespace carina::lungmesh {

/// State and actions of the Lung mesh panel: runs segmentation + meshing of the document's CT
/// off the UI thread, then puts the "Lungs" label layer (1 = right, 2 = left), one mesh per lung
/// and optionally the CT iso-surface into the document, keeps the masked CT for display, and
/// exports meshes, labels and figures.
///
/// Lives on the UI thread. A run goes through task() (busy, progress, status, error, cancel); a
/// new run supersedes a running one, and a canceled run leaves the document as it was. The
/// result belongs to the study: showing the masked CT keeps it, a new study drops it (and a
/// running task). Colour, opacity and visibility write through to the document's meshes at once.
class LungMeshController : public QObject
{
    Q_OBJECT
    // What a session stores and restores (the rest is state, not a setting of the user's).
    Q_CLASSINFO("carina.sessionParameters", "smoothingIterations targetTriangles isoSurface isoThresholdHu rightColour leftColour rightOpacity leftOpacity rightVisible leftVisible isoVisible isoOpacity")
    Q_PROPERTY(carina::Document *document READ document CONSTANT)
    Q_PROPERTY(int smoothingIterations READ smoothingIterations WRITE setSmoothingIterations NOTIFY optionsChanged)
    Q_PROPERTY(int targetTriangles READ targetTriangles WRITE setTargetTriangles NOTIFY optionsChanged)
    Q_PROPERTY(bool isoSurface READ isoSurface WRITE setIsoSurface NOTIFY optionsChanged)
    Q_PROPERTY(double isoThresholdHu READ isoThresholdHu WRITE setIsoThresholdHu NOTIFY optionsChanged)
    Q_PROPERTY(carina::TaskRunner *task READ task CONSTANT)
    Q_PROPERTY(QStringList warnings READ warnings NOTIFY resultChanged)
    Q_PROPERTY(bool hasResult READ hasResult NOTIFY resultChanged)
    Q_PROPERTY(double rightVolumeMl READ rightVolumeMl NOTIFY resultChanged)
    Q_PROPERTY(double leftVolumeMl READ leftVolumeMl NOTIFY resultChanged)
    Q_PROPERTY(double totalVolumeMl READ totalVolumeMl NOTIFY resultChanged)
    Q_PROPERTY(double rightAreaMm2 READ rightAreaMm2 NOTIFY resultChanged)
    Q_PROPERTY(double leftAreaMm2 READ leftAreaMm2 NOTIFY resultChanged)
    Q_PROPERTY(double totalAreaMm2 READ totalAreaMm2 NOTIFY resultChanged)
    Q_PROPERTY(int triangleCount READ triangleCount NOTIFY resultChanged)
    Q_PROPERTY(QColor rightColour READ rightColour WRITE setRightColour NOTIFY appearanceChanged)
    Q_PROPERTY(QColor leftColour READ leftColour WRITE setLeftColour NOTIFY appearanceChanged)
    Q_PROPERTY(double rightOpacity READ rightOpacity WRITE setRightOpacity NOTIFY appearanceChanged)
    Q_PROPERTY(double leftOpacity READ leftOpacity WRITE setLeftOpacity NOTIFY appearanceChanged)
    Q_PROPERTY(bool rightVisible READ rightVisible WRITE setRightVisible NOTIFY appearanceChanged)
    Q_PROPERTY(bool leftVisible READ leftVisible WRITE setLeftVisible NOTIFY appearanceChanged)
    Q_PROPERTY(bool isoVisible READ isoVisible WRITE setIsoVisible NOTIFY appearanceChanged)
    Q_PROPERTY(double isoOpacity READ isoOpacity WRITE setIsoOpacity NOTIFY appearanceChanged)
    Q_PROPERTY(bool showMaskedCt READ showMaskedCt WRITE setShowMaskedCt NOTIFY showMaskedCtChanged)

public:
    static inline const QString kLayerName = QStringLiteral("Lungs");
    static inline const QString kMaskedName = QStringLiteral("Masked CT");

    explicit LungMeshController(Document *document, QObject *parent = nullptr);

    Document *document() const { return m_document; }

    /// Taubin iterations 0..100, default 10.
    int smoothingIterations() const { return m_options.smoothingIterations; }
    void setSmoothingIterations(int iterations);
    /// Triangles per lung after decimation, 0 (= keep all) or 1000..5000000; default 150000.
    int targetTriangles() const { return int(m_options.targetTriangles); }
    void setTargetTriangles(int triangles);
    /// Also build the CT iso-surface at isoThresholdHu (-1000..3000, default 300).
    bool isoSurface() const { return m_options.isoSurface; }
    void setIsoSurface(bool on);
    double isoThresholdHu() const { return m_options.isoThresholdHu; }
    void setIsoThresholdHu(double hu);

    /// The run: busy, progress, why the last run or export failed (a refused input says why) in
    /// error, what the last action did ("Saved lungs.stl") in status, and cancel().
    TaskRunner *task() { return &m_task; }
    QStringList warnings() const { return m_warnings; }

    bool hasResult() const { return m_result.has_value(); }
    double rightVolumeMl() const { return m_result ? m_result->figures.rightVolumeMl : 0.0; }
    double leftVolumeMl() const { return m_result ? m_result->figures.leftVolumeMl : 0.0; }
    double totalVolumeMl() const { return m_result ? m_result->figures.totalVolumeMl() : 0.0; }
    double rightAreaMm2() const { return m_result ? m_result->figures.rightAreaMm2 : 0.0; }
    double leftAreaMm2() const { return m_result ? m_result->figures.leftAreaMm2 : 0.0; }
    double totalAreaMm2() const { return m_result ? m_result->figures.totalAreaMm2() : 0.0; }
    int triangleCount() const;
    const std::optional<LungMeshResult> &result() const { return m_result; }

    QColor rightColour() const { return m_right.colour; }
    void setRightColour(const QColor &colour);
    QColor leftColour() const { return m_left.colour; }
    void setLeftColour(const QColor &colour);
    double rightOpacity() const { return m_right.opacity; }
    void setRightOpacity(double opacity);
    double leftOpacity() const { return m_left.opacity; }
    void setLeftOpacity(double opacity);
    bool rightVisible() const { return m_right.visible; }
    void setRightVisible(bool visible);
    bool leftVisible() const { return m_left.visible; }
    void setLeftVisible(bool visible);
    bool isoVisible() const { return m_isoVisible; }
    void setIsoVisible(bool visible);
    double isoOpacity() const { return m_isoOpacity; }
    void setIsoOpacity(double opacity);
    /// Shows the masked CT (outside the lungs at -1024 HU) in the views instead of the CT, through
    /// Document::showDerivedImage; off shows the CT again. Only with a result: without one it
    /// stays off, quietly (a session restores it before anything is computed).
    bool showMaskedCt() const { return m_showMaskedCt; }
    void setShowMaskedCt(bool show);

    /// Starts segmentation and meshing of the document's CT (a running one is dropped); false,
    /// with the task's error set, when there is no image.
    Q_INVOKABLE bool run();
    /// Writes the visible lung meshes (and the iso-surface when shown) to `path` or file URL
    /// (.stl binary, .obj, .ply binary by extension). False with error set on failure.
    Q_INVOKABLE bool exportMeshes(const QString &path);
    /// Writes the figures as CSV.
    Q_INVOKABLE bool exportFigures(const QString &path);
    /// Writes the lung labels as NIfTI (.nii / .nii.gz).
    Q_INVOKABLE bool exportLabels(const QString &path);

signals:
    void optionsChanged();
    void resultChanged();
    void appearanceChanged();
    void showMaskedCtChanged();

private:
    void commit(LungMeshResult result);
    /// Rebuilds meshes and figures from the document's "Lungs" layer (a session's, or edited).
    void rebuildFromLayer();
    void commitRebuild(LungMeshResult result);
    /// The result's lung meshes (and CT surface) into the document, with the user's appearance.
    void pushResultMeshes();
    void updateIsoMesh();
    QColor isoColour() const;
    void onLayerEdited(int layer);
    void onStudyChanged();
    void setError(const QString &error) { m_task.setError(error); }
    void setStatus(const QString &status) { m_task.setStatus(status); }
    /// How one lung's mesh is shown; both lungs go through the same setters below.
    struct LungLook
    {
        QString meshName;
        QColor colour;
        // Low, so what lies inside a lung (a GGO surface) shows through it.
        double opacity = 0.3;
        bool visible = true;
    };
    void setLookColour(LungLook &look, const QColor &colour);
    void setLookOpacity(LungLook &look, double opacity);
    void setLookVisible(LungLook &look, bool visible);
    void pushMesh(const Mesh &mesh, const QColor &colour, double opacity, bool visible);
    void updateMesh(const QString &name, const QColor &colour, double opacity, bool visible);
    /// The shared part of every export: needs a result, maps a file URL to a path, reports
    /// the outcome in error/status.
    bool writeExport(const QString &pathOrUrl, const std::function<void(const std::string &path)> &write);

    QPointer<Document> m_document;
    LungMeshOptions m_options;
    TaskRunner m_task{this};
    QStringList m_warnings;
    std::optional<LungMeshResult> m_result;
    // A "Lungs" layer restored or edited by hand is rebuilt once the edits settle.
    QTimer m_rebuildTimer;
    LungLook m_right;
    LungLook m_left;
    bool m_isoVisible = true;
    double m_isoOpacity = 0.25;
    bool m_showMaskedCt = false;
};

} // namespace carina::lungmesh
