// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// algo/LabelVoxels: the label under a point, the nearest voxel of a region (a ring's centroid lies
// in its hole), the voxels erasing a region clears. Known answers on small hand-made grids.
#include <carina/algo/LabelVoxels.h>

#include <QTest>

#include <cmath>
#include <vector>

using namespace carina;
using namespace carina::algo;

namespace {

// 5 x 5 x 1: a ring of label 3 (the border), label 7 at the centre (2, 2), 0 between.
struct Ring
{
    Dims dims{5, 5, 1};
    std::vector<std::uint16_t> labels = std::vector<std::uint16_t>(25, 0);
    Ring()
    {
        for (int y = 0; y < 5; ++y)
            for (int x = 0; x < 5; ++x)
                if (x == 0 || y == 0 || x == 4 || y == 4)
                    labels[std::size_t(y * 5 + x)] = 3;
        labels[12] = 7;
    }
};

} // namespace

class TestLabelVoxels : public QObject
{
    Q_OBJECT

private slots:
    void label_at_rounds_to_the_voxel_and_is_zero_outside()
    {
        const Ring r;
        QCOMPARE(labelAt(r.labels.data(), r.dims, {2.0, 2.0, 0.0}), std::uint16_t(7));
        QCOMPARE(labelAt(r.labels.data(), r.dims, {2.4, 1.6, 0.3}), std::uint16_t(7));
        QCOMPARE(labelAt(r.labels.data(), r.dims, {1.4, 1.0, 0.0}), std::uint16_t(0));
        QCOMPARE(labelAt(r.labels.data(), r.dims, {-0.4, 3.0, 0.0}), std::uint16_t(3)); // rounds to x = 0
        QCOMPARE(labelAt(r.labels.data(), r.dims, {-0.6, 3.0, 0.0}), std::uint16_t(0)); // x = -1: outside
        QCOMPARE(labelAt(r.labels.data(), r.dims, {4.5, 3.0, 0.0}), std::uint16_t(0));  // x = 5: outside
        QCOMPARE(labelAt(r.labels.data(), r.dims, {2.0, 2.0, 1.0}), std::uint16_t(0));  // z = 1: outside
        QCOMPARE(labelAt(r.labels.data(), r.dims, {std::nan(""), 2.0, 0.0}), std::uint16_t(0));
    }

    void nearest_voxel_of_a_ring_from_its_centre()
    {
        const Ring r;
        const VoxelBox all = VoxelBox::whole(r.dims);
        // (2, 0), (0, 2), (4, 2), (2, 4) are all 2 voxels away: the first in raster order wins.
        QCOMPARE(nearestVoxelOfLabel(r.labels.data(), r.dims, 3, {2.0, 2.0, 0.0}, all), (Dims{2, 0, 0}));
        // Closer to the left side.
        QCOMPARE(nearestVoxelOfLabel(r.labels.data(), r.dims, 3, {1.2, 2.4, 0.0}, all), (Dims{0, 2, 0}));
        // x voxels 0.25 mm apart, y 1 mm: (0, 2) is 0.5 mm away, (2, 0) 2 mm.
        QCOMPARE(nearestVoxelOfLabel(r.labels.data(), r.dims, 3, {2.0, 2.0, 0.0}, all, {0.25, 1.0, 1.0}), (Dims{0, 2, 0}));
        // A point on the region is its own nearest voxel.
        QCOMPARE(nearestVoxelOfLabel(r.labels.data(), r.dims, 7, {2.0, 2.0, 0.0}, all), (Dims{2, 2, 0}));
        // Only the box is searched (clipped to the grid); none of the label there, or at all: nullopt.
        QCOMPARE(nearestVoxelOfLabel(r.labels.data(), r.dims, 3, {2.0, 2.0, 0.0}, {{3, 1, 0}, {9, 9, 9}}), (Dims{4, 2, 0}));
        QVERIFY(!nearestVoxelOfLabel(r.labels.data(), r.dims, 3, {2.0, 2.0, 0.0}, {{1, 1, 0}, {4, 4, 1}}));
        QVERIFY(!nearestVoxelOfLabel(r.labels.data(), r.dims, 9, {2.0, 2.0, 0.0}, all));
        QVERIFY(!nearestVoxelOfLabel(r.labels.data(), r.dims, 3, {2.0, 2.0, 0.0}, {{-5, -5, -5}, {-1, -1, -1}}));
    }

    void nearest_voxel_in_3d_weighs_the_spacing()
    {
        const Dims dims{4, 2, 2};
        std::vector<std::uint16_t> labels(16, 0);
        labels[std::size_t((1 * 2 + 1) * 4 + 1)] = 5; // (1, 1, 1)
        labels[3] = 5;                                 // (3, 0, 0)
        const VoxelBox all = VoxelBox::whole(dims);
        // In voxels: (1, 1, 1) is sqrt(3) away from the origin, (3, 0, 0) is 3.
        QCOMPARE(nearestVoxelOfLabel(labels.data(), dims, 5, {0.0, 0.0, 0.0}, all), (Dims{1, 1, 1}));
        // x 0.1 mm apart: (3, 0, 0) is 0.3 mm away, (1, 1, 1) about 1.42 mm.
        QCOMPARE(nearestVoxelOfLabel(labels.data(), dims, 5, {0.0, 0.0, 0.0}, all, {0.1, 1.0, 1.0}), (Dims{3, 0, 0}));
    }

    void voxels_of_a_label_in_raster_order_within_the_box()
    {
        const Ring r;
        QCOMPARE(voxelsOfLabel(r.labels.data(), r.dims, 7, VoxelBox::whole(r.dims)), (std::vector<std::size_t>{12}));
        const std::vector<std::size_t> ring = voxelsOfLabel(r.labels.data(), r.dims, 3, VoxelBox::whole(r.dims));
        QCOMPARE(ring, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 9, 10, 14, 15, 19, 20, 21, 22, 23, 24}));
        // The right column only (box x 4..; y, z beyond the grid are clipped).
        QCOMPARE(voxelsOfLabel(r.labels.data(), r.dims, 3, {{4, -3, 0}, {10, 10, 5}}),
                 (std::vector<std::size_t>{4, 9, 14, 19, 24}));
        QVERIFY(voxelsOfLabel(r.labels.data(), r.dims, 3, {{1, 1, 0}, {4, 4, 1}}).empty());
        QVERIFY(voxelsOfLabel(r.labels.data(), r.dims, 8, VoxelBox::whole(r.dims)).empty());
        // Label 0 is a label like any other here: the gap between ring and centre.
        QCOMPARE(voxelsOfLabel(r.labels.data(), r.dims, 0, VoxelBox::whole(r.dims)).size(), std::size_t(25 - 16 - 1));
    }

    void bounds_of_a_label_and_of_all_labels()
    {
        const auto same = [](const std::optional<VoxelBox> &box, Dims begin, Dims end) {
            return box && box->begin == begin && box->end == end;
        };
        const Ring r;
        QVERIFY(same(boundsOfLabel(r.labels.data(), r.dims, 7), {2, 2, 0}, {3, 3, 1}));
        QVERIFY(same(boundsOfLabel(r.labels.data(), r.dims, 3), {0, 0, 0}, r.dims));
        QVERIFY(!boundsOfLabel(r.labels.data(), r.dims, 8));
        // Two slices, labels on the second only, apart in x and y.
        const Dims dims{6, 4, 2};
        std::vector<std::uint16_t> labels(6 * 4 * 2, 0);
        labels[(1 * 4 + 1) * 6 + 4] = 2; // (4, 1, 1)
        labels[(1 * 4 + 3) * 6 + 1] = 5; // (1, 3, 1)
        QVERIFY(same(boundsOfLabels(labels.data(), dims), {1, 1, 1}, {5, 4, 2}));
        QVERIFY(same(boundsOfLabel(labels.data(), dims, 2), {4, 1, 1}, {5, 2, 2}));
        QVERIFY(!boundsOfLabels(std::vector<std::uint16_t>(48, 0).data(), dims));

        // Every label's box in one pass, equal to each label's own; absent ids empty.
        labels[(0 * 4 + 0) * 6 + 5] = 5; // (5, 0, 0): label 5 now spans both slices
        const std::vector<VoxelBox> each = boundsOfEachLabel(labels.data(), dims);
        QCOMPARE(each.size(), std::size_t(6));
        for (std::uint16_t id = 0; id < 6; ++id) {
            const std::optional<VoxelBox> own = id ? boundsOfLabel(labels.data(), dims, id) : std::nullopt;
            QVERIFY(own ? same(std::optional<VoxelBox>(each[id]), own->begin, own->end) : each[id].isEmpty());
        }
        QVERIFY(same(std::optional<VoxelBox>(each[5]), {1, 0, 0}, {6, 4, 2}));
        QVERIFY(boundsOfEachLabel(std::vector<std::uint16_t>(48, 0).data(), dims).empty());
    }
};

QTEST_APPLESS_MAIN(TestLabelVoxels)
#include "test_label_voxels.moc"
