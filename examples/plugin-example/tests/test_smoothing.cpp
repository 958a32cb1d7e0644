// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Qt Test of the example plugin: the algorithm on plain data, and the controller the panel
// drives, with a real carina::Document, progress and cancel - no plugin loading, no QML.
#include "GaussianSmoothing.h"
#include "SmoothingController.h"

#include <carina/Document.h>
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

    void controller_replaces_the_image_off_the_ui_thread()
    {
        carina::Document document;
        document.setImage(impulse());
        example::SmoothingController controller(&document);
        QSignalSpy finished(&controller, &example::SmoothingController::finished);
        controller.setSigmaMm(2.0);
        controller.apply();
        QVERIFY(controller.busy());
        QVERIFY(finished.wait(10000));
        QVERIFY(!controller.busy());
        QVERIFY(controller.error().isEmpty());
        QCOMPARE(controller.progress(), 1.0);
        QVERIFY(document.image().valueAt(16, 16, 16) < 100.0);
    }

    void controller_reports_the_algorithms_error()
    {
        carina::Document document;
        document.setImage(impulse());
        example::SmoothingController controller(&document);
        QSignalSpy errorChanged(&controller, &example::SmoothingController::errorChanged);
        controller.setSigmaMm(500.0);
        controller.apply();
        QVERIFY(errorChanged.wait(10000));
        QCOMPARE(controller.error(), QStringLiteral("sigma must be between 0 and 100 mm"));
    }

    void controller_without_an_image_says_so()
    {
        carina::Document document;
        example::SmoothingController controller(&document);
        controller.apply();
        QVERIFY(!controller.busy());
        QCOMPARE(controller.error(), QStringLiteral("Open an image first."));
    }

    void cancel_leaves_the_document_alone()
    {
        carina::Document document;
        document.setImage(impulse());
        const void *before = document.image().rawData();
        example::SmoothingController controller(&document);
        controller.setSigmaMm(8.0);
        controller.apply();
        controller.cancel();
        QTRY_VERIFY(!controller.busy());
        QCOMPARE(document.image().rawData(), before);
        QVERIFY(controller.error().isEmpty()); // a cancel is not an error
    }
};

QTEST_GUILESS_MAIN(TestSmoothing)
#include "test_smoothing.moc"
