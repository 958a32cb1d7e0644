// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Pixel sizes with units: parsing what people type, giving an image (and its document's layers
// and meshes) a pixel size, and region properties reported in that unit as well as in pixels.
#include <carina/Document.h>
#include <carina/PixelSize.h>
#include <carina/algo/RegionProperties.h>

#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace carina;

namespace {

// A 2D grey image as an image file gives it: 1 unit per pixel, no known size.
Volume photo(int w, int h)
{
    ImageGeometry g;
    g.dims = {w, h, 1};
    Volume v(VoxelType::UInt8, g);
    v.info().lengthUnit = "px";
    return v;
}

bool near(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); }

} // namespace

class TestPixelSize : public QObject
{
    Q_OBJECT
private slots:
    void parses_values_with_units()
    {
        QCOMPARE(parsePixelSize("0.65um").unit, std::string("um"));
        QCOMPARE(parsePixelSize("0.65um").value, 0.65);
        QCOMPARE(parsePixelSize(" 0.65 \xc2\xb5m ").unit, std::string("um")); // micro sign
        QCOMPARE(parsePixelSize("0.65\xce\xbcm").unit, std::string("um"));    // Greek mu
        QCOMPARE(parsePixelSize("650nm").unit, std::string("nm"));
        QCOMPARE(parsePixelSize("0.5 MM").unit, std::string("mm"));
        QCOMPARE(parsePixelSize("2 microns").unit, std::string("um"));
        QCOMPARE(parsePixelSize("0.8").unit, std::string("mm"));
        QVERIFY(near(parsePixelSize("650nm").millimetres(), 6.5e-4));
        QVERIFY(near(parsePixelSize("0.65um").millimetres(), 6.5e-4));
        for (const char *bad : {"", "um", "-1um", "0nm", "1 furlong", "abc", "nan um"}) {
            bool threw = false;
            try {
                parsePixelSize(bad);
            } catch (const std::invalid_argument &e) {
                threw = std::string(e.what()).size() > 10;
            }
            QVERIFY2(threw, bad);
        }
    }

    void unit_symbols_and_scales()
    {
        QCOMPARE(unitSymbol("um"), std::string("\xc2\xb5m"));
        QCOMPARE(millimetresPer("nm"), 1e-6);
        QCOMPARE(millimetresPer("px"), 0.0);
    }

    void a_2d_image_gets_an_isotropic_pixel()
    {
        Volume v = photo(4, 3);
        applyPixelSize(v, parsePixelSize("0.5um"));
        QVERIFY(near(v.geometry().spacing.x(), 5e-4));
        QVERIFY(near(v.geometry().spacing.y(), 5e-4));
        QVERIFY(near(v.geometry().spacing.z(), 5e-4)); // a thin plate in 3D, not a 1 mm slab
        QCOMPARE(lengthUnitOf(v), std::string("um"));
    }

    void region_areas_are_in_the_unit_and_in_pixels()
    {
        // Two regions of 3 and 5 pixels on an image of 0.5 µm pixels: 0.75 and 1.25 µm².
        Volume image = photo(6, 4);
        applyPixelSize(image, parsePixelSize("0.5um"));
        std::vector<std::uint32_t> labels(24, 0);
        for (int i : {0, 1, 2})
            labels[std::size_t(i)] = 1;
        for (int i : {12, 13, 14, 18, 19})
            labels[std::size_t(i)] = 2;
        const algo::RegionTable t = algo::computeRegionProperties(labels.data(), image.geometry(), &image);
        QCOMPARE(t.lengthUnit, std::string("um"));
        const std::vector<std::string> columns = t.availableColumns();
        for (const char *c : {"area", "area_um2", "centroid_um-0", "perimeter_um", "equivalent_diameter_um"})
            QVERIFY2(std::find(columns.begin(), columns.end(), c) != columns.end(), c);
        QVERIFY(std::find(columns.begin(), columns.end(), "area_mm2") == columns.end());
        for (const auto &r : t.regions) {
            QVERIFY(near(algo::regionValue(t, r, "area_um2"), double(r.area) * 0.25));
            QVERIFY(near(algo::regionValue(t, r, "perimeter_um"), r.perimeter * 0.5));
        }
        // Region 1's centroid is pixel (1, 0): x 0.5 µm, y 0.
        QVERIFY(near(algo::regionValue(t, t.regions[0], "centroid_um-0"), 0.5)); // x, as an LPS point
        QVERIFY(near(algo::regionValue(t, t.regions[0], "centroid_um-1"), 0.0));

        // Without a pixel size a 2D table has its pixel columns only: mm would be made up.
        const Volume plain = photo(6, 4);
        const algo::RegionTable p = algo::computeRegionProperties(labels.data(), plain.geometry(), &plain);
        const std::vector<std::string> pc = p.availableColumns();
        QVERIFY(std::find(pc.begin(), pc.end(), "area_mm2") == pc.end());
        QVERIFY(std::find(pc.begin(), pc.end(), "centroid_mm-0") == pc.end());
        QVERIFY(std::find(pc.begin(), pc.end(), "area") != pc.end());
    }

    void the_document_moves_layers_and_meshes_with_the_pixel_size()
    {
        Document doc;
        doc.setImage(photo(10, 8));
        QVERIFY(doc.is2d());
        QCOMPARE(doc.lengthUnit(), QStringLiteral("px"));
        QVERIFY(doc.pixelSizeText().isEmpty());
        const int layer = doc.addEmptyLayer(QStringLiteral("cells"));
        auto mesh = std::make_shared<Mesh>();
        mesh->name = "m";
        mesh->vertices = {4.0f, 6.0f, 0.0f};
        doc.setMesh(mesh);
        doc.setCursorIndex(QVector3D(3, 5, 0));

        QSignalSpy spy(&doc, &Document::imageChanged);
        QVERIFY(!doc.setPixelSize(QStringLiteral("1 parsec")).isEmpty()); // refused, unchanged
        QCOMPARE(spy.count(), 0);
        QCOMPARE(doc.setPixelSize(QStringLiteral("0.65um")), QString());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(doc.lengthUnit(), QStringLiteral("um"));
        QCOMPARE(doc.pixelSizeText(), QString::fromUtf8("0.65 \xc2\xb5m"));
        QVERIFY(doc.imageSummary().contains(QString::fromUtf8("pixel 0.65 \xc2\xb5m")));
        QVERIFY(doc.layer(layer).labels->geometry().sameGrid(doc.image().geometry(), 1e-12));
        QVERIFY(near(doc.mesh(0)->vertices[0], 4 * 6.5e-4));
        QVERIFY(near(doc.mesh(0)->vertices[1], 6 * 6.5e-4));
        QCOMPARE(doc.cursorIndex().toPoint(), QPoint(3, 5));
        // A layer added after the change is on the same grid.
        QVERIFY(doc.addEmptyLayer(QStringLiteral("more")) >= 0);
    }

    void presets_fit_the_data()
    {
        ImageGeometry g;
        g.dims = {10, 10, 10};
        Volume mr(VoxelType::UInt16, g);
        mr.info().modality = "MR";
        auto *p = mr.data<std::uint16_t>();
        for (std::size_t i = 0; i < mr.voxelCount(); ++i)
            p[i] = std::uint16_t(i);
        Document doc;
        doc.setImage(mr);
        QStringList ids;
        for (const QVariant &preset : doc.windowPresets())
            ids << preset.toMap().value(QStringLiteral("id")).toString();
        QCOMPARE(ids, (QStringList{QStringLiteral("percentile"), QStringLiteral("full")}));
        QVERIFY(doc.applyWindowPreset(QStringLiteral("percentile")));
        QCOMPARE(doc.windowCenter(), 499.0); // 1st and 99th percentile of 0..999: 9 and 989
        QCOMPARE(doc.windowWidth(), 980.0);
        QVERIFY(doc.applyWindowPreset(QStringLiteral("full")));
        QCOMPARE(doc.windowWidth(), 999.0);
        QVERIFY(!doc.applyWindowPreset(QStringLiteral("lung")));
        const QString title = doc.windowPresets().first().toMap().value(QStringLiteral("title")).toString();
        QVERIFY2(title.contains(QStringLiteral("level")) && title.contains(QStringLiteral("width")), qPrintable(title));

        Volume ct = mr.clone();
        ct.info().modality = "CT";
        doc.setImage(ct);
        QCOMPARE(doc.windowPresets().first().toMap().value(QStringLiteral("id")).toString(), QStringLiteral("lung"));
        QCOMPARE(doc.windowPresets().size(), 6);
    }
};

QTEST_GUILESS_MAIN(TestPixelSize)
#include "test_pixel_size.moc"
