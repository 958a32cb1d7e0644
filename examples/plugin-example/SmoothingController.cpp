// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "SmoothingController.h"

#include "GaussianSmoothing.h"

#include <QPointer>
#include <QtConcurrent>

namespace example {

SmoothingController::SmoothingController(carina::Document *document, QObject *parent)
    : QObject(parent), m_document(document)
{
    connect(&m_watcher, &QFutureWatcher<SmoothingResult>::finished, this, [this] {
        m_busy = false;
        emit busyChanged();
        const SmoothingResult result = m_watcher.result();
        if (result.canceled)
            return; // the user asked for it: nothing to report
        if (!result.error.isEmpty()) {
            setError(result.error);
            return;
        }
        m_document->setImage(result.volume, {QStringLiteral("smoothed with sigma %1 mm").arg(m_sigmaMm)});
        setError({});
        emit finished();
    });
}

SmoothingController::~SmoothingController()
{
    cancel();
    m_watcher.waitForFinished();
}

void SmoothingController::setSigmaMm(double sigmaMm)
{
    if (sigmaMm == m_sigmaMm)
        return;
    m_sigmaMm = sigmaMm;
    emit sigmaMmChanged();
}

void SmoothingController::apply()
{
    if (!m_document || !m_document->hasImage()) {
        setError(tr("Open an image first."));
        return;
    }
    cancel();
    m_watcher.waitForFinished();
    // Progress arrives on the worker thread: hop to the UI thread before touching properties.
    QPointer<SmoothingController> self(this);
    m_context = std::make_shared<carina::TaskContext>([self](double fraction, const std::string &) {
        if (!self)
            return;
        QMetaObject::invokeMethod(self.data(), [self, fraction] {
            if (self) {
                self->m_progress = fraction;
                emit self->progressChanged();
            }
        }, Qt::QueuedConnection);
    });
    const carina::Volume image = m_document->image(); // shares the buffer, no copy
    const double sigma = m_sigmaMm;
    auto context = m_context;
    m_watcher.setFuture(QtConcurrent::run([image, sigma, context] {
        SmoothingResult result;
        try {
            result.volume = smoothGaussian(image, sigma, *context);
        } catch (const carina::TaskCanceled &) {
            result.canceled = true;
        } catch (const std::exception &e) {
            result.error = QString::fromUtf8(e.what());
        }
        return result;
    }));
    m_busy = true;
    emit busyChanged();
}

void SmoothingController::cancel()
{
    if (m_context)
        m_context->cancel();
}

void SmoothingController::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    emit errorChanged();
}

} // namespace example
