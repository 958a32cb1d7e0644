// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The Lung mesh panel as the shell gets it: the plugin library loaded by the host, the panel
// created from panelUrl() out of the library's resources, driven by touch.
#include "QuickItemSearch.h"
#include "SyntheticChest.h"

#include <carina/Document.h>
#include <carina/PluginHost.h>

#include <QPointingDevice>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QtTest>

#include <memory>

using namespace carina;

namespace {

using carina::test::findItem;

void tap(QQuickWindow &window, QPointingDevice *touch, QQuickItem *item)
{
    const QPoint centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint();
    QTest::touchEvent(&window, touch).press(0, centre, &window);
    QTest::touchEvent(&window, touch).release(0, centre, &window);
}

} // namespace

class TestLungMeshPanel : public QObject
{
    Q_OBJECT

private slots:
    void panel_runs_and_toggles_a_lung_by_touch()
    {
        PluginHost host;
        host.discover({QStringLiteral(CARINA_PLUGIN_OUTPUT_DIR)});
        const PluginRecord *record = host.find(QStringLiteral("lungmesh"));
        QVERIFY2(record && record->plugin, "lungmesh plugin not loaded");

        Document document;
        document.setImage(test::syntheticChest());
        QObject *controller = record->plugin->createController(&document, &document);
        QVERIFY(controller);
        controller->setProperty("targetTriangles", 3000);

        QQmlEngine engine;
        QQmlComponent component(&engine, record->plugin->panelUrl());
        QVERIFY2(component.isReady(), qPrintable(component.errorString()));
        std::unique_ptr<QObject> object(component.createWithInitialProperties(
            {{QStringLiteral("controller"), QVariant::fromValue(controller)},
             {QStringLiteral("document"), QVariant::fromValue(static_cast<QObject *>(&document))}}));
        QVERIFY2(object, qPrintable(component.errorString()));
        auto *panel = qobject_cast<QQuickItem *>(object.get());
        QVERIFY(panel);

        QQuickWindow window;
        window.resize(420, 1400);
        panel->setParentItem(window.contentItem());
        panel->setSize(QSizeF(420, 1400));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        std::unique_ptr<QPointingDevice> touch(QTest::createTouchDevice());

        QQuickItem *run = findItem(panel, QStringLiteral("runButton"));
        QVERIFY(run);
        QVERIFY(run->height() >= 48);
        QTRY_VERIFY(run->isEnabled());
        tap(window, touch.get(), run);
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
        tap(window, touch.get(), leftSwitch);
        QTRY_VERIFY(!controller->property("leftVisible").toBool());
        QVERIFY(!document.mesh(document.findMesh(QStringLiteral("Left lung")))->visible);

        // A swatch recolours the right lung.
        QQuickItem *swatch = findItem(panel, QStringLiteral("rightSwatch4"));
        QVERIFY(swatch);
        tap(window, touch.get(), swatch);
        QTRY_COMPARE(controller->property("rightColour").value<QColor>(), QColor(QStringLiteral("#4aa3df")));

        // The masked CT switch swaps the displayed voxels.
        QQuickItem *masked = findItem(panel, QStringLiteral("maskedCtSwitch"));
        QVERIFY(masked && masked->isEnabled());
        tap(window, touch.get(), masked);
        QTRY_COMPARE(document.derivedImageName(), QStringLiteral("Masked CT"));
    }

    void panel_shows_a_refusal()
    {
        PluginHost host;
        host.discover({QStringLiteral(CARINA_PLUGIN_OUTPUT_DIR)});
        const PluginRecord *record = host.find(QStringLiteral("lungmesh"));
        QVERIFY(record && record->plugin);
        Document document;
        document.setImage(test::syntheticChest(false));
        QObject *controller = record->plugin->createController(&document, &document);
        QQmlEngine engine;
        QQmlComponent component(&engine, record->plugin->panelUrl());
        std::unique_ptr<QObject> object(component.createWithInitialProperties(
            {{QStringLiteral("controller"), QVariant::fromValue(controller)},
             {QStringLiteral("document"), QVariant::fromValue(static_cast<QObject *>(&document))}}));
        auto *panel = qobject_cast<QQuickItem *>(object.get());
        QVERIFY(panel);
        QQuickWindow window;
        window.resize(420, 900);
        panel->setParentItem(window.contentItem());
        panel->setSize(QSizeF(420, 900));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        std::unique_ptr<QPointingDevice> touch(QTest::createTouchDevice());
        tap(window, touch.get(), findItem(panel, QStringLiteral("runButton")));
        QQuickItem *error = findItem(panel, QStringLiteral("errorLabel"));
        QVERIFY(error);
        QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), 30000);
        QVERIFY(error->property("text").toString().contains(QLatin1String("no air-filled lung region found")));
    }
};

QTEST_MAIN(TestLungMeshPanel)
#include "test_lungmesh_panel.moc"
