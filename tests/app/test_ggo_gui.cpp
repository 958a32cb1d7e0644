// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The GGO tool in the whole shell on the anchors' CT phantom: the region drawn as the seed's
// (an axial outline of the ROI, its slices from a coronal shape), the lesion there without a
// button, its volume and Dice against the phantom's truth, the lungs found and each lung's
// share, the surface inside the see-through lungs; a screenshot (overlay, histogram, 3D).
#include "AppController.h"
#include "GuiMain.h"
#include "QuickItemSearch.h"
#include "ShellHarness.h"

#include <carina/Document.h>
#include <carina/TaskRunner.h>
#include <carina/edit/DrawnShape.h>
#include <carina/io/Npy.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQuickItem>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace carina;

class TestGgoGui : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        test::useTestFolders(m_home, QStringLiteral("ggo"));
        QCoreApplication::setOrganizationName(QStringLiteral("CarinaTests"));
        configureShellStyle();
    }

    void phantom_lesion_live_in_the_shell()
    {
        const QString data = qEnvironmentVariable("CARINA_ANCHOR_DATA", QStringLiteral("/tmp/carina-anchor-data"));
        QFile metaFile(data + "/ct_phantom_meta.json");
        if (!QFileInfo::exists(data + "/ct_phantom.nii.gz") || !QFileInfo::exists(data + "/ggo_gt.npy") || !metaFile.open(QIODevice::ReadOnly))
            QSKIP("anchor data absent: run ../shared/anchors/gen_data.py (or set CARINA_ANCHOR_DATA)");
        const QJsonObject meta = QJsonDocument::fromJson(metaFile.readAll()).object();
        const QJsonArray roi = meta.value("ggo_roi_zyx").toArray(); // z0 z1 y0 y1 x0 x1
        const double truthMl = meta.value("ggo_volume_ml").toDouble();

        test::ShellHarness shell;
        QVERIFY2(shell.start(QSize(1280, 800)), qPrintable(shell.error()));
        QVERIFY2(shell.open(data + "/ct_phantom.nii.gz"), qPrintable(shell.error()));
        QQuickWindow *window = shell.window();
        Document *document = shell.controller().document();
        QVERIFY(QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, QStringLiteral("ggo")), Q_ARG(QVariant, QStringLiteral("GGO"))));
        QObject *ggo = shell.controller().controllerFor(QStringLiteral("ggo"));
        QVERIFY(ggo);
        auto *task = ggo->property("task").value<TaskRunner *>();
        QVERIFY(task);

        // The ROI as the seed's user marks it: an outline on an axial slice, slices from a coronal view.
        const ImageGeometry &g = document->image().geometry();
        const int z0 = roi[0].toInt(), z1 = roi[1].toInt(), y0 = roi[2].toInt(), y1 = roi[3].toInt(), x0 = roi[4].toInt(), x1 = roi[5].toInt();
        const int zc = (z0 + z1) / 2, yc = (y0 + y1) / 2;
        QVERIFY(ggo->setProperty("drawing", true));
        DrawnShape coronal;
        coronal.kind = DrawnShape::Kind::Rectangle;
        coronal.plane = algo::SlicePlane::Coronal;
        coronal.slice = yc;
        coronal.points = {g.indexToPhysical(Eigen::Vector3d(x0, yc, z0)), g.indexToPhysical(Eigen::Vector3d(x1 - 1, yc, z1 - 1))};
        document->submitShape(coronal);
        DrawnShape axial;
        axial.kind = DrawnShape::Kind::Rectangle;
        axial.plane = algo::SlicePlane::Axial;
        axial.slice = zc;
        axial.points = {g.indexToPhysical(Eigen::Vector3d(x0, y0, zc)), g.indexToPhysical(Eigen::Vector3d(x1 - 1, y1 - 1, zc))};
        document->submitShape(axial);
        QVERIFY2(ggo->property("hasRegion").toBool(), qPrintable(task->error()));

        // No button: the lesion comes with the region.
        QTRY_VERIFY_WITH_TIMEOUT(ggo->property("hasResult").toBool(), 60000);
        const double ml = ggo->property("volumeMl").toDouble();
        QVERIFY2(std::abs(ml - truthMl) < 0.02 * truthMl, qPrintable(QString::number(ml)));
        const int layer = document->findLayer(QStringLiteral("GGO"));
        QVERIFY(layer >= 0);
        const io::NpyArray truth = io::readNpy((data + "/ggo_gt.npy").toStdString());
        const LabelVolume &labels = *document->layer(layer).labels;
        std::uint64_t both = 0, found = 0, expected = 0;
        const std::uint8_t *t = truth.as<std::uint8_t>();
        for (std::size_t n = 0; n < labels.voxelCount(); ++n) {
            const bool a = labels.data()[n] != 0, b = t[n] != 0;
            both += a && b;
            found += a;
            expected += b;
        }
        const double dice = 2.0 * double(both) / double(found + expected);
        qInfo("phantom through the panel: %.3f mL (truth %.3f mL), Dice %.4f", ml, truthMl, dice);
        QVERIFY2(dice >= 0.99, qPrintable(QString::number(dice)));

        // The lungs found here: the region limited to them, each lung's share.
        QVERIFY(QMetaObject::invokeMethod(ggo, "findLungs"));
        QTRY_VERIFY_WITH_TIMEOUT(document->findLayer(QStringLiteral("Lungs")) >= 0, 300000);
        QVERIFY(ggo->setProperty("insideLungs", true));
        QTRY_VERIFY_WITH_TIMEOUT(ggo->property("hasLungShares").toBool(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(ggo->property("rightLungPercent").toDouble() > 0.3, 60000);
        QCOMPARE(ggo->property("leftLungPercent").toDouble(), 0.0);
        QTRY_VERIFY_WITH_TIMEOUT(document->findMesh(QStringLiteral("GGO")) >= 0, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(document->findMesh(QStringLiteral("Lungs (context)")) >= 0, 120000);

        // The panel shows the figures.
        QQuickItem *loader = test::findItem(window->contentItem(), QStringLiteral("pluginPanelLoader"));
        QVERIFY(loader);
        auto *panel = loader->property("item").value<QQuickItem *>();
        QVERIFY(panel);
        QQuickItem *right = test::findItem(panel, QStringLiteral("rightLungLabel"));
        QTRY_VERIFY(right && right->isVisible());
        QTRY_VERIFY(test::findItem(panel, QStringLiteral("histogramPlot"))->isVisible());

        document->setCursorIndex(QVector3D((x0 + x1) / 2, yc, zc));
        document->setWindow(-600, 1500);
        QTest::qWait(1500); // the 3D view's first frames
        const QString shot = QStringLiteral(CARINA_BINARY_DIR "/ggo-phantom.png");
        QVERIFY(window->grabWindow().save(shot));
        qInfo("screenshot: %s", qPrintable(shot));
    }
};

QTEST_MAIN(TestGgoGui)
#include "test_ggo_gui.moc"
