// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "GgoController.h"

#include <carina/algo/Histogram.h>
#include <carina/io/LocalPath.h>
#include <carina/io/Nifti.h>

#include <algorithm>
#include <cmath>
#include <exception>

namespace carina::ggo {

GgoController::GgoController(Document *document, QObject *parent) : QObject(parent), m_document(document)
{
    if (!m_document)
        return;
    // A derived image on display (the lung mask's masked CT) is the same study: the region and
    // the result stay. A new study clears them (and drops a running search).
    m_task.followStudy(m_document);
    m_surfaceTask.followStudy(m_document);
    connect(m_document, &Document::studyChanged, this, &GgoController::onStudyChanged);
    // The figures and the surface are the layer's: they follow edits and a session's layer.
    m_surfaceTimer.setSingleShot(true);
    m_surfaceTimer.setInterval(800);
    connect(&m_surfaceTimer, &QTimer::timeout, this, &GgoController::rebuildSurface);
    connect(m_document, &Document::layersChanged, this, &GgoController::onLayersChanged);
    connect(m_document, &Document::labelsChanged, this, [this](int layer, const VoxelBox &) { onLayerEdited(layer); });
    connect(m_document, &Document::shapeDrawn, this, [this](const DrawnShape &shape) {
        if (drawing())
            takeShape(shape);
    });
    connect(m_document, &Document::shapeConsumerChanged, this, &GgoController::drawingChanged);
}

GgoController::~GgoController()
{
    if (drawing())
        m_document->setShapeConsumer({}); // the tools paint again once the panel is gone
}

void GgoController::setLowHu(double hu)
{
    hu = std::clamp(hu, -1100.0, 3000.0);
    if (hu == m_options.lowHu)
        return;
    m_options.lowHu = hu;
    emit optionsChanged();
}

void GgoController::setHighHu(double hu)
{
    hu = std::clamp(hu, -1100.0, 3000.0);
    if (hu == m_options.highHu)
        return;
    m_options.highHu = hu;
    emit optionsChanged();
}

bool GgoController::drawing() const
{
    return m_document && m_document->shapeConsumer() == kConsumerName;
}

void GgoController::setDrawing(bool on)
{
    if (!m_document || on == drawing())
        return;
    m_document->setShapeConsumer(on ? kConsumerName : QString());
}

QString GgoController::regionText() const
{
    if (m_region.isEmpty())
        return tr("No region yet: outline one on an axial slice, or take a box around the cursor.");
    const VoxelBox &b = m_region.box;
    return tr("%1 x %2 voxels%3, slices %4-%5")
        .arg(b.end[0] - b.begin[0])
        .arg(b.end[1] - b.begin[1])
        .arg(m_region.inPlane.empty() ? QString() : tr(" (outlined)"))
        .arg(b.begin[2] + 1)
        .arg(b.end[2]);
}

int GgoController::sliceCount() const
{
    return m_document && m_document->hasImage() ? m_document->image().dims()[2] : 0;
}

void GgoController::setFirstSlice(int slice)
{
    if (m_region.isEmpty())
        return;
    GgoRegion region = m_region;
    region.box.begin[2] = std::clamp(slice, 0, region.box.end[2] - 1);
    setRegion(std::move(region));
}

void GgoController::setLastSlice(int slice)
{
    if (m_region.isEmpty())
        return;
    GgoRegion region = m_region;
    region.box.end[2] = std::clamp(slice + 1, region.box.begin[2] + 1, sliceCount());
    setRegion(std::move(region));
}

void GgoController::takeShape(const DrawnShape &shape)
{
    if (!m_document || !m_document->hasImage())
        return;
    const ImageGeometry &g = m_document->image().geometry();
    const bool outline = shape.kind == DrawnShape::Kind::Lasso || shape.kind == DrawnShape::Kind::Rectangle;
    if (!outline) {
        setError(tr("Outline the region with the lasso or the rectangle tool."));
        return;
    }
    setError({});
    try {
        if (shape.plane != algo::SlicePlane::Axial) {
            // A side view gives the slices; the axial outline keeps its shape.
            const auto slices = sliceRangeFromShape(g, shape);
            if (slices.second <= slices.first)
                return;
            m_sideSlices = slices;
            if (!m_region.isEmpty()) {
                GgoRegion region = m_region;
                region.box.begin[2] = slices.first;
                region.box.end[2] = slices.second;
                setRegion(std::move(region));
            }
            setStatus(tr("Slices %1-%2 set from the %3 view.")
                          .arg(slices.first + 1)
                          .arg(slices.second)
                          .arg(shape.plane == algo::SlicePlane::Coronal ? tr("coronal") : tr("sagittal")));
            return;
        }
        std::pair<int, int> slices;
        if (m_sideSlices) {
            slices = *m_sideSlices;
        } else {
            const int half = int(std::lround(kDefaultHalfDepthMm / g.spacing.z()));
            slices = {shape.slice - half, shape.slice + half + 1};
        }
        GgoRegion region = regionFromAxialShape(g, shape, slices.first, slices.second);
        if (region.isEmpty()) {
            setError(tr("The outline covers no voxel; draw a larger one."));
            return;
        }
        setRegion(std::move(region));
        setStatus(m_sideSlices ? QString() : tr("Slices default to %1 mm around the outline; a shape on a side view sets them.")
                                                  .arg(kDefaultHalfDepthMm, 0, 'f', 0));
    } catch (const std::exception &e) {
        setError(QString::fromUtf8(e.what()));
    }
}

bool GgoController::regionAroundCursor(double sizeMm)
{
    if (!m_document || !m_document->hasImage()) {
        setError(tr("Open a chest CT first."));
        return false;
    }
    const QVector3D index = m_document->cursorIndex();
    GgoRegion region;
    region.box = algo::boxAroundIndex(m_document->image().geometry(), Eigen::Vector3d(index.x(), index.y(), index.z()), sizeMm);
    if (region.isEmpty()) {
        setError(tr("The cursor is outside the image."));
        return false;
    }
    setError({});
    m_sideSlices.reset();
    setRegion(std::move(region));
    return true;
}

void GgoController::clearRegion()
{
    m_sideSlices.reset();
    setRegion({});
}

void GgoController::setRegion(GgoRegion region)
{
    m_region = std::move(region);
    m_histogram = m_document && m_document->hasImage() ? regionHistogram(m_document->image(), m_region) : RegionHistogram{};
    m_histogramCounts.clear();
    for (std::uint64_t c : m_histogram.counts)
        m_histogramCounts << double(c);
    emit regionChanged();
}

bool GgoController::run()
{
    if (!m_document || !m_document->hasImage()) {
        setError(tr("Open a chest CT first."));
        return false;
    }
    if (m_region.isEmpty()) {
        setError(tr("Outline a region first: a lasso or rectangle on an axial slice."));
        return false;
    }
    if (!(m_options.lowHu < m_options.highHu)) {
        setError(tr("The HU range is empty: the low end must be below the high end."));
        return false;
    }
    return m_task.start(
        [ct = m_document->image(), region = m_region, options = m_options](const TaskContext &context) {
            return runGgo(ct, region, options, context);
        },
        [this](GgoResult result) { commit(std::move(result)); });
}

void GgoController::commit(GgoResult result)
{
    if (!m_document || !m_document->hasImage())
        return;
    if (result.found.voxels == 0) {
        setError(tr("No voxel of the region lies in %1 .. %2 HU; widen the range or move the region.")
                     .arg(m_options.lowHu, 0, 'f', 0)
                     .arg(m_options.highHu, 0, 'f', 0));
        return;
    }
    m_result = std::move(result);
    if (const int old = m_document->findLayer(kLayerName); old >= 0)
        m_document->removeLayer(old);
    m_document->addLayer(kLayerName, m_result->labels, 0.5);
    m_document->setMesh(std::make_shared<Mesh>(m_result->surface));
    m_surfaceTimer.stop(); // the surface just set is the layer's
    setStatus(tr("GGO %1 mL: the largest of %2 pieces in the range, %3 % of the region.")
                  .arg(m_result->volumeMl, 0, 'f', 2)
                  .arg(m_result->found.pieces)
                  .arg(m_result->regionVolumeMl > 0 ? 100.0 * m_result->volumeMl / m_result->regionVolumeMl : 0.0, 0, 'f', 1));
    emit resultChanged();
}

int GgoController::layerIndex() const
{
    return m_document ? m_document->findLayer(kLayerName) : -1;
}

double GgoController::volumeMl() const
{
    const int layer = layerIndex();
    if (layer < 0)
        return 0.0;
    // Kept up to date from each edit's patch: no recount of the volume.
    const std::vector<std::int64_t> counts = m_document->labelCounts(layer);
    const std::int64_t voxels = counts.size() > kGgoLabel ? counts[kGgoLabel] : 0;
    return double(voxels) * m_document->layer(layer).labels->geometry().spacing.prod() / 1000.0;
}

void GgoController::onLayersChanged()
{
    emit resultChanged();
    // A GGO layer without its surface (restored from a session saved without it, or imported):
    // build one.
    if (layerIndex() >= 0 && m_document->findMesh(kLayerName) < 0)
        m_surfaceTimer.start();
}

void GgoController::onLayerEdited(int layer)
{
    if (layer < 0 || layer != layerIndex())
        return;
    emit resultChanged(); // the volume
    m_surfaceTimer.start(); // restarts: the surface waits until the edit settles
    if (m_result)
        setStatus(tr("Edited by hand: %1 mL now; the search found %2 mL.")
                      .arg(volumeMl(), 0, 'f', 2)
                      .arg(m_result->volumeMl, 0, 'f', 2));
}

void GgoController::rebuildSurface()
{
    const int layer = layerIndex();
    if (layer < 0)
        return;
    // A copy: the task must not read the layer while the user paints it.
    auto labels = std::make_shared<const LabelVolume>(*m_document->layer(layer).labels);
    m_surfaceTask.start([labels, iterations = m_options.smoothingIterations](
                            const TaskContext &context) { return layerSurface(*labels, iterations, context); },
                        [this](Mesh surface) {
                            const int mesh = m_document->findMesh(kLayerName);
                            if (surface.triangleCount() == 0) {
                                if (mesh >= 0)
                                    m_document->removeMesh(mesh);
                                return;
                            }
                            // Keep what the user set on the mesh (shown, opacity).
                            if (mesh >= 0) {
                                surface.opacity = m_document->mesh(mesh)->opacity;
                                surface.visible = m_document->mesh(mesh)->visible;
                            }
                            m_document->setMesh(std::make_shared<Mesh>(std::move(surface)));
                        });
}

bool GgoController::exportLabels(const QString &path)
{
    const int layer = layerIndex();
    if (layer < 0) {
        setError(tr("Nothing to export yet: run the search first."));
        return false;
    }
    const std::string file = io::localPath(path).toStdString();
    try {
        io::writeNiftiLabels(*m_document->layer(layer).labels, file);
    } catch (const std::exception &e) {
        setError(QString::fromUtf8(e.what()));
        return false;
    }
    setError({});
    setStatus(tr("Saved %1").arg(QString::fromStdString(file)));
    return true;
}

void GgoController::onStudyChanged()
{
    // The runner has dropped a running search already (followStudy).
    if (m_result) {
        m_result.reset();
        emit resultChanged();
    }
    m_sideSlices.reset();
    setRegion({});
    setError({});
    setStatus({});
}

} // namespace carina::ggo
