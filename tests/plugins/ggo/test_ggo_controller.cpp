// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The GGO plugin through its controller, the way the panel and the drawing tools drive it.
#include "GgoController.h"
#include "SyntheticGgo.h"

#include <carina/Document.h>
#include <carina/edit/LabelPatch.h>
#include <carina/io/VolumeReader.h>

#include <QColor>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace carina;
using carina::ggo::GgoController;
using carina::ggo::GgoRegion;

namespace {

bool runAndWait(GgoController &controller, int timeoutMs = 60000)
{
    QSignalSpy finished(controller.task(), &TaskRunner::finished);
    if (!controller.run())
        return false;
    if (finished.isEmpty() && !finished.wait(timeoutMs))
        return false;
    return finished.first().first().toBool();
}

// A shape as the drawing tools hand it over; on the synthetic grid LPS mm = voxel index.
DrawnShape shape(DrawnShape::Kind kind, algo::SlicePlane plane, int slice, std::vector<Eigen::Vector3d> points)
{
    DrawnShape s;
    s.kind = kind;
    s.plane = plane;
    s.slice = slice;
    s.points = std::move(points);
    return s;
}

std::uint64_t labelled(const Document &document, const QString &layer)
{
    const int index = document.findLayer(layer);
    if (index < 0)
        return 0;
    const LabelVolume &labels = *document.layer(index).labels;
    return std::uint64_t(std::count(labels.data(), labels.data() + labels.voxelCount(), ggo::kGgoLabel));
}

} // namespace

class TestGgoController : public QObject
{
    Q_OBJECT

private slots:
    void axial_outline_sets_the_region_and_the_lesion_is_found()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        GgoController controller(&document);
        controller.setDrawing(true);
        QCOMPARE(document.shapeConsumer(), GgoController::kConsumerName);
        // A rectangle on axial slice 20 around the large ball only, handed over by the tools.
        document.submitShape(shape(DrawnShape::Kind::Rectangle, algo::SlicePlane::Axial, 20,
                                   {Eigen::Vector3d(30, 30, 20), Eigen::Vector3d(50, 50, 20)}));
        QVERIFY2(controller.hasRegion(), qPrintable(controller.task()->error()));
        const VoxelBox box = controller.region().box;
        QCOMPARE(box.begin, (Dims{30, 30, 0}));   // 20 mm above and below slice 20
        QCOMPARE(box.end, (Dims{51, 51, 40}));
        QTRY_VERIFY(!controller.histogram().isEmpty()); // counted off the UI thread
        QCOMPARE(controller.histogramMin(), -850.0);
        QCOMPARE(controller.histogramMax(), -550.0);

        QVERIFY(runAndWait(controller));
        const std::uint64_t ball = test::ballVoxelsAfterMedian(6);
        QCOMPARE(labelled(document, GgoController::kLayerName), ball);
        QCOMPARE(controller.volumeMl(), double(ball) / 1000.0);
        QCOMPARE(controller.pieces(), 1);
        const int mesh = document.findMesh(QStringLiteral("GGO"));
        QVERIFY(mesh >= 0);
        // A closed surface around the ball: its volume within 10 % of the voxels'.
        QVERIFY(std::abs(document.mesh(mesh)->enclosedVolume() - double(ball)) < 0.1 * double(ball));
        QVERIFY(controller.task()->status().contains(QLatin1String("mL")));
    }

    void a_side_view_shape_sets_the_slices()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        GgoController controller(&document);
        controller.setDrawing(true);
        // A coronal rectangle from S 15 to S 25 first: kept for the axial outline to come.
        document.submitShape(shape(DrawnShape::Kind::Rectangle, algo::SlicePlane::Coronal, 40,
                                   {Eigen::Vector3d(20, 40, 15), Eigen::Vector3d(60, 40, 25)}));
        QVERIFY(!controller.hasRegion());
        document.submitShape(shape(DrawnShape::Kind::Lasso, algo::SlicePlane::Axial, 20,
                                   {Eigen::Vector3d(32, 32, 20), Eigen::Vector3d(48, 32, 20), Eigen::Vector3d(48, 48, 20),
                                    Eigen::Vector3d(32, 48, 20)}));
        QVERIFY(controller.hasRegion());
        QCOMPARE(controller.firstSlice(), 15);
        QCOMPARE(controller.lastSlice(), 25);
        // The slices can be set by hand too, within the image.
        controller.setFirstSlice(18);
        controller.setLastSlice(1000);
        QCOMPARE(controller.firstSlice(), 18);
        QCOMPARE(controller.lastSlice(), 39);
        // Brush strokes are not outlines.
        DrawnShape brush = shape(DrawnShape::Kind::Brush, algo::SlicePlane::Axial, 20, {Eigen::Vector3d(40, 40, 20)});
        brush.widthMm = 3;
        controller.takeShape(brush);
        QVERIFY(controller.task()->error().contains(QLatin1String("lasso")));
    }

    // The slab's depth is a setting: the next outline's, and the current outline's slices follow
    // it, but not slices a side view set.
    void the_depth_sets_the_outlines_slices()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        GgoController controller(&document);
        QCOMPARE(controller.halfDepthMm(), GgoController::kDefaultHalfDepthMm);
        controller.setHalfDepthMm(5);
        controller.takeShape(shape(DrawnShape::Kind::Rectangle, algo::SlicePlane::Axial, 20,
                                   {Eigen::Vector3d(30, 30, 20), Eigen::Vector3d(50, 50, 20)}));
        QCOMPARE(controller.firstSlice(), 15);
        QCOMPARE(controller.lastSlice(), 25);
        QVERIFY2(controller.regionText().contains(QLatin1String("11 slices, 11 mm")), qPrintable(controller.regionText()));
        QSignalSpy region(&controller, &GgoController::regionChanged);
        controller.setHalfDepthMm(8);
        QCOMPARE(region.count(), 1);
        QCOMPARE(controller.firstSlice(), 12);
        QCOMPARE(controller.lastSlice(), 28);
        QCOMPARE(controller.region().box.begin[0], 30); // the outline stays
        controller.setHalfDepthMm(1000); // clamped, and so are the slices
        QCOMPARE(controller.halfDepthMm(), GgoController::kMaxHalfDepthMm);
        QCOMPARE(controller.firstSlice(), 0);
        QCOMPARE(controller.lastSlice(), 39);
        controller.setHalfDepthMm(-3);
        QCOMPARE(controller.halfDepthMm(), 0.0);
        QCOMPARE(controller.firstSlice(), 20);
        QCOMPARE(controller.lastSlice(), 20);

        // Slices from a side view are the user's: the depth leaves them.
        controller.takeShape(shape(DrawnShape::Kind::Rectangle, algo::SlicePlane::Sagittal, 40,
                                   {Eigen::Vector3d(40, 20, 10), Eigen::Vector3d(40, 60, 30)}));
        QCOMPARE(controller.firstSlice(), 10);
        QCOMPARE(controller.lastSlice(), 30);
        controller.setHalfDepthMm(4);
        QCOMPARE(controller.firstSlice(), 10);
        QCOMPARE(controller.lastSlice(), 30);

        // A session stores it.
        const QByteArray declared = GgoController::staticMetaObject.classInfo(
            GgoController::staticMetaObject.indexOfClassInfo("carina.sessionParameters")).value();
        QVERIFY(declared.split(' ').contains("halfDepthMm"));
    }

    // The region is on show in every view: the outline of a "GGO region" layer holding what the
    // search looks at (the outline over the slab), following the region and going with it.
    void the_region_is_drawn_as_a_layer_outline()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        auto controller = std::make_unique<GgoController>(&document);
        QCOMPARE(document.findLayer(GgoController::kRegionLayerName), -1);
        controller->setHalfDepthMm(3);
        // A lasso: a diamond around (40, 40) on slice 20.
        const std::vector<Eigen::Vector3d> diamond{Eigen::Vector3d(40, 30, 20), Eigen::Vector3d(50, 40, 20),
                                                   Eigen::Vector3d(40, 50, 20), Eigen::Vector3d(30, 40, 20)};
        controller->takeShape(shape(DrawnShape::Kind::Lasso, algo::SlicePlane::Axial, 20, diamond));
        QVERIFY(controller->hasRegion());
        const auto regionVoxels = [&](int z) {
            const int layer = document.findLayer(GgoController::kRegionLayerName);
            std::uint64_t n = 0;
            const LabelVolume &labels = *document.layer(layer).labels;
            for (int y = 0; y < 80; ++y)
                for (int x = 0; x < 80; ++x)
                    n += labels.at(x, y, z) == GgoController::kRegionLabel;
            return n;
        };
        const auto total = [&] {
            const int layer = document.findLayer(GgoController::kRegionLayerName);
            const LabelVolume &labels = *document.layer(layer).labels;
            return std::uint64_t(std::count(labels.data(), labels.data() + labels.voxelCount(), GgoController::kRegionLabel));
        };
        int layer = document.findLayer(GgoController::kRegionLayerName);
        QVERIFY(layer >= 0);
        QVERIFY(document.layerOutline(layer));
        // Its colour is neither the lesion's nor the lungs'.
        const auto colour = document.layer(layer).labels->table().infoOrDefault(GgoController::kRegionLabel).rgb;
        QVERIFY(colour != ggo::kGgoColour);
        QVERIFY(colour != LabelTable::defaultColour(1) && colour != LabelTable::defaultColour(2));
        // The outline's voxels on each slice of the slab (slices 17..23), none beyond.
        const GgoRegion &region = controller->region();
        const auto inPlane = std::uint64_t(std::count(region.inPlane.begin(), region.inPlane.end(), std::uint8_t(1)));
        QVERIFY(inPlane > 100 && inPlane < 21 * 21);
        for (int z = 17; z <= 23; ++z)
            QCOMPARE(regionVoxels(z), inPlane);
        QCOMPARE(regionVoxels(16), std::uint64_t(0));
        QCOMPARE(regionVoxels(24), std::uint64_t(0));
        QCOMPARE(total(), inPlane * 7);

        // A deeper slab: the layer follows, in place.
        QSignalSpy edited(&document, &Document::labelsChanged);
        controller->setHalfDepthMm(10);
        QCOMPARE(document.findLayer(GgoController::kRegionLayerName), layer);
        QVERIFY(!edited.isEmpty());
        QCOMPARE(total(), inPlane * 21);
        QCOMPARE(regionVoxels(10), inPlane);
        QCOMPARE(regionVoxels(30), inPlane);
        QCOMPARE(regionVoxels(31), std::uint64_t(0));
        // Slices by hand, and a box at the cursor, too.
        controller->setLastSlice(25);
        QCOMPARE(total(), inPlane * 16);
        document.setCursorIndex(QVector3D(20, 20, 20));
        QVERIFY(controller->regionAroundCursor(5));
        QCOMPARE(total(), std::uint64_t(5 * 5 * 5));
        QCOMPARE(regionVoxels(30), std::uint64_t(0));

        // The result is another layer; the region stays on show beside it.
        QVERIFY(runAndWait(*controller));
        QVERIFY(document.findLayer(GgoController::kLayerName) >= 0);
        QVERIFY(document.findLayer(GgoController::kRegionLayerName) >= 0);
        QVERIFY(document.findLayer(GgoController::kLayerName) != document.findLayer(GgoController::kRegionLayerName));

        // Cleared: the layer goes.
        controller->clearRegion();
        QCOMPARE(document.findLayer(GgoController::kRegionLayerName), -1);
        // The user removing the layer clears the region.
        controller->takeShape(shape(DrawnShape::Kind::Lasso, algo::SlicePlane::Axial, 20, diamond));
        QVERIFY(document.findLayer(GgoController::kRegionLayerName) >= 0);
        document.removeLayer(document.findLayer(GgoController::kRegionLayerName));
        QVERIFY(!controller->hasRegion());
        // And the plugin going takes it.
        controller->takeShape(shape(DrawnShape::Kind::Lasso, algo::SlicePlane::Axial, 20, diamond));
        QVERIFY(document.findLayer(GgoController::kRegionLayerName) >= 0);
        controller.reset();
        QCOMPARE(document.findLayer(GgoController::kRegionLayerName), -1);
        QVERIFY(document.findLayer(GgoController::kLayerName) >= 0);
    }

    // A session's "GGO region" layer is the region again: outline, slices and histogram.
    void a_sessions_region_layer_is_taken_back()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        std::shared_ptr<LabelVolume> saved;
        GgoRegion before;
        {
            GgoController controller(&document);
            controller.setHalfDepthMm(4);
            controller.takeShape(shape(DrawnShape::Kind::Lasso, algo::SlicePlane::Axial, 20,
                                       {Eigen::Vector3d(40, 30, 20), Eigen::Vector3d(50, 40, 20), Eigen::Vector3d(40, 50, 20),
                                        Eigen::Vector3d(30, 40, 20)}));
            before = controller.region();
            saved = std::make_shared<LabelVolume>(*document.layer(document.findLayer(GgoController::kRegionLayerName)).labels);
        }
        // Reopened, before the plugin is made...
        Document early;
        early.setImage(test::syntheticGgoCt());
        early.addLayer(GgoController::kRegionLayerName, std::make_shared<LabelVolume>(*saved));
        GgoController adopterLate(&early);
        QVERIFY(adopterLate.hasRegion());
        QCOMPARE(adopterLate.region().box.begin, before.box.begin);
        QCOMPARE(adopterLate.region().box.end, before.box.end);
        QVERIFY(adopterLate.region().inPlane == before.inPlane);
        QTRY_VERIFY(!adopterLate.histogram().isEmpty());
        // A region a session brings back waits for the user: no lesion layer appears unasked
        // (it would replace the session's, hand edits and all), not even when the range moves.
        adopterLate.setHighHu(-290);
        QTest::qWait(100);
        QCOMPARE(early.findLayer(GgoController::kLayerName), -1);
        QVERIFY(runAndWait(adopterLate));
        adopterLate.setHighHu(-600); // from then on the mask follows
        QTRY_COMPARE(early.findLayer(GgoController::kLayerName), -1);
        adopterLate.setHighHu(-300);
        QTRY_VERIFY(early.findLayer(GgoController::kLayerName) >= 0);
        QVERIFY(early.layerOutline(early.findLayer(GgoController::kRegionLayerName)));
        // ... or after: the same, and a depth set afterwards (as a session does) keeps its slices.
        Document late;
        late.setImage(test::syntheticGgoCt());
        GgoController adopter(&late);
        late.addLayer(GgoController::kRegionLayerName, std::make_shared<LabelVolume>(*saved));
        QVERIFY(adopter.hasRegion());
        QCOMPARE(adopter.firstSlice(), 16);
        QCOMPARE(adopter.lastSlice(), 24);
        adopter.setHalfDepthMm(10);
        QCOMPARE(adopter.firstSlice(), 16);
        QCOMPARE(late.layerCount(), 1); // the layer is the region's, not a copy beside it
        // Changing the adopted region changes that layer.
        adopter.setFirstSlice(18);
        QCOMPARE(late.layerCount(), 1);
        const LabelVolume &labels = *late.layer(0).labels;
        QCOMPARE(labels.at(40, 40, 17), std::uint16_t(0));
        QCOMPARE(labels.at(40, 40, 18), GgoController::kRegionLabel);
        QVERIFY(adopter.regionText().contains(QLatin1String("7 slices")));
    }

    void a_box_around_the_cursor_keeps_the_largest_of_two_pieces()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        GgoController controller(&document);
        document.setCursorIndex(QVector3D(30, 30, 20));
        QVERIFY(controller.regionAroundCursor(60.0));
        QVERIFY(runAndWait(controller));
        QCOMPARE(controller.pieces(), 2);
        QCOMPARE(labelled(document, GgoController::kLayerName), test::ballVoxelsAfterMedian(6));
    }

    void the_lesion_has_a_colour_of_its_own()
    {
        // Not the lungs' (labels 1 and 2 of the lung layer): both show at once at the bedside.
        for (std::uint16_t lung : {std::uint16_t(1), std::uint16_t(2)})
            QVERIFY(ggo::kGgoColour != LabelTable::defaultColour(lung));
    }

    // The figures and the surface are the layer's: a hand edit changes the volume at once and
    // the surface once it settles; a GGO layer restored from a session is a result too.
    void the_figures_and_surface_follow_edits_of_the_layer()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        GgoController controller(&document);
        document.setCursorIndex(QVector3D(40, 40, 20));
        QVERIFY(controller.regionAroundCursor(50));
        QVERIFY(runAndWait(controller));
        const double before = controller.volumeMl();
        const int layer = document.findLayer(GgoController::kLayerName);
        QVERIFY(layer >= 0);
        const std::size_t trianglesBefore = document.mesh(document.findMesh(GgoController::kLayerName))->triangleCount();

        // A brush-like edit: a 4x4x4 block of lesion far from the ball, through an undoable patch.
        LabelPatch patch;
        for (int z = 2; z < 6; ++z)
            for (int y = 2; y < 6; ++y)
                for (int x = 2; x < 6; ++x)
                    patch.assign(document.layerLabels(layer), x, y, z, ggo::kGgoLabel);
        patch.finish(document.layer(layer).labels->dims());
        document.commitLabelEdit(layer, std::move(patch), QStringLiteral("Brush"));
        const double voxelMl = document.image().geometry().spacing.prod() / 1000.0;
        QCOMPARE(controller.volumeMl(), before + 64 * voxelMl);
        QTRY_VERIFY_WITH_TIMEOUT(document.mesh(document.findMesh(GgoController::kLayerName))->triangleCount() > trianglesBefore, 10000);

        // Undo brings the figure back.
        document.undo();
        QCOMPARE(controller.volumeMl(), before);

        // A session's layer: another controller on a document that only has the layer.
        Document restored;
        restored.setImage(test::syntheticGgoCt());
        GgoController adopter(&restored);
        QVERIFY(!adopter.hasResult());
        restored.addLayer(GgoController::kLayerName, std::make_shared<LabelVolume>(*document.layer(layer).labels), 0.5);
        QVERIFY(adopter.hasResult());
        QCOMPARE(adopter.volumeMl(), before);
        QTRY_VERIFY_WITH_TIMEOUT(restored.findMesh(GgoController::kLayerName) >= 0, 10000);
        QTemporaryDir dir;
        QVERIFY2(adopter.exportLabels(dir.filePath("ggo.nii.gz")), qPrintable(adopter.task()->error()));
    }

    // The region is drawn only while the panel is open (the shell calls panelOpened/Closed).
    void the_region_shows_while_the_panel_is_open()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        GgoController controller(&document);
        controller.panelClosed();
        document.setCursorIndex(QVector3D(40, 40, 20));
        QVERIFY(controller.regionAroundCursor(50));
        const int layer = document.findLayer(GgoController::kRegionLayerName);
        QVERIFY(layer >= 0);
        QVERIFY(!document.layerVisible(layer));
        controller.panelOpened();
        QVERIFY(document.layerVisible(layer));
        controller.panelClosed();
        QVERIFY(!document.layerVisible(layer));
    }

    void refusals_say_what_to_do()
    {
        Document empty;
        GgoController noImage(&empty);
        QVERIFY(!noImage.run());
        QVERIFY(noImage.task()->error().contains(QLatin1String("Open")));

        Document document;
        document.setImage(test::syntheticGgoCt());
        GgoController controller(&document);
        QVERIFY(!controller.run());
        QVERIFY(controller.task()->error().contains(QLatin1String("Outline")));
        document.setCursorIndex(QVector3D(40, 40, 20));
        QVERIFY(controller.regionAroundCursor(20.0));
        controller.setLowHu(-300);
        controller.setHighHu(-700);
        QVERIFY(!controller.run());
        QVERIFY(controller.task()->error().contains(QLatin1String("range")));
        // A range nothing falls in: a message, and no layer.
        controller.setLowHu(0);
        controller.setHighHu(100);
        QVERIFY(!runAndWait(controller));
        QVERIFY2(controller.task()->error().contains(QLatin1String("No voxel")), qPrintable(controller.task()->error()));
        QCOMPARE(document.findLayer(GgoController::kLayerName), -1);
        QVERIFY(!controller.exportLabels(QStringLiteral("/tmp/never.nii.gz")));
    }

    // No button: once the region is prepared, the mask and the figures follow the range.
    void the_mask_follows_the_range_live()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        GgoController controller(&document);
        document.setCursorIndex(QVector3D(30, 30, 20));
        QVERIFY(controller.regionAroundCursor(60.0)); // both balls
        const std::uint64_t ball = test::ballVoxelsAfterMedian(6);
        QTRY_COMPARE(labelled(document, GgoController::kLayerName), ball);
        QCOMPARE(controller.volumeMl(), double(ball) / 1000.0);
        QCOMPARE(controller.pieces(), 2);
        QCOMPARE(controller.piecesKept(), 1);
        // The upper handle below the balls' -550 HU: nothing, said so, and no layer.
        controller.setHighHu(-600);
        QTRY_COMPARE(document.findLayer(GgoController::kLayerName), -1);
        QVERIFY2(controller.task()->error().contains(QLatin1String("No voxel")), qPrintable(controller.task()->error()));
        controller.setHighHu(-300);
        QTRY_COMPARE(labelled(document, GgoController::kLayerName), ball);
        QVERIFY(controller.task()->error().isEmpty());
        // Every piece above a size: both balls, then only the large one again.
        controller.setMinPieceMl(0.05);
        controller.setKeepLargest(false);
        const std::uint64_t small = test::ballVoxelsAfterMedian(3);
        QTRY_COMPARE(labelled(document, GgoController::kLayerName), ball + small);
        QCOMPARE(controller.piecesKept(), 2);
        controller.setMinPieceMl(double(small + 1) / 1000.0);
        QTRY_COMPARE(labelled(document, GgoController::kLayerName), ball);
        // The median off: the raw balls (no tips lost).
        controller.setKeepLargest(true);
        controller.setSmooth(false);
        QTRY_VERIFY(labelled(document, GgoController::kLayerName) > ball);
        // The surface follows once the mask settles.
        QTRY_VERIFY_WITH_TIMEOUT(document.findMesh(GgoController::kLayerName) >= 0, 10000);
        const QColor red(int(ggo::kGgoColour[0]), int(ggo::kGgoColour[1]), int(ggo::kGgoColour[2]));
        QVERIFY(red.hueF() < 0.05 || red.hueF() > 0.95); // red
        // The declared session parameters are the live options too.
        const QByteArray declared = GgoController::staticMetaObject.classInfo(
            GgoController::staticMetaObject.indexOfClassInfo("carina.sessionParameters")).value();
        for (const char *name : {"keepLargest", "minPieceMl", "smooth", "insideLungs"})
            QVERIFY(declared.split(' ').contains(name));
    }

    // Without a lung layer the lesion is seen inside the body's see-through surface.
    void the_surface_is_seen_inside_the_body()
    {
        Volume ct = test::syntheticGgoCt();
        // A soft-tissue wall (40 HU) around the lung-like inside, air outside it.
        for (int k = 0; k < 40; ++k)
            for (int j = 0; j < 80; ++j)
                for (int i = 0; i < 80; ++i) {
                    const int edge = std::min({i, j, 79 - i, 79 - j});
                    if (edge < 6)
                        ct.data<std::int16_t>()[ct.geometry().linearIndex(i, j, k)] = std::int16_t(edge < 2 ? -1000 : 40);
                }
        Document document;
        document.setImage(ct);
        GgoController controller(&document);
        document.setCursorIndex(QVector3D(40, 40, 20));
        QVERIFY(controller.regionAroundCursor(30.0));
        QTRY_VERIFY_WITH_TIMEOUT(document.findMesh(GgoController::kLayerName) >= 0, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(document.findMesh(GgoController::kBodyMeshName) >= 0, 10000);
        QVERIFY(document.mesh(document.findMesh(GgoController::kBodyMeshName))->opacity < 0.5f);
        QVERIFY(document.mesh(document.findMesh(GgoController::kLayerName))->opacity > 0.5f);
    }

    void presets_and_otsu_suggest_a_range()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        GgoController controller(&document);
        controller.applyPreset(QStringLiteral("consolidation"));
        QCOMPARE(controller.lowHu(), -300.0);
        QCOMPARE(controller.highHu(), 50.0);
        controller.applyPreset(QStringLiteral("ggo"));
        QCOMPARE(controller.lowHu(), -700.0);
        QCOMPARE(controller.highHu(), -300.0);
        controller.applyPreset(QStringLiteral("bone"));
        QVERIFY(controller.task()->error().contains(QLatin1String("Unknown")));
        document.setCursorIndex(QVector3D(40, 40, 20));
        QVERIFY(controller.regionAroundCursor(20.0));
        QTRY_VERIFY(!controller.histogram().isEmpty());
        // Lung (-850) and lesion (-550): Otsu between them.
        QVERIFY2(controller.otsuHu() > -850 && controller.otsuHu() < -550, qPrintable(QString::number(controller.otsuHu())));
    }

    // Outlines on several slices are interpolated; one on the same slice replaces; one cleared
    // leaves the others.
    void outlines_on_several_slices_are_interpolated()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        GgoController controller(&document);
        const auto square = [](int slice, int half) {
            return shape(DrawnShape::Kind::Rectangle, algo::SlicePlane::Axial, slice,
                         {Eigen::Vector3d(40 - half, 40 - half, slice), Eigen::Vector3d(40 + half, 40 + half, slice)});
        };
        controller.takeShape(square(15, 2));
        controller.takeShape(square(25, 8));
        QCOMPARE(controller.outlineSlices(), (QVariantList{15, 25}));
        GgoRegion region = controller.region();
        QCOMPARE(region.box.begin[2], 15);
        QCOMPARE(region.box.end[2], 26);
        QVERIFY(!region.mask.empty());
        // A square that grows from 5 to 17 voxels wide: about 11 wide half-way.
        const auto widthAt = [&](int z) {
            const GgoRegion &r = controller.region();
            int w = 0;
            for (int x = 0; x < r.box.end[0] - r.box.begin[0]; ++x)
                w += r.inside(x, 40 - r.box.begin[1], z - r.box.begin[2]);
            return w;
        };
        QCOMPARE(widthAt(15), 5);
        QCOMPARE(widthAt(25), 17);
        QVERIFY2(std::abs(widthAt(20) - 11) <= 1, qPrintable(QString::number(widthAt(20))));
        // The same slice again: replaced.
        controller.takeShape(square(25, 4));
        QCOMPARE(controller.outlineSlices(), (QVariantList{15, 25}));
        QCOMPARE(widthAt(25), 9);
        // One cleared: the other alone, a prism over the depth.
        QVERIFY(controller.clearOutline(25));
        QCOMPARE(controller.outlineSlices(), (QVariantList{15}));
        QVERIFY(controller.region().mask.empty());
        QCOMPARE(controller.firstSlice(), 0);
        QVERIFY(!controller.clearOutline(7));
        // The region layer shows the interpolated solid.
        controller.takeShape(square(25, 8));
        const LabelVolume &shown = *document.layer(document.findLayer(GgoController::kRegionLayerName)).labels;
        QCOMPARE(std::uint64_t(std::count(shown.data(), shown.data() + shown.voxelCount(), GgoController::kRegionLabel)),
                 controller.region().voxelCount());
        QCOMPARE(controller.regionVolumeMl(), double(controller.region().voxelCount()) / 1000.0);
    }

    void a_side_view_limits_the_region_in_its_plane()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        GgoController controller(&document);
        controller.takeShape(shape(DrawnShape::Kind::Rectangle, algo::SlicePlane::Axial, 20,
                                   {Eigen::Vector3d(30, 30, 20), Eigen::Vector3d(50, 50, 20)}));
        // A coronal rectangle over x 35..45, slices 15..25: the region narrows in x too.
        controller.takeShape(shape(DrawnShape::Kind::Rectangle, algo::SlicePlane::Coronal, 40,
                                   {Eigen::Vector3d(35, 40, 15), Eigen::Vector3d(45, 40, 25)}));
        QVERIFY(controller.hasSideLimit());
        QCOMPARE(controller.region().box.begin, (Dims{35, 30, 15}));
        QCOMPARE(controller.region().box.end, (Dims{46, 51, 26}));
        // A sagittal one replaces it and limits y.
        controller.takeShape(shape(DrawnShape::Kind::Rectangle, algo::SlicePlane::Sagittal, 40,
                                   {Eigen::Vector3d(40, 38, 18), Eigen::Vector3d(40, 42, 22)}));
        QCOMPARE(controller.region().box.begin, (Dims{30, 38, 18}));
        QCOMPARE(controller.region().box.end, (Dims{51, 43, 23}));
        controller.clearSideLimit();
        QVERIFY(!controller.hasSideLimit());
        QCOMPARE(controller.region().box.begin[1], 30);
    }

    // A lung layer: the region can be limited to it, and the lesion's share of each lung shows.
    void inside_the_lungs_and_each_lungs_share()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        GgoController controller(&document);
        QVERIFY(!controller.hasLungLayer());
        controller.setInsideLungs(true);
        QVERIFY(!controller.hasRegion());
        QVERIFY(controller.task()->status().contains(QLatin1String("lung")));
        // Right lung (label 1): x < 40; left lung (2): x >= 40, both y 10..70, z 5..35.
        auto lungs = std::make_shared<LabelVolume>(document.image().geometry());
        for (int z = 5; z < 35; ++z)
            for (int y = 10; y < 70; ++y)
                for (int x = 5; x < 75; ++x)
                    lungs->set(x, y, z, x < 40 ? 1 : 2);
        QSignalSpy lungSignal(&controller, &GgoController::lungsChanged);
        document.addLayer(GgoController::kLungLayerName, lungs);
        QVERIFY(controller.hasLungLayer());
        QVERIFY(!lungSignal.isEmpty());
        // Inside the lungs with no outline: the lungs are the region.
        QVERIFY(controller.hasRegion());
        QCOMPARE(controller.region().box.begin, (Dims{5, 10, 5}));
        QCOMPARE(controller.region().box.end, (Dims{75, 70, 35}));
        const std::uint64_t ball = test::ballVoxelsAfterMedian(6);
        QTRY_COMPARE(labelled(document, GgoController::kLayerName), ball);
        QVERIFY(controller.hasLungShares());
        // In 3D, inside the see-through lungs.
        QTRY_VERIFY_WITH_TIMEOUT(document.findMesh(GgoController::kContextMeshName) >= 0, 10000);
        // The ball straddles x = 40: its voxels at x < 40 are the right lung's share.
        std::uint64_t right = 0;
        const LabelVolume &ggoLayer = *document.layer(document.findLayer(GgoController::kLayerName)).labels;
        for (int z = 0; z < 40; ++z)
            for (int y = 0; y < 80; ++y)
                for (int x = 0; x < 40; ++x)
                    right += ggoLayer.at(x, y, z) == ggo::kGgoLabel;
        const double lungVoxels = 35.0 * 60 * 30;
        QVERIFY(std::abs(controller.rightLungPercent() - 100.0 * double(right) / lungVoxels) < 1e-9);
        QVERIFY(std::abs(controller.leftLungPercent() - 100.0 * double(ball - right) / lungVoxels) < 1e-9);
        // An outline partly outside the lungs is cut to them.
        controller.takeShape(shape(DrawnShape::Kind::Rectangle, algo::SlicePlane::Axial, 20,
                                   {Eigen::Vector3d(0, 0, 20), Eigen::Vector3d(50, 50, 20)}));
        QCOMPARE(controller.region().box.begin, (Dims{5, 10, 5}));
        QCOMPARE(controller.region().box.end, (Dims{51, 51, 35}));
        // The CSV has the lungs' columns.
        QTRY_VERIFY(controller.hasResult());
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("ggo.csv"));
        QVERIFY2(controller.exportCsv(csv), qPrintable(controller.task()->error()));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[0].contains(QLatin1String("right_lung_percent")));
        QCOMPARE(lines[1].split(u',').size(), lines[0].split(u',').size());
        QVERIFY(!lines[1].split(u',').last().isEmpty());
        // A region outside the lungs is explained.
        controller.takeShape(shape(DrawnShape::Kind::Rectangle, algo::SlicePlane::Axial, 2,
                                   {Eigen::Vector3d(0, 0, 2), Eigen::Vector3d(3, 3, 2)}));
        QVERIFY(controller.clearOutline(20));
        QVERIFY(!controller.hasRegion());
        QVERIFY2(controller.task()->error().contains(QLatin1String("no lung")), qPrintable(controller.task()->error()));
    }

    void images_that_are_not_ct_are_refused()
    {
        Volume mr = test::syntheticGgoCt();
        mr.info().modality = "MR";
        mr.info().units.clear();
        Document document;
        document.setImage(mr);
        GgoController controller(&document);
        document.setCursorIndex(QVector3D(40, 40, 20));
        QVERIFY(controller.regionAroundCursor(20.0));
        QVERIFY(!controller.run());
        QVERIFY2(controller.task()->error().contains(QLatin1String("MR")), qPrintable(controller.task()->error()));
        QVERIFY(!controller.findLungs());
        QVERIFY(controller.task()->error().contains(QLatin1String("MR")));
        // A photograph-like image: no modality, values 0..255.
        ImageGeometry g;
        g.dims = {32, 32, 1};
        Volume png(VoxelType::UInt8, g);
        for (std::size_t n = 0; n < png.voxelCount(); ++n)
            png.data<std::uint8_t>()[n] = std::uint8_t(n % 256);
        Document photo;
        photo.setImage(png);
        GgoController onPhoto(&photo);
        photo.setCursorIndex(QVector3D(16, 16, 0));
        QVERIFY(onPhoto.regionAroundCursor(10.0));
        QVERIFY(!onPhoto.run());
        QVERIFY2(onPhoto.task()->error().contains(QLatin1String("Hounsfield")), qPrintable(onPhoto.task()->error()));
    }

    void a_new_image_clears_everything_and_the_tools_are_given_back()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        {
            GgoController controller(&document);
            controller.setDrawing(true);
            document.setCursorIndex(QVector3D(40, 40, 20));
            QVERIFY(controller.regionAroundCursor(30.0));
            QVERIFY(runAndWait(controller));
            // A derived image on display (another plugin's masked CT) is the same study.
            document.showDerivedImage(test::syntheticGgoCt(), QStringLiteral("Masked CT"));
            QVERIFY(controller.hasRegion());
            QVERIFY(controller.hasResult());
            document.setImage(test::syntheticGgoCt());
            QVERIFY(!controller.hasRegion());
            QVERIFY(!controller.hasResult());
        }
        // The controller is gone: the drawing tools paint again.
        QVERIFY(document.shapeConsumer().isEmpty());
    }

    void labels_export_as_nifti()
    {
        Document document;
        document.setImage(test::syntheticGgoCt());
        GgoController controller(&document);
        document.setCursorIndex(QVector3D(40, 40, 20));
        QVERIFY(controller.regionAroundCursor(30.0));
        QVERIFY(runAndWait(controller));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ggo.nii.gz"));
        QVERIFY2(controller.exportLabels(QUrl::fromLocalFile(path).toString()), qPrintable(controller.task()->error()));
        const Volume back = io::readVolume(path.toStdString()).volume;
        QCOMPARE(back.dims(), document.image().dims());
        std::uint64_t lesion = 0;
        for (int k = 0; k < back.dims()[2]; ++k)
            for (int j = 0; j < back.dims()[1]; ++j)
                for (int i = 0; i < back.dims()[0]; ++i)
                    lesion += back.valueAt(i, j, k) == double(ggo::kGgoLabel);
        QCOMPARE(lesion, test::ballVoxelsAfterMedian(6));
    }
};

QTEST_GUILESS_MAIN(TestGgoController)
#include "test_ggo_controller.moc"
