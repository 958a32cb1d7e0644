// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "GgoController.h"

#include <carina/algo/Histogram.h>
#include <carina/algo/LabelVoxels.h>
#include <carina/io/LocalPath.h>
#include <carina/io/Nifti.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>

namespace carina::ggo {

namespace {
// Okabe & Ito's yellow: apart from the lesion's reddish purple and the lungs' orange and blue.
constexpr std::array<std::uint8_t, 3> kRegionColour{240, 228, 66};
} // namespace

GgoController::GgoController(Document *document, QObject *parent) : QObject(parent), m_document(document)
{
    if (!m_document)
        return;
    // A derived image on display (the lung mask's masked CT) is the same study: the region and
    // the result stay. A new study clears them (and drops a running search).
    m_task.followStudy(m_document);
    m_surfaceTask.followStudy(m_document);
    m_histogramTask.followStudy(m_document);
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
    adoptRegionLayer(); // a session's region, opened before the plugin was
}

GgoController::~GgoController()
{
    if (!m_document)
        return;
    if (drawing())
        m_document->setShapeConsumer({}); // the tools paint again once the panel is gone
    // The region goes with the plugin; nothing here follows the document any more.
    disconnect(m_document, nullptr, this, nullptr);
    if (const int layer = regionLayerIndex(); layer >= 0) {
        m_regionLabels.reset();
        m_document->removeLayer(layer);
    }
}

void GgoController::setHalfDepthMm(double mm)
{
    mm = std::clamp(mm, kMinHalfDepthMm, kMaxHalfDepthMm);
    if (mm == m_halfDepthMm)
        return;
    m_halfDepthMm = mm;
    emit optionsChanged();
    // The outline's slices follow; slices a side view set stay.
    if (m_outlineSlice && !m_region.isEmpty() && m_document && m_document->hasImage()) {
        const auto slices = depthSlices(*m_outlineSlice);
        GgoRegion region = m_region;
        region.box.begin[2] = slices.first;
        region.box.end[2] = slices.second;
        setRegion(std::move(region));
    }
}

std::pair<int, int> GgoController::depthSlices(int slice) const
{
    const ImageGeometry &g = m_document->image().geometry();
    const int half = int(std::lround(m_halfDepthMm / g.spacing.z()));
    const int begin = std::clamp(slice - half, 0, g.dims[2]);
    return {begin, std::clamp(slice + half + 1, begin, g.dims[2])};
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
    const int slices = b.end[2] - b.begin[2];
    const double depthMm = m_document && m_document->hasImage() ? slices * m_document->image().geometry().spacing.z() : 0.0;
    return tr("%1 x %2 voxels%3, slices %4-%5: %6 slices, %7 mm deep%8")
        .arg(b.end[0] - b.begin[0])
        .arg(b.end[1] - b.begin[1])
        .arg(m_region.inPlane.empty() ? QString() : tr(" (outlined)"))
        .arg(b.begin[2] + 1)
        .arg(b.end[2])
        .arg(slices)
        .arg(depthMm, 0, 'f', 0)
        .arg(m_outlineSlice ? tr(" (%1 mm either side of slice %2)").arg(m_halfDepthMm, 0, 'f', 0).arg(*m_outlineSlice + 1)
                            : QString());
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
                m_outlineSlice.reset();
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
        const std::pair<int, int> slices = m_sideSlices ? *m_sideSlices : depthSlices(shape.slice);
        GgoRegion region = regionFromAxialShape(g, shape, slices.first, slices.second);
        if (region.isEmpty()) {
            setError(tr("The outline covers no voxel; draw a larger one."));
            return;
        }
        if (m_sideSlices)
            m_outlineSlice.reset();
        else
            m_outlineSlice = shape.slice;
        setRegion(std::move(region));
        setStatus(m_sideSlices ? QString()
                               : tr("The region spans %1 mm above and below the outline (Depth); a shape on a side view sets its slices.")
                                     .arg(m_halfDepthMm, 0, 'f', 0));
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
    m_outlineSlice.reset();
    setRegion(std::move(region));
    return true;
}

void GgoController::clearRegion()
{
    m_sideSlices.reset();
    m_outlineSlice.reset();
    setRegion({});
}

void GgoController::setRegion(GgoRegion region, bool show)
{
    m_region = std::move(region);
    // The histogram of a big region reads millions of voxels: off the UI thread; a newer region
    // supersedes a histogram still being counted.
    m_histogram = {};
    m_histogramCounts.clear();
    if (m_document && m_document->hasImage() && !m_region.isEmpty()) {
        m_histogramTask.start([ct = m_document->image(), region = m_region](const TaskContext &) { return regionHistogram(ct, region); },
                              [this](RegionHistogram histogram) {
                                  m_histogram = std::move(histogram);
                                  for (std::uint64_t c : m_histogram.counts)
                                      m_histogramCounts << double(c);
                                  emit regionChanged();
                              });
    } else {
        m_histogramTask.invalidate();
    }
    if (show)
        showRegion();
    emit regionChanged();
}

void GgoController::setRegionShown(bool shown)
{
    m_regionShown = shown;
    if (const int layer = regionLayerIndex(); layer >= 0)
        m_document->setLayerVisible(layer, shown);
}

int GgoController::regionLayerIndex() const
{
    return m_document ? m_document->layerOf(m_regionLabels.get()) : -1;
}

void GgoController::showRegion()
{
    if (!m_document)
        return;
    int layer = regionLayerIndex();
    if (m_region.isEmpty() || !m_document->hasImage()) {
        // Forgotten before the layer goes, so onLayersChanged() does not take it for the user's.
        m_regionLabels.reset();
        m_shownBox = {};
        if (layer >= 0)
            m_document->removeLayer(layer);
        return;
    }
    const auto write = [this](LabelVolume &labels) {
        const VoxelBox &b = m_region.box;
        const int w = b.end[0] - b.begin[0];
        for (int z = b.begin[2]; z < b.end[2]; ++z)
            for (int y = b.begin[1]; y < b.end[1]; ++y)
                for (int x = b.begin[0]; x < b.end[0]; ++x)
                    if (m_region.inPlane.empty()
                        || m_region.inPlane[std::size_t(y - b.begin[1]) * std::size_t(w) + std::size_t(x - b.begin[0])])
                        labels.set(x, y, z, kRegionLabel);
    };
    if (layer < 0) {
        auto labels = std::make_shared<LabelVolume>(m_document->image().geometry());
        labels->table().set({kRegionLabel, "GGO region", kRegionColour, true});
        write(*labels);
        m_regionLabels = labels; // before addLayer: the layer is ours when layersChanged comes
        m_shownBox = m_region.box;
        layer = m_document->addLayer(kRegionLayerName, std::move(labels), 1.0);
        m_document->setLayerOutline(layer, true);
        m_document->setLayerVisible(layer, m_regionShown);
        return;
    }
    // In place: only the old and the new box are touched, and only they redraw.
    LabelVolume &labels = m_document->layerLabels(layer);
    const VoxelBox &old = m_shownBox;
    for (int z = old.begin[2]; z < old.end[2]; ++z)
        for (int y = old.begin[1]; y < old.end[1]; ++y)
            for (int x = old.begin[0]; x < old.end[0]; ++x)
                labels.set(x, y, z, 0);
    write(labels);
    VoxelBox changed = m_region.box;
    if (!old.isEmpty())
        for (int a = 0; a < 3; ++a) {
            changed.begin[a] = std::min(changed.begin[a], old.begin[a]);
            changed.end[a] = std::max(changed.end[a], old.end[a]);
        }
    m_shownBox = m_region.box;
    m_document->notifyLabelsChanged(layer, changed);
}

bool GgoController::adoptRegionLayer()
{
    if (!m_document || !m_document->hasImage())
        return false;
    const int layer = m_document->findLayer(kRegionLayerName);
    if (layer < 0 || m_document->layer(layer).labels == m_regionLabels)
        return false;
    const std::shared_ptr<LabelVolume> labels = m_document->layer(layer).labels;
    // The region is the layer's box, outlined by what any of its slices holds.
    const std::optional<VoxelBox> box = algo::boundsOfLabels(labels->data(), labels->dims());
    if (!box)
        return false; // an empty layer of that name: nothing to take
    GgoRegion region;
    region.box = *box;
    const Dims &lo = box->begin;
    const int w = box->end[0] - lo[0], h = box->end[1] - lo[1];
    region.inPlane.assign(std::size_t(w) * std::size_t(h), 0);
    for (int z = lo[2]; z < box->end[2]; ++z)
        for (int y = lo[1]; y < box->end[1]; ++y)
            for (int x = lo[0]; x < box->end[0]; ++x)
                if (labels->at(x, y, z) != 0)
                    region.inPlane[std::size_t(y - lo[1]) * std::size_t(w) + std::size_t(x - lo[0])] = 1;
    if (std::all_of(region.inPlane.begin(), region.inPlane.end(), [](std::uint8_t v) { return v != 0; }))
        region.inPlane.clear(); // the whole box
    // Forget the region on show: its layer (if any) is dropped for the adopted one.
    if (const int shown = regionLayerIndex(); shown >= 0) {
        m_regionLabels.reset();
        m_document->removeLayer(shown);
    }
    m_regionLabels = labels;
    m_shownBox = region.box;
    m_sideSlices.reset();
    m_outlineSlice.reset(); // its slices are the layer's, whatever the depth
    m_document->setLayerOutline(m_document->findLayer(kRegionLayerName), true);
    // The layer holds it already: rewriting it would only mark the session edited.
    setRegion(std::move(region), false);
    return true;
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
    // The region's layer removed by the user takes the region with it; a session's is taken up.
    if (m_regionLabels && regionLayerIndex() < 0) {
        m_regionLabels.reset();
        m_shownBox = {};
        m_sideSlices.reset();
        m_outlineSlice.reset();
        setRegion({});
    } else {
        adoptRegionLayer();
    }
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
    m_outlineSlice.reset();
    setRegion({});
    setError({});
    setStatus({});
}

} // namespace carina::ggo
