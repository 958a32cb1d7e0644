// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The trainable segmentation panel in the shell on cells_512: opening the panel hands the Draw
// tools' strokes to the plugin; strokes of three classes (the anchor's scribbles, submitted as
// the tools submit them) give a segmentation overlay with accuracy >= 0.9 against the ground
// truth; a second stroke updates it. Saves the screenshot (scribbles + overlay + uncertainty)
// to CARINA_TRAINABLE_SHOT (default: the build folder); docs/screenshot-trainable.png is one.
#include "AppController.h"
#include "GuiMain.h"
#include "QuickItemSearch.h"
#include "ShellHarness.h"

#include <carina/Document.h>
#include <carina/TaskRunner.h>
#include <carina/io/Npy.h>

#include <QImage>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <filesystem>

using namespace carina;
using carina::test::findItem;

namespace {

std::string anchorData()
{
    const char *env = std::getenv("CARINA_ANCHOR_DATA");
    return env && *env ? std::string(env) : std::string("/tmp/carina-anchor-data");
}

DrawnShape strokeOf(const Volume &scribbles, std::uint8_t value)
{
    DrawnShape s;
    s.kind = DrawnShape::Kind::Brush;
    s.widthMm = 3.0;
    s.label = value;
    for (std::size_t i = 0; i < scribbles.voxelCount(); ++i)
        if (scribbles.data<std::uint8_t>()[i] == value)
            s.voxels.push_back(i);
    return s;
}

} // namespace

class TestTrainableGui : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("CarinaTests"));
        configureShellStyle();
    }

    void scribbles_give_an_overlay_and_a_second_stroke_updates_it()
    {
        const std::string d = anchorData();
        if (!std::filesystem::exists(d + "/cells_512.npy"))
            QSKIP("anchor data missing: run ../shared/anchors/gen_data.py (CARINA_ANCHOR_DATA)");
        const Volume cells = io::readNpyVolume(d + "/cells_512.npy");
        const Volume scribbles = io::readNpyVolume(d + "/cells_512_scribbles.npy");
        const Volume gt = io::readNpyVolume(d + "/cells_512_gt.npy");
        // The image as a user has it: a PNG.
        QImage png(cells.data<std::uint8_t>(), 512, 512, 512, QImage::Format_Grayscale8);
        const QString path = m_home.filePath(QStringLiteral("cells_512.png"));
        QVERIFY(png.save(path));

        test::useTestFolders(m_home, QStringLiteral("trainable"));
        test::ShellHarness shell;
        QVERIFY2(shell.start(QSize(1280, 800)), qPrintable(shell.error()));
        QVERIFY2(shell.open(path), qPrintable(shell.error()));
        QQuickWindow *window = shell.window();
        AppController &app = shell.controller();
        QVERIFY(QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, QStringLiteral("trainable")),
                                          Q_ARG(QVariant, QStringLiteral("Trainable segmentation"))));
        QQuickItem *loader = nullptr;
        QTRY_VERIFY((loader = findItem(window->contentItem(), QStringLiteral("pluginPanelLoader"))) != nullptr);
        QTRY_VERIFY(loader->property("item").value<QQuickItem *>() != nullptr);
        QObject *controller = app.controllerFor(QStringLiteral("trainable"));
        QVERIFY(controller);
        Document *document = app.document();
        QTRY_COMPARE(document->shapeConsumer(), QStringLiteral("trainable")); // the panel claims the strokes

        for (std::uint8_t c = 1; c <= 3; ++c) {
            controller->setProperty("activeClass", int(c));
            document->submitShape(strokeOf(scribbles, c));
        }
        auto *task = controller->property("task").value<TaskRunner *>();
        QTRY_VERIFY_WITH_TIMEOUT(controller->property("trained").toBool() && !task->busy(), 60000);
        const int seg = document->findLayer(QStringLiteral("Segmentation"));
        QVERIFY(seg >= 0);
        auto accuracy = [&] {
            const LabelVolume &labels = *document->layer(seg).labels;
            std::size_t right = 0;
            for (std::size_t i = 0; i < labels.voxelCount(); ++i)
                right += labels.data()[i] == gt.data<std::uint8_t>()[i];
            return double(right) / double(labels.voxelCount());
        };
        const double first = accuracy();
        QVERIFY2(first >= 0.9, qPrintable(QString::number(first)));

        // A second stroke (nucleus, from the ground truth's nuclei on a few rows) updates it.
        const quint64 before = controller->property("predictions").toULongLong();
        DrawnShape more;
        more.kind = DrawnShape::Kind::Brush;
        for (std::size_t i = 0; i < gt.voxelCount() && more.voxels.size() < 200; i += 7)
            if (gt.data<std::uint8_t>()[i] == 3 && scribbles.data<std::uint8_t>()[i] == 0)
                more.voxels.push_back(i);
        controller->setProperty("activeClass", 3);
        document->submitShape(more);
        QTRY_VERIFY_WITH_TIMEOUT(controller->property("predictions").toULongLong() > before && !task->busy(), 60000);
        QVERIFY2(accuracy() >= 0.9, qPrintable(QString::number(accuracy())));

        controller->setProperty("showUncertainty", true);
        controller->setProperty("opacity", 0.35);
        // The axial view alone, as a user looks at a 2D image.
        if (QQuickItem *area = findItem(window->contentItem(), QStringLiteral("viewArea")))
            QMetaObject::invokeMethod(area, "toggleFocus", Q_ARG(QVariant, 0));
        QTest::qWait(1200);
        const QString shot = qEnvironmentVariable("CARINA_TRAINABLE_SHOT", QStringLiteral(CARINA_BINARY_DIR "/trainable-gui.png"));
        QVERIFY2(window->grabWindow().save(shot), qPrintable(shot));
        qInfo("accuracy %.4f then %.4f; screenshot: %s", first, accuracy(), qPrintable(shot));
    }
};

QTEST_MAIN(TestTrainableGui)
#include "test_trainable_gui.moc"
