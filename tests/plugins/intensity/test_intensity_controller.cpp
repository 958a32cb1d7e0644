// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The Intensity plugin through its controller, the way the panel and the shell drive it.
#include "IntensityController.h"

#include <carina/Document.h>
#include <carina/TaskRunner.h>

#include <QSignalSpy>
#include <QtTest>

#include <numeric>

using carina::Document;
using carina::TaskRunner;
using carina::Volume;
using carina::intensity::IntensityController;

namespace {

// 20 x 20 x 10 voxels of 1 x 1 x 2 mm: air (-1000 HU), a 10 x 10 x 6 block of soft tissue
// (40 HU) at [5,15) x [5,15) x [2,8), and a 20-voxel row of bone (700 HU) at j = 0, k = 9.
constexpr int airCount = 20 * 20 * 10 - 600 - 20;

Volume syntheticCt()
{
    carina::ImageGeometry g;
    g.dims = {20, 20, 10};
    g.spacing = {1.0, 1.0, 2.0};
    Volume v(carina::VoxelType::Int16, g);
    v.info().modality = "CT";
    v.info().units = "HU";
    auto *p = v.data<std::int16_t>();
    for (int k = 0; k < 10; ++k)
        for (int j = 0; j < 20; ++j)
            for (int i = 0; i < 20; ++i) {
                std::int16_t value = -1000;
                if (i >= 5 && i < 15 && j >= 5 && j < 15 && k >= 2 && k < 8)
                    value = 40;
                if (j == 0 && k == 9)
                    value = 700;
                p[g.linearIndex(i, j, k)] = value;
            }
    return v;
}

bool waitForHistogram(IntensityController &controller, QSignalSpy &spy, int count = 1)
{
    return QTest::qWaitFor([&] { return spy.count() >= count && !controller.task()->busy(); }, 5000);
}

} // namespace

class TestIntensityController : public QObject
{
    Q_OBJECT

private slots:
    void histogram_of_the_whole_image_counts_every_voxel_exactly()
    {
        Document document;
        document.setImage(syntheticCt());
        IntensityController controller(&document);
        QSignalSpy spy(&controller, &IntensityController::histogramChanged);
        QVERIFY(waitForHistogram(controller, spy));

        // -1000..700 is 1701 values; 128 bins asked -> 14 values per bin, 122 bins.
        const QList<qreal> counts = controller.counts();
        const QList<qreal> edges = controller.edges();
        QCOMPARE(counts.size(), 122);
        QCOMPARE(edges.size(), 123);
        QCOMPARE(edges.first(), -1000.0);
        QCOMPARE(edges.at(1), -986.0);
        QCOMPARE(counts.at(0), qreal(airCount));  // -1000
        QCOMPARE(counts.at(74), 600.0);           // 40 lies in [36, 50)
        QCOMPARE(counts.at(121), 20.0);           // 700 lies in [694, 708)
        QCOMPARE(std::accumulate(counts.begin(), counts.end(), 0.0), 4000.0);
        QCOMPARE(controller.maxCount(), qreal(airCount));
        QCOMPARE(controller.voxelCount(), 4000.0);
        QCOMPARE(controller.minimum(), -1000.0);
        QCOMPARE(controller.maximum(), 700.0);
        QCOMPARE(controller.mean(), (airCount * -1000.0 + 600 * 40.0 + 20 * 700.0) / 4000.0);
        QCOMPARE(controller.units(), QStringLiteral("HU"));
        QVERIFY(controller.hasHistogram());
        QVERIFY(controller.task()->error().isEmpty());
    }

    void presets_set_the_document_window()
    {
        Document document;
        document.setImage(syntheticCt());
        IntensityController controller(&document);
        const struct
        {
            const char *id;
            double center;
            double width;
        } expected[] = {{"lung", -600, 1500}, {"mediastinum", 40, 400}, {"bone", 400, 1800}, {"brain", 40, 80}};
        for (const auto &preset : expected) {
            QVERIFY(controller.applyPreset(QLatin1String(preset.id)));
            QCOMPARE(document.windowCenter(), preset.center);
            QCOMPARE(document.windowWidth(), preset.width);
        }
        QVERIFY(!controller.applyPreset(QStringLiteral("no-such-preset")));
        QCOMPARE(document.windowCenter(), 40.0);

        QStringList ids;
        for (const QVariant &preset : controller.presets())
            ids << preset.toMap().value(QStringLiteral("id")).toString();
        QCOMPARE(ids, (QStringList{QStringLiteral("lung"), QStringLiteral("mediastinum"), QStringLiteral("bone"),
                                   QStringLiteral("brain"), QStringLiteral("percentile"), QStringLiteral("full"),
                                   QStringLiteral("auto")}));
    }

    void auto_preset_windows_the_1st_to_99th_percentile()
    {
        Document document;
        IntensityController controller(&document);
        QVERIFY(!controller.applyPreset(QStringLiteral("auto"))); // nothing to measure yet
        QSignalSpy spy(&controller, &IntensityController::histogramChanged);
        document.setImage(syntheticCt());
        QVERIFY(waitForHistogram(controller, spy));
        QVERIFY(controller.applyPreset(QStringLiteral("auto")));
        // 1 % of 4000 = 40 voxels into the air bin [-1000, -986) of 3380 voxels; 99 % = 3960
        // voxels: 580 of the 600 in the tissue bin [36, 50).
        const double low = -1000.0 + 40.0 / airCount * 14.0;
        const double high = 36.0 + 580.0 / 600.0 * 14.0;
        QVERIFY(qFuzzyCompare(document.windowCenter(), 0.5 * (low + high)));
        QVERIFY(qFuzzyCompare(document.windowWidth(), high - low));
    }

    void roi_histogram_counts_only_the_box_around_the_cursor()
    {
        Document document;
        document.setImage(syntheticCt());
        IntensityController controller(&document);
        QSignalSpy spy(&controller, &IntensityController::histogramChanged);
        QVERIFY(waitForHistogram(controller, spy));

        document.setCursorIndex(QVector3D(10, 10, 5));
        controller.setRoiSizeMm(4.0); // +-2 mm: 5 voxels in-plane, 3 slices of 2 mm
        controller.setUseRoi(true);
        QVERIFY(waitForHistogram(controller, spy, 2));
        QCOMPARE(controller.voxelCount(), 75.0);
        QCOMPARE(controller.minimum(), 40.0);
        QCOMPARE(controller.maximum(), 40.0);
        QCOMPARE(controller.counts(), QList<qreal>{75.0});

        // Moving the cursor moves the box: the corner box is clipped to 3 x 3 x 2 voxels of air.
        document.setCursorIndex(QVector3D(0, 0, 0));
        QVERIFY(waitForHistogram(controller, spy, 3));
        QCOMPARE(controller.voxelCount(), 18.0);
        QCOMPARE(controller.maximum(), -1000.0);

        // Back to the whole image.
        controller.setUseRoi(false);
        QVERIFY(waitForHistogram(controller, spy, 4));
        QCOMPARE(controller.voxelCount(), 4000.0);
    }

    void the_displayed_image_is_measured_a_derived_one_too()
    {
        Document document;
        document.setImage(syntheticCt());
        IntensityController controller(&document);
        QSignalSpy spy(&controller, &IntensityController::histogramChanged);
        QVERIFY(waitForHistogram(controller, spy));
        QCOMPARE(controller.maximum(), 700.0);

        // A derived image of the same study on display (as the lung mask's masked CT): its voxels
        // are measured, the bone row set to air here.
        Volume derived = syntheticCt();
        auto *p = derived.data<std::int16_t>();
        for (int i = 0; i < 20; ++i)
            p[derived.geometry().linearIndex(i, 0, 9)] = -1000;
        const quint64 study = document.studyId();
        document.showDerivedImage(derived, QStringLiteral("No bone"));
        QCOMPARE(document.studyId(), study);
        QVERIFY(waitForHistogram(controller, spy, 2));
        QCOMPARE(controller.maximum(), 40.0);
        QCOMPARE(controller.voxelCount(), 4000.0);

        document.showLoadedImage();
        QVERIFY(waitForHistogram(controller, spy, 3));
        QCOMPARE(controller.maximum(), 700.0);
    }

    void a_newer_request_replaces_the_stale_one()
    {
        Document document;
        document.setImage(syntheticCt());
        IntensityController controller(&document);
        QSignalSpy spy(&controller, &IntensityController::histogramChanged);
        QVERIFY(waitForHistogram(controller, spy));
        spy.clear();

        // Two parameter changes in one turn of the event loop: one computation, the last bins.
        controller.setBins(1701);
        controller.setBins(4);
        QVERIFY(waitForHistogram(controller, spy));
        QTest::qWait(50);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(controller.counts().size(), 4); // 1701 values / 4 -> 426 values per bin
        spy.clear();

        // Explicit back-to-back refreshes: only the newest result is published.
        controller.refresh();
        controller.refresh();
        QVERIFY(waitForHistogram(controller, spy));
        QTest::qWait(50);
        QCOMPARE(spy.count(), 1);
    }

    void clearing_the_image_clears_the_histogram()
    {
        Document document;
        document.setImage(syntheticCt());
        IntensityController controller(&document);
        QSignalSpy spy(&controller, &IntensityController::histogramChanged);
        QVERIFY(waitForHistogram(controller, spy));
        document.clear();
        QVERIFY(waitForHistogram(controller, spy, 2));
        QVERIFY(!controller.hasHistogram());
        QVERIFY(controller.counts().isEmpty());
        QVERIFY(controller.units().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestIntensityController)
#include "test_intensity_controller.moc"
