// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "GgoController.h"

#include <carina/algo/Histogram.h>
#include <carina/algo/LabelVoxels.h>
#include <carina/algo/LungSegmentation.h>
#include <carina/algo/MarchingCubes.h>
#include <carina/io/LocalPath.h>
#include <carina/io/Nifti.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <cstdio>
#include <fstream>
#include <functional>

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
    m_liveTask.followStudy(m_document);
    m_contextTask.followStudy(m_document);
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
    if (m_outlineSlice && !m_base.isEmpty() && m_document && m_document->hasImage()) {
        const auto slices = depthSlices(*m_outlineSlice);
        GgoRegion region = m_base;
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
    updateLive();
}

void GgoController::setHighHu(double hu)
{
    hu = std::clamp(hu, -1100.0, 3000.0);
    if (hu == m_options.highHu)
        return;
    m_options.highHu = hu;
    emit optionsChanged();
    updateLive();
}

void GgoController::applyPreset(const QString &name)
{
    const std::optional<HuRange> range = parseRange(name.toStdString());
    if (!range) {
        setError(tr("Unknown range \"%1\": ggo, consolidation or LOW:HIGH.").arg(name));
        return;
    }
    m_options.lowHu = range->low;
    m_options.highHu = range->high;
    emit optionsChanged();
    updateLive();
}

void GgoController::setKeepLargest(bool on)
{
    if (on == keepLargest())
        return;
    m_options.minPieceMl = on ? 0.0 : m_minPieceMl;
    emit optionsChanged();
    updateLive();
}

void GgoController::setMinPieceMl(double ml)
{
    ml = std::clamp(ml, 0.001, 1000.0);
    if (ml == m_minPieceMl)
        return;
    m_minPieceMl = ml;
    if (!keepLargest())
        m_options.minPieceMl = ml;
    emit optionsChanged();
    updateLive();
}

void GgoController::setSmooth(bool on)
{
    if (on == m_options.smooth)
        return;
    m_options.smooth = on;
    emit optionsChanged();
    if (!m_base.isEmpty())
        setRegion(m_base, true); // the values change: prepared again
}

void GgoController::setInsideLungs(bool on)
{
    if (on == m_insideLungs)
        return;
    m_insideLungs = on;
    emit optionsChanged();
    if (!m_document || !m_document->hasImage())
        return;
    if (on && m_base.isEmpty()) {
        // The lungs alone are the region: the whole image, limited to them.
        m_wholeImage = true;
        m_liveArmed = true;
        setRegion(GgoRegion{VoxelBox::whole(m_document->image().dims()), {}, {}});
    } else if (!on && m_wholeImage) {
        m_wholeImage = false;
        setRegion({});
    } else if (!m_base.isEmpty()) {
        setRegion(m_base);
    }
    if (on && !hasLungLayer())
        setStatus(tr("No lung layer yet: find the lungs (or open the Lung mesh tool) to limit the region to them."));
}

bool GgoController::hasLungLayer() const
{
    return m_document && m_document->findLayer(kLungLayerName) >= 0;
}

std::shared_ptr<const LabelVolume> GgoController::lungLabels() const
{
    if (!m_document)
        return {};
    const int layer = m_document->findLayer(kLungLayerName);
    return layer >= 0 ? m_document->layer(layer).labels : nullptr;
}

bool GgoController::hasCtInHu()
{
    if (!m_document || !m_document->hasImage()) {
        setError(tr("Open a chest CT first."));
        return false;
    }
    try {
        requireCtInHu(m_document->loadedImage());
    } catch (const std::exception &e) {
        setError(QString::fromUtf8(e.what()));
        return false;
    }
    return true;
}

bool GgoController::findLungs()
{
    if (!hasCtInHu())
        return false;
    return m_task.start(
        [ct = m_document->loadedImage()](const TaskContext &context) {
            context.progress(0.0, "Finding the lungs");
            return algo::segmentLungs(ct, {}, context);
        },
        [this](algo::LungSegmentationResult result) {
            auto labels = std::make_shared<LabelVolume>(std::move(result.labels));
            labels->table().set({algo::kRightLungLabel, "Right lung", LabelTable::defaultColour(algo::kRightLungLabel), true});
            labels->table().set({algo::kLeftLungLabel, "Left lung", LabelTable::defaultColour(algo::kLeftLungLabel), true});
            if (const int old = m_document->findLayer(kLungLayerName); old >= 0)
                m_document->removeLayer(old);
            m_document->addLayer(kLungLayerName, labels, 0.3);
            setStatus(tr("Lungs found: the Lungs layer (right and left)."));
            // onLayersChanged() limits the region again.
        });
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

double GgoController::regionVolumeMl() const
{
    if (!m_document || !m_document->hasImage())
        return 0.0;
    return double(m_region.voxelCount()) * m_document->image().geometry().spacing.prod() / 1000.0;
}

QVariantList GgoController::outlineSlices() const
{
    QVariantList slices;
    for (const AxialOutline &o : m_outlines)
        slices << o.slice;
    return slices;
}

int GgoController::sliceCount() const
{
    return m_document && m_document->hasImage() ? m_document->image().dims()[2] : 0;
}

namespace {

// The region's slices changed to [begin, end): a per-slice mask keeps the slices it had and
// gains empty ones.
void setSlices(GgoRegion &region, int begin, int end)
{
    if (!region.mask.empty()) {
        const VoxelBox &b = region.box;
        const std::size_t plane = std::size_t(b.end[0] - b.begin[0]) * std::size_t(b.end[1] - b.begin[1]);
        std::vector<std::uint8_t> mask(plane * std::size_t(end - begin), 0);
        for (int z = std::max(begin, b.begin[2]); z < std::min(end, b.end[2]); ++z)
            std::copy_n(region.mask.data() + std::size_t(z - b.begin[2]) * plane, plane, mask.data() + std::size_t(z - begin) * plane);
        region.mask = std::move(mask);
    }
    region.box.begin[2] = begin;
    region.box.end[2] = end;
}

} // namespace

void GgoController::setFirstSlice(int slice)
{
    if (m_base.isEmpty())
        return;
    m_liveArmed = true;
    GgoRegion region = m_base;
    setSlices(region, std::clamp(slice, 0, region.box.end[2] - 1), region.box.end[2]);
    setRegion(std::move(region));
}

void GgoController::setLastSlice(int slice)
{
    if (m_base.isEmpty())
        return;
    m_liveArmed = true;
    GgoRegion region = m_base;
    setSlices(region, region.box.begin[2], std::clamp(slice + 1, region.box.begin[2] + 1, sliceCount()));
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
    m_liveArmed = true;
    try {
        if (shape.plane != algo::SlicePlane::Axial) {
            // A side view gives the slices and limits the region in its own plane.
            SideLimit limit = sideLimit(g, shape);
            if (limit.bounds.isEmpty())
                return;
            const std::pair<int, int> slices{limit.bounds.begin[2], limit.bounds.end[2]};
            m_sideSlices = slices;
            m_side = std::move(limit);
            if (!m_base.isEmpty() && m_outlines.size() < 2 && !m_wholeImage) {
                m_outlineSlice.reset();
                GgoRegion region = m_base;
                setSlices(region, slices.first, slices.second);
                setRegion(std::move(region));
            } else if (!m_base.isEmpty()) {
                setRegion(m_base);
            }
            setStatus(tr("Slices %1-%2 set from the %3 view, which limits the region in its plane too.")
                          .arg(slices.first + 1)
                          .arg(slices.second)
                          .arg(shape.plane == algo::SlicePlane::Coronal ? tr("coronal") : tr("sagittal")));
            return;
        }
        AxialOutline o = axialOutline(g, shape);
        if (o.bounds.isEmpty()) {
            setError(tr("The outline covers no voxel; draw a larger one."));
            return;
        }
        // An outline on a slice that has one replaces it; on another slice it joins them.
        const auto same = std::find_if(m_outlines.begin(), m_outlines.end(), [&](const AxialOutline &x) { return x.slice == o.slice; });
        const bool replaced = same != m_outlines.end();
        if (replaced)
            *same = std::move(o);
        else
            m_outlines.insert(std::upper_bound(m_outlines.begin(), m_outlines.end(), o.slice,
                                               [](int slice, const AxialOutline &x) { return slice < x.slice; }),
                              std::move(o));
        m_wholeImage = false;
        rebuildFromOutlines();
        if (m_outlines.size() > 1)
            setStatus(tr("%1 outlines, slices %2-%3: the region changes shape smoothly between them.")
                          .arg(m_outlines.size())
                          .arg(m_outlines.front().slice + 1)
                          .arg(m_outlines.back().slice + 1));
        else
            setStatus(m_sideSlices ? QString()
                                   : tr("The region spans %1 mm above and below the outline (Depth); outline another slice to "
                                        "shape it between the two, or a side view to set its slices.")
                                         .arg(m_halfDepthMm, 0, 'f', 0));
    } catch (const std::exception &e) {
        setError(QString::fromUtf8(e.what()));
    }
}

void GgoController::rebuildFromOutlines()
{
    if (!m_document || !m_document->hasImage())
        return;
    const ImageGeometry &g = m_document->image().geometry();
    if (m_outlines.empty()) {
        m_outlineSlice.reset();
        setRegion({});
        return;
    }
    if (m_outlines.size() == 1) {
        // One outline: a prism over the depth (or the side view's slices), as the seed's lasso.
        const AxialOutline &o = m_outlines.front();
        const std::pair<int, int> slices = m_sideSlices ? *m_sideSlices : depthSlices(o.slice);
        GgoRegion region;
        region.box = {{o.bounds.begin[0], o.bounds.begin[1], slices.first}, {o.bounds.end[0], o.bounds.end[1], slices.second}};
        const int w = o.bounds.end[0] - o.bounds.begin[0], h = o.bounds.end[1] - o.bounds.begin[1];
        region.inPlane.assign(std::size_t(w) * std::size_t(h), 0);
        for (int y = 0; y < h; ++y)
            std::copy_n(o.mask.data() + std::size_t(o.bounds.begin[1] + y) * std::size_t(g.dims[0]) + std::size_t(o.bounds.begin[0]), w,
                        region.inPlane.data() + std::size_t(y) * std::size_t(w));
        if (m_sideSlices)
            m_outlineSlice.reset();
        else
            m_outlineSlice = o.slice;
        setRegion(std::move(region));
        return;
    }
    m_outlineSlice.reset(); // the outlines set the slices
    setRegion(interpolatedRegion(g, m_outlines));
}

bool GgoController::clearOutline(int slice)
{
    const auto it = std::find_if(m_outlines.begin(), m_outlines.end(), [&](const AxialOutline &o) { return o.slice == slice; });
    if (it == m_outlines.end()) {
        setError(tr("No outline on slice %1.").arg(slice + 1));
        return false;
    }
    m_outlines.erase(it);
    m_liveArmed = true;
    setError({});
    rebuildFromOutlines();
    return true;
}

void GgoController::clearSideLimit()
{
    if (!m_side)
        return;
    m_side.reset();
    m_sideSlices.reset();
    m_liveArmed = true;
    if (!m_outlines.empty())
        rebuildFromOutlines();
    else
        setRegion(m_base);
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
    m_liveArmed = true;
    m_sideSlices.reset();
    m_side.reset();
    m_outlines.clear();
    m_wholeImage = false;
    m_outlineSlice.reset();
    setRegion(std::move(region));
    return true;
}

void GgoController::clearRegion()
{
    m_liveArmed = false;
    m_sideSlices.reset();
    m_side.reset();
    m_outlines.clear();
    m_wholeImage = false;
    m_outlineSlice.reset();
    setRegion({});
}

void GgoController::setRegion(GgoRegion region, bool show)
{
    m_base = std::move(region);
    const std::shared_ptr<const LabelVolume> lungs = lungLabels();
    try {
        // The whole image stands for "the lungs" only once there are lungs.
        m_region = m_wholeImage && !lungs ? GgoRegion{}
                                          : limitRegion(m_base, m_side ? &*m_side : nullptr, m_insideLungs ? lungs.get() : nullptr);
    } catch (const std::exception &e) {
        setError(QString::fromUtf8(e.what()));
        m_region = {};
    }
    if (!m_base.isEmpty() && m_region.isEmpty() && !(m_wholeImage && !lungs))
        setError(m_insideLungs && lungs ? tr("The region holds no lung voxel: outline inside the lungs, or turn off \"Inside the lungs\".")
                                        : tr("The region is empty: the side view's outline and the axial outlines do not meet."));
    // The selection, histogram and Otsu of a region are prepared off the UI thread; a newer
    // region supersedes one still being prepared, and the live mask waits for it.
    m_selector.reset();
    m_liveTask.invalidate();
    m_histogram = {};
    m_histogramCounts.clear();
    m_otsu = 0.0;
    m_lungCrop.reset();
    if (lungs && !m_region.isEmpty()) {
        m_lungCrop = std::make_shared<const std::vector<std::uint8_t>>(cropLungs(*lungs, m_region.box));
        const std::vector<std::int64_t> counts = m_document->labelCounts(m_document->findLayer(kLungLayerName));
        m_rightLungVoxels = counts.size() > algo::kRightLungLabel ? std::uint64_t(counts[algo::kRightLungLabel]) : 0;
        m_leftLungVoxels = counts.size() > algo::kLeftLungLabel ? std::uint64_t(counts[algo::kLeftLungLabel]) : 0;
    }
    if (m_document && m_document->hasImage() && !m_region.isEmpty()) {
        const bool limited = !m_region.mask.empty() || !m_region.inPlane.empty();
        m_histogramTask.start(
            [ct = m_document->image(), region = m_region, limited, smooth = m_options.smooth](const TaskContext &context) {
                Prepared p;
                p.selector = std::make_shared<algo::GroundGlassSelector>(ct, region.box, limited ? region.solid() : std::vector<std::uint8_t>{},
                                                                         smooth, context);
                p.histogram.min = p.selector->minimum();
                p.histogram.max = p.selector->maximum();
                p.histogram.counts = p.selector->histogram(100);
                p.otsu = p.selector->otsu();
                return p;
            },
            [this](Prepared p) {
                m_selector = std::move(p.selector);
                m_histogram = std::move(p.histogram);
                m_otsu = p.otsu;
                for (std::uint64_t c : m_histogram.counts)
                    m_histogramCounts << double(c);
                emit regionChanged();
                updateLive();
            });
    } else {
        m_histogramTask.invalidate();
    }
    if (show)
        showRegion();
    emit regionChanged();
}

void GgoController::updateLive()
{
    // Not before the user has drawn or run: a region and range a session brings back must not
    // replace the session's (perhaps hand-edited) GGO layer unasked.
    if (!m_liveArmed || !m_selector || !m_document || !m_document->hasImage())
        return;
    if (!(m_options.lowHu < m_options.highHu)) {
        setError(tr("The HU range is empty: the low end must be below the high end."));
        return;
    }
    const double voxelMl = m_document->image().geometry().spacing.prod() / 1000.0;
    algo::GroundGlassKeep keep;
    if (m_options.minPieceMl > 0.0)
        keep.minPieceVoxels = std::max<std::uint64_t>(1, std::uint64_t(std::ceil(m_options.minPieceMl / voxelMl - 1e-9)));
    m_liveTask.start(
        [selector = m_selector, low = m_options.lowHu, high = m_options.highHu, keep, lungs = m_lungCrop, right = m_rightLungVoxels,
         left = m_leftLungVoxels, voxelMl](const TaskContext &context) {
            LiveResult live;
            live.box = selector->box();
            live.lowHu = low;
            live.highHu = high;
            live.selection = selector->select(low, high, keep, context);
            if (lungs)
                live.lungs = lungShares(live.selection.mask, *lungs, right, left, voxelMl);
            return live;
        },
        [this](LiveResult live) { applyLive(std::move(live)); });
}

void GgoController::reportEmptyRange()
{
    setError(tr("No voxel of the region lies in %1 .. %2 HU; widen the range or move the region.")
                 .arg(m_options.lowHu, 0, 'f', 0)
                 .arg(m_options.highHu, 0, 'f', 0));
}

void GgoController::applyLive(LiveResult live)
{
    if (!m_document || !m_document->hasImage())
        return;
    int layer = m_document->layerOf(m_resultLabels.get());
    m_figures.lowHu = live.lowHu;
    m_figures.highHu = live.highHu;
    m_figures.ggoVoxels = live.selection.voxels;
    m_figures.ggoMl = double(live.selection.voxels) * m_document->image().geometry().spacing.prod() / 1000.0;
    m_figures.pieces = live.selection.pieces;
    m_figures.piecesKept = live.selection.piecesKept;
    m_figures.regionMl = regionVolumeMl();
    m_figures.lungs = live.lungs;
    if (live.selection.voxels == 0) {
        // Nothing in the range: said so, and no lesion layer on show.
        reportEmptyRange();
        if (layer >= 0) {
            m_resultLabels.reset();
            m_shownMask.clear();
            m_document->removeLayer(layer);
        } else if (const int other = layerIndex(); other >= 0) {
            m_document->removeLayer(other);
        }
        emit resultChanged();
        return;
    }
    if (m_task.error().startsWith(tr("No voxel")) || m_task.error().startsWith(tr("The HU range")))
        setError({});
    m_applying = true;
    if (layer < 0) {
        // A layer of our own (a search's or a session's GGO layer is replaced).
        if (const int old = layerIndex(); old >= 0)
            m_document->removeLayer(old);
        auto labels = std::make_shared<LabelVolume>(m_document->image().geometry());
        labels->table().set({kGgoLabel, "GGO", kGgoColour, true});
        applySelection(*labels, live.box, {}, live.selection.mask);
        m_resultLabels = labels;
        m_handEdited = false;
        m_document->addLayer(kLayerName, std::move(labels), 0.5);
    } else {
        LabelVolume &labels = m_document->layerLabels(layer);
        std::optional<VoxelBox> changed;
        const auto grow = [&](const std::optional<VoxelBox> &box) {
            if (!box)
                return;
            if (!changed) {
                changed = box;
                return;
            }
            for (int a = 0; a < 3; ++a) {
                changed->begin[a] = std::min(changed->begin[a], box->begin[a]);
                changed->end[a] = std::max(changed->end[a], box->end[a]);
            }
        };
        if (!(m_shownResultBox.begin == live.box.begin && m_shownResultBox.end == live.box.end)) {
            // Another region: the old selection goes first.
            if (!m_shownMask.empty())
                grow(applySelection(labels, m_shownResultBox, m_shownMask, std::vector<std::uint8_t>(m_shownMask.size(), 0)));
            grow(applySelection(labels, live.box, {}, live.selection.mask));
        } else {
            grow(applySelection(labels, live.box, m_shownMask, live.selection.mask));
        }
        if (changed)
            m_document->notifyLabelsChanged(layer, *changed);
    }
    m_applying = false;
    m_shownMask = std::move(live.selection.mask);
    m_shownResultBox = live.box;
    m_surfaceTimer.start(kSettleMs); // the surface once the handle rests
    emit resultChanged();
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
        for (int z = b.begin[2]; z < b.end[2]; ++z)
            for (int y = b.begin[1]; y < b.end[1]; ++y)
                for (int x = b.begin[0]; x < b.end[0]; ++x)
                    if (m_region.inside(x - b.begin[0], y - b.begin[1], z - b.begin[2]))
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
    // A region that changes from slice to slice (interpolated, limited) keeps its slices.
    std::vector<std::uint8_t> solid;
    bool prism = true;
    for (int z = lo[2]; z < box->end[2]; ++z)
        for (int y = lo[1]; y < box->end[1]; ++y)
            for (int x = lo[0]; x < box->end[0]; ++x) {
                const std::uint8_t v = labels->at(x, y, z) != 0;
                solid.push_back(v);
                prism = prism && v == region.inPlane[std::size_t(y - lo[1]) * std::size_t(w) + std::size_t(x - lo[0])];
            }
    if (!prism)
        region.mask = std::move(solid);
    else if (std::all_of(region.inPlane.begin(), region.inPlane.end(), [](std::uint8_t v) { return v != 0; }))
        region.inPlane.clear(); // the whole box
    // Forget the region on show: its layer (if any) is dropped for the adopted one.
    if (const int shown = regionLayerIndex(); shown >= 0) {
        m_regionLabels.reset();
        m_document->removeLayer(shown);
    }
    m_regionLabels = labels;
    m_shownBox = region.box;
    m_sideSlices.reset();
    m_side.reset();
    m_outlines.clear();
    m_wholeImage = false;
    m_liveArmed = false;
    m_outlineSlice.reset(); // its slices are the layer's, whatever the depth
    m_document->setLayerOutline(m_document->findLayer(kRegionLayerName), true);
    // The layer holds it already: rewriting it would only mark the session edited.
    setRegion(std::move(region), false);
    return true;
}

bool GgoController::run()
{
    if (!hasCtInHu())
        return false;
    if (m_region.isEmpty()) {
        setError(m_base.isEmpty() ? tr("Outline a region first: a lasso or rectangle on an axial slice.")
                                  : tr("The region is empty: it holds no voxel once limited to the side view's outline and the lungs."));
        return false;
    }
    if (!(m_options.lowHu < m_options.highHu)) {
        setError(tr("The HU range is empty: the low end must be below the high end."));
        return false;
    }
    const std::shared_ptr<const LabelVolume> lungs = lungLabels();
    return m_task.start(
        [ct = m_document->image(), region = m_region, options = m_options, lungs](const TaskContext &context) {
            return runGgo(ct, region, options, context, lungs.get());
        },
        [this](GgoResult result) { commit(std::move(result)); });
}

void GgoController::commit(GgoResult result)
{
    if (!m_document || !m_document->hasImage())
        return;
    if (result.found.voxels == 0) {
        reportEmptyRange(); // the runner reports the task as failed
        return;
    }
    m_liveTask.invalidate(); // this result is the newest
    m_liveArmed = true;      // from now on the mask follows the range
    if (const int old = layerIndex(); old >= 0)
        m_document->removeLayer(old);
    m_resultLabels = result.labels;
    m_handEdited = false;
    m_shownMask = result.found.mask;
    m_shownResultBox = result.found.box;
    m_figures.lowHu = m_options.lowHu;
    m_figures.highHu = m_options.highHu;
    m_figures.ggoVoxels = result.found.voxels;
    m_figures.ggoMl = result.volumeMl;
    m_figures.pieces = result.found.pieces;
    m_figures.piecesKept = result.piecesKept;
    m_figures.regionMl = result.regionVolumeMl;
    m_figures.lungs = result.lungs;
    m_document->addLayer(kLayerName, result.labels, 0.5);
    m_document->setMesh(std::make_shared<Mesh>(result.surface));
    m_surfaceTimer.stop(); // the surface just set is the layer's
    showContext();
    setStatus(tr("GGO %1 mL: %2 of %3 pieces in the range, %4 % of the region.")
                  .arg(result.volumeMl, 0, 'f', 2)
                  .arg(keepLargest() ? tr("the largest") : QString::number(result.piecesKept))
                  .arg(result.found.pieces)
                  .arg(result.regionVolumeMl > 0 ? 100.0 * result.volumeMl / result.regionVolumeMl : 0.0, 0, 'f', 1));
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
    // The live selection's own count while the layer is ours and unedited: counting the layer
    // again after every handle move would read the whole image.
    if (!m_handEdited && m_document->layerOf(m_resultLabels.get()) == layer)
        return m_figures.ggoMl;
    // Kept up to date from each edit's patch: no recount of the volume.
    const std::vector<std::int64_t> counts = m_document->labelCounts(layer);
    const std::int64_t voxels = counts.size() > kGgoLabel ? counts[kGgoLabel] : 0;
    return double(voxels) * m_document->layer(layer).labels->geometry().spacing.prod() / 1000.0;
}

void GgoController::onLayersChanged()
{
    // A lung layer that came or went (or changed): the region limited to it follows, and the shares.
    const std::shared_ptr<const LabelVolume> lungs = lungLabels();
    if (lungs.get() != m_lastLungs) {
        m_lastLungs = lungs.get();
        emit lungsChanged();
        if (!m_base.isEmpty())
            setRegion(m_base, true);
    }
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
    if (m_applying || layer < 0 || layer != layerIndex())
        return;
    m_handEdited = true;
    emit resultChanged(); // the volume
    m_surfaceTimer.start(); // restarts: the surface waits until the edit settles
    if (m_figures.ggoVoxels > 0)
        setStatus(tr("Edited by hand: %1 mL now; the search found %2 mL.")
                      .arg(volumeMl(), 0, 'f', 2)
                      .arg(m_figures.ggoMl, 0, 'f', 2));
}

void GgoController::rebuildSurface()
{
    const int layer = layerIndex();
    if (layer < 0)
        return;
    const auto work = [&]() -> std::function<Mesh(const TaskContext &)> {
        if (!m_handEdited && m_document->layerOf(m_resultLabels.get()) == layer && !m_shownMask.empty())
            // The live selection's box: no copy of the whole layer.
            return [geometry = m_document->image().geometry(), box = m_shownResultBox, mask = m_shownMask,
                    iterations = m_options.smoothingIterations](const TaskContext &context) {
                return boxSurface(geometry, box, mask, iterations, context);
            };
        // A copy: the task must not read the layer while the user paints it.
        auto labels = std::make_shared<const LabelVolume>(*m_document->layer(layer).labels);
        return [labels, iterations = m_options.smoothingIterations](const TaskContext &context) {
            return layerSurface(*labels, iterations, context);
        };
    }();
    m_surfaceTask.start(work,
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
                            showContext();
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

void GgoController::showContext()
{
    if (!m_document || !m_document->hasImage() || m_contextTask.busy())
        return;
    constexpr double kOpacity = 0.2;
    // The Lung mesh tool's lungs (or its CT surface): made see-through, not duplicated.
    bool found = false;
    for (const QString &name : {QStringLiteral("Right lung"), QStringLiteral("Left lung"), QStringLiteral("CT surface")}) {
        const int mesh = m_document->findMesh(name);
        if (mesh < 0)
            continue;
        found = true;
        if (m_document->mesh(mesh)->opacity > 0.35f)
            m_document->setMeshOpacity(mesh, kOpacity);
    }
    const std::shared_ptr<const LabelVolume> lungs = lungLabels();
    if (found || m_document->findMesh(lungs ? kContextMeshName : kBodyMeshName) >= 0)
        return;
    // A coarse surface (every second voxel for the lungs, fourth for the body): context only.
    if (lungs) {
        auto copy = std::make_shared<const LabelVolume>(*lungs); // the user may paint the layer meanwhile
        m_contextTask.start(
            [copy](const TaskContext &context) {
                algo::MarchingCubesOptions options;
                options.step = 2;
                return algo::marchingCubesLabel(*copy, 0, options, context);
            },
            [this](Mesh mesh) {
                mesh.name = kContextMeshName.toStdString();
                mesh.colour = {0.55f, 0.75f, 0.95f};
                mesh.opacity = float(kOpacity);
                if (mesh.triangleCount() == 0)
                    return;
                if (const int body = m_document->findMesh(kBodyMeshName); body >= 0)
                    m_document->removeMesh(body); // the lungs say more than the body
                m_document->setMesh(std::make_shared<Mesh>(std::move(mesh)));
            });
    } else {
        m_contextTask.start(
            [ct = m_document->loadedImage()](const TaskContext &context) {
                algo::MarchingCubesOptions options;
                options.isoValue = -300.0; // skin and soft tissue against air
                options.step = 4;
                return algo::marchingCubes(ct, options, context);
            },
            [this](Mesh mesh) {
                mesh.name = kBodyMeshName.toStdString();
                mesh.colour = {0.85f, 0.80f, 0.75f};
                mesh.opacity = 0.12f;
                if (mesh.triangleCount() > 0)
                    m_document->setMesh(std::make_shared<Mesh>(std::move(mesh)));
            });
    }
}

bool GgoController::exportCsv(const QString &path)
{
    if (!hasResult()) {
        setError(tr("Nothing to export yet: outline a region and choose a range."));
        return false;
    }
    const std::string file = io::localPath(path).toStdString();
    // Written beside the target and renamed into place, as every write of the app.
    const std::string temporary = file + ".part";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << figuresCsv(figures());
        if (!out) {
            setError(tr("Could not write %1").arg(QString::fromStdString(file)));
            std::remove(temporary.c_str());
            return false;
        }
    }
    if (std::rename(temporary.c_str(), file.c_str()) != 0) {
        setError(tr("Could not write %1").arg(QString::fromStdString(file)));
        std::remove(temporary.c_str());
        return false;
    }
    setError({});
    setStatus(tr("Saved %1").arg(QString::fromStdString(file)));
    return true;
}

GgoFigures GgoController::figures() const
{
    GgoFigures f = m_figures;
    f.lowHu = m_options.lowHu;
    f.highHu = m_options.highHu;
    f.ggoMl = volumeMl();
    if (m_document && m_document->hasImage())
        f.ggoVoxels = std::uint64_t(std::llround(f.ggoMl * 1000.0 / m_document->image().geometry().spacing.prod()));
    f.regionMl = regionVolumeMl();
    return f;
}

void GgoController::onStudyChanged()
{
    // The runner has dropped a running search already (followStudy).
    m_figures = {};
    m_resultLabels.reset();
    m_shownMask.clear();
    m_shownResultBox = {};
    m_handEdited = false;
    m_selector.reset();
    m_outlines.clear();
    m_side.reset();
    m_wholeImage = false;
    m_lastLungs = nullptr;
    m_liveArmed = false;
    emit resultChanged();
    m_sideSlices.reset();
    m_outlineSlice.reset();
    setRegion({});
    setError({});
    setStatus({});
}

} // namespace carina::ggo
