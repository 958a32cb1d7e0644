// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/Document.h>
#include <carina/TaskRunner.h>

#include <QObject>
#include <QPointer>

namespace example {

/// State and actions of the smoothing panel. Lives on the UI thread. The smoothing runs off it
/// through a carina::TaskRunner, which the panel binds to (task.busy, task.progress,
/// task.status, task.error, task.cancel()), so this class holds no threading code of its own.
/// The result is shown as a derived image of the same study: the layers stay, and
/// Document::showLoadedImage() brings the loaded voxels back.
class SmoothingController : public QObject
{
    Q_OBJECT
    // What a session stores and restores: the properties that are the user's settings.
    Q_CLASSINFO("carina.sessionParameters", "sigmaMm")
    Q_PROPERTY(double sigmaMm READ sigmaMm WRITE setSigmaMm NOTIFY sigmaMmChanged)
    Q_PROPERTY(carina::TaskRunner *task READ task CONSTANT)

public:
    explicit SmoothingController(carina::Document *document, QObject *parent = nullptr);

    double sigmaMm() const { return m_sigmaMm; }
    void setSigmaMm(double sigmaMm);
    carina::TaskRunner *task() { return &m_task; }

    /// Smooths the loaded image off the UI thread (so a new sigma replaces the smoothing instead
    /// of adding to it); a running request is dropped. Without a suitable image, task()'s error
    /// says why.
    Q_INVOKABLE void apply();

signals:
    void sigmaMmChanged();

private:
    QPointer<carina::Document> m_document;
    double m_sigmaMm = 1.0;
    // Destroyed with the controller: cancels the running work, whose result is then dropped.
    carina::TaskRunner m_task{this};
};

} // namespace example
