// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "IsoSurfaceBuilder.h"

#include <carina/Document.h>
#include <carina/algo/MarchingCubes.h>

#include <QElapsedTimer>
#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace carina {

namespace {
// Bone white with a warm tint: reads as bone against the dark background and the grey slices.
constexpr std::array<float, 3> BoneColour{0.89f, 0.85f, 0.76f};

struct Outcome
{
    std::shared_ptr<Mesh> mesh;
    QString error;
    bool canceled = false;
    qint64 elapsedMs = 0;
};

bool isCt(const Volume &image)
{
    return image.info().units == "HU" || image.info().modality == "CT";
}
} // namespace

IsoSurfaceBuilder::IsoSurfaceBuilder(QObject *parent) : QObject(parent)
{
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &IsoSurfaceBuilder::pollProgress);
}

IsoSurfaceBuilder::~IsoSurfaceBuilder()
{
    // A running worker only touches its own shared state; stop it so it does not waste the CPU.
    if (m_context)
        m_context->cancel();
}

QObject *IsoSurfaceBuilder::document() const
{
    return m_document.data();
}

void IsoSurfaceBuilder::setDocument(QObject *document)
{
    auto *doc = qobject_cast<Document *>(document);
    if (doc == m_document)
        return;
    cancel();
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = doc;
    if (m_document) {
        connect(m_document, &Document::imageChanged, this, &IsoSurfaceBuilder::onImageChanged);
        connect(m_document, &Document::meshesChanged, this, [this] {
            const bool has = hasSurface();
            if (has != m_hasSurface) {
                m_hasSurface = has;
                emit hasSurfaceChanged();
            }
        });
    }
    emit documentChanged();
    onImageChanged();
}

void IsoSurfaceBuilder::onImageChanged()
{
    cancel();
    setIsoValue(defaultIsoValue());
    setStatus({});
    m_hasSurface = hasSurface();
    emit hasSurfaceChanged();
    emit imageChanged();
}

double IsoSurfaceBuilder::defaultIsoValue() const
{
    if (!m_document || !m_document->hasImage())
        return 300.0;
    if (isCt(m_document->image()))
        return 300.0;
    return 0.5 * (m_document->minValue() + m_document->maxValue());
}

double IsoSurfaceBuilder::minValue() const
{
    return m_document && m_document->hasImage() ? m_document->minValue() : -1024.0;
}

double IsoSurfaceBuilder::maxValue() const
{
    return m_document && m_document->hasImage() ? m_document->maxValue() : 3071.0;
}

void IsoSurfaceBuilder::setIsoValue(double value)
{
    if (!std::isfinite(value) || value == m_isoValue)
        return;
    m_isoValue = value;
    emit isoValueChanged();
}

void IsoSurfaceBuilder::setStep(int step)
{
    step = std::clamp(step, 1, 8);
    if (step == m_step)
        return;
    m_step = step;
    emit stepChanged();
}

void IsoSurfaceBuilder::setOpacity(double opacity)
{
    opacity = std::clamp(opacity, 0.0, 1.0);
    if (opacity == m_opacity)
        return;
    m_opacity = opacity;
    emit opacityChanged();
    if (m_document) {
        const int index = m_document->findMesh(QString::fromLatin1(MeshName));
        if (index >= 0)
            m_document->setMeshOpacity(index, opacity);
    }
}

bool IsoSurfaceBuilder::hasSurface() const
{
    return m_document && m_document->findMesh(QString::fromLatin1(MeshName)) >= 0;
}

void IsoSurfaceBuilder::start()
{
    if (!m_document || !m_document->hasImage()) {
        setStatus(tr("No image to make a surface of"));
        emit finished(false);
        return;
    }
    // Superseding a running computation: stop it quietly, the new one reports.
    ++m_generation;
    if (m_context)
        m_context->cancel();
    const Volume image = m_document->image(); // shares the voxels, no copy
    const quint64 generation = ++m_generation;
    auto progress = std::make_shared<std::atomic<double>>(0.0);
    auto context = std::make_shared<TaskContext>(
        [progress](double fraction, const std::string &) { progress->store(fraction, std::memory_order_relaxed); });
    m_context = context;
    m_sharedProgress = progress;
    algo::MarchingCubesOptions options;
    options.isoValue = m_isoValue;
    options.step = m_step;
    options.computeNormals = true;
    const float opacity = float(m_opacity);

    m_progress = 0.0;
    emit progressChanged();
    setRunning(true);
    setStatus(tr("Computing surface at %1...").arg(m_isoValue, 0, 'g', 6));
    m_poll.start();

    QtConcurrent::run([image, options, context, opacity] {
        Outcome outcome;
        QElapsedTimer timer;
        timer.start();
        try {
            auto mesh = std::make_shared<Mesh>(algo::marchingCubes(image, options, *context));
            mesh->name = MeshName;
            mesh->colour = BoneColour;
            mesh->opacity = opacity;
            outcome.mesh = std::move(mesh);
        } catch (const TaskCanceled &) {
            outcome.canceled = true;
        } catch (const std::bad_alloc &) {
            outcome.error = QObject::tr("Not enough memory for the surface; try a larger step");
        } catch (const std::exception &e) {
            outcome.error = QString::fromUtf8(e.what());
        }
        outcome.elapsedMs = timer.elapsed();
        return outcome;
    }).then(this, [this, generation, image](Outcome outcome) {
        if (generation != m_generation)
            return; // superseded or canceled: cancel() already reported it
        m_poll.stop();
        m_context.reset();
        setRunning(false);
        // The image may have been replaced while we worked: then the surface belongs to nothing.
        const bool sameImage = m_document && m_document->image().rawData() == image.rawData();
        if (outcome.canceled || !sameImage) {
            setStatus(tr("Canceled"));
            emit finished(false);
            return;
        }
        if (!outcome.error.isEmpty()) {
            setStatus(tr("Surface failed: %1").arg(outcome.error));
            emit finished(false);
            return;
        }
        const auto triangles = outcome.mesh->triangleCount();
        m_progress = 1.0;
        emit progressChanged();
        if (triangles == 0) {
            setStatus(tr("No surface at %1: every voxel is on one side").arg(m_isoValue, 0, 'g', 6));
        } else {
            setStatus(tr("%L1 triangles in %2 s").arg(qulonglong(triangles)).arg(outcome.elapsedMs / 1000.0, 0, 'f', 1));
        }
        m_document->setMesh(std::move(outcome.mesh));
        emit finished(true);
    });
}

void IsoSurfaceBuilder::cancel()
{
    if (!m_running)
        return;
    ++m_generation;
    if (m_context)
        m_context->cancel();
    m_context.reset();
    m_poll.stop();
    setRunning(false);
    setStatus(tr("Canceled"));
    emit finished(false);
}

void IsoSurfaceBuilder::removeSurface()
{
    if (!m_document)
        return;
    const int index = m_document->findMesh(QString::fromLatin1(MeshName));
    if (index >= 0)
        m_document->removeMesh(index);
}

void IsoSurfaceBuilder::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    emit runningChanged();
}

void IsoSurfaceBuilder::setStatus(const QString &status)
{
    if (m_status == status)
        return;
    m_status = status;
    emit statusChanged();
}

void IsoSurfaceBuilder::pollProgress()
{
    if (!m_sharedProgress)
        return;
    const double p = m_sharedProgress->load(std::memory_order_relaxed);
    if (p != m_progress) {
        m_progress = p;
        emit progressChanged();
    }
}

} // namespace carina
