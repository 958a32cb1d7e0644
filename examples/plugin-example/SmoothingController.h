// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/Document.h>
#include <carina/TaskContext.h>

#include <QFutureWatcher>
#include <QObject>

#include <memory>

namespace example {

/// What the worker hands back: the image, or why there is none. Exceptions stay in the worker:
/// a QFuture would rethrow them from result() and from waitForFinished(), even in a destructor.
struct SmoothingResult
{
    carina::Volume volume;
    QString error;
    bool canceled = false;
};

/// State and actions of the smoothing panel. Lives on the UI thread; the smoothing runs on a
/// worker thread (QtConcurrent) with progress and cancel, and its result replaces the image.
class SmoothingController : public QObject
{
    Q_OBJECT
    Q_PROPERTY(double sigmaMm READ sigmaMm WRITE setSigmaMm NOTIFY sigmaMmChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    explicit SmoothingController(carina::Document *document, QObject *parent = nullptr);
    ~SmoothingController() override;

    double sigmaMm() const { return m_sigmaMm; }
    void setSigmaMm(double sigmaMm);
    bool busy() const { return m_busy; }
    double progress() const { return m_progress; }
    QString error() const { return m_error; }

    /// Smooths the document's image off the UI thread; a running request is canceled first.
    Q_INVOKABLE void apply();
    Q_INVOKABLE void cancel();

signals:
    void sigmaMmChanged();
    void busyChanged();
    void progressChanged();
    void errorChanged();
    /// The smoothed image replaced the document's image.
    void finished();

private:
    void setError(const QString &error);

    carina::Document *m_document;
    double m_sigmaMm = 1.0;
    double m_progress = 0.0;
    // Not m_watcher.isRunning(): that turns false on the worker thread, before the finished
    // handler below has run and told anyone.
    bool m_busy = false;
    QString m_error;
    std::shared_ptr<carina::TaskContext> m_context;
    QFutureWatcher<SmoothingResult> m_watcher;
};

} // namespace example
