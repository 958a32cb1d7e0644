// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Starts the shell as the app does, opens the bundled sample and checks that the three slice
// views show an image. Saves the screenshots to the build folder.
//
// CARINA_SMOKE_INPUT (a file or folder) replaces the sample, CARINA_SMOKE_SIZE ("800x1280")
// the window size, CARINA_SMOKE_OUTPUT the PNG path: the same test makes the docs' screenshots.
#include "QuickItemSearch.h"
#include "ShellHarness.h"
#include "AppController.h"
#include "GuiMain.h"
#include "SliceView.h"

#include <carina/Document.h>
#include <carina/LabelVolume.h>
#include <carina/PluginHost.h>

#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QQuickItem>
#include <QSettings>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace carina;

namespace {

using carina::test::findItem;

// Grey-level variance of a rectangle: 0 for a blank (uniform) view.
double variance(const QImage &image, const QRect &rect)
{
    const QRect r = rect.intersected(image.rect());
    double sum = 0.0, sum2 = 0.0;
    std::size_t n = 0;
    for (int y = r.top(); y <= r.bottom(); y += 2)
        for (int x = r.left(); x <= r.right(); x += 2) {
            const double g = qGray(image.pixel(x, y));
            sum += g;
            sum2 += g * g;
            ++n;
        }
    if (n == 0)
        return 0.0;
    const double mean = sum / double(n);
    return sum2 / double(n) - mean * mean;
}

} // namespace

class TestGuiSmoke : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        test::useTestFolders(m_home, QStringLiteral("smoke"));
        QCoreApplication::setOrganizationName(QStringLiteral("CarinaTests"));
        configureShellStyle();
    }

    // Window lists, task bars and shared screens show the title; DICOM folders are often named
    // after the patient (issue 18.6).
    void window_title_names_what_the_image_is_not_where_it_came_from()
    {
        const QString sample = findBundledSample();
        if (sample.isEmpty())
            QSKIP("the bundled sample (data/sample/lungpetctdx-a0002) is missing");
        const QString folder = m_home.filePath(QStringLiteral("DOE^JOHN 19450101"));
        QVERIFY(QDir().mkpath(folder));
        for (const QFileInfo &file : QDir(sample).entryInfoList(QDir::Files))
            QVERIFY(QFile::copy(file.absoluteFilePath(), folder + QLatin1Char('/') + file.fileName()));
        test::ShellHarness shell;
        QVERIFY2(shell.start(QSize(1280, 800)), qPrintable(shell.error()));
        QVERIFY2(shell.open(folder), qPrintable(shell.error()));
        const QString title = shell.window()->title();
        QVERIFY2(!title.contains(QLatin1String("DOE")) && !title.contains(QLatin1String("1945")), qPrintable(title));
        QVERIFY2(title.startsWith(QLatin1String("CT")) && title.contains(QLatin1String("512 x 512 x")), qPrintable(title));

        // Recent files can be switched off: the list empties and stays empty.
        AppController &controller = shell.controller();
        QVERIFY(controller.recentFiles().contains(folder));
        controller.setRememberRecent(false);
        QVERIFY(controller.recentFiles().isEmpty());
        QVERIFY2(shell.open(folder), qPrintable(shell.error()));
        QVERIFY(controller.recentFiles().isEmpty());
        QVERIFY(QSettings().value(QStringLiteral("recentFiles")).toStringList().isEmpty());
        controller.setRememberRecent(true);
    }

    void shell_shows_the_sample_in_three_slice_views()
    {
        QString input = qEnvironmentVariable("CARINA_SMOKE_INPUT");
        if (input.isEmpty())
            input = findBundledSample();
        if (input.isEmpty())
            QSKIP("the bundled sample (data/sample/lungpetctdx-a0002) is missing");

        const QStringList size = qEnvironmentVariable("CARINA_SMOKE_SIZE", QStringLiteral("1280x800")).split(u'x');
        QCOMPARE(size.size(), 2);
        test::ShellHarness shell;
        QVERIFY2(shell.start(QSize(size[0].toInt(), size[1].toInt())), qPrintable(shell.error()));
        QVERIFY2(shell.open(input), qPrintable(shell.error()));
        AppController &controller = shell.controller();
        QQuickWindow *window = shell.window();
        if (!qEnvironmentVariableIsEmpty("CARINA_SMOKE_WINDOW")) {
            const QStringList w = qEnvironmentVariable("CARINA_SMOKE_WINDOW").split(u',');
            controller.document()->setWindow(w.value(0).toDouble(), w.value(1).toDouble());
        }

        const char *panes[] = {"axialPane", "coronalPane", "sagittalPane"};
        for (const char *name : panes) {
            auto *pane = findItem(window->contentItem(), QLatin1String(name));
            QVERIFY2(pane, name);
            auto *view = pane->findChild<SliceView *>();
            QVERIFY(view);
            QTRY_VERIFY(view->renderCount() > 0);
        }
        // Let the scene graph upload the textures and draw.
        QTest::qWait(800);
        const QImage shot = window->grabWindow();
        QVERIFY(!shot.isNull());
        const QString output = qEnvironmentVariable("CARINA_SMOKE_OUTPUT",
                                                    QStringLiteral(CARINA_BINARY_DIR "/gui_smoke.png"));
        QVERIFY2(shot.save(output), qPrintable(output));
        qInfo("screenshot: %s", qPrintable(output));

        const double dpr = shot.devicePixelRatio();
        for (const char *name : panes) {
            auto *pane = findItem(window->contentItem(), QLatin1String(name));
            auto *view = pane->findChild<SliceView *>();
            const QRectF sceneRect = view->mapRectToScene(view->imageRect()).intersected(
                pane->mapRectToScene(QRectF(0, 0, pane->width(), pane->height())));
            const QRect pixels(int(sceneRect.x() * dpr), int(sceneRect.y() * dpr), int(sceneRect.width() * dpr),
                               int(sceneRect.height() * dpr));
            QVERIFY2(pixels.width() > 50 && pixels.height() > 50, name);
            const double v = variance(shot, pixels);
            qInfo("%s: %dx%d px, grey variance %.0f, render %.2f ms", name, pixels.width(), pixels.height(), v,
                  view->lastRenderMs());
            QVERIFY2(v > 100.0, qPrintable(QStringLiteral("%1 looks blank (variance %2)").arg(QLatin1String(name)).arg(v)));
        }

        // The plugin contract end to end in the GUI: a tile opens the plugin's own QML panel,
        // bound to its controller, in the side drawer.
        QVERIFY(QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, QStringLiteral("intensity")),
                                          Q_ARG(QVariant, QStringLiteral("Intensity"))));
        QQuickItem *loader = nullptr;
        QTRY_VERIFY((loader = findItem(window->contentItem(), QStringLiteral("pluginPanelLoader"))) != nullptr);
        QTRY_VERIFY(loader->property("item").value<QQuickItem *>() != nullptr);
        QCOMPARE(window->property("errorText").toString(), QString());
        QTest::qWait(800);
        const QString panelShot = QString(output).replace(QStringLiteral(".png"), QStringLiteral("-plugin.png"));
        QVERIFY(window->grabWindow().save(panelShot));
        qInfo("screenshot with the plugin panel: %s", qPrintable(panelShot));

        // A label layer shows as an overlay and appears in the Layers popup, whose controls
        // follow the document.
        carina::Document *doc = controller.document();
        auto labels = std::make_shared<carina::LabelVolume>(doc->image().geometry());
        const QVector3D c = doc->cursorIndex();
        for (int k = 0; k < labels->dims()[2]; ++k)
            for (int j = int(c.y()) - 40; j < int(c.y()) + 40; ++j)
                for (int i = int(c.x()) - 60; i < int(c.x()) + 60; ++i)
                    labels->set(i, j, k, 1);
        doc->addLayer(QStringLiteral("test block"), labels, 0.5);
        auto *popup = window->findChild<QObject *>(QStringLiteral("layersPopup"));
        QVERIFY(popup);
        QVERIFY(QMetaObject::invokeMethod(popup, "open"));
        QQuickItem *popupContent = nullptr;
        QTRY_VERIFY((popupContent = popup->property("contentItem").value<QQuickItem *>()) != nullptr);
        QQuickItem *row = nullptr;
        QTRY_VERIFY((row = findItem(popupContent, QStringLiteral("layerRow0"))) != nullptr);
        QQuickItem *opacitySlider = findItem(row, QStringLiteral("layerOpacity"));
        QVERIFY(opacitySlider);
        QCOMPARE(opacitySlider->property("value").toDouble(), 0.5);
        doc->setLayerOpacity(0, 0.8);
        QTRY_COMPARE(opacitySlider->property("value").toDouble(), 0.8);
        QTest::qWait(500);
        const QString layersShot = QString(output).replace(QStringLiteral(".png"), QStringLiteral("-layers.png"));
        QVERIFY(window->grabWindow().save(layersShot));
        qInfo("screenshot with a label layer: %s", qPrintable(layersShot));
    }
};

QTEST_MAIN(TestGuiSmoke)
#include "test_gui_smoke.moc"
