// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The superpixels plugin in the shell on the BraTS FLAIR: compute from the panel, then three
// strokes, one on each view (axial, coronal, sagittal), each a zig-zag scribble over the tumour
// as the Draw tools hand it to the plugin; Dice against the BraTS whole-tumour mask >= 0.8; undo
// restores the segmentation exactly; the painted tumour is a mesh in the 3D view. Saves the
// screenshot of docs/superpixels.md (boundaries + painted tumour + 3D). Skips without ../shared.
#include "AppController.h"
#include "GuiMain.h"
#include "QuickItemSearch.h"
#include "ShellHarness.h"

#include <carina/Document.h>
#include <carina/LayerSurfaces.h>
#include <carina/TaskRunner.h>
#include <carina/edit/DrawnShape.h>
#include <carina/io/VolumeReader.h>

#include <QFile>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>

using namespace carina;
using carina::test::findItem;

namespace {

const QString kBrats = QStringLiteral(CARINA_SHARED_DIR "/data/mri/brats19-2013-10-1");

// A zig-zag stroke over the tumour on one plane through voxel `centre`, as a user scribbles
// inside it: every third row, along the row's longest run of voxels well inside the tumour
// (tumour 3 voxels around in the plane), alternating direction; 2 mm wide.
DrawnShape scribble(const ImageGeometry &g, const std::vector<std::uint8_t> &tumour, algo::SlicePlane plane, const Dims &centre)
{
    DrawnShape s;
    s.kind = DrawnShape::Kind::Squiggle;
    s.plane = plane;
    const int fixed = int(plane);
    s.slice = centre[fixed];
    s.widthMm = 2.0;
    const int u = fixed == 0 ? 1 : 0, v = fixed == 2 ? 1 : 2; // in-plane axes
    auto at = [&](int a, int b) {
        Dims p = centre;
        p[u] = a;
        p[v] = b;
        return p;
    };
    auto inside = [&](int a, int b) {
        for (int da = -3; da <= 3; ++da)
            for (int db = -3; db <= 3; ++db) {
                const Dims p = at(a + da, b + db);
                if (!g.contains(p[0], p[1], p[2]) || !tumour[g.linearIndex(p[0], p[1], p[2])])
                    return false;
            }
        return true;
    };
    bool forward = true;
    for (int b = 0; b < g.dims[v]; b += 3) {
        int best = -1, bestLength = 0;
        for (int a = 0; a < g.dims[u];) {
            if (!inside(a, b)) {
                ++a;
                continue;
            }
            int e = a;
            while (e + 1 < g.dims[u] && inside(e + 1, b))
                ++e;
            if (e - a + 1 > bestLength) {
                best = a;
                bestLength = e - a + 1;
            }
            a = e + 1;
        }
        if (bestLength < 3)
            continue;
        const int first = best, last = best + bestLength - 1;
        for (int a : forward ? std::array<int, 2>{first, last} : std::array<int, 2>{last, first}) {
            const Dims p = at(a, b);
            s.points.push_back(g.indexToPhysical(Eigen::Vector3d(p[0], p[1], p[2])));
        }
        forward = !forward;
    }
    s.voxels = rasterizeShape(g, s);
    return s;
}

} // namespace

class TestSuperpixelsGui : public QObject
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

    void three_strokes_paint_the_tumour()
    {
        const QString flair = kBrats + QStringLiteral("/BraTS19_2013_10_1_flair.nii.gz");
        const QString segPath = kBrats + QStringLiteral("/BraTS19_2013_10_1_seg.nii.gz");
        if (!QFile::exists(flair) || !QFile::exists(segPath))
            QSKIP("the BraTS case is absent from ../shared/data/mri/brats19-2013-10-1");
        test::useTestFolders(m_home, QStringLiteral("superpixels"));
        test::ShellHarness shell;
        QVERIFY2(shell.start(QSize(1280, 800)) && shell.open(flair), qPrintable(shell.error()));
        AppController &app = shell.controller();
        Document *doc = app.document();
        QQuickWindow *window = shell.window();

        QVERIFY(QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, QStringLiteral("superpixels")),
                                          Q_ARG(QVariant, QStringLiteral("Superpixels"))));
        QObject *plugin = nullptr;
        QTRY_VERIFY((plugin = app.controllerFor(QStringLiteral("superpixels"))) != nullptr);
        QTRY_COMPARE(doc->shapeConsumer(), QStringLiteral("superpixels")); // the open panel takes the strokes
        QQuickItem *compute = nullptr;
        QTRY_VERIFY((compute = findItem(window->contentItem(), QStringLiteral("computeButton"))) != nullptr);
        plugin->setProperty("nSegments", 1000);
        auto *task = plugin->property("task").value<TaskRunner *>();
        QVERIFY(QMetaObject::invokeMethod(compute, "clicked"));
        QTRY_VERIFY_WITH_TIMEOUT(plugin->property("hasSuperpixels").toBool() && !task->busy(), 120000);

        // The whole tumour (BraTS labels 1, 2, 4) and its centre.
        const Volume seg = io::readVolume(segPath.toStdString()).volume;
        const ImageGeometry &g = doc->image().geometry();
        QVERIFY(g.sameGrid(seg.geometry()));
        std::vector<std::uint8_t> tumour(g.voxelCount());
        double c[3] = {0, 0, 0}, n = 0;
        for (int z = 0; z < g.dims[2]; ++z)
            for (int y = 0; y < g.dims[1]; ++y)
                for (int x = 0; x < g.dims[0]; ++x)
                    if (seg.valueAt(x, y, z) > 0) {
                        tumour[g.linearIndex(x, y, z)] = 1;
                        c[0] += x, c[1] += y, c[2] += z, n += 1;
                    }
        const Dims centre{int(c[0] / n), int(c[1] / n), int(c[2] / n)};

        for (algo::SlicePlane plane : {algo::SlicePlane::Axial, algo::SlicePlane::Coronal, algo::SlicePlane::Sagittal})
            doc->submitShape(scribble(g, tumour, plane, centre));
        const int layer = doc->findLayer(QStringLiteral("Superpixel segmentation"));
        QVERIFY(layer >= 0);
        const LabelVolume &painted = *doc->layer(layer).labels;
        std::size_t both = 0, p = 0;
        for (std::size_t i = 0; i < painted.voxelCount(); ++i) {
            p += painted.data()[i] != 0;
            both += painted.data()[i] != 0 && tumour[i];
        }
        const double dice = 2.0 * double(both) / (double(p) + n);
        qInfo("Dice of three strokes vs the whole tumour: %.3f (%zu voxels painted, %.0f in the tumour)", dice, p, n);
        QVERIFY2(dice >= 0.8, qPrintable(QString::number(dice)));

        // The screenshot: boundaries, the painted tumour on the three views, its mesh in 3D.
        doc->setCursorIndex(QVector3D(float(centre[0]), float(centre[1]), float(centre[2])));
        QTRY_VERIFY_WITH_TIMEOUT(doc->findMesh(QStringLiteral("Superpixel segmentation: Label 1")) >= 0, 30000);
        QTest::qWait(1500); // the 3D view's first frames
        QVERIFY(window->grabWindow().save(QStringLiteral(CARINA_BINARY_DIR "/superpixels-brats.png")));

        // Undo, three times: exactly nothing painted.
        const std::vector<std::uint16_t> before(painted.data(), painted.data() + painted.voxelCount());
        doc->undo();
        doc->undo();
        doc->undo();
        QVERIFY(std::all_of(painted.data(), painted.data() + painted.voxelCount(), [](std::uint16_t v) { return v == 0; }));
        doc->redo();
        doc->redo();
        doc->redo();
        QVERIFY(std::equal(before.begin(), before.end(), painted.data()));
    }
};

QTEST_MAIN(TestSuperpixelsGui)
#include "test_superpixels_gui.moc"
