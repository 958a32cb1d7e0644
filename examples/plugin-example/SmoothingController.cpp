// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "SmoothingController.h"

#include "GaussianSmoothing.h"

namespace example {

SmoothingController::SmoothingController(carina::Document *document, QObject *parent)
    : QObject(parent), m_document(document)
{
    // A new study drops a smoothing still running for the old one (and clears status and error).
    m_task.followStudy(m_document);
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
        m_task.setError(tr("Open an image first."));
        return;
    }
    const carina::Volume image = m_document->loadedImage(); // shares the buffer, no copy
    if (image.channels() != 1) {
        m_task.setError(tr("Smoothing works on single-channel images."));
        return;
    }
    const double sigma = m_sigmaMm;
    m_task.start(
        // Off the UI thread: only copies, never the controller or the document. An exception
        // (bad sigma) becomes task()->error(); TaskCanceled ends the task quietly.
        [image, sigma](const carina::TaskContext &context) { return smoothGaussian(image, sigma, context); },
        // On the UI thread, and only while this request is current: not superseded by a newer
        // apply(), not canceled, no new study meanwhile.
        [this, sigma](carina::Volume smoothed) {
            if (!m_document)
                return;
            m_document->showDerivedImage(smoothed, tr("Smoothed, sigma %1 mm").arg(sigma));
            m_task.setStatus(tr("Smoothed with sigma %1 mm.").arg(sigma));
        });
}

} // namespace example
