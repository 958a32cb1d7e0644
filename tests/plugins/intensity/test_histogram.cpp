// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// algo::computeHistogram against counts worked out by hand and against numpy's statistics.
#include <carina/algo/Histogram.h>

#include <QtTest>

#include <cmath>
#include <limits>
#include <numeric>

using namespace carina;

namespace {

Volume makeVolume(VoxelType type, Dims dims, Eigen::Vector3d spacing = {1.0, 1.0, 1.0})
{
    ImageGeometry g;
    g.dims = dims;
    g.spacing = spacing;
    return Volume(type, g);
}

} // namespace

class TestHistogram : public QObject
{
    Q_OBJECT

private slots:
    void int16_counts_are_exact_and_statistics_match_numpy()
    {
        // 4 x 1 x 1 values with one value per bin: -1000, 0, 0, 40.
        Volume v = makeVolume(VoxelType::Int16, {4, 1, 1});
        auto *p = v.data<std::int16_t>();
        p[0] = -1000; p[1] = 0; p[2] = 0; p[3] = 40;
        const algo::Histogram h = algo::computeHistogram(v, {.bins = 2082});
        // 1041 values, fewer than 2082 bins: one bin per value.
        QCOMPARE(h.counts.size(), std::size_t(1041));
        QCOMPARE(h.edges.front(), -1000.0);
        QCOMPARE(h.edges.back(), 41.0);
        QCOMPARE(h.counts[0], std::uint64_t(1));
        QCOMPARE(h.counts[1000], std::uint64_t(2));
        QCOMPARE(h.counts[1040], std::uint64_t(1));
        QCOMPARE(std::accumulate(h.counts.begin(), h.counts.end(), std::uint64_t(0)), std::uint64_t(4));
        QCOMPARE(h.count, std::uint64_t(4));
        QCOMPARE(h.minimum, -1000.0);
        QCOMPARE(h.maximum, 40.0);
        QCOMPARE(h.mean, -240.0);             // numpy.mean([-1000, 0, 0, 40])
        QVERIFY(std::abs(h.stddev - 439.089968002003) < 1e-9); // numpy.std(...)
    }

    void integer_bins_cover_whole_values_evenly()
    {
        // Values 0..9, one voxel each, 4 bins asked: width ceil(10/4) = 3 -> bins [0,3) [3,6) [6,9) [9,12).
        Volume v = makeVolume(VoxelType::UInt8, {10, 1, 1});
        for (int i = 0; i < 10; ++i)
            v.data<std::uint8_t>()[i] = std::uint8_t(i);
        const algo::Histogram h = algo::computeHistogram(v, {.bins = 4});
        QCOMPARE(h.edges, (std::vector<double>{0, 3, 6, 9, 12}));
        QCOMPARE(h.counts, (std::vector<std::uint64_t>{3, 3, 3, 1}));
        QCOMPARE(h.maxCount(), std::uint64_t(3));
        QCOMPARE(h.percentile(0.0), 0.0);
        QCOMPARE(h.percentile(1.0), 9.0);
        QCOMPARE(h.percentile(0.5), 5.0); // 5 of 10 voxels lie below 5 (linear inside [3,6))
    }

    void float_images_skip_nan_and_put_the_maximum_in_the_last_bin()
    {
        Volume v = makeVolume(VoxelType::Float32, {5, 1, 1});
        float *p = v.data<float>();
        p[0] = 0.0f; p[1] = 0.5f; p[2] = 1.0f; p[3] = std::nanf(""); p[4] = 0.25f;
        const algo::Histogram h = algo::computeHistogram(v, {.bins = 2});
        QCOMPARE(h.count, std::uint64_t(4));
        QCOMPARE(h.edges, (std::vector<double>{0.0, 0.5, 1.0}));
        QCOMPARE(h.counts, (std::vector<std::uint64_t>{2, 2}));
        QCOMPARE(h.mean, 0.4375);
    }

    void in_plane_mask_counts_the_outlined_voxels_of_every_slice()
    {
        // Values i + 10 j + 100 k; the region x 1..3, y 0..2 over both slices, outlined by an X.
        Volume v = makeVolume(VoxelType::Int16, {4, 3, 2});
        for (int k = 0; k < 2; ++k)
            for (int j = 0; j < 3; ++j)
                for (int i = 0; i < 4; ++i)
                    v.data<std::int16_t>()[v.geometry().linearIndex(i, j, k)] = std::int16_t(i + 10 * j + 100 * k);
        algo::HistogramOptions options;
        options.bins = 1000;
        options.region = VoxelBox{{1, 0, 0}, {4, 3, 2}};
        options.inPlaneMask = {1, 0, 1,
                               0, 1, 0,
                               1, 0, 1};
        algo::Histogram h = algo::computeHistogram(v, options);
        // 1, 3, 12, 21, 23 and 101, 103, 112, 121, 123
        QCOMPARE(h.count, std::uint64_t(10));
        QCOMPARE(h.minimum, 1.0);
        QCOMPARE(h.maximum, 123.0);
        QCOMPARE(h.mean, 62.0);
        QCOMPARE(h.counts.size(), std::size_t(123)); // one bin per value 1..123
        for (int value : {1, 3, 12, 21, 23, 101, 103, 112, 121, 123})
            QCOMPARE(h.counts[std::size_t(value - 1)], std::uint64_t(1));
        QCOMPARE(std::accumulate(h.counts.begin(), h.counts.end(), std::uint64_t(0)), std::uint64_t(10));

        // The mask belongs to the region as given: clipping the box does not shift it. Region
        // x -1..1 of slice 0, its mask column x = 1 set: values 1, 11, 21.
        options.region = VoxelBox{{-1, 0, 0}, {2, 3, 1}};
        options.inPlaneMask = {0, 0, 1,
                               0, 0, 1,
                               1, 0, 1};
        h = algo::computeHistogram(v, options);
        QCOMPARE(h.count, std::uint64_t(3));
        QCOMPARE(h.minimum, 1.0);
        QCOMPARE(h.maximum, 21.0);
        QCOMPARE(h.mean, 11.0);

        // Without a region the mask covers the image's slice: column 0 of both slices.
        options.region.reset();
        options.inPlaneMask = {1, 0, 0, 0,
                               1, 0, 0, 0,
                               1, 0, 0, 0};
        h = algo::computeHistogram(v, options);
        QCOMPARE(h.count, std::uint64_t(6));
        QCOMPARE(h.mean, 60.0); // 0, 10, 20, 100, 110, 120

        options.inPlaneMask.assign(11, 1);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, algo::computeHistogram(v, options));
        options.inPlaneMask.assign(12, 0);
        QVERIFY(algo::computeHistogram(v, options).isEmpty());
    }

    void even_bins_follow_numpy()
    {
        // numpy.histogram(range(10), 4) -> [3, 2, 2, 3], edges [0, 2.25, 4.5, 6.75, 9]
        Volume v = makeVolume(VoxelType::UInt8, {10, 1, 1});
        for (int i = 0; i < 10; ++i)
            v.data<std::uint8_t>()[i] = std::uint8_t(i);
        algo::HistogramOptions options;
        options.bins = 4;
        options.binning = algo::HistogramBinning::Even;
        algo::Histogram h = algo::computeHistogram(v, options);
        QCOMPARE(h.edges, (std::vector<double>{0, 2.25, 4.5, 6.75, 9}));
        QCOMPARE(h.counts, (std::vector<std::uint64_t>{3, 2, 2, 3}));

        // A value on an inner edge goes up: numpy.histogram([0, 5, 5, 10], 2) -> [1, 3].
        Volume e = makeVolume(VoxelType::Int16, {4, 1, 1});
        const std::int16_t values[] = {0, 5, 5, 10};
        std::copy(std::begin(values), std::end(values), e.data<std::int16_t>());
        options.bins = 2;
        QCOMPARE(algo::computeHistogram(e, options).counts, (std::vector<std::uint64_t>{1, 3}));

        // Float: NaN and infinities skipped, the maximum in the last bin.
        Volume f = makeVolume(VoxelType::Float32, {6, 1, 1});
        const float floats[] = {0.0f, 0.5f, 1.0f, std::nanf(""), 0.25f, std::numeric_limits<float>::infinity()};
        std::copy(std::begin(floats), std::end(floats), f.data<float>());
        h = algo::computeHistogram(f, options);
        QCOMPARE(h.count, std::uint64_t(4));
        QCOMPARE(h.edges, (std::vector<double>{0.0, 0.5, 1.0}));
        QCOMPARE(h.counts, (std::vector<std::uint64_t>{2, 2}));

        // One value: all in the first bin of [v, v + 1].
        std::fill_n(e.data<std::int16_t>(), 4, std::int16_t(7));
        h = algo::computeHistogram(e, options);
        QCOMPARE(h.edges, (std::vector<double>{7, 7.5, 8}));
        QCOMPARE(h.counts, (std::vector<std::uint64_t>{4, 0}));
    }

    void sample_step_takes_every_nth_voxel_of_the_box_before_the_mask()
    {
        // Values i + 5 j + 10 k. The box x 1..3 holds 12 voxels; every 3rd in raster order is
        // (1,0,0) = 1, (1,1,0) = 6, (1,0,1) = 11, (1,1,1) = 16.
        Volume v = makeVolume(VoxelType::UInt8, {5, 2, 2});
        for (int i = 0; i < 20; ++i)
            v.data<std::uint8_t>()[i] = std::uint8_t(i);
        algo::HistogramOptions options;
        options.region = VoxelBox{{1, 0, 0}, {4, 2, 2}};
        options.sampleStep = 3;
        algo::Histogram h = algo::computeHistogram(v, options);
        QCOMPARE(h.count, std::uint64_t(4));
        QCOMPARE(h.minimum, 1.0);
        QCOMPARE(h.maximum, 16.0);
        QCOMPARE(h.mean, 8.5);
        // Then the mask (row y = 0 only) drops 6 and 16.
        options.inPlaneMask = {1, 1, 1, 0, 0, 0};
        h = algo::computeHistogram(v, options);
        QCOMPARE(h.count, std::uint64_t(2));
        QCOMPARE(h.mean, 6.0);
        options.sampleStep = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, algo::computeHistogram(v, options));
    }

    void infinite_float_values_are_skipped()
    {
        Volume v = makeVolume(VoxelType::Float32, {4, 1, 1});
        const float values[] = {-std::numeric_limits<float>::infinity(), 1.0f, 3.0f, std::numeric_limits<float>::infinity()};
        std::copy(std::begin(values), std::end(values), v.data<float>());
        const algo::Histogram h = algo::computeHistogram(v, {.bins = 2});
        QCOMPARE(h.count, std::uint64_t(2));
        QCOMPARE(h.minimum, 1.0);
        QCOMPARE(h.maximum, 3.0);
        QCOMPARE(h.counts, (std::vector<std::uint64_t>{1, 1}));
    }

    void region_counts_only_the_box_and_is_clipped_to_the_image()
    {
        Volume v = makeVolume(VoxelType::Int16, {4, 4, 4});
        auto *p = v.data<std::int16_t>();
        for (std::size_t i = 0; i < v.voxelCount(); ++i)
            p[i] = std::int16_t(i % 2 == 0 ? -100 : 100);
        algo::HistogramOptions options;
        options.bins = 2;
        options.region = VoxelBox{{2, 2, 2}, {10, 10, 10}};
        const algo::Histogram h = algo::computeHistogram(v, options);
        QCOMPARE(h.count, std::uint64_t(8));
        QCOMPARE(h.counts.front() + h.counts.back(), std::uint64_t(8));
        QCOMPARE(h.counts.front(), std::uint64_t(4));
        options.region = VoxelBox{{5, 0, 0}, {9, 4, 4}};
        QVERIFY(algo::computeHistogram(v, options).isEmpty());
    }

    void multi_channel_images_use_the_chosen_channel()
    {
        ImageGeometry g;
        g.dims = {2, 1, 1};
        Volume rgb(VoxelType::UInt8, g, 3);
        std::uint8_t *p = rgb.data<std::uint8_t>();
        const std::uint8_t values[] = {10, 20, 30, 11, 21, 31};
        std::copy(std::begin(values), std::end(values), p);
        algo::HistogramOptions options;
        options.channel = 1;
        const algo::Histogram h = algo::computeHistogram(rgb, options);
        QCOMPARE(h.minimum, 20.0);
        QCOMPARE(h.maximum, 21.0);
        options.channel = 3;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, algo::computeHistogram(rgb, options));
    }

    void canceled_context_stops_the_computation()
    {
        Volume v = makeVolume(VoxelType::Int16, {8, 8, 8});
        TaskContext context;
        context.cancel();
        QVERIFY_THROWS_EXCEPTION(TaskCanceled, algo::computeHistogram(v, {}, context));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, algo::computeHistogram(Volume{}, {}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, algo::computeHistogram(v, {.bins = 0}));
    }

    void box_around_index_follows_the_spacing()
    {
        ImageGeometry g;
        g.dims = {100, 100, 10};
        g.spacing = {0.5, 0.5, 5.0};
        // 10 mm: +-5 mm = +-10 voxels in-plane, +-1 slice.
        const VoxelBox box = algo::boxAroundIndex(g, {50, 50, 5}, 10.0);
        QCOMPARE(box.begin, (Dims{40, 40, 4}));
        QCOMPARE(box.end, (Dims{61, 61, 7}));
        const VoxelBox corner = algo::boxAroundIndex(g, {0, 99, 0}, 10.0);
        QCOMPARE(corner.begin, (Dims{0, 89, 0}));
        QCOMPARE(corner.end, (Dims{11, 100, 2}));
        QCOMPARE(algo::boxAroundIndex(g, {50, 50, 5}, 0.1).end, (Dims{51, 51, 6}));
        QVERIFY(algo::boxAroundIndex(g, {-3, 50, 5}, 10.0).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHistogram)
#include "test_histogram.moc"
