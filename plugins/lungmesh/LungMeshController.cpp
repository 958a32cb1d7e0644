// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "LungMeshController.h"

#include <carina/io/AtomicFile.h>
#include <carina/io/LocalPath.h>
#include <carina/io/MeshWriter.h>
#include <carina/io/Nifti.h>

#include <QFileInfo>

#include <algorithm>
#include <array>
#include <exception>
#include <functional>

namespace carina::lungmesh {

namespace {

QColor toQColor(const std::array<std::uint8_t, 3> &rgb)
{
    return QColor(rgb[0], rgb[1], rgb[2]);
}

const QString kRightName = QStringLiteral("Right lung");
const QString kLeftName = QStringLiteral("Left lung");
const QString kIsoName = QStringLiteral("CT surface");

std::array<float, 3> rgbF(const QColor &colour)
{
    return {float(colour.redF()), float(colour.greenF()), float(colour.blueF())};
}

} // namespace

LungMeshController::LungMeshController(Document *document, QObject *parent)
    : QObject(parent), m_document(document),
      m_right{kRightName, toQColor(LabelTable::defaultColour(algo::kRightLungLabel))},
      m_left{kLeftName, toQColor(LabelTable::defaultColour(algo::kLeftLungLabel))}
{
    if (!m_document)
        return;
    // Showing the masked CT (or the CT again) is the same study: the result stays. A new study
    // drops it (and the runner drops a running task).
    m_task.followStudy(m_document);
    connect(m_document, &Document::studyChanged, this, &LungMeshController::onStudyChanged);
    // The meshes and figures are the "Lungs" layer's: a session brings the layer back (and the
    // result with it), a hand edit of it is followed once it settles.
    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(800);
    connect(&m_rebuildTimer, &QTimer::timeout, this, &LungMeshController::rebuildFromLayer);
    connect(m_document, &Document::layersChanged, this, [this] {
        if (!m_result && !m_task.busy() && m_document->findLayer(kLayerName) >= 0)
            m_rebuildTimer.start();
    });
    connect(m_document, &Document::labelsChanged, this, [this](int layer, const VoxelBox &) { onLayerEdited(layer); });
    // Created after a session put the layer back (controllers are made when first needed).
    if (m_document->findLayer(kLayerName) >= 0)
        m_rebuildTimer.start();
}

void LungMeshController::setSmoothingIterations(int iterations)
{
    iterations = std::clamp(iterations, 0, 100);
    if (iterations == m_options.smoothingIterations)
        return;
    m_options.smoothingIterations = iterations;
    emit optionsChanged();
}

void LungMeshController::setTargetTriangles(int triangles)
{
    triangles = triangles <= 0 ? 0 : std::clamp(triangles, 1000, 5000000);
    if (std::size_t(triangles) == m_options.targetTriangles)
        return;
    m_options.targetTriangles = std::size_t(triangles);
    emit optionsChanged();
}

void LungMeshController::setIsoSurface(bool on)
{
    if (on == m_options.isoSurface)
        return;
    m_options.isoSurface = on;
    emit optionsChanged();
}

void LungMeshController::setIsoThresholdHu(double hu)
{
    hu = std::clamp(hu, -1000.0, 3000.0);
    if (hu == m_options.isoThresholdHu)
        return;
    m_options.isoThresholdHu = hu;
    emit optionsChanged();
}

int LungMeshController::triangleCount() const
{
    if (!m_result)
        return 0;
    std::size_t n = m_result->right.triangleCount() + m_result->left.triangleCount();
    if (m_result->isoSurface)
        n += m_result->isoSurface->triangleCount();
    return int(std::min<std::size_t>(n, INT_MAX));
}

bool LungMeshController::run()
{
    if (!m_document || !m_document->hasImage()) {
        setError(tr("Open a chest CT first."));
        return false;
    }
    return m_task.start(
        // The loaded CT, whatever is on display; a copy shares the voxels.
        [ct = m_document->loadedImage(), options = m_options](const TaskContext &context) {
            return runLungMesh(ct, options, context);
        },
        [this](LungMeshResult result) { commit(std::move(result)); });
}

void LungMeshController::commit(LungMeshResult result)
{
    if (!m_document || !m_document->hasImage()) {
        setError(tr("The lung mesh could not be made."));
        return;
    }
    m_result = std::move(result);
    m_warnings.clear();
    for (const std::string &w : m_result->warnings)
        m_warnings << QString::fromStdString(w);

    auto labels = std::make_shared<LabelVolume>(m_result->segmentation.labels);
    labels->table().set({algo::kRightLungLabel, "Right lung",
                         {std::uint8_t(m_right.colour.red()), std::uint8_t(m_right.colour.green()), std::uint8_t(m_right.colour.blue())},
                         true});
    labels->table().set({algo::kLeftLungLabel, "Left lung",
                         {std::uint8_t(m_left.colour.red()), std::uint8_t(m_left.colour.green()), std::uint8_t(m_left.colour.blue())},
                         true});
    if (const int old = m_document->findLayer(kLayerName); old >= 0)
        m_document->removeLayer(old);
    m_document->addLayer(kLayerName, labels, 0.4);
    m_rebuildTimer.stop(); // the layer just added is this result's
    pushResultMeshes();
    if (m_showMaskedCt)
        m_document->showDerivedImage(m_result->maskedCt, kMaskedName);
    setStatus(tr("Right lung %1 mL, left lung %2 mL")
                  .arg(m_result->figures.rightVolumeMl, 0, 'f', 0)
                  .arg(m_result->figures.leftVolumeMl, 0, 'f', 0));
    emit resultChanged();
}

QColor LungMeshController::isoColour() const
{
    const auto &c = m_result->isoSurface->colour;
    return QColor::fromRgbF(c[0], c[1], c[2]);
}

void LungMeshController::pushResultMeshes()
{
    pushMesh(m_result->right, m_right.colour, m_right.opacity, m_right.visible);
    pushMesh(m_result->left, m_left.colour, m_left.opacity, m_left.visible);
    if (const int old = m_document->findMesh(kIsoName); old >= 0 && !m_result->isoSurface)
        m_document->removeMesh(old);
    if (m_result->isoSurface)
        pushMesh(*m_result->isoSurface, isoColour(), m_isoOpacity, m_isoVisible);
}

void LungMeshController::updateIsoMesh()
{
    if (m_document && m_result && m_result->isoSurface)
        updateMesh(kIsoName, isoColour(), m_isoOpacity, m_isoVisible);
    else
        emit appearanceChanged();
}

void LungMeshController::onLayerEdited(int layer)
{
    if (layer >= 0 && layer == m_document->findLayer(kLayerName) && !m_task.busy())
        m_rebuildTimer.start(); // restarts: waits until the edit settles
}

void LungMeshController::rebuildFromLayer()
{
    const int layer = m_document ? m_document->findLayer(kLayerName) : -1;
    if (layer < 0 || !m_document->hasImage())
        return;
    // A copy: the task must not read the layer while the user paints it.
    m_task.start(
        [ct = m_document->loadedImage(), labels = std::make_shared<const LabelVolume>(*m_document->layer(layer).labels),
         options = m_options](const TaskContext &context) { return lungMeshFromLabels(ct, *labels, options, context); },
        [this](LungMeshResult result) { commitRebuild(std::move(result)); });
}

void LungMeshController::commitRebuild(LungMeshResult result)
{
    const bool edited = m_result.has_value();
    m_result = std::move(result);
    m_warnings.clear();
    // The layer stays the user's: only the meshes, the masked CT and the figures follow it.
    pushResultMeshes();
    if (m_showMaskedCt)
        m_document->showDerivedImage(m_result->maskedCt, kMaskedName);
    setStatus((edited ? tr("Edited by hand: right lung %1 mL, left lung %2 mL")
                      : tr("From the Lungs layer: right lung %1 mL, left lung %2 mL"))
                  .arg(m_result->figures.rightVolumeMl, 0, 'f', 0)
                  .arg(m_result->figures.leftVolumeMl, 0, 'f', 0));
    emit resultChanged();
}

void LungMeshController::onStudyChanged()
{
    m_rebuildTimer.stop();
    // The runner has dropped a running task and cleared its status and error (followStudy);
    // the new study shows its own voxels, so the masked view is off.
    if (m_result) {
        m_result.reset();
        m_warnings.clear();
        emit resultChanged();
    }
    if (m_showMaskedCt) {
        m_showMaskedCt = false;
        emit showMaskedCtChanged();
    }
    setError({});
    setStatus({});
}

void LungMeshController::pushMesh(const Mesh &mesh, const QColor &colour, double opacity, bool visible)
{
    auto copy = std::make_shared<Mesh>(mesh);
    copy->colour = rgbF(colour);
    copy->opacity = float(opacity);
    copy->visible = visible;
    m_document->setMesh(copy);
}

void LungMeshController::updateMesh(const QString &name, const QColor &colour, double opacity, bool visible)
{
    emit appearanceChanged();
    if (!m_document || !m_result)
        return;
    const int index = m_document->findMesh(name);
    if (index < 0)
        return;
    const std::shared_ptr<const Mesh> current = m_document->mesh(index);
    if (current->colour != rgbF(colour)) {
        // Colour has no setter in the document: the mesh is replaced by a recoloured copy.
        pushMesh(*current, colour, opacity, visible);
        return;
    }
    m_document->setMeshOpacity(index, opacity);
    m_document->setMeshVisible(index, visible);
}

void LungMeshController::setLookColour(LungLook &look, const QColor &colour)
{
    if (!colour.isValid() || colour == look.colour)
        return;
    look.colour = colour;
    updateMesh(look.meshName, look.colour, look.opacity, look.visible);
}

void LungMeshController::setLookOpacity(LungLook &look, double opacity)
{
    opacity = std::clamp(opacity, 0.0, 1.0);
    if (opacity == look.opacity)
        return;
    look.opacity = opacity;
    updateMesh(look.meshName, look.colour, look.opacity, look.visible);
}

void LungMeshController::setLookVisible(LungLook &look, bool visible)
{
    if (visible == look.visible)
        return;
    look.visible = visible;
    updateMesh(look.meshName, look.colour, look.opacity, look.visible);
}

void LungMeshController::setRightColour(const QColor &colour) { setLookColour(m_right, colour); }
void LungMeshController::setLeftColour(const QColor &colour) { setLookColour(m_left, colour); }
void LungMeshController::setRightOpacity(double opacity) { setLookOpacity(m_right, opacity); }
void LungMeshController::setLeftOpacity(double opacity) { setLookOpacity(m_left, opacity); }
void LungMeshController::setRightVisible(bool visible) { setLookVisible(m_right, visible); }
void LungMeshController::setLeftVisible(bool visible) { setLookVisible(m_left, visible); }

void LungMeshController::setIsoVisible(bool visible)
{
    if (visible == m_isoVisible)
        return;
    m_isoVisible = visible;
    updateIsoMesh();
}

void LungMeshController::setIsoOpacity(double opacity)
{
    opacity = std::clamp(opacity, 0.0, 1.0);
    if (opacity == m_isoOpacity)
        return;
    m_isoOpacity = opacity;
    updateIsoMesh();
}

void LungMeshController::setShowMaskedCt(bool show)
{
    if (show == m_showMaskedCt)
        return;
    if (show && !m_result)
        return; // nothing to show yet: stays off, no error (a restored session sets it early)
    m_showMaskedCt = show;
    if (m_document && m_result) {
        if (show)
            m_document->showDerivedImage(m_result->maskedCt, kMaskedName);
        else
            m_document->showLoadedImage();
    }
    emit showMaskedCtChanged();
}

bool LungMeshController::writeExport(const QString &pathOrUrl, const std::function<void(const std::string &path)> &write)
{
    if (!m_result) {
        setError(tr("Nothing to export yet: run the lung mesh first."));
        return false;
    }
    const QString path = io::localPath(pathOrUrl);
    try {
        write(path.toStdString());
    } catch (const std::exception &e) {
        setError(QString::fromUtf8(e.what()));
        return false;
    }
    setError({});
    setStatus(tr("Saved %1").arg(QFileInfo(path).fileName()));
    return true;
}

bool LungMeshController::exportMeshes(const QString &pathOrUrl)
{
    if (m_result && !m_right.visible && !m_left.visible && !(m_result->isoSurface && m_isoVisible)) {
        setError(tr("Every mesh is hidden: show a lung to export it."));
        return false;
    }
    return writeExport(pathOrUrl, [this](const std::string &path) {
        std::vector<Mesh> meshes;
        if (m_right.visible)
            meshes.push_back(m_result->right);
        if (m_left.visible)
            meshes.push_back(m_result->left);
        if (m_result->isoSurface && m_isoVisible)
            meshes.push_back(*m_result->isoSurface);
        std::vector<const Mesh *> pointers;
        for (Mesh &mesh : meshes) {
            if (mesh.name == kLeftName.toStdString())
                mesh.colour = rgbF(m_left.colour);
            else if (mesh.name == kRightName.toStdString())
                mesh.colour = rgbF(m_right.colour);
            pointers.push_back(&mesh);
        }
        io::writeMeshes(pointers, path);
    });
}

bool LungMeshController::exportFigures(const QString &pathOrUrl)
{
    return writeExport(pathOrUrl, [this](const std::string &path) {
        const std::string source = m_document ? m_document->loadedImage().info().sourcePath : std::string();
        const std::string csv = figuresCsv(m_result->figures, source);
        io::writeFileAtomically(path, csv.data(), csv.size());
    });
}

bool LungMeshController::exportLabels(const QString &pathOrUrl)
{
    return writeExport(pathOrUrl, [this](const std::string &path) {
        io::writeNiftiLabels(m_result->segmentation.labels, path);
    });
}

} // namespace carina::lungmesh
