// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "IsoSurfaceBuilder.h"

#include <carina/Document.h>
#include <carina/algo/MarchingCubes.h>
#include <carina/algo/Threshold.h>

#include <QElapsedTimer>
#include <QFuture>

#include <algorithm>
#include <cmath>

namespace carina {

namespace {
// Bone white with a warm tint: reads as bone against the dark background and the grey slices.
constexpr std::array<float, 3> BoneColour{0.89f, 0.85f, 0.76f};

struct Outcome
{
    std::shared_ptr<Mesh> mesh;
    qint64 elapsedMs = 0;
};

bool isCt(const Volume &image)
{
    return image.info().units == "HU" || image.info().modality == "CT";
}
} // namespace

IsoSurfaceBuilder::IsoSurfaceBuilder(QObject *parent) : QObject(parent)
{
    connect(&m_task, &TaskRunner::busyChanged, this, &IsoSurfaceBuilder::runningChanged);
    connect(&m_task, &TaskRunner::progressChanged, this, &IsoSurfaceBuilder::progressChanged);
    connect(&m_task, &TaskRunner::statusChanged, this, &IsoSurfaceBuilder::statusChanged);
    connect(&m_task, &TaskRunner::errorChanged, this, &IsoSurfaceBuilder::statusChanged);
    connect(&m_task, &TaskRunner::finished, this, &IsoSurfaceBuilder::finished);
    connect(&m_task, &TaskRunner::canceled, this, [this] { emit finished(false); });
}

IsoSurfaceBuilder::~IsoSurfaceBuilder() = default;

QString IsoSurfaceBuilder::status() const
{
    return m_task.error().isEmpty() ? m_task.status() : tr("Surface failed: %1").arg(m_task.error());
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
    // The surface is of the displayed voxels: any change of them makes a running one stale.
    m_task.invalidate();
    m_dataIsoValue = 0.0;
    if (m_document && m_document->hasImage() && !isCt(m_document->image())) {
        const double otsu = algo::sampledOtsuThreshold(m_document->image());
        m_dataIsoValue = std::isfinite(otsu) ? otsu : 0.5 * (m_document->minValue() + m_document->maxValue());
    }
    setIsoValue(defaultIsoValue());
    m_hasSurface = hasSurface();
    emit hasSurfaceChanged();
    emit imageChanged();
}

double IsoSurfaceBuilder::defaultIsoValue() const
{
    if (!m_document || !m_document->hasImage())
        return 300.0;
    if (isCt(m_document->image()))
        return 300.0; // bone in HU
    // Anything else: a level from the data (Otsu's between background and objects), never a
    // fixed number that may lie outside the image's range.
    return m_dataIsoValue;
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
        m_task.setStatus(tr("No image to make a surface of"));
        emit finished(false);
        return;
    }
    algo::MarchingCubesOptions options;
    options.isoValue = m_isoValue;
    options.step = m_step;
    options.computeNormals = true;
    const float opacity = float(m_opacity);
    // A running computation is superseded quietly; the new one reports.
    m_task.start(
        [image = m_document->image(), options, opacity](const TaskContext &context) {
            QElapsedTimer timer;
            timer.start();
            Outcome outcome;
            std::shared_ptr<Mesh> mesh;
            try {
                mesh = std::make_shared<Mesh>(algo::marchingCubes(image, options, context));
            } catch (const std::bad_alloc &) {
                throw std::runtime_error(tr("Not enough memory for the surface; try a larger step").toStdString());
            }
            mesh->name = MeshName;
            mesh->colour = BoneColour;
            mesh->opacity = opacity;
            outcome.mesh = std::move(mesh);
            outcome.elapsedMs = timer.elapsed();
            return outcome;
        },
        [this](Outcome outcome) {
            // A new image invalidates the task (onImageChanged), so the surface is of this one.
            if (outcome.mesh->triangleCount() == 0) {
                m_task.setStatus(tr("No surface at %1: every voxel is on one side").arg(m_isoValue, 0, 'g', 6));
            } else {
                m_task.setStatus(tr("%L1 triangles in %2 s")
                                     .arg(qulonglong(outcome.mesh->triangleCount()))
                                     .arg(outcome.elapsedMs / 1000.0, 0, 'f', 1));
            }
            m_document->setMesh(std::move(outcome.mesh));
        });
    m_task.setStatus(tr("Computing surface at %1...").arg(m_isoValue, 0, 'g', 6));
}

void IsoSurfaceBuilder::cancel()
{
    if (!m_task.busy())
        return;
    // Dropped at once, so the button is free again: the worker stops on its own.
    m_task.invalidate();
    m_task.setStatus(tr("Canceled"));
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

} // namespace carina
