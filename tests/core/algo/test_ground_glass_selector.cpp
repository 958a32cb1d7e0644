// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The live ground-glass selection: any sequence of ranges gives what a fresh search
// (algo::extractGroundGlass, itself equal to the anchor) gives for the last one; pieces above a
// size; the region's histogram, Otsu and range counts from the sorted values; refusals.
#include <carina/algo/GroundGlass.h>
#include <carina/algo/GroundGlassSelector.h>

#include <QTest>

#include <algorithm>
#include <random>

using namespace carina;
using namespace carina::algo;

namespace {

Volume randomCt(const Dims &dims, unsigned seed)
{
    ImageGeometry g;
    g.dims = dims;
    Volume v(VoxelType::Int16, g);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> value(-1000, 100);
    for (std::size_t n = 0; n < v.voxelCount(); ++n)
        v.data<std::int16_t>()[n] = std::int16_t(value(rng));
    return v;
}

} // namespace

class TestGroundGlassSelector : public QObject
{
    Q_OBJECT

private slots:
    void any_sequence_of_ranges_equals_a_fresh_search()
    {
        const Volume ct = randomCt({40, 30, 12}, 7);
        const VoxelBox box{{3, 2, 1}, {37, 28, 11}};
        for (bool smooth : {true, false}) {
            GroundGlassSelector selector(ct, box, {}, smooth);
            QCOMPARE(selector.regionVoxels(), std::uint64_t(34 * 26 * 10));
            std::mt19937 rng(3);
            std::uniform_int_distribution<int> hu(-1000, 100);
            for (int step = 0; step < 40; ++step) {
                int low = hu(rng), high = hu(rng);
                if (low == high)
                    continue;
                if (low > high)
                    std::swap(low, high);
                const GroundGlassSelection live = selector.select(low, high);
                const GroundGlassResult fresh = extractGroundGlass(ct, box, {}, {double(low), double(high), smooth});
                QCOMPARE(live.voxels, fresh.voxels);
                QCOMPARE(live.pieces, fresh.pieces);
                QCOMPARE(live.voxelsInRange, fresh.voxelsInRange);
                QCOMPARE(selector.countInRange(low, high), fresh.voxelsInRange);
                QVERIFY(live.mask == fresh.mask);
            }
        }
    }

    void region_mask_limits_the_search_like_an_in_plane_lasso()
    {
        const Volume ct = randomCt({30, 30, 8}, 11);
        const VoxelBox box{{0, 0, 0}, {30, 30, 8}};
        std::vector<std::uint8_t> inPlane(30 * 30, 0), solid;
        for (int y = 5; y < 25; ++y)
            for (int x = 8; x < 20; ++x)
                inPlane[std::size_t(y) * 30 + std::size_t(x)] = 1;
        for (int z = 0; z < 8; ++z)
            solid.insert(solid.end(), inPlane.begin(), inPlane.end());
        GroundGlassSelector selector(ct, box, solid, true);
        QCOMPARE(selector.regionVoxels(), std::uint64_t(20 * 12 * 8));
        const GroundGlassSelection live = selector.select(-600, -200);
        const GroundGlassResult fresh = extractGroundGlass(ct, box, inPlane, {-600, -200, true});
        QVERIFY(live.mask == fresh.mask);
    }

    void pieces_above_a_size_are_all_kept()
    {
        // Three blocks of 8, 27 and 64 voxels at -500 HU in air.
        ImageGeometry g;
        g.dims = {20, 8, 8};
        Volume ct(VoxelType::Int16, g);
        std::fill_n(ct.data<std::int16_t>(), ct.voxelCount(), std::int16_t(-1000));
        const auto block = [&](int x0, int side) {
            for (int z = 1; z < 1 + side; ++z)
                for (int y = 1; y < 1 + side; ++y)
                    for (int x = x0; x < x0 + side; ++x)
                        ct.data<std::int16_t>()[g.linearIndex(x, y, z)] = -500;
        };
        block(1, 2);
        block(5, 3);
        block(10, 4);
        GroundGlassSelector selector(ct, VoxelBox::whole(g.dims), {}, false);
        GroundGlassSelection s = selector.select(-700, -300);
        QCOMPARE(s.pieces, 3u);
        QCOMPARE(s.piecesKept, 1u);
        QCOMPARE(s.voxels, std::uint64_t(64));
        s = selector.select(-700, -300, {20});
        QCOMPARE(s.piecesKept, 2u);
        QCOMPARE(s.voxels, std::uint64_t(27 + 64));
        s = selector.select(-700, -300, {1});
        QCOMPARE(s.voxels, std::uint64_t(8 + 27 + 64));
        QCOMPARE(std::count(s.mask.begin(), s.mask.end(), 1), 99);
        s = selector.select(-300, 0); // nothing there
        QCOMPARE(s.voxels, std::uint64_t(0));
        QCOMPARE(s.voxelsInRange, std::uint64_t(0));
    }

    void histogram_and_otsu_come_from_the_region()
    {
        // Two populations, -800 and -200 HU: Otsu falls between them, the histogram has both ends.
        ImageGeometry g;
        g.dims = {10, 10, 4};
        Volume ct(VoxelType::Int16, g);
        for (std::size_t n = 0; n < ct.voxelCount(); ++n)
            ct.data<std::int16_t>()[n] = std::int16_t(n % 3 == 0 ? -200 : -800);
        GroundGlassSelector selector(ct, VoxelBox::whole(g.dims), {}, false);
        QCOMPARE(selector.minimum(), -800.0);
        QCOMPARE(selector.maximum(), -200.0);
        const std::vector<std::uint64_t> h = selector.histogram(10);
        QCOMPARE(h.size(), std::size_t(10));
        QCOMPARE(h.front() + h.back(), std::uint64_t(400));
        QCOMPARE(h.back(), std::uint64_t(134));
        const double t = selector.otsu();
        QVERIFY2(t > -800 && t < -200, qPrintable(QString::number(t)));
    }

    void bad_input_is_refused()
    {
        const Volume ct = randomCt({8, 8, 2}, 1);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, GroundGlassSelector(Volume(), VoxelBox::whole({8, 8, 2}), {}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, GroundGlassSelector(ct, VoxelBox{{0, 0, 0}, {9, 8, 2}}, {}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, GroundGlassSelector(ct, VoxelBox::whole({8, 8, 2}), std::vector<std::uint8_t>(5, 1)));
        GroundGlassSelector selector(ct, VoxelBox::whole({8, 8, 2}), {});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, selector.select(-300, -300));
        // An all-outside mask: an empty region, nothing selected.
        GroundGlassSelector empty(ct, VoxelBox::whole({8, 8, 2}), std::vector<std::uint8_t>(128, 0));
        QCOMPARE(empty.regionVoxels(), std::uint64_t(0));
        QCOMPARE(empty.select(-700, -300).voxels, std::uint64_t(0));
        QVERIFY(empty.histogram(10).empty());
    }
};

QTEST_GUILESS_MAIN(TestGroundGlassSelector)
#include "test_ground_glass_selector.moc"
