// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The Label properties plugin through its controller, the way the panel and the shell drive it:
// labelling options, the linked table (filters, selection, cursor), deleting rows with undo,
// measuring an existing layer and the exports.
#include "LabelPropsController.h"

#include <carina/Document.h>
#include <carina/io/Nifti.h>
#include <carina/io/VolumeReader.h>

#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace carina;
using carina::labelprops::LabelPropsController;
using carina::labelprops::RegionTableModel;

namespace {

// 64 x 48 pixels of 0.5 x 0.25 mm, background 10, objects 200, in raster order of first pixel:
// 1: 10 x 10 square at (5..14, 5..14); 2: 20 x 6 bar at (30..49, 5..10); 3: 12 x 12 ring with a
// 4 x 4 hole at (5..16, 25..36); 4: two diagonal pixels (50,30), (51,31); 5: one pixel (60,40).
Volume syntheticImage()
{
    ImageGeometry g;
    g.dims = {64, 48, 1};
    g.spacing = {0.5, 0.25, 1.0};
    Volume v(VoxelType::UInt8, g);
    auto *p = v.data<std::uint8_t>();
    std::fill(p, p + v.voxelCount(), std::uint8_t(10));
    auto fill = [&](int x0, int y0, int w, int h, std::uint8_t value) {
        for (int y = y0; y < y0 + h; ++y)
            for (int x = x0; x < x0 + w; ++x)
                p[g.linearIndex(x, y, 0)] = value;
    };
    fill(5, 5, 10, 10, 200);
    fill(30, 5, 20, 6, 200);
    fill(5, 25, 12, 12, 200);
    fill(9, 29, 4, 4, 10);
    fill(50, 30, 1, 1, 200);
    fill(51, 31, 1, 1, 200);
    fill(60, 40, 1, 1, 200);
    return v;
}

// Runs a measurement to its end; true when it committed a result.
bool measure(LabelPropsController &c)
{
    QSignalSpy finished(c.task(), &TaskRunner::finished);
    if (!c.run())
        return false;
    if (finished.isEmpty() && !finished.wait(10000))
        return false;
    return finished.first().first().toBool() && !c.task()->busy();
}

QList<int> labels(const RegionTableModel &m)
{
    QList<int> out;
    for (int r = 0; r < m.rowCount(); ++r)
        out.append(m.labelAt(r));
    return out;
}

} // namespace

class TestLabelPropsController : public QObject
{
    Q_OBJECT

private slots:
    void measures_into_an_outlined_layer_with_the_options()
    {
        Document doc;
        doc.setImage(syntheticImage());
        LabelPropsController c(&doc);
        QCOMPARE(c.neighbourChoices(), (QVariantList{4, 8}));
        QVERIFY(measure(c));
        QVERIFY(c.hasResult());
        QVERIFY(c.usedThreshold() >= 10 && c.usedThreshold() < 200);
        QCOMPARE(labels(*c.table()), (QList<int>{1, 2, 3, 4, 5}));
        QCOMPARE(c.table()->valueOf(1, "area"), 100.0);
        QCOMPARE(c.table()->valueOf(2, "area"), 120.0);
        QCOMPARE(c.table()->valueOf(3, "area"), 128.0);
        QCOMPARE(c.table()->valueOf(3, "euler_number"), 0.0);
        QCOMPARE(c.table()->valueOf(1, "area_mm2"), 100 * 0.125);
        QCOMPARE(c.table()->valueOf(4, "area"), 2.0);
        const int layer = c.resultLayer();
        QCOMPARE(doc.layerName(layer), QStringLiteral("Regions"));
        QVERIFY(doc.layerOutline(layer));
        QCOMPARE(doc.visibleOverlays().size(), std::size_t(1));
        QVERIFY(doc.visibleOverlays().front().outline);

        // 4 neighbours split the diagonal pair; min size drops the single pixels.
        c.setNeighbours(4);
        QVERIFY(measure(c));
        QCOMPARE(c.table()->totalRows(), 6);
        QCOMPARE(doc.layerCount(), 1); // the old result layer was replaced
        c.setMinSize(2);
        QVERIFY(measure(c));
        QCOMPARE(c.table()->totalRows(), 3);
        c.setNeighbours(8);
        QVERIFY(measure(c));
        QCOMPARE(c.table()->totalRows(), 4);

        // Dark objects: the background (and the ring's hole) are the objects now.
        c.setMinSize(0);
        c.setOtsu(false);
        c.setThreshold(100);
        c.setDarkObjects(true);
        QVERIFY(measure(c));
        QCOMPARE(c.table()->totalRows(), 2);
        QCOMPARE(c.table()->valueOf(2, "area"), 16.0);

        // A manual threshold above every value leaves nothing bright.
        c.setDarkObjects(false);
        c.setThreshold(250);
        QVERIFY(measure(c));
        QCOMPARE(c.table()->totalRows(), 0);
        QCOMPARE(c.usedThreshold(), 250.0);
    }

    void filters_hide_contours_and_colour_follows_the_column()
    {
        Document doc;
        doc.setImage(syntheticImage());
        LabelPropsController c(&doc);
        QVERIFY(measure(c));
        RegionTableModel &m = *c.table();
        m.setExpression("area >= 100 and perimeter > 40");
        QVERIFY(m.filterError().isEmpty());
        QCOMPARE(labels(m), (QList<int>{2, 3}));
        const LabelTable &table = doc.layer(c.resultLayer()).labels->table();
        for (int id = 1; id <= 5; ++id)
            QCOMPARE(table.find(std::uint16_t(id))->visible, id == 2 || id == 3);
        // Colour by area over the shown rows: 120 at the bottom of plasma, 128 at the top.
        QCOMPARE(c.colourMin(), 120.0);
        QCOMPARE(c.colourMax(), 128.0);
        QCOMPARE(table.find(2)->rgb, labelprops::plasma(0.0));
        QCOMPARE(table.find(3)->rgb, labelprops::plasma(1.0));

        // Column filters add up with the expression; sorting orders the rows.
        QVERIFY(m.setColumnFilter("area", "120").isEmpty());
        QCOMPARE(labels(m), (QList<int>{2}));
        m.clearFilters();
        m.sortBy("area");
        QCOMPARE(labels(m), (QList<int>{5, 4, 1, 2, 3}));
        m.sortBy("area");
        QCOMPARE(labels(m), (QList<int>{3, 2, 1, 4, 5}));

        // A malformed filter says so and filters nothing; the table is not lost.
        m.setExpression("area <");
        QVERIFY(m.filterError().contains("expected a number"));
        QCOMPARE(m.rowCount(), 5);
        QVERIFY(!m.setColumnFilter("perimeter", "> x").isEmpty());
        QVERIFY(m.filterError().contains("perimeter filter"));
        QCOMPARE(m.rowCount(), 5);

        // Hidden columns are not in the view.
        m.setColumnShown("perimeter", false);
        QVERIFY(!m.shownColumns().contains("perimeter"));
        QCOMPARE(m.columnCount(), m.allColumns().size() - 1);
    }

    void rows_and_regions_select_each_other()
    {
        Document doc;
        doc.setImage(syntheticImage());
        LabelPropsController c(&doc);
        QVERIFY(measure(c));
        const int layer = c.resultLayer();
        // Row of label 2 -> highlighted, cursor on its centroid (39.5, 7.5).
        c.selectRow(c.table()->rowOfLabel(2));
        QCOMPARE(c.selectedLabel(), 2);
        QCOMPARE(doc.layerHighlight(layer), 2);
        QCOMPARE(doc.visibleOverlays().front().highlighted, std::uint16_t(2));
        QVERIFY((doc.cursorIndex() - QVector3D(39.5f, 7.5f, 0)).length() < 1e-3f);
        QCOMPARE(c.selectedProperties().value("area").toString(), QStringLiteral("120"));
        // The ring's centroid is in its hole: the cursor goes to the nearest pixel of the ring.
        c.selectRow(c.table()->rowOfLabel(3));
        const QVector3D at = doc.cursorIndex();
        QCOMPARE(doc.layer(layer).labels->at(int(at.x()), int(at.y()), 0), std::uint16_t(3));
        // Moving the cursor onto region 1 (a tap on the slice) selects its row.
        doc.setCursorIndex(QVector3D(7, 8, 0));
        QCOMPARE(c.selectedLabel(), 1);
        QCOMPARE(c.selectedRow(), c.table()->rowOfLabel(1));
        doc.setCursorIndex(QVector3D(0, 0, 0));
        QCOMPARE(c.selectedLabel(), 0);
        QCOMPARE(doc.layerHighlight(layer), 0);
    }

    void deleting_rows_clears_their_labels_undoably()
    {
        Document doc;
        doc.setImage(syntheticImage());
        LabelPropsController c(&doc);
        QVERIFY(measure(c));
        const int layer = c.resultLayer();
        const LabelVolume &labels = *doc.layer(layer).labels;
        QVERIFY(c.deleteRows({c.table()->rowOfLabel(1), c.table()->rowOfLabel(5)}));
        QCOMPARE(labels.at(7, 7, 0), std::uint16_t(0));
        QCOMPARE(labels.at(60, 40, 0), std::uint16_t(0));
        QCOMPARE(labels.at(35, 7, 0), std::uint16_t(2));
        QCOMPARE(labelsOf(*c.table()), (QList<int>{2, 3, 4}));
        QCOMPARE(c.table()->totalRows(), 3);
        doc.undo();
        QCOMPARE(labels.at(7, 7, 0), std::uint16_t(1));
        QCOMPARE(labelsOf(*c.table()), (QList<int>{1, 2, 3, 4, 5}));
        doc.redo();
        QCOMPARE(labelsOf(*c.table()), (QList<int>{2, 3, 4}));
        c.selectRow(c.table()->rowOfLabel(4));
        QVERIFY(c.deleteSelected());
        QCOMPARE(c.selectedLabel(), 0);
        QCOMPARE(labelsOf(*c.table()), (QList<int>{2, 3}));
        QVERIFY(!c.task()->status().contains("edited"));
    }

    void measures_an_existing_layer_in_place()
    {
        Document doc;
        doc.setImage(syntheticImage());
        auto layer = std::make_shared<LabelVolume>(doc.image().geometry());
        for (int x = 0; x < 10; ++x)
            layer->set(x, 0, 0, 7);
        layer->set(20, 20, 0, 9);
        doc.addLayer("Manual", layer);
        LabelPropsController c(&doc);
        QCOMPARE(c.layerNames(), QStringList{"Manual"});
        c.setSourceLayer(0);
        QVERIFY(measure(c));
        QCOMPARE(doc.layerCount(), 1);
        QCOMPARE(c.resultLayer(), 0);
        QCOMPARE(labels(*c.table()), (QList<int>{7, 9}));
        QCOMPARE(c.table()->valueOf(7, "area"), 10.0);
        QCOMPARE(c.table()->valueOf(7, "mean_intensity"), 10.0);
        QVERIFY(doc.layerOutline(0));

        // The layer removed while it is measured: said so, and not added back.
        QSignalSpy finished(c.task(), &TaskRunner::finished);
        QVERIFY(c.run());
        doc.removeLayer(0);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(c.task()->error().contains("removed"));
        QCOMPARE(doc.layerCount(), 0);
    }

    void a_newer_measurement_supersedes_a_running_one()
    {
        Document doc;
        doc.setImage(syntheticImage());
        LabelPropsController c(&doc);
        QSignalSpy finished(c.task(), &TaskRunner::finished);
        c.setOtsu(false);
        c.setThreshold(250); // nothing bright: no row, were it committed
        QVERIFY(c.run());
        QVERIFY(c.task()->busy());
        c.setOtsu(true);
        QVERIFY(measure(c));
        QCOMPARE(finished.count(), 1); // the first one never commits
        QCOMPARE(c.table()->totalRows(), 5);
        QCOMPARE(doc.layerCount(), 1);
        QTest::qWait(50);
        QCOMPARE(finished.count(), 1);
    }

    void a_canceled_or_orphaned_measurement_changes_nothing()
    {
        Document doc;
        doc.setImage(syntheticImage());
        LabelPropsController c(&doc);
        QSignalSpy canceled(c.task(), &TaskRunner::canceled);
        QSignalSpy finished(c.task(), &TaskRunner::finished);
        QVERIFY(c.run());
        c.task()->cancel();
        QVERIFY(canceled.wait(10000));
        QVERIFY(!c.task()->busy());
        QVERIFY(!c.hasResult());
        QCOMPARE(doc.layerCount(), 0);
        QVERIFY(c.task()->status().contains("Canceled"));
        QCOMPARE(finished.count(), 0);

        // A new study while measuring drops the run: nothing lands in the new study.
        QVERIFY(c.run());
        doc.setImage(syntheticImage());
        QVERIFY(!c.task()->busy());
        QTest::qWait(200);
        QVERIFY(!c.hasResult());
        QCOMPARE(doc.layerCount(), 0);
        QCOMPARE(finished.count(), 0);

        // Without a single-channel image run() refuses and says why.
        LabelPropsController empty(nullptr);
        QVERIFY(!empty.run());
        QVERIFY(empty.task()->error().contains("Open an image"));
    }

    void a_derived_image_on_display_keeps_the_table_a_new_study_clears_it()
    {
        Document doc;
        doc.setImage(syntheticImage());
        LabelPropsController c(&doc);
        QVERIFY(measure(c));
        c.selectRow(c.table()->rowOfLabel(2));
        const int layer = c.resultLayer();
        QVERIFY(layer >= 0);
        const std::shared_ptr<LabelVolume> regions = doc.layer(layer).labels;

        // Showing a derived image of the same study (lungmesh's masked CT) and going back to the
        // loaded one changes the displayed voxels only: table, selection and layer stay linked.
        Volume masked = syntheticImage();
        std::fill(masked.data<std::uint8_t>(), masked.data<std::uint8_t>() + masked.voxelCount(), std::uint8_t(0));
        doc.showDerivedImage(masked, QStringLiteral("Masked"));
        doc.showLoadedImage();
        QVERIFY(c.hasResult());
        QCOMPARE(c.table()->totalRows(), 5);
        QCOMPARE(c.selectedLabel(), 2);
        QCOMPARE(c.resultLayer(), layer);
        QCOMPARE(doc.layer(layer).labels, regions);
        QCOMPARE(doc.layerHighlight(layer), 2);
        // Still linked: a tap on region 1 selects its row, deleting it edits the layer.
        doc.setCursorIndex(QVector3D(7, 8, 0));
        QCOMPARE(c.selectedLabel(), 1);
        QVERIFY(c.deleteSelected());
        QCOMPARE(regions->at(7, 7, 0), std::uint16_t(0));
        doc.undo();

        // A new study clears the result (its layer went with the old study).
        doc.setImage(syntheticImage());
        QVERIFY(!c.hasResult());
        QCOMPARE(c.table()->totalRows(), 0);
        QCOMPARE(c.selectedLabel(), 0);
        QCOMPARE(c.resultLayer(), -1);
        QCOMPARE(doc.layerCount(), 0);
        QVERIFY(c.task()->status().isEmpty());
    }

    void exports_the_shown_table_and_the_labels()
    {
        QTemporaryDir dir;
        Document doc;
        doc.setImage(syntheticImage());
        LabelPropsController c(&doc);
        QVERIFY(!c.exportCsv(dir.filePath("early.csv")));
        QVERIFY(c.task()->error().contains("measure first"));
        QVERIFY(measure(c));
        c.table()->setExpression("area > 50");
        c.table()->setColumnShown("orientation", false);
        QVERIFY(c.exportCsv(QUrl::fromLocalFile(dir.filePath("t.csv")).toString()));
        QFile csv(dir.filePath("t.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QVERIFY(lines[0].startsWith("label,area,bbox-0,bbox-1,bbox-2,bbox-3,centroid-0,centroid-1,"));
        QVERIFY(!lines[0].contains("orientation"));
        QVERIFY(lines[1].startsWith("1,100,5,5,15,15,9.5,9.5,"));

        QVERIFY(c.exportLabels(dir.filePath("labels.png")));
        const QImage png(dir.filePath("labels.png"));
        QCOMPARE(png.format(), QImage::Format_Grayscale16);
        QCOMPARE(reinterpret_cast<const std::uint16_t *>(png.constScanLine(31))[51], std::uint16_t(4));
        QVERIFY(c.exportLabels(dir.filePath("labels.nii.gz")));
        const Volume nii = io::readVolume(dir.filePath("labels.nii.gz").toStdString()).volume;
        QCOMPARE(nii.dims(), (Dims{64, 48, 1}));
        QVERIFY(!c.exportLabels(dir.filePath("labels.txt")));
        QVERIFY(c.task()->error().contains(".nii"));
        QVERIFY(!c.exportCsv(dir.filePath("missing/dir/t.csv")));
        QVERIFY(c.task()->error().contains("missing/dir/t.csv"));
    }

private:
    static QList<int> labelsOf(const RegionTableModel &m) { return labels(m); }
};

QTEST_GUILESS_MAIN(TestLabelPropsController)
#include "test_labelprops_controller.moc"
