// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The Superpixels plugin through its controller, as the panel and the Draw tools drive it:
// compute (a layer of outlines), strokes paint every superpixel they touch, erase, several
// labels, undo/redo restore exactly, a session's map is taken back without computing, exports
// read back by nibabel on the image's affine, the seed app's own superpixels import, bad input.
#include "SuperpixelPaint.h"
#include "SuperpixelsController.h"

#include <carina/Document.h>
#include <carina/LayerSurfaces.h>
#include <carina/io/VolumeReader.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

using namespace carina;
using carina::superpixels::SuperpixelsController;

namespace {

const QString kBrats = QStringLiteral(CARINA_SHARED_DIR "/data/mri/brats19-2013-10-1");

// 48 x 40 x 24 voxels of 1 x 1 x 2 mm: background 0, a bright box 200 at x 10..29, y 8..27, z 4..15.
Volume boxImage()
{
    ImageGeometry g;
    g.dims = {48, 40, 24};
    g.spacing = {1.0, 1.0, 2.0};
    g.origin = {-10.0, 5.0, 20.0};
    Volume v(VoxelType::Int16, g);
    auto *p = v.data<std::int16_t>();
    for (int z = 4; z < 16; ++z)
        for (int y = 8; y < 28; ++y)
            for (int x = 10; x < 30; ++x)
                p[g.linearIndex(x, y, z)] = 200;
    return v;
}

bool computed(SuperpixelsController &c)
{
    QSignalSpy finished(c.task(), &TaskRunner::finished);
    if (!c.compute())
        return false;
    if (finished.isEmpty() && !finished.wait(60000))
        return false;
    return finished.first().first().toBool() && !c.task()->busy();
}

DrawnShape strokeThrough(const ImageGeometry &g, std::vector<std::array<int, 3>> voxels)
{
    DrawnShape s;
    s.kind = DrawnShape::Kind::Squiggle;
    for (const auto &v : voxels)
        s.voxels.push_back(g.linearIndex(v[0], v[1], v[2]));
    std::sort(s.voxels.begin(), s.voxels.end());
    return s;
}

std::vector<std::uint16_t> copyOf(const LabelVolume &l) { return {l.data(), l.data() + l.voxelCount()}; }

QString python() { return QFile::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3") : QStringLiteral("python3"); }

} // namespace

class TestSuperpixelsController : public QObject
{
    Q_OBJECT

private slots:
    void compute_puts_an_outlined_map_in_the_document()
    {
        Document doc;
        doc.setImage(boxImage());
        SuperpixelsController c(&doc);
        QVERIFY(!c.hasSuperpixels());
        c.setNSegments(60);
        QVERIFY(computed(c));
        QVERIFY(c.hasSuperpixels());
        const int layer = c.mapLayer();
        QVERIFY(layer >= 0);
        QCOMPARE(doc.layerName(layer), SuperpixelsController::kMapLayerName);
        QVERIFY(doc.layerOutline(layer));
        // The background (mean 0 <= minMean 0) is dropped: only the box has superpixels.
        const LabelVolume &map = *doc.layer(layer).labels;
        for (int z = 0; z < 24; ++z)
            for (int y = 0; y < 40; ++y)
                for (int x = 0; x < 48; ++x) {
                    const bool inBox = x >= 10 && x < 30 && y >= 8 && y < 28 && z >= 4 && z < 16;
                    QCOMPARE(map.at(x, y, z) != 0, inBox);
                }
        QVERIFY(c.superpixelCount() >= 2);
        // Every superpixel outlined in the boundary colour (the seed's orange), then another.
        QCOMPARE(map.table().infoOrDefault(1).rgb, (std::array<std::uint8_t, 3>{255, 140, 0}));
        c.setBoundaryColor(QColor(0, 229, 255));
        QCOMPARE(map.table().infoOrDefault(std::uint16_t(c.superpixelCount())).rgb, (std::array<std::uint8_t, 3>{0, 229, 255}));
        c.setShowBoundaries(false);
        QVERIFY(!doc.layerVisible(layer));
        c.setShowBoundaries(true);
        QVERIFY(doc.layerVisible(layer));
    }

    void strokes_paint_whole_superpixels_and_undo_restores_exactly()
    {
        Document doc;
        doc.setImage(boxImage());
        SuperpixelsController c(&doc);
        c.setNSegments(60);
        c.setDropDark(false);
        QVERIFY(computed(c));
        const ImageGeometry &g = doc.image().geometry();
        const LabelVolume &map = *doc.layer(c.mapLayer()).labels;
        c.setPainting(true);
        QCOMPARE(doc.shapeConsumer(), SuperpixelsController::kConsumerName);

        // A stroke through two voxels of the box, handed over as the Draw tools do.
        const DrawnShape stroke = strokeThrough(g, {{12, 10, 6}, {27, 25, 13}});
        const std::set<std::uint16_t> touched{map.at(12, 10, 6), map.at(27, 25, 13)};
        doc.submitShape(stroke);
        const int seg = c.segmentationLayer();
        QVERIFY(seg >= 0);
        const LabelVolume &labels = *doc.layer(seg).labels;
        std::size_t painted = 0;
        for (std::size_t i = 0; i < map.voxelCount(); ++i) {
            const bool in = touched.count(map.data()[i]) > 0;
            QCOMPARE(labels.data()[i], std::uint16_t(in ? 1 : 0));
            painted += in;
        }
        QVERIFY(painted > 50);
        QCOMPARE(c.paintedLabels(), 1);
        const std::vector<std::uint16_t> afterFirst = copyOf(labels);

        // The painted label is a mesh in the 3D view enclosing its voxels' volume within 2 %.
        QVERIFY(doc.layerIn3D(seg));
        QTRY_VERIFY_WITH_TIMEOUT(doc.findMesh(SuperpixelsController::kSegmentationLayerName + QStringLiteral(": Label 1")) >= 0, 20000);
        QTRY_VERIFY(!doc.layerSurfaces()->task()->busy());
        {
            const double enclosed = std::abs(doc.mesh(doc.findMesh(SuperpixelsController::kSegmentationLayerName + QStringLiteral(": Label 1")))->enclosedVolume());
            const double expected = double(painted) * g.spacing.prod();
            QVERIFY2(std::abs(enclosed - expected) <= 0.02 * expected, qPrintable(QStringLiteral("%1 vs %2").arg(enclosed).arg(expected)));
        }

        // Label 2 on another superpixel, then an erase of the first stroke's first superpixel.
        c.setActiveLabel(2);
        doc.submitShape(strokeThrough(g, {{40, 35, 20}}));
        QCOMPARE(labels.at(40, 35, 20), std::uint16_t(2));
        QCOMPARE(c.paintedLabels(), 2);
        const std::vector<std::uint16_t> afterSecond = copyOf(labels);
        c.setErasing(true);
        doc.submitShape(strokeThrough(g, {{12, 10, 6}}));
        QCOMPARE(labels.at(12, 10, 6), std::uint16_t(0));

        // Undo per stroke, exactly; redo again.
        doc.undo();
        QCOMPARE(copyOf(labels), afterSecond);
        doc.undo();
        QCOMPARE(copyOf(labels), afterFirst);
        doc.undo();
        QCOMPARE(copyOf(labels), std::vector<std::uint16_t>(labels.voxelCount(), 0));
        doc.redo();
        QCOMPARE(copyOf(labels), afterFirst);

        // A tap at an LPS point paints its superpixel.
        c.setErasing(false);
        c.setActiveLabel(3);
        const Eigen::Vector3d p = g.indexToPhysical(Eigen::Vector3d(2, 2, 2));
        QVERIFY(c.paintAt(QVector3D(float(p.x()), float(p.y()), float(p.z()))));
        QCOMPARE(labels.at(2, 2, 2), std::uint16_t(3));

        // Closing the panel gives the tools back.
        c.panelClosed();
        QVERIFY(doc.shapeConsumer().isEmpty());
    }

    void a_sessions_map_is_taken_back_without_computing()
    {
        Document doc;
        doc.setImage(boxImage());
        auto map = std::make_shared<LabelVolume>(doc.image().geometry());
        for (std::size_t i = 0; i < map->voxelCount(); ++i)
            map->data()[i] = std::uint16_t(1 + (i % 48) / 12); // four slabs along x
        doc.addLayer(SuperpixelsController::kMapLayerName, map, 1.0);
        SuperpixelsController c(&doc);
        QVERIFY(c.hasSuperpixels());
        QCOMPARE(c.superpixelCount(), 4);
        QVERIFY(!c.task()->busy());
        QVERIFY(c.takeShape(strokeThrough(doc.image().geometry(), {{0, 0, 0}})));
        QCOMPARE(doc.layer(c.segmentationLayer()).labels->at(11, 39, 23), std::uint16_t(1));
        QCOMPARE(doc.layer(c.segmentationLayer()).labels->at(12, 0, 0), std::uint16_t(0));
    }

    void bad_input_is_a_message()
    {
        Document doc;
        SuperpixelsController none(&doc);
        QVERIFY(!none.compute());
        QVERIFY(!none.task()->error().isEmpty());

        doc.setImage(boxImage());
        SuperpixelsController c(&doc);
        QVERIFY(!c.takeShape(strokeThrough(doc.image().geometry(), {{1, 1, 1}})));
        QVERIFY(c.task()->error().contains(QStringLiteral("first")));
        c.setNSegments(65535);
        c.setUseMask(true);
        c.setMaskThreshold(1000); // selects nothing
        QVERIFY(!computed(c));
        QVERIFY2(c.task()->error().contains(QStringLiteral("mask selects no voxel")), qPrintable(c.task()->error()));
        c.setUseMask(false);
        c.setMinMean(5000); // everything is darker
        QVERIFY(!computed(c) || !c.hasSuperpixels());
        QVERIFY(!c.hasSuperpixels());
        QVERIFY(!c.task()->error().isEmpty());
        QVERIFY(!c.exportSegmentation(QStringLiteral("/tmp/never.nii.gz")));
        QVERIFY(!c.importSuperpixels(QStringLiteral("/nonexistent/sp.nii.gz")));
        QVERIFY(!c.task()->error().isEmpty());
    }

    void brats_exports_on_the_image_affine_and_the_seeds_superpixels_import()
    {
        const QString flair = kBrats + QStringLiteral("/BraTS19_2013_10_1_flair.nii.gz");
        const QString seedSp = kBrats + QStringLiteral("/BraTS19_2013_10_1_flair_superpixels.npz.gz");
        if (!QFile::exists(flair) || !QFile::exists(seedSp))
            QSKIP("the BraTS case is absent from ../shared/data/mri/brats19-2013-10-1");
        Document doc;
        doc.setImage(io::readVolume(flair.toStdString()).volume);
        SuperpixelsController c(&doc);
        QVERIFY2(c.importSuperpixels(seedSp), qPrintable(c.task()->error()));
        QCOMPARE(c.superpixelCount(), 304); // the seed app's shipped result
        // The seed's superpixels follow the image: the mean spread inside them is small.
        const LabelVolume &map = *doc.layer(c.mapLayer()).labels;
        QVERIFY(map.at(120, 120, 77) != 0);

        // Paint the tumour-side superpixel under a point of the whole-tumour mask, then export.
        QVERIFY(c.takeShape(strokeThrough(doc.image().geometry(), {{120, 120, 77}})));
        QTemporaryDir dir;
        const QString segOut = dir.filePath(QStringLiteral("seg.nii.gz"));
        const QString spOut = dir.filePath(QStringLiteral("sp.nii.gz"));
        QVERIFY(c.exportSegmentation(segOut));
        QVERIFY(c.exportSuperpixels(spOut));
        std::size_t painted = 0;
        for (std::size_t i = 0; i < map.voxelCount(); ++i)
            painted += doc.layer(c.segmentationLayer()).labels->data()[i] == 1;

        // nibabel reads both on the FLAIR's affine, with the same label counts.
        QProcess py;
        py.start(python(), {QStringLiteral("-c"),
                            QStringLiteral("import sys, numpy as np, nibabel as nib\n"
                                           "ref = nib.load(sys.argv[1]); seg = nib.load(sys.argv[2]); sp = nib.load(sys.argv[3])\n"
                                           "assert np.allclose(ref.affine, seg.affine, atol=1e-4), (ref.affine, seg.affine)\n"
                                           "assert np.allclose(ref.affine, sp.affine, atol=1e-4)\n"
                                           "s = np.asarray(seg.dataobj); p = np.asarray(sp.dataobj)\n"
                                           "print(int((s == 1).sum()), len(np.unique(p[p > 0])))\n"),
                            flair, segOut, spOut});
        QVERIFY(py.waitForFinished(120000));
        if (py.exitCode() != 0 && py.readAllStandardError().contains("No module named"))
            QSKIP("nibabel is not installed for /usr/bin/python3");
        QCOMPARE(py.exitCode(), 0);
        const QStringList out = QString::fromUtf8(py.readAllStandardOutput()).split(QLatin1Char(' '));
        QCOMPARE(out.value(0).trimmed().toULongLong(), quint64(painted));
        QCOMPARE(out.value(1).trimmed().toInt(), 304);

        // And a map exported by Carina imports back as it was.
        SuperpixelsController again(&doc);
        QVERIFY(again.importSuperpixels(spOut));
        QCOMPARE(again.superpixelCount(), 304);
    }
};

QTEST_GUILESS_MAIN(TestSuperpixelsController)
#include "test_superpixels_controller.moc"
