// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/Document.h>
#include <carina/TaskRunner.h>
#include <carina/algo/Histogram.h>

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QVariantList>

namespace carina::intensity {

/// State and actions of the Intensity panel: the histogram and statistics of the document's
/// image (or of a box around the cursor), and window/level presets.
///
/// Lives on the UI thread. The histogram is computed off the UI thread through task() (busy,
/// error); a newer request (a moved cursor, other bins) cancels the stale one and only the
/// newest result is shown. It is the histogram of the displayed image, so it is recomputed by
/// itself when that changes (imageChanged: a new study or a derived image such as the masked
/// CT), and when the parameters or (with the ROI on) the cursor change.
class IntensityController : public QObject
{
    Q_OBJECT
    // What a session stores and restores.
    Q_CLASSINFO("carina.sessionParameters", "bins useRoi roiSizeMm logScale")
    Q_PROPERTY(carina::Document *document READ document CONSTANT)
    Q_PROPERTY(int bins READ bins WRITE setBins NOTIFY binsChanged)
    Q_PROPERTY(bool useRoi READ useRoi WRITE setUseRoi NOTIFY roiChanged)
    Q_PROPERTY(double roiSizeMm READ roiSizeMm WRITE setRoiSizeMm NOTIFY roiChanged)
    Q_PROPERTY(bool logScale READ logScale WRITE setLogScale NOTIFY logScaleChanged)
    Q_PROPERTY(carina::TaskRunner *task READ task CONSTANT)
    Q_PROPERTY(bool hasHistogram READ hasHistogram NOTIFY histogramChanged)
    Q_PROPERTY(QList<qreal> counts READ counts NOTIFY histogramChanged)
    Q_PROPERTY(QList<qreal> edges READ edges NOTIFY histogramChanged)
    Q_PROPERTY(double maxCount READ maxCount NOTIFY histogramChanged)
    Q_PROPERTY(double voxelCount READ voxelCount NOTIFY histogramChanged)
    Q_PROPERTY(double mean READ mean NOTIFY histogramChanged)
    Q_PROPERTY(double stddev READ stddev NOTIFY histogramChanged)
    Q_PROPERTY(double minimum READ minimum NOTIFY histogramChanged)
    Q_PROPERTY(double maximum READ maximum NOTIFY histogramChanged)
    Q_PROPERTY(QString units READ units NOTIFY histogramChanged)
    Q_PROPERTY(QVariantList presets READ presets NOTIFY presetsChanged)

public:
    /// Bound to `document` (not owned; may be null, then there is nothing to show).
    explicit IntensityController(Document *document, QObject *parent = nullptr);

    Document *document() const { return m_document; }

    /// Bins asked for, 2..1024, default 128 (integer images may get fewer, see HistogramOptions).
    int bins() const { return m_bins; }
    void setBins(int bins);
    /// Count only a box of roiSizeMm around the cursor; default false (the whole image).
    bool useRoi() const { return m_useRoi; }
    void setUseRoi(bool useRoi);
    /// Edge length of the ROI box in mm, 1..1000, default 30.
    double roiSizeMm() const { return m_roiSizeMm; }
    void setRoiSizeMm(double sizeMm);
    /// Display hint for the panel: logarithmic count axis; default true (CT is mostly air).
    bool logScale() const { return m_logScale; }
    void setLogScale(bool logScale);

    /// The computation: busy while a histogram is computed, error when the last one failed.
    TaskRunner *task() { return &m_task; }

    /// The last histogram computed (empty before the first one finishes).
    const algo::Histogram &histogram() const { return m_histogram; }
    bool hasHistogram() const { return !m_histogram.isEmpty(); }
    QList<qreal> counts() const;
    QList<qreal> edges() const;
    double maxCount() const { return double(m_histogram.maxCount()); }
    double voxelCount() const { return double(m_histogram.count); }
    double mean() const { return m_histogram.mean; }
    double stddev() const { return m_histogram.stddev; }
    double minimum() const { return m_histogram.minimum; }
    double maximum() const { return m_histogram.maximum; }
    /// Units of the values ("HU" for rescaled CT), empty when unknown.
    QString units() const { return m_units; }

    /// The window presets: the document's (Document::windowPresets: HU windows for CT only, the
    /// 1st..99th percentile and the full range) and "auto"; each {id, title, name, center,
    /// width}; "auto" has no fixed window.
    QVariantList presets() const;
    /// Sets the document's window to preset `id` (one of presets(): "lung", ... on CT,
    /// "percentile", "full", "auto" = the 1st..99th percentile of the current histogram). False for an unknown id, or
    /// for "auto" without a histogram.
    Q_INVOKABLE bool applyPreset(const QString &id);
    /// Recomputes now (normally automatic).
    Q_INVOKABLE void refresh();

signals:
    void binsChanged();
    void roiChanged();
    void logScaleChanged();
    /// A new histogram (or none) is available.
    void histogramChanged();
    /// The presets changed with the image (CT or not, its percentiles).
    void presetsChanged();

private:
    void scheduleRefresh();
    void setHistogram(algo::Histogram histogram, const QString &units);

    QPointer<Document> m_document;
    int m_bins = 128;
    bool m_useRoi = false;
    double m_roiSizeMm = 30.0;
    bool m_logScale = true;
    QString m_units;
    algo::Histogram m_histogram;
    QTimer m_refreshTimer;
    TaskRunner m_task{this};
};

} // namespace carina::intensity
