// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The Label properties panel as the shell gets it (plugin library loaded by the host, panel
// from panelUrl()), driven by touch on the anchors' cells_2048: measure, filter with
// `area < 1000 and perimeter > 200`, check which contours the views draw, tap a row.
#include "NpyImage.h"
#include "PanelHarness.h"
#include "QuickItemSearch.h"

#include <carina/algo/RegionProperties.h>
#include <carina/algo/SliceRender.h>

#include <QPainter>
#include <QtTest>

#include <set>

using namespace carina;
using carina::test::findItem;

namespace {

const QString kAnchorData = qEnvironmentVariable("CARINA_ANCHOR_DATA", QStringLiteral("/tmp/carina-anchor-data"));

void typeText(QQuickWindow &window, const QString &text)
{
    for (const QChar c : text)
        QTest::keyClick(&window, c.toLatin1());
}

// First pixel (raster order) of region `r`: always on its contour.
std::pair<int, int> contourPixel(const LabelVolume &labels, const algo::RegionProperties &r)
{
    const int y = r.bboxMin[1];
    for (int x = r.bboxMin[0]; x < r.bboxMax[0]; ++x)
        if (labels.at(x, y, 0) == r.label)
            return {x, y};
    return {-1, -1};
}

} // namespace

class TestLabelPropsPanel : public QObject
{
    Q_OBJECT

private slots:
    void filter_then_tap_a_row_by_touch()
    {
        const Volume cells = carina::test::loadNpyUInt8(kAnchorData + "/cells_2048.npy");
        if (cells.isNull())
            QSKIP("cells_2048.npy absent from $CARINA_ANCHOR_DATA or /tmp/carina-anchor-data (run /work/shared/anchors/gen_data.py)");
        test::PanelHarness harness;
        QVERIFY2(harness.load(QStringLiteral("labelprops"), cells), qPrintable(harness.error()));
        QVERIFY2(harness.show(QSize(460, 900)), qPrintable(harness.error()));
        Document &document = harness.document();
        QObject *controllerObject = harness.controller();
        QQuickItem *panel = harness.panel();
        QQuickWindow &window = harness.window();

        // Measure (Otsu, bright objects, 8 neighbours: the anchor's table).
        QQuickItem *measure = findItem(panel, QStringLiteral("measureButton"));
        QVERIFY(measure);
        QVERIFY(measure->height() >= 48);
        harness.tap(measure);
        QTRY_VERIFY_WITH_TIMEOUT(controllerObject->property("hasResult").toBool(), 20000);
        QObject *task = controllerObject->property("task").value<QObject *>();
        QVERIFY(task);
        QTRY_VERIFY(!task->property("busy").toBool());
        QVERIFY2(task->property("error").toString().isEmpty(), qPrintable(task->property("error").toString()));
        QQuickItem *status = findItem(panel, QStringLiteral("statusLabel"));
        QVERIFY(status);
        QTRY_VERIFY(status->property("text").toString().startsWith(QStringLiteral("1559 region")));
        // The plugin's own classes stay inside it: the test talks to them through Qt's meta-objects.
        auto *model = qobject_cast<QAbstractItemModel *>(controllerObject->property("table").value<QObject *>());
        QVERIFY(model);
        const auto labelAt = [&](int row) {
            int label = 0;
            QMetaObject::invokeMethod(model, "labelAt", Q_RETURN_ARG(int, label), Q_ARG(int, row));
            return label;
        };
        QCOMPARE(model->property("totalRows").toInt(), 1559);
        QQuickItem *rowCount = findItem(panel, QStringLiteral("rowCountLabel"));
        QVERIFY(rowCount);
        QTRY_COMPARE(rowCount->property("text").toString(), QStringLiteral("1559 of 1559 regions"));

        // Type the expression into its field.
        QQuickItem *field = findItem(panel, QStringLiteral("expressionField"));
        QVERIFY(field);
        harness.tap(field);
        QTRY_VERIFY(field->hasActiveFocus());
        typeText(window, QStringLiteral("area < 1000 and perimeter > 200"));
        QTest::keyClick(&window, Qt::Key_Return);

        // The reference: the core's region properties of the layer the panel made.
        const int layer = controllerObject->property("resultLayer").toInt();
        QVERIFY(layer >= 0);
        const LabelVolume &labels = *document.layer(layer).labels;
        const algo::RegionTable table = algo::computeRegionProperties(labels, &document.image());
        std::set<std::uint32_t> expected;
        for (const algo::RegionProperties &r : table.regions)
            if (r.area < 1000 && r.perimeter > 200)
                expected.insert(r.label);
        QVERIFY(!expected.empty() && expected.size() < 1559);
        QTRY_COMPARE(model->rowCount(), int(expected.size()));
        QCOMPARE(rowCount->property("text").toString(), QStringLiteral("%1 of 1559 regions").arg(expected.size()));
        for (int row = 0; row < model->rowCount(); ++row)
            QVERIFY(expected.count(std::uint32_t(labelAt(row))));

        // The views draw exactly those contours: render the slice as every view does.
        algo::SliceImage slice;
        algo::renderSlice(document.image(), algo::SlicePlane::Axial, 0, document.windowCenter(), document.windowWidth(),
                          document.visibleOverlays(), slice);
        const auto isGrey = [&](std::pair<int, int> p) {
            const std::uint32_t c = slice.rgba[std::size_t(p.second * slice.width + p.first)];
            return (c & 0xff) == ((c >> 8) & 0xff) && (c & 0xff) == ((c >> 16) & 0xff);
        };
        for (const algo::RegionProperties &r : table.regions) {
            const auto p = contourPixel(labels, r);
            const auto info = labels.table().find(std::uint16_t(r.label));
            QVERIFY(info);
            QCOMPARE(info->visible, expected.count(r.label) == 1);
            if (expected.count(r.label)) {
                const std::uint32_t c = slice.rgba[std::size_t(p.second * slice.width + p.first)];
                QCOMPARE(c, 0xff000000u | (std::uint32_t(info->rgb[2]) << 16) | (std::uint32_t(info->rgb[1]) << 8) | info->rgb[0]);
            } else {
                QVERIFY2(isGrey(p), qPrintable(QStringLiteral("hidden region %1 still drawn").arg(r.label)));
            }
        }

        // Tap the first row's area cell: the region is highlighted and the views move to it.
        QQuickItem *tableView = findItem(panel, QStringLiteral("regionTable"));
        QVERIFY(tableView);
        QTRY_COMPARE(tableView->property("rows").toInt(), int(expected.size()));
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const int label = labelAt(0);
        harness.tap(tableView, {104 * 1.5, 36 * 0.5});
        QTRY_COMPARE(controllerObject->property("selectedLabel").toInt(), label);
        QCOMPARE(document.layerHighlight(layer), label);
        const auto region = std::find_if(table.regions.begin(), table.regions.end(),
                                         [&](const algo::RegionProperties &r) { return int(r.label) == label; });
        const QVector3D cursor = document.cursorIndex();
        QCOMPARE(labels.at(int(std::lround(cursor.x())), int(std::lround(cursor.y())), 0), std::uint16_t(label));
        QVERIFY(std::abs(cursor.x() - region->centroid[0]) < region->bboxMax[0] - region->bboxMin[0]);
        algo::renderSlice(document.image(), algo::SlicePlane::Axial, 0, document.windowCenter(), document.windowWidth(),
                          document.visibleOverlays(), slice);
        const auto p = contourPixel(labels, *region);
        QCOMPARE(slice.rgba[std::size_t(p.second * slice.width + p.first)], 0xff40e600u); // highlight green
        QQuickItem *selection = findItem(panel, QStringLiteral("selectionLabel"));
        QVERIFY(selection);
        QTRY_VERIFY(selection->property("text").toString().startsWith(QStringLiteral("Region %1:").arg(label)));

        // A malformed expression: a message in the panel, all rows back, nothing crashes.
        harness.tap(field);
        QTRY_VERIFY(field->hasActiveFocus());
        QMetaObject::invokeMethod(field, "selectAll");
        typeText(window, QStringLiteral("area <"));
        QTest::keyClick(&window, Qt::Key_Return);
        QQuickItem *error = findItem(panel, QStringLiteral("filterErrorLabel"));
        QVERIFY(error);
        QTRY_VERIFY(error->isVisible());
        QVERIFY(error->property("text").toString().contains(QStringLiteral("expected a number")));
        QCOMPARE(model->rowCount(), 1559);

        // Typing alone filters, a moment after the typing stops: no Enter needed.
        harness.tap(field);
        QTRY_VERIFY(field->hasActiveFocus());
        QMetaObject::invokeMethod(field, "selectAll");
        typeText(window, QStringLiteral("area > 300"));
        QVERIFY(model->property("expression").toString() != QStringLiteral("area > 300")); // not on every key
        QTRY_COMPARE_WITH_TIMEOUT(model->property("expression").toString(), QStringLiteral("area > 300"), 3000);
        QVERIFY(model->rowCount() > 0 && model->rowCount() < 1559);
        QVERIFY(!findItem(panel, QStringLiteral("filterErrorLabel"))->isVisible());

        // On request, a picture for the docs: the panel beside the slice as the views render it.
        const QString shotPath = qEnvironmentVariable("CARINA_LABELPROPS_SCREENSHOT");
        if (!shotPath.isEmpty()) {
            field->setFocus(false);
            model->setProperty("expression", QStringLiteral("area > 300"));
            QTRY_COMPARE(field->property("text").toString(), QStringLiteral("area > 300"));
            QVERIFY(model->property("filterError").toString().isEmpty());
            QMetaObject::invokeMethod(controllerObject, "selectRow", Q_ARG(int, 3));
            QTest::qWait(500);
            const QImage panelShot = window.grabWindow();
            algo::renderSlice(document.image(), algo::SlicePlane::Axial, 0, document.windowCenter(),
                              document.windowWidth(), document.visibleOverlays(), slice);
            const QImage full(reinterpret_cast<const uchar *>(slice.rgba.data()), slice.width, slice.height,
                              QImage::Format_RGBA8888);
            const QVector3D at = document.cursorIndex();
            const int side = 600;
            const int x0 = std::clamp(int(at.x()) - side / 2, 0, slice.width - side);
            const int y0 = std::clamp(int(at.y()) - side / 2, 0, slice.height - side);
            const QImage crop = full.copy(x0, y0, side, side).scaled(900, 900, Qt::KeepAspectRatio, Qt::FastTransformation);
            QImage out(panelShot.width() + crop.width(), std::max(panelShot.height(), crop.height()), QImage::Format_RGB32);
            out.fill(Qt::black);
            QPainter painter(&out);
            painter.drawImage(0, 0, crop);
            painter.drawImage(crop.width(), 0, panelShot);
            painter.end();
            QVERIFY2(out.save(shotPath), qPrintable(shotPath));
            qInfo("screenshot: %s", qPrintable(shotPath));
        }
    }
};

QTEST_MAIN(TestLabelPropsPanel)
#include "test_labelprops_panel.moc"
