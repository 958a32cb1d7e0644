// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The Lung mesh panel as the shell gets it: the plugin library loaded by the host, the panel
// created from panelUrl() out of the library's resources, driven by touch.
#include "PanelHarness.h"
#include "QuickItemSearch.h"
#include "SyntheticChest.h"

#include <QtTest>

using namespace carina;
using carina::test::findItem;

class TestLungMeshPanel : public QObject
{
    Q_OBJECT

private slots:
    void panel_runs_and_toggles_a_lung_by_touch()
    {
        test::PanelHarness harness;
        QVERIFY2(harness.load(QStringLiteral("lungmesh"), test::syntheticChest()), qPrintable(harness.error()));
        QObject *controller = harness.controller();
        controller->setProperty("targetTriangles", 3000);
        QVERIFY2(harness.show(QSize(420, 1400)), qPrintable(harness.error()));
        Document &document = harness.document();
        QQuickItem *panel = harness.panel();

        QQuickItem *run = findItem(panel, QStringLiteral("runButton"));
        QVERIFY(run);
        QVERIFY(run->height() >= 48);
        QTRY_VERIFY(run->isEnabled());
        harness.tap(run);
        QTRY_VERIFY_WITH_TIMEOUT(controller->property("hasResult").toBool(), 60000);

        // The figures show the volumes.
        QQuickItem *right = findItem(panel, QStringLiteral("rightVolume"));
        QVERIFY(right);
        QTRY_VERIFY(right->property("text").toString().contains(QLatin1String("mL")));
        QVERIFY(findItem(panel, QStringLiteral("figures"))->isVisible());

        // Hide the left lung with a finger.
        QQuickItem *leftSwitch = findItem(panel, QStringLiteral("leftVisible"));
        QVERIFY(leftSwitch);
        QVERIFY(leftSwitch->height() >= 48);
        harness.tap(leftSwitch);
        QTRY_VERIFY(!controller->property("leftVisible").toBool());
        QVERIFY(!document.mesh(document.findMesh(QStringLiteral("Left lung")))->visible);

        // A swatch recolours the right lung.
        QQuickItem *swatch = findItem(panel, QStringLiteral("rightSwatch4"));
        QVERIFY(swatch);
        harness.tap(swatch);
        QTRY_COMPARE(controller->property("rightColour").value<QColor>(), QColor(QStringLiteral("#4aa3df")));

        // The masked CT switch swaps the displayed voxels.
        QQuickItem *masked = findItem(panel, QStringLiteral("maskedCtSwitch"));
        QVERIFY(masked && masked->isEnabled());
        harness.tap(masked);
        QTRY_COMPARE(document.derivedImageName(), QStringLiteral("Masked CT"));
    }

    void panel_shows_a_refusal()
    {
        test::PanelHarness harness;
        QVERIFY2(harness.load(QStringLiteral("lungmesh"), test::syntheticChest(false)), qPrintable(harness.error()));
        QVERIFY2(harness.show(QSize(420, 900)), qPrintable(harness.error()));
        QQuickItem *panel = harness.panel();
        harness.tap(findItem(panel, QStringLiteral("runButton")));
        QQuickItem *error = findItem(panel, QStringLiteral("errorLabel"));
        QVERIFY(error);
        QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), 30000);
        QVERIFY(error->property("text").toString().contains(QLatin1String("no air-filled lung region found")));
    }
};

QTEST_MAIN(TestLungMeshPanel)
#include "test_lungmesh_panel.moc"
