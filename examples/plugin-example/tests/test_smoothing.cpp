// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Qt Test of the example plugin: the algorithm on plain data, and the controller the panel
// drives, with a real carina::Document, progress and cancel - no plugin loading, no QML.
#include "GaussianSmoothing.h"
#include "SmoothingController.h"

#include <carina/Document.h>
#include <carina/TaskRunner.h>
#include <carina/Volume.h>

#include <QSignalSpy>
#include <QtTest>

namespace {

// A 32^3 volume, 1 mm voxels, zero except one bright voxel in the middle.
carina::Volume impulse()
{
    carina::ImageGeometry geometry;
    geometry.dims = {32, 32, 32};
    carina::Volume volume(carina::VoxelType::Float32, geometry);
    std::fill_n(volume.data<float>(), volume.voxelCount(), 0.0f);
    volume.data<float>()[geometry.linearIndex(16, 16, 16)] = 1000.0f;
    return volume;
}

} // namespace

class TestSmoothing : public QObject
{
    Q_OBJECT
private slots:
    void smoothing_keeps_the_sum_and_spreads_the_impulse()
    {
        const carina::Volume out = example::smoothGaussian(impulse(), 2.0);
        double sum = 0;
        for (std::size_t i = 0; i < out.voxelCount(); ++i)
            sum += out.data<float>()[i];
        QVERIFY(std::abs(sum - 1000.0) < 0.5);
        QVERIFY(out.valueAt(16, 16, 16) < 100.0);
        QVERIFY(out.valueAt(18, 16, 16) > 0.0);
        QCOMPARE(out.valueAt(18, 16, 16), out.valueAt(14, 16, 16)); // symmetric
    }

    void bad_sigma_is_refused_with_a_message()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, example::smoothGaussian(impulse(), -1.0));
    }

    void controller_shows_the_smoothed_image_off_the_ui_thread()
    {
        carina::Document document;
        document.setImage(impulse());
        const quint64 study = document.studyId();
        example::SmoothingController controller(&document);
        carina::TaskRunner *task = controller.task();
        QSignalSpy finished(task, &carina::TaskRunner::finished);
        controller.setSigmaMm(2.0);
        controller.apply();
        QVERIFY(task->busy());
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QVERIFY(!task->busy());
        QVERIFY(task->error().isEmpty());
        QCOMPARE(task->progress(), 1.0);
        QCOMPARE(task->status(), QStringLiteral("Smoothed with sigma 2 mm."));
        // A derived image of the same study: displayed, while the loaded voxels stay.
        QVERIFY(document.image().valueAt(16, 16, 16) < 100.0);
        QCOMPARE(document.loadedImage().valueAt(16, 16, 16), 1000.0);
        QCOMPARE(document.studyId(), study);
        QVERIFY(!document.derivedImageName().isEmpty());
    }

    void controller_reports_the_algorithms_error()
    {
        carina::Document document;
        document.setImage(impulse());
        example::SmoothingController controller(&document);
        QSignalSpy finished(controller.task(), &carina::TaskRunner::finished);
        controller.setSigmaMm(500.0);
        controller.apply();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QCOMPARE(controller.task()->error(), QStringLiteral("sigma must be between 0 and 100 mm"));
        QVERIFY(document.derivedImageName().isEmpty());
    }

    void controller_without_an_image_says_so()
    {
        carina::Document document;
        example::SmoothingController controller(&document);
        controller.apply();
        QVERIFY(!controller.task()->busy());
        QCOMPARE(controller.task()->error(), QStringLiteral("Open an image first."));
    }

    void cancel_leaves_the_document_alone()
    {
        carina::Document document;
        document.setImage(impulse());
        const void *before = document.image().rawData();
        example::SmoothingController controller(&document);
        QSignalSpy canceled(controller.task(), &carina::TaskRunner::canceled);
        controller.setSigmaMm(8.0);
        controller.apply();
        controller.task()->cancel();
        QVERIFY(canceled.wait(10000));
        QVERIFY(!controller.task()->busy());
        QCOMPARE(document.image().rawData(), before);
        QVERIFY(controller.task()->error().isEmpty()); // a cancel is not an error
    }

    void a_new_study_drops_a_running_smoothing()
    {
        carina::Document document;
        document.setImage(impulse());
        example::SmoothingController controller(&document);
        QSignalSpy finished(controller.task(), &carina::TaskRunner::finished);
        controller.setSigmaMm(8.0);
        controller.apply();
        document.setImage(impulse()); // the user opened another image meanwhile
        QVERIFY(!controller.task()->busy());
        QTest::qWait(500); // long enough for the dropped smoothing to end
        QCOMPARE(finished.count(), 0);
        QCOMPARE(document.image().valueAt(16, 16, 16), 1000.0);
        QVERIFY(document.derivedImageName().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSmoothing)
#include "test_smoothing.moc"
