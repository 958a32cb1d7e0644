// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/ConnectedComponents.h>

#include <QTest>

#include <array>
#include <random>
#include <vector>

using namespace carina;
using namespace carina::algo;

namespace {

// An independent reference: breadth-first flood fill over the explicit neighbour offsets,
// numbering components in raster order of their first voxel.
std::vector<std::uint32_t> floodFillReference(const std::vector<std::uint8_t> &mask, const Dims &d, int rank,
                                              std::uint32_t &count)
{
    std::vector<std::array<int, 3>> offsets;
    for (int dz = -1; dz <= 1; ++dz)
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx) {
                const int nonZero = (dx != 0) + (dy != 0) + (dz != 0);
                if (nonZero > 0 && nonZero <= rank)
                    offsets.push_back({dx, dy, dz});
            }
    std::vector<std::uint32_t> labels(mask.size(), 0);
    count = 0;
    std::vector<std::size_t> queue;
    for (std::size_t start = 0; start < mask.size(); ++start) {
        if (!mask[start] || labels[start])
            continue;
        labels[start] = ++count;
        queue.assign(1, start);
        while (!queue.empty()) {
            const std::size_t v = queue.back();
            queue.pop_back();
            const int x = int(v % std::size_t(d[0]));
            const int y = int((v / std::size_t(d[0])) % std::size_t(d[1]));
            const int z = int(v / (std::size_t(d[0]) * std::size_t(d[1])));
            for (const auto &o : offsets) {
                const int xx = x + o[0], yy = y + o[1], zz = z + o[2];
                if (xx < 0 || yy < 0 || zz < 0 || xx >= d[0] || yy >= d[1] || zz >= d[2])
                    continue;
                const std::size_t w = (std::size_t(zz) * std::size_t(d[1]) + std::size_t(yy)) * std::size_t(d[0]) + std::size_t(xx);
                if (mask[w] && !labels[w]) {
                    labels[w] = count;
                    queue.push_back(w);
                }
            }
        }
    }
    return labels;
}

} // namespace

class TestConnectedComponents : public QObject
{
    Q_OBJECT
private slots:
    void matches_flood_fill_for_every_connectivity_data()
    {
        QTest::addColumn<int>("nz");
        QTest::addColumn<int>("connectivity");
        QTest::addColumn<double>("density");
        for (int c = 1; c <= 3; ++c) {
            for (double density : {0.3, 0.5, 0.6}) {
                QTest::addRow("2d_c%d_%.1f", c, density) << 1 << c << density;
                QTest::addRow("3d_c%d_%.1f", c, density) << 9 << c << density;
            }
        }
    }
    void matches_flood_fill_for_every_connectivity()
    {
        QFETCH(int, nz);
        QFETCH(int, connectivity);
        QFETCH(double, density);
        const Dims dims{23, 17, nz};
        std::mt19937 rng(1234u + unsigned(nz * 10 + connectivity));
        std::bernoulli_distribution on(density);
        std::vector<std::uint8_t> mask(std::size_t(dims[0] * dims[1] * dims[2]));
        for (auto &m : mask)
            m = on(rng) ? 1 : 0;
        const auto result = labelConnectedComponents(mask.data(), dims, Connectivity(connectivity));
        std::uint32_t count = 0;
        const int rank = nz == 1 ? std::min(connectivity, 2) : connectivity;
        const auto reference = floodFillReference(mask, dims, rank, count);
        QCOMPARE(result.count, count);
        QVERIFY(result.labels == reference);
        std::uint64_t total = 0;
        for (std::uint64_t s : result.sizes)
            total += s;
        QCOMPARE(total, std::uint64_t(mask.size()));
    }

    void diagonal_voxels_join_only_with_enough_connectivity()
    {
        // Two voxels touching at a corner in 3D.
        const Dims dims{3, 3, 3};
        std::vector<std::uint8_t> mask(27, 0);
        mask[0] = 1;                    // (0,0,0)
        mask[1 + 3 + 9] = 1;            // (1,1,1)
        QCOMPARE(labelConnectedComponents(mask.data(), dims, Connectivity::Faces).count, 2u);
        QCOMPARE(labelConnectedComponents(mask.data(), dims, Connectivity::FacesEdges).count, 2u);
        QCOMPARE(labelConnectedComponents(mask.data(), dims, Connectivity::Full).count, 1u);
    }

    void largest_components_are_ranked_by_size()
    {
        const Dims dims{10, 1, 1};
        const std::vector<std::uint8_t> mask{1, 0, 1, 1, 1, 0, 1, 1, 0, 1};
        const auto cc = labelConnectedComponents(mask.data(), dims);
        QCOMPARE(cc.count, 4u);
        const auto largest = largestComponents(cc, 2);
        const std::vector<std::uint8_t> expected{0, 0, 1, 1, 1, 0, 2, 2, 0, 0};
        QVERIFY(largest == expected);
    }

    void cancel_throws()
    {
        TaskContext context;
        context.cancel();
        std::vector<std::uint8_t> mask(64, 1);
        QVERIFY_THROWS_EXCEPTION(TaskCanceled, labelConnectedComponents(mask.data(), Dims{4, 4, 4}, Connectivity::Full, context));
    }
};

QTEST_APPLESS_MAIN(TestConnectedComponents)
#include "test_connected_components.moc"
