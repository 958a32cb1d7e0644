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

    // The real COVID series (RICORD 1a): the lungs found, a region outlined in the right lower
    // lobe on two axial slices (interpolated between them), the GGO range: a lesion with a share
    // of the right lung. Outlines are handed over as the drawing tools do (not by touch here).
    void covid_series_right_lower_lobe()
    {
        const QString shared = qEnvironmentVariable("CARINA_SHARED_DIR", QStringLiteral(CARINA_SOURCE_DIR "/../shared"));
        const QString series = shared + "/data/ct/ricord1a-every2nd";
        if (!QFileInfo::exists(series + "/1-001.dcm"))
            QSKIP("../shared/data/ct/ricord1a-every2nd is absent");
        test::ShellHarness shell;
        QVERIFY2(shell.start(QSize(1280, 800)), qPrintable(shell.error()));
        QVERIFY2(shell.open(series), qPrintable(shell.error()));
        QQuickWindow *window = shell.window();
        Document *document = shell.controller().document();
        QVERIFY(QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, QStringLiteral("ggo")), Q_ARG(QVariant, QStringLiteral("GGO"))));
        QObject *ggo = shell.controller().controllerFor(QStringLiteral("ggo"));
        QVERIFY(ggo);
        auto *task = ggo->property("task").value<TaskRunner *>();
        bool started = false;
        QVERIFY(QMetaObject::invokeMethod(ggo, "findLungs", Q_RETURN_ARG(bool, started)));
        QVERIFY2(started, qPrintable(task->error()));
        QTRY_VERIFY_WITH_TIMEOUT(document->findLayer(QStringLiteral("Lungs")) >= 0, 300000);

        // The right lung (label 1): its lower third, posterior half, on two slices.
        const LabelVolume &lungs = *document->layer(document->findLayer(QStringLiteral("Lungs"))).labels;
        const Dims d = lungs.dims();
        int zLow = d[2], zHigh = -1;
        for (int z = 0; z < d[2]; ++z)
            for (int y = 0; y < d[1]; y += 4)
                for (int x = 0; x < d[0]; x += 4)
                    if (lungs.at(x, y, z) == 1) {
                        zLow = std::min(zLow, z);
                        zHigh = std::max(zHigh, z);
                    }
        QVERIFY(zHigh > zLow);
        // Superior is +z in LPS; the slice index may run either way: take the inferior end.
        const ImageGeometry &g = document->image().geometry();
        const bool up = g.indexToPhysical(Eigen::Vector3d(0, 0, 1)).z() > g.indexToPhysical(Eigen::Vector3d(0, 0, 0)).z();
        const int span = zHigh - zLow;
        const int s1 = up ? zLow + span / 6 : zHigh - span / 6, s2 = up ? zLow + span / 3 : zHigh - span / 3;
        QVERIFY(ggo->setProperty("drawing", true));
        for (int slice : {s1, s2}) {
            int x0 = d[0], x1 = -1, y0 = d[1], y1 = -1;
            for (int y = 0; y < d[1]; ++y)
                for (int x = 0; x < d[0]; ++x)
                    if (lungs.at(x, y, slice) == 1) {
                        x0 = std::min(x0, x);
                        x1 = std::max(x1, x);
                        y0 = std::min(y0, y);
                        y1 = std::max(y1, y);
                    }
            QVERIFY2(x1 > x0, qPrintable(QStringLiteral("no right lung on slice %1").arg(slice)));
            DrawnShape r;
            r.kind = DrawnShape::Kind::Rectangle;
            r.plane = algo::SlicePlane::Axial;
            r.slice = slice;
            const int yMid = (y0 + y1) / 2; // posterior half (+y is posterior)
            r.points = {g.indexToPhysical(Eigen::Vector3d(x0, yMid, slice)), g.indexToPhysical(Eigen::Vector3d(x1, y1, slice))};
            document->submitShape(r);
        }
        QCOMPARE(ggo->property("outlineSlices").toList().size(), 2);
        QVERIFY(ggo->setProperty("insideLungs", true));
        QVERIFY(ggo->setProperty("keepLargest", false)); // bilateral patchy GGO: every piece above 0.1 mL
        QVERIFY(QMetaObject::invokeMethod(ggo, "applyPreset", Q_ARG(QString, QStringLiteral("ggo"))));
        QTRY_VERIFY_WITH_TIMEOUT(ggo->property("hasResult").toBool(), 120000);
        QTRY_VERIFY_WITH_TIMEOUT(ggo->property("hasLungShares").toBool(), 60000);
        const double ml = ggo->property("volumeMl").toDouble();
        const double right = ggo->property("rightLungPercent").toDouble();
        qInfo("COVID series, right lower lobe between slices %d and %d: %.2f mL of GGO, %.2f %% of the right lung, %.2f %% of the left",
              s1 + 1, s2 + 1, ml, right, ggo->property("leftLungPercent").toDouble());
        QVERIFY(ml > 0.1);
        QVERIFY(right > 0.0);
        QCOMPARE(ggo->property("leftLungPercent").toDouble(), 0.0);
        QTRY_VERIFY_WITH_TIMEOUT(document->findMesh(QStringLiteral("GGO")) >= 0, 60000);
        document->setCursorIndex(QVector3D(d[0] / 3, d[1] * 2 / 3, (s1 + s2) / 2));
        document->setWindow(-600, 1500);
        QTest::qWait(1500);
        QVERIFY(window->grabWindow().save(QStringLiteral(CARINA_BINARY_DIR "/ggo-covid.png")));
    }
};

QTEST_MAIN(TestGgoGui)
#include "test_ggo_gui.moc"
