// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "IntensityController.h"

#include <QVariantMap>

#include <algorithm>

namespace carina::intensity {

namespace {

} // namespace

IntensityController::IntensityController(Document *document, QObject *parent)
    : QObject(parent), m_document(document)
{
    // A zero-interval single shot folds a burst of changes (a cursor dragged across a slice)
    // into one computation at the next turn of the event loop.
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(0);
    connect(&m_refreshTimer, &QTimer::timeout, this, &IntensityController::refresh);
    // A failed computation shows its error instead of a histogram of other parameters.
    connect(&m_task, &TaskRunner::finished, this, [this](bool ok) {
        if (!ok)
            setHistogram({}, {});
    });
    if (m_document) {
        // A new study drops a computation for the old one at once; the refresh follows from
        // imageChanged, which a new study emits as well.
        m_task.followStudy(m_document);
        // The displayed image: a new study, or a derived image of the same one on display.
        connect(m_document, &Document::imageChanged, this, &IntensityController::scheduleRefresh);
        // The presets fit the data: HU windows for CT only, percentiles for every image.
        connect(m_document, &Document::imageChanged, this, &IntensityController::presetsChanged);
        connect(m_document, &Document::cursorChanged, this, [this] {
            if (m_useRoi)
                scheduleRefresh();
        });
        scheduleRefresh();
    }
}

void IntensityController::setBins(int bins)
{
    bins = std::clamp(bins, 2, 1024);
    if (bins == m_bins)
        return;
    m_bins = bins;
    emit binsChanged();
    scheduleRefresh();
}

void IntensityController::setUseRoi(bool useRoi)
{
    if (useRoi == m_useRoi)
        return;
    m_useRoi = useRoi;
    emit roiChanged();
    scheduleRefresh();
}

void IntensityController::setRoiSizeMm(double sizeMm)
{
    sizeMm = std::clamp(sizeMm, 1.0, 1000.0);
    if (sizeMm == m_roiSizeMm)
        return;
    m_roiSizeMm = sizeMm;
    emit roiChanged();
    if (m_useRoi)
        scheduleRefresh();
}

void IntensityController::setLogScale(bool logScale)
{
    if (logScale == m_logScale)
        return;
    m_logScale = logScale;
    emit logScaleChanged();
}

QList<qreal> IntensityController::counts() const
{
    QList<qreal> list;
    list.reserve(qsizetype(m_histogram.counts.size()));
    for (std::uint64_t c : m_histogram.counts)
        list.append(qreal(c));
    return list;
}

QList<qreal> IntensityController::edges() const
{
    return QList<qreal>(m_histogram.edges.begin(), m_histogram.edges.end());
}

QVariantList IntensityController::presets() const
{
    QVariantList list = m_document ? m_document->windowPresets() : QVariantList();
    list.append(QVariantMap{{QStringLiteral("id"), QStringLiteral("auto")},
                            {QStringLiteral("title"), tr("Auto (1\u201399 % of this histogram)")},
                            {QStringLiteral("name"), tr("Auto")},
                            {QStringLiteral("center"), QVariant()},
                            {QStringLiteral("width"), QVariant()}});
    return list;
}

bool IntensityController::applyPreset(const QString &id)
{
    if (!m_document)
        return false;
    if (id == QLatin1String("auto")) {
        if (!hasHistogram())
            return false;
        const double low = m_histogram.percentile(0.01);
        const double high = m_histogram.percentile(0.99);
        m_document->setWindow(0.5 * (low + high), std::max(high - low, 1.0));
        return true;
    }
    return m_document->applyWindowPreset(id);
}

void IntensityController::scheduleRefresh()
{
    m_refreshTimer.start();
}

void IntensityController::refresh()
{
    m_refreshTimer.stop();
    if (!m_document || !m_document->hasImage()) {
        m_task.invalidate();
        setHistogram({}, {});
        return;
    }

    const Volume image = m_document->image(); // shares the voxels, no copy
    algo::HistogramOptions options;
    options.bins = m_bins;
    if (m_useRoi) {
        const QVector3D c = m_document->cursorIndex();
        options.region = algo::boxAroundIndex(image.geometry(), Eigen::Vector3d(c.x(), c.y(), c.z()), m_roiSizeMm);
    }
    // The work sees only copies; the commit runs on the UI thread, and only for the newest request.
    m_task.start([image, options](const TaskContext &context) { return algo::computeHistogram(image, options, context); },
                 [this, units = QString::fromStdString(image.info().units)](algo::Histogram histogram) {
                     setHistogram(std::move(histogram), units);
                 });
}

void IntensityController::setHistogram(algo::Histogram histogram, const QString &units)
{
    m_histogram = std::move(histogram);
    m_units = units;
    emit histogramChanged();
}

} // namespace carina::intensity
