// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The core pieces the Label properties plugin added: dark-object threshold, the minimum-size
// filter, the 3D connectivities, Carina's extra columns, and contour display in the slice renderer.
#include "LabelPipeline.h"

#include <carina/algo/SliceRender.h>
#include <carina/algo/Threshold.h>

#include <QtTest>

using namespace carina;

namespace {

Volume ramp()
{
    ImageGeometry g;
    g.dims = {4, 1, 1};
    Volume v(VoxelType::Float32, g);
    float *p = v.data<float>();
    p[0] = 0.5f;
    p[1] = 1.0f;
    p[2] = 1.5f;
    p[3] = std::nanf("");
    return v;
}

} // namespace

class TestLabelPropsCore : public QObject
{
    Q_OBJECT

private slots:
    void dark_objects_are_strictly_below()
    {
        QCOMPARE(algo::thresholdBelow(ramp(), 1.0), (std::vector<std::uint8_t>{1, 0, 0, 0}));
        QCOMPARE(algo::thresholdAbove(ramp(), 1.0), (std::vector<std::uint8_t>{0, 0, 1, 0}));
    }

    void small_components_go_and_the_rest_are_renumbered_in_order()
    {
        // 1 x 1, 3 x 1, 1 x 1, 2 x 1 runs on one row.
        const std::vector<std::uint8_t> mask{1, 0, 1, 1, 1, 0, 1, 0, 1, 1};
        algo::ComponentLabels c = algo::labelConnectedComponents(mask.data(), {10, 1, 1});
        QCOMPARE(c.count, 4u);
        algo::removeSmallComponents(c, 2);
        QCOMPARE(c.count, 2u);
        QCOMPARE(c.labels, (std::vector<std::uint32_t>{0, 0, 1, 1, 1, 0, 0, 0, 2, 2}));
        QCOMPARE(c.sizes, (std::vector<std::uint64_t>{5, 3, 2}));
        algo::removeSmallComponents(c, 1); // no-op
        QCOMPARE(c.count, 2u);
    }

    void neighbour_counts_map_to_connectivities()
    {
        using labelprops::connectivityFor;
        QCOMPARE(connectivityFor(4, true), algo::Connectivity::Faces);
        QCOMPARE(connectivityFor(8, true), algo::Connectivity::Full);
        QCOMPARE(connectivityFor(6, false), algo::Connectivity::Faces);
        QCOMPARE(connectivityFor(18, false), algo::Connectivity::FacesEdges);
        QCOMPARE(connectivityFor(26, false), algo::Connectivity::Full);
        QCOMPARE(connectivityFor(0, false), algo::Connectivity::Full);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, connectivityFor(18, true));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, connectivityFor(8, false));

        // Two voxels touching by an edge (18) and two by a corner (26) in a 3 x 3 x 3 volume.
        ImageGeometry g;
        g.dims = {3, 3, 3};
        Volume v(VoxelType::UInt8, g);
        v.data<std::uint8_t>()[g.linearIndex(0, 0, 0)] = 9;
        v.data<std::uint8_t>()[g.linearIndex(1, 1, 0)] = 9; // edge neighbour of (0,0,0)
        v.data<std::uint8_t>()[g.linearIndex(2, 2, 1)] = 9; // corner neighbour of (1,1,0)
        labelprops::LabelOptions o;
        o.otsu = false;
        o.threshold = 1;
        o.neighbours = 6;
        QCOMPARE(labelprops::labelObjects(v, o).components.count, 3u);
        o.neighbours = 18;
        QCOMPARE(labelprops::labelObjects(v, o).components.count, 2u);
        o.neighbours = 26;
        QCOMPARE(labelprops::labelObjects(v, o).components.count, 1u);
        const labelprops::Measurement m = labelprops::measure(v, o);
        QCOMPARE(m.table.dimensionality, 3);
        QCOMPARE(m.table.regions.size(), std::size_t(1));
        QVERIFY(m.table.regions[0].surfaceAreaMm2 > 0);
        QVERIFY(std::isfinite(m.table.regions[0].sphericity) && m.table.regions[0].sphericity > 0);
    }

    void extra_columns_are_in_mm()
    {
        ImageGeometry g;
        g.dims = {4, 3, 1};
        g.spacing = {2.0, 3.0, 1.0};
        g.origin = {10.0, 20.0, 30.0};
        std::vector<std::uint32_t> labels(12, 0);
        labels[g.linearIndex(1, 2, 0)] = 1;
        labels[g.linearIndex(3, 2, 0)] = 1;
        const algo::RegionTable t = algo::computeRegionProperties(labels.data(), g, nullptr);
        QCOMPARE(algo::regionValue(t, t.regions[0], "area_mm2"), 12.0);
        QCOMPARE(algo::regionValue(t, t.regions[0], "centroid_mm-0"), 10.0 + 2.0 * 2.0);
        QCOMPARE(algo::regionValue(t, t.regions[0], "centroid_mm-1"), 20.0 + 2.0 * 3.0);
        QCOMPARE(algo::regionValue(t, t.regions[0], "centroid-0"), 2.0); // row
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, algo::regionValue(t, t.regions[0], "volume"));
    }

    void plasma_ends_as_matplotlib()
    {
        QCOMPARE(labelprops::plasma(0.0), (std::array<std::uint8_t, 3>{13, 8, 135}));
        QCOMPARE(labelprops::plasma(1.0), (std::array<std::uint8_t, 3>{240, 249, 33}));
        QCOMPARE(labelprops::plasma(0.5), (std::array<std::uint8_t, 3>{204, 71, 120}));
        QCOMPARE(labelprops::plasma(std::nan("")), labelprops::plasma(0.0));
    }

    void outline_mode_draws_contours_of_visible_labels_and_the_highlight()
    {
        ImageGeometry g;
        g.dims = {12, 8, 1};
        Volume image(VoxelType::UInt8, g); // black
        LabelVolume labels(g);
        for (int y = 1; y < 6; ++y)
            for (int x = 1; x < 6; ++x)
                labels.set(x, y, 0, 1);
        for (int y = 1; y < 6; ++y)
            for (int x = 7; x < 11; ++x)
                labels.set(x, y, 0, 2);
        labels.table().set({1, "a", {255, 0, 0}, true});
        labels.table().set({2, "b", {0, 0, 255}, false});
        algo::SliceImage out;
        const auto pixel = [&](int x, int y) { return out.rgba[std::size_t(y * out.width + x)]; };
        algo::renderSlice(image, algo::SlicePlane::Axial, 0, 128, 256, {{&labels, 0.5, true, 0}}, out);
        QCOMPARE(pixel(1, 1), 0xff0000ffu);  // contour of 1: opaque red
        QCOMPARE(pixel(5, 3), 0xff0000ffu);
        QCOMPARE(pixel(3, 3), 0xff000000u);  // inside: not filled
        QCOMPARE(pixel(7, 1), 0xff000000u);  // label 2 hidden
        // Filled mode blends at the layer's opacity.
        algo::renderSlice(image, algo::SlicePlane::Axial, 0, 128, 256, {{&labels, 0.5, false, 0}}, out);
        QCOMPARE(pixel(3, 3), 0xff00007fu);
        // The highlighted label shows even when hidden: green contour, thickened outward, light fill.
        algo::renderSlice(image, algo::SlicePlane::Axial, 0, 128, 256, {{&labels, 0.5, true, 2}}, out);
        QCOMPARE(pixel(7, 1), 0xff40e600u);
        QCOMPARE(pixel(6, 3), 0xff40e600u);  // outside, next to it
        QCOMPARE(pixel(8, 3) & 0x00ff00u, std::uint32_t(230 / 4) << 8);
        QCOMPARE(pixel(1, 1), 0xff0000ffu);  // other labels unchanged
    }
};

QTEST_APPLESS_MAIN(TestLabelPropsCore)
#include "test_labelprops_core.moc"
