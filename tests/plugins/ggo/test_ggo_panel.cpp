// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The GGO panel as the shell gets it: the plugin library loaded by the host, the panel created
// from panelUrl() out of the library's resources, driven by touch.
#include "PanelHarness.h"
#include "QuickItemSearch.h"
#include "SyntheticGgo.h"

#include <QtTest>

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
        QQuickItem *band = findItem(panel, QStringLiteral("rangeBand"));
        QVERIFY(band && band->width() > 2);

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
};

QTEST_MAIN(TestGgoPanel)
#include "test_ggo_panel.moc"
