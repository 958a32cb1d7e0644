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
    }
};

QTEST_MAIN(TestIntensityPanel)
#include "test_intensity_panel.moc"
