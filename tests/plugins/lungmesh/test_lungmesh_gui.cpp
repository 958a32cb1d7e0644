// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The lung mesh tool in the whole shell: open a chest CT, open the tool from its tile, run it, and
// look at the 3D view with the two semi-transparent lungs. CARINA_LUNGMESH_INPUT replaces the
// COVID series of ../shared/data, CARINA_LUNGMESH_OUTPUT the PNG path (the docs' screenshot).
#include "QuickItemSearch.h"
#include "AppController.h"
#include "GuiMain.h"

#include <carina/Document.h>
#include <carina/PluginHost.h>

#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>

#include <cmath>

using carina::test::findItem;
using namespace carina;

namespace {

// Colour spread of a region: a blank 3D view is one flat colour.
double colourVariance(const QImage &image, const QRect &rect)
{
    double sum = 0, sum2 = 0;
    std::size_t n = 0;
    for (int y = rect.top(); y <= rect.bottom(); y += 2)
        for (int x = rect.left(); x <= rect.right(); x += 2) {
            const QRgb p = image.pixel(x, y);
            const double v = qRed(p) + 2.0 * qGreen(p) + 3.0 * qBlue(p);
            sum += v;
            sum2 += v * v;
            ++n;
        }
    const double mean = sum / double(std::max<std::size_t>(n, 1));
    return sum2 / double(std::max<std::size_t>(n, 1)) - mean * mean;
}

} // namespace

class TestLungMeshGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("CarinaTests"));
        configureShellStyle();
    }

    void covid_series_shows_two_lungs_in_3d()
    {
        QString input = qEnvironmentVariable("CARINA_LUNGMESH_INPUT", QStringLiteral("/work/shared/data/ct/ricord1a-every2nd"));
        if (!QFileInfo::exists(input))
            QSKIP(qPrintable(input + QStringLiteral(" not found (the shared real scans are not here)")));

        carina::PluginHost host;
        host.discover();
        AppController controller(&host);
        QQmlApplicationEngine engine;
        QQuickWindow *window = loadShell(engine, controller);
        QVERIFY2(window, "Main.qml did not load");
        window->resize(1280, 800);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        controller.openPath(input);
        QTRY_VERIFY_WITH_TIMEOUT(!controller.busy(), 120000);
        QVERIFY2(controller.lastError().isEmpty(), qPrintable(controller.lastError()));
        carina::Document *document = controller.document();
        QVERIFY(document->hasImage());

        // The tile's action: the panel in the drawer, bound to the plugin's controller.
        QVERIFY(QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, QStringLiteral("lungmesh")),
                                          Q_ARG(QVariant, QStringLiteral("Lung mesh"))));
        QQuickItem *loader = nullptr;
        QTRY_VERIFY((loader = findItem(window->contentItem(), QStringLiteral("pluginPanelLoader"))) != nullptr);
        QTRY_VERIFY(loader->property("item").value<QQuickItem *>() != nullptr);
        QCOMPARE(window->property("errorText").toString(), QString());
        QObject *lungmesh = controller.controllerFor(QStringLiteral("lungmesh"));
        QVERIFY(lungmesh);
        QVERIFY(QMetaObject::invokeMethod(lungmesh, "run"));
        QObject *task = lungmesh->property("task").value<QObject *>();
        QVERIFY(task);
        QTRY_VERIFY_WITH_TIMEOUT(!task->property("busy").toBool(), 300000);
        QVERIFY2(lungmesh->property("hasResult").toBool(), qPrintable(task->property("error").toString()));
        qInfo("right %.0f mL, left %.0f mL, %d triangles", lungmesh->property("rightVolumeMl").toDouble(),
              lungmesh->property("leftVolumeMl").toDouble(), lungmesh->property("triangleCount").toInt());
        QVERIFY(document->findMesh(QStringLiteral("Right lung")) >= 0);
        QVERIFY(document->findMesh(QStringLiteral("Left lung")) >= 0);
        QVERIFY(document->findLayer(QStringLiteral("Lungs")) >= 0);

        // The 3D view large, the lungs semi-transparent (the panel's default opacity 0.3).
        QQuickItem *viewArea = findItem(window->contentItem(), QStringLiteral("viewArea"));
        QVERIFY(viewArea);
        QVERIFY(QMetaObject::invokeMethod(viewArea, "toggleFocus", Q_ARG(QVariant, 3)));
        QQuickItem *pane = findItem(window->contentItem(), QStringLiteral("view3dPane"));
        QVERIFY(pane);
        QTest::qWait(2500);
        const QImage shot = window->grabWindow();
        const QString output = qEnvironmentVariable("CARINA_LUNGMESH_OUTPUT", QStringLiteral(CARINA_BINARY_DIR "/lungmesh_gui.png"));
        QVERIFY2(shot.save(output), qPrintable(output));
        qInfo("screenshot: %s", qPrintable(output));
        const double dpr = shot.devicePixelRatio();
        const QRectF r = pane->mapRectToScene(QRectF(0, 0, pane->width(), pane->height()));
        const QRect pixels(int(r.x() * dpr), int(r.y() * dpr), int(r.width() * dpr), int(r.height() * dpr));
        const double v = colourVariance(shot, pixels.intersected(shot.rect()));
        qInfo("3D view %dx%d px, colour variance %.0f", pixels.width(), pixels.height(), v);
        QVERIFY2(v > 100.0, "the 3D view looks blank");
    }
};

QTEST_MAIN(TestLungMeshGui)
#include "test_lungmesh_gui.moc"
