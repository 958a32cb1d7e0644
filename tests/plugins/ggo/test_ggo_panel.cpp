// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The GGO panel as the shell gets it: the plugin library loaded by the host, the panel created
// from panelUrl() out of the library's resources, driven by touch.
#include "PanelHarness.h"
#include "QuickItemSearch.h"
#include "SyntheticGgo.h"

#include <carina/edit/DrawnShape.h>

#include <QtTest>

#include <cmath>

using namespace carina;
using carina::test::findItem;

class TestGgoPanel : public QObject
{
    Q_OBJECT

private slots:
    void a_region_by_touch_then_the_lesion_by_touch()
    {
        test::PanelHarness harness;
        QVERIFY2(harness.load(QStringLiteral("ggo"), test::syntheticGgoCt()), qPrintable(harness.error()));
        QVERIFY2(harness.show(QSize(420, 1400)), qPrintable(harness.error()));
        Document &document = harness.document();
        QObject *controller = harness.controller();
        QQuickItem *panel = harness.panel();

        // Nothing to run before there is a region.
        QQuickItem *run = findItem(panel, QStringLiteral("runButton"));
        QVERIFY(run);
        QVERIFY(run->height() >= 48);
        QVERIFY(!run->isEnabled());

        // "Outline on the images" claims the drawing tools' shapes.
        QQuickItem *draw = findItem(panel, QStringLiteral("drawSwitch"));
        QVERIFY(draw && draw->isEnabled());
        harness.tap(draw);
        QTRY_COMPARE(document.shapeConsumer(), QStringLiteral("ggo"));

        // A box around the cursor, by touch: the histogram appears with the range marked.
        document.setCursorIndex(QVector3D(40, 40, 20));
        QQuickItem *box = findItem(panel, QStringLiteral("cursorBoxButton"));
        QVERIFY(box);
        harness.tap(box);
        QTRY_VERIFY(controller->property("hasRegion").toBool());
        QQuickItem *plot = findItem(panel, QStringLiteral("histogramPlot"));
        QTRY_VERIFY(plot && plot->isVisible());
        QQuickItem *band = findItem(panel, QStringLiteral("rangeTint"));
        QVERIFY(band && band->width() > 2);

        // The range's low end dragged on the histogram itself, by a finger: the controller follows.
        QTRY_COMPARE(plot->width(), plot->parentItem()->width()); // laid out in the column
        const double lowBefore = controller->property("lowHu").toDouble();
        const double min = plot->property("minimum").toDouble();
        const double max = plot->property("maximum").toDouble();
        const auto xOf = [&](double hu) { return (hu - min) / (max - min) * plot->width(); };
        const double target = lowBefore - 0.1 * (max - min);
        harness.drag(plot, QPointF(xOf(lowBefore), plot->height() / 2), QPointF(xOf(target), plot->height() / 2));
        QTRY_VERIFY2(std::abs(controller->property("lowHu").toDouble() - target) < 0.02 * (max - min),
                     qPrintable(QStringLiteral("lowHu %1, dragged to %2").arg(controller->property("lowHu").toDouble()).arg(target)));
        QCOMPARE(controller->property("highHu").toDouble(), -300.0);
        QVERIFY(findItem(panel, QStringLiteral("rangeText"))->property("text").toString().contains(QStringLiteral("HU")));

        QTRY_VERIFY(run->isEnabled());
        harness.tap(run);
        QTRY_VERIFY_WITH_TIMEOUT(controller->property("hasResult").toBool(), 60000);
        QQuickItem *volume = findItem(panel, QStringLiteral("volumeLabel"));
        QVERIFY(volume);
        QTRY_VERIFY(volume->isVisible());
        const QString expected = QString::number(double(test::ballVoxelsAfterMedian(6)) / 1000.0, 'f', 2);
        QVERIFY2(volume->property("text").toString().contains(expected), qPrintable(volume->property("text").toString()));
        QVERIFY(document.findLayer(QStringLiteral("GGO")) >= 0);
        QVERIFY(findItem(panel, QStringLiteral("exportButton"))->isVisible());

        // Off again: the tools paint.
        harness.tap(draw);
        QTRY_VERIFY(document.shapeConsumer().isEmpty());
    }

    // The live workflow by touch: the lesion without a button, the presets, the histogram's
    // scale, every piece above a size, the figures, outlines cleared by their chips.
    void live_options_and_figures_by_touch()
    {
        test::PanelHarness harness;
        QVERIFY2(harness.load(QStringLiteral("ggo"), test::syntheticGgoCt()), qPrintable(harness.error()));
        QVERIFY2(harness.show(QSize(420, 1800)), qPrintable(harness.error()));
        Document &document = harness.document();
        QObject *controller = harness.controller();
        QQuickItem *panel = harness.panel();

        document.setCursorIndex(QVector3D(30, 30, 20));
        harness.tap(findItem(panel, QStringLiteral("cursorBoxButton"))); // 50 mm: both balls
        QTRY_VERIFY_WITH_TIMEOUT(controller->property("hasResult").toBool(), 30000);
        QQuickItem *volume = findItem(panel, QStringLiteral("volumeLabel"));
        const QString large = QString::number(double(test::ballVoxelsAfterMedian(6)) / 1000.0, 'f', 2);
        QTRY_VERIFY2(volume->property("text").toString().contains(large), qPrintable(volume->property("text").toString()));
        QTRY_VERIFY(findItem(panel, QStringLiteral("piecesLabel"))->property("text").toString().contains(QStringLiteral("1 kept of 2")));

        // Consolidation: nothing in these balls; explained, and the lesion goes.
        QQuickItem *consolidation = findItem(panel, QStringLiteral("consolidationPresetButton"));
        QVERIFY(consolidation && consolidation->height() >= 48);
        harness.tap(consolidation);
        QTRY_COMPARE(controller->property("highHu").toDouble(), 50.0);
        QTRY_VERIFY(!controller->property("hasResult").toBool());
        QTRY_VERIFY(findItem(panel, QStringLiteral("errorLabel"))->property("text").toString().contains(QStringLiteral("No voxel")));
        harness.tap(findItem(panel, QStringLiteral("ggoPresetButton")));
        QTRY_VERIFY(controller->property("hasResult").toBool());

        // The low handle dragged by a finger up to the lesions' -550 HU (the low end is
        // exclusive): the lesion goes at once, no button; dragged back, it returns.
        QQuickItem *plot = findItem(panel, QStringLiteral("histogramPlot"));
        QTRY_COMPARE(plot->width(), plot->parentItem()->width());
        const double min = plot->property("minimum").toDouble(), max = plot->property("maximum").toDouble();
        const auto xOf = [&](double hu) { return (hu - min) / (max - min) * plot->width(); };
        const double y = plot->height() / 2;
        harness.drag(plot, QPointF(xOf(-700), y), QPointF(plot->width() + 20, y)); // past the edge: the maximum
        QTRY_VERIFY(controller->property("lowHu").toDouble() >= -552);
        QTRY_VERIFY(!controller->property("hasResult").toBool());
        harness.drag(plot, QPointF(std::min(xOf(controller->property("lowHu").toDouble()), plot->width() - 2), y), QPointF(xOf(-700), y));
        QTRY_VERIFY(controller->property("lowHu").toDouble() < -650);
        QTRY_VERIFY(controller->property("hasResult").toBool());
        QTRY_VERIFY(volume->property("text").toString().contains(large));

        // Log and linear counts.
        QCOMPARE(plot->property("scale").toString(), QStringLiteral("log"));
        harness.tap(findItem(panel, QStringLiteral("linearButton")));
        QTRY_COMPARE(plot->property("scale").toString(), QStringLiteral("linear"));

        // Every piece: both balls.
        harness.tap(findItem(panel, QStringLiteral("largestSwitch")));
        QTRY_VERIFY(!controller->property("keepLargest").toBool());
        QVERIFY(findItem(panel, QStringLiteral("minPieceField"))->isVisible());
        QTRY_VERIFY(findItem(panel, QStringLiteral("piecesLabel"))->property("text").toString().contains(QStringLiteral("2 kept of 2")));

        // Two outlines, one cleared by its chip.
        controller->setProperty("drawing", true);
        for (int slice : {16, 24}) {
            DrawnShape r;
            r.kind = DrawnShape::Kind::Rectangle;
            r.plane = algo::SlicePlane::Axial;
            r.slice = slice;
            r.points = {Eigen::Vector3d(32, 32, slice), Eigen::Vector3d(48, 48, slice)};
            document.submitShape(r);
        }
        QCOMPARE(controller->property("outlineSlices").toList().size(), 2);
        QQuickItem *chip = nullptr;
        QTRY_VERIFY((chip = findItem(panel, QStringLiteral("outlineChip24"))) && chip->isVisible());
        harness.tap(chip);
        QTRY_COMPARE(controller->property("outlineSlices").toList().size(), 1);
    }

    // The slab's depth is on the panel: typed, it moves the outline's slices (and the region's
    // layer with them), and the region text says how deep the region is.
    void the_depth_is_a_field_and_moves_the_slices()
    {
        test::PanelHarness harness;
        QVERIFY2(harness.load(QStringLiteral("ggo"), test::syntheticGgoCt()), qPrintable(harness.error()));
        QVERIFY2(harness.show(QSize(420, 1400)), qPrintable(harness.error()));
        Document &document = harness.document();
        QObject *controller = harness.controller();
        QQuickItem *panel = harness.panel();

        QQuickItem *depth = findItem(panel, QStringLiteral("depthField"));
        QVERIFY(depth && depth->isVisible());
        QCOMPARE(depth->property("value").toDouble(), 20.0);
        QQuickItem *input = findItem(depth, QStringLiteral("numberInput"));
        QVERIFY(input && input->height() >= 48);

        // An axial outline handed over by the tools: slices 1-40 of the 40 at 20 mm.
        controller->setProperty("drawing", true);
        DrawnShape rectangle;
        rectangle.kind = DrawnShape::Kind::Rectangle;
        rectangle.plane = algo::SlicePlane::Axial;
        rectangle.slice = 20;
        rectangle.points = {Eigen::Vector3d(30, 30, 20), Eigen::Vector3d(50, 50, 20)};
        document.submitShape(rectangle);
        QTRY_VERIFY(controller->property("hasRegion").toBool());
        QCOMPARE(controller->property("firstSlice").toInt(), 0);
        QVERIFY(document.findLayer(QStringLiteral("GGO region")) >= 0);

        // 5 mm typed in the field: slices 16-26 (1-based), 11 mm.
        harness.tap(input);
        QTRY_VERIFY(input->hasActiveFocus());
        QMetaObject::invokeMethod(input, "selectAll");
        QTest::keyClick(&harness.window(), Qt::Key_5);
        QTest::keyClick(&harness.window(), Qt::Key_Return);
        QTRY_COMPARE(controller->property("halfDepthMm").toDouble(), 5.0);
        QCOMPARE(controller->property("firstSlice").toInt(), 15);
        QCOMPARE(controller->property("lastSlice").toInt(), 25);
        QCOMPARE(findItem(panel, QStringLiteral("firstSliceSpin"))->property("value").toInt(), 16);
        QCOMPARE(findItem(panel, QStringLiteral("lastSliceSpin"))->property("value").toInt(), 26);
        const QString text = findItem(panel, QStringLiteral("regionLabel"))->property("text").toString();
        QVERIFY2(text.contains(QStringLiteral("11 slices, 11 mm")), qPrintable(text));
        const LabelVolume &region = *document.layer(document.findLayer(QStringLiteral("GGO region"))).labels;
        QVERIFY(region.at(40, 40, 15) != 0 && region.at(40, 40, 14) == 0 && region.at(40, 40, 26) == 0);

        // The controller's value shows in the field.
        controller->setProperty("halfDepthMm", 12.0);
        QTRY_COMPARE(depth->property("value").toDouble(), 12.0);
    }
};

QTEST_MAIN(TestGgoPanel)
#include "test_ggo_panel.moc"
