// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The Intensity panel as the shell gets it: the plugin library loaded by the host, the panel
// created from panelUrl() out of the library's resources, driven by touch.
#include "PanelHarness.h"
#include "QuickItemSearch.h"

#include <QtTest>

#include <cmath>

using namespace carina;

namespace {

using carina::test::findItem;

Volume syntheticCt()
{
    ImageGeometry g;
    g.dims = {16, 16, 4};
    Volume v(VoxelType::Int16, g);
    v.info().units = "HU";
    auto *p = v.data<std::int16_t>();
    for (std::size_t i = 0; i < v.voxelCount(); ++i)
        p[i] = std::int16_t(i % 3 == 0 ? -1000 : (i % 3 == 1 ? 0 : 1000));
    return v;
}

} // namespace

class TestIntensityPanel : public QObject
{
    Q_OBJECT

private slots:
    void panel_loads_from_the_plugin_and_applies_a_touched_preset()
    {
        test::PanelHarness harness;
        QVERIFY2(harness.load(QStringLiteral("intensity"), syntheticCt()), qPrintable(harness.error()));
        QVERIFY2(harness.show(QSize(400, 800)), qPrintable(harness.error()));
        const Document &document = harness.document();
        QObject *controller = harness.controller();
        QQuickItem *panel = harness.panel();
        QTRY_VERIFY(controller->property("hasHistogram").toBool());

        // The window band spans [center - width/2, center + width/2] of the value axis.
        QQuickItem *plot = findItem(panel, QStringLiteral("histogramPlot"));
        QQuickItem *band = findItem(panel, QStringLiteral("rangeTint"));
        QVERIFY(plot && band);
        QTRY_VERIFY(band->isVisible());
        const QList<qreal> edges = controller->property("edges").value<QList<qreal>>();
        const double low = edges.first();
        const double high = edges.last();
        auto xOf = [&](double value) { return (value - low) / (high - low) * plot->width(); };

        // Touch the "Lung" preset.
        QQuickItem *lung = findItem(panel, QStringLiteral("preset_lung"));
        QVERIFY(lung);
        QVERIFY(lung->height() >= 48);
        harness.tap(lung);
        QTRY_COMPARE(document.windowCenter(), -600.0);
        QCOMPARE(document.windowWidth(), 1500.0);
        QTRY_VERIFY(std::abs(band->x() - xOf(-1350.0)) < 1.0 || (xOf(-1350.0) < 0 && band->x() == 0));
        QTRY_VERIFY(std::abs(band->x() + band->width() - xOf(150.0)) < 1.0);

        // Drag the window's upper end on the plot, by touch: the window follows the finger and
        // the label names level and width.
        harness.tap(findItem(panel, QStringLiteral("preset_full")));
        QTRY_COMPARE(document.windowWidth(), 2000.0);
        harness.drag(plot, QPointF(plot->width() - 2, plot->height() / 2), QPointF(xOf(500.0), plot->height() / 2));
        QTRY_VERIFY2(std::abs(document.windowCenter() + document.windowWidth() / 2 - 500.0) < 40.0,
                     qPrintable(QStringLiteral("level %1 width %2").arg(document.windowCenter()).arg(document.windowWidth())));
        QVERIFY(std::abs(document.windowCenter() - document.windowWidth() / 2 + 1000.0) < 1.0); // the low end stays
        QQuickItem *label = findItem(panel, QStringLiteral("windowLabel"));
        QVERIFY(label);
        QVERIFY2(label->property("text").toString().contains(QStringLiteral("Level"))
                     && label->property("text").toString().contains(QStringLiteral("width")),
                 qPrintable(label->property("text").toString()));
    }

    // Radiology's HU windows make an MR or a micrograph white: such images get percentile and
    // full-range buttons only.
    void an_mr_gets_percentile_presets_not_hu_windows()
    {
        ImageGeometry g;
        g.dims = {10, 10, 10};
        Volume mr(VoxelType::UInt16, g);
        mr.info().modality = "MR";
        auto *p = mr.data<std::uint16_t>();
        for (std::size_t i = 0; i < mr.voxelCount(); ++i)
            p[i] = std::uint16_t(i); // 0..999
        test::PanelHarness harness;
        QVERIFY2(harness.load(QStringLiteral("intensity"), mr), qPrintable(harness.error()));
        QVERIFY2(harness.show(QSize(400, 800)), qPrintable(harness.error()));
        QQuickItem *panel = harness.panel();
        QTRY_VERIFY(harness.controller()->property("hasHistogram").toBool());
        QVERIFY(!findItem(panel, QStringLiteral("preset_lung")));
        QVERIFY(!findItem(panel, QStringLiteral("preset_brain")));
        QQuickItem *percentile = findItem(panel, QStringLiteral("preset_percentile"));
        QVERIFY(percentile);
        harness.tap(percentile);
        // The 1st and 99th percentiles of 0..999 (every voxel sampled): 9 and 989.
        QTRY_COMPARE(harness.document().windowCenter(), 499.0);
        QCOMPARE(harness.document().windowWidth(), 980.0);
    }
};

QTEST_MAIN(TestIntensityPanel)
#include "test_intensity_panel.moc"
