// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/TaskRunner.h>

#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace carina {

class Document;

/// "Surface at [HU] [Show]": runs marching cubes over the document's image off the UI thread
/// and puts the result into the document as the mesh "iso-surface" (replacing an older one).
///
/// A new start() cancels a running one; so does a new image. Progress is polled from the worker
/// (no cross-thread calls into this object), and cancel() stops it between slabs.
class IsoSurfaceBuilder : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *document READ document WRITE setDocument NOTIFY documentChanged)
    /// The iso value in image units (HU for CT). Reset to defaultIsoValue on a new image.
    Q_PROPERTY(double isoValue READ isoValue WRITE setIsoValue NOTIFY isoValueChanged)
    /// 300 (bone) for CT in HU, else the middle of the image's value range.
    Q_PROPERTY(double defaultIsoValue READ defaultIsoValue NOTIFY imageChanged)
    Q_PROPERTY(double minValue READ minValue NOTIFY imageChanged)
    Q_PROPERTY(double maxValue READ maxValue NOTIFY imageChanged)
    /// Voxel step of marching cubes: 2 (default) is ~8x faster than 1 and plenty for a preview.
    Q_PROPERTY(int step READ step WRITE setStep NOTIFY stepChanged)
    /// Opacity given to the surface (and applied to an existing one when changed), 0..1.
    Q_PROPERTY(double opacity READ opacity WRITE setOpacity NOTIFY opacityChanged)
    Q_PROPERTY(bool running READ isRunning NOTIFY runningChanged)
    /// 0..1 while running.
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    /// The last outcome for the user: triangle count and time, "canceled", or the error.
    Q_PROPERTY(QString status READ status NOTIFY statusChanged)
    /// True when the document holds a mesh made by this builder.
    Q_PROPERTY(bool hasSurface READ hasSurface NOTIFY hasSurfaceChanged)

public:
    /// The name of the mesh this builder puts into the document.
    static constexpr const char *MeshName = "iso-surface";

    explicit IsoSurfaceBuilder(QObject *parent = nullptr);
    ~IsoSurfaceBuilder() override;

    QObject *document() const;
    void setDocument(QObject *document);
    double isoValue() const { return m_isoValue; }
    void setIsoValue(double value);
    double defaultIsoValue() const;
    double minValue() const;
    double maxValue() const;
    int step() const { return m_step; }
    void setStep(int step);
    double opacity() const { return m_opacity; }
    void setOpacity(double opacity);
    bool isRunning() const { return m_task.busy(); }
    double progress() const { return m_task.progress(); }
    QString status() const;
    bool hasSurface() const;

    /// Starts computing the surface at isoValue (cancels a running computation).
    Q_INVOKABLE void start();
    /// Cancels a running computation; the document is left as it was.
    Q_INVOKABLE void cancel();
    /// Removes the iso-surface mesh from the document.
    Q_INVOKABLE void removeSurface();

signals:
    void documentChanged();
    void isoValueChanged();
    void imageChanged();
    void stepChanged();
    void opacityChanged();
    void runningChanged();
    void progressChanged();
    void statusChanged();
    void hasSurfaceChanged();
    /// Emitted when a computation ends: ok is false when canceled or failed.
    void finished(bool ok);

private:
    void onImageChanged();

    QPointer<Document> m_document;
    double m_isoValue = 300.0;
    double m_dataIsoValue = 0.0; ///< Otsu's level of a non-CT image, set on each image change
    int m_step = 2;
    double m_opacity = 1.0;
    bool m_hasSurface = false;
    TaskRunner m_task{this};
};

} // namespace carina
