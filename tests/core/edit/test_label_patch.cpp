// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// LabelPatch: random edits undo and redo exactly, memory follows the edit, count changes are exact.
#include <carina/LabelVolume.h>
#include <carina/edit/LabelPatch.h>
#include <carina/edit/Rasterize.h>

#include <QTest>

#include <random>

using namespace carina;

namespace {

ImageGeometry grid(int nx, int ny, int nz)
{
    ImageGeometry g;
    g.dims = {nx, ny, nz};
    g.spacing = {0.8, 0.8, 2.0};
    return g;
}

std::vector<std::int64_t> signedHistogram(const LabelVolume &labels)
{
    const std::vector<std::size_t> h = labels.histogram();
    return {h.begin(), h.end()};
}

} // namespace

class TestLabelPatch : public QObject
{
    Q_OBJECT
private slots:
    void random_edits_undo_and_redo_exactly()
    {
        std::mt19937 rng(42);
        const ImageGeometry g = grid(40, 30, 20);
        LabelVolume labels(g);
        // A start that is not all background, so `before` values matter.
        std::uniform_int_distribution<int> label(0, 6);
        for (std::size_t n = 0; n < labels.voxelCount(); ++n)
            labels.data()[n] = std::uint16_t(label(rng) == 0 ? 2 : 0);
        const std::vector<std::uint16_t> original(labels.data(), labels.data() + labels.voxelCount());

        LabelPatch patch;
        std::uniform_int_distribution<std::size_t> voxel(0, labels.voxelCount() - 1);
        for (int n = 0; n < 5000; ++n) {
            // Runs along x as a brush makes them, and repeats of the same voxels.
            const std::size_t start = voxel(rng);
            const int length = 1 + int(rng() % 12);
            const auto value = std::uint16_t(label(rng));
            for (int m = 0; m < length && start + std::size_t(m) < labels.voxelCount(); ++m)
                patch.assign(labels, start + std::size_t(m), value);
        }
        const std::vector<std::uint16_t> edited(labels.data(), labels.data() + labels.voxelCount());
        std::size_t differing = 0;
        for (std::size_t n = 0; n < edited.size(); ++n)
            differing += edited[n] != original[n];

        // Count changes are right before and after packing.
        auto expectedChanges = [&] {
            std::vector<std::int64_t> net(7, 0);
            for (std::size_t n = 0; n < edited.size(); ++n) {
                --net[original[n]];
                ++net[edited[n]];
            }
            return net;
        }();
        auto asVector = [](const std::vector<LabelCountChange> &changes) {
            std::vector<std::int64_t> net(7, 0);
            for (const LabelCountChange &c : changes)
                net[c.label] += c.voxels;
            return net;
        };
        QCOMPARE(asVector(patch.countChanges()), expectedChanges);
        patch.finish(g.dims);
        QCOMPARE(asVector(patch.countChanges()), expectedChanges);
        QCOMPARE(patch.changedVoxels(), differing);

        patch.revert(labels);
        QVERIFY(std::equal(original.begin(), original.end(), labels.data()));
        patch.apply(labels);
        QVERIFY(std::equal(edited.begin(), edited.end(), labels.data()));
        patch.revert(labels);
        QVERIFY(std::equal(original.begin(), original.end(), labels.data()));

        // Memory: two uint16 per changed voxel plus one 16-byte run per run of them.
        QVERIFY2(patch.memoryBytes() <= differing * (4 + 16) + 256,
                 qPrintable(QStringLiteral("%1 bytes for %2 voxels").arg(patch.memoryBytes()).arg(differing)));
    }

    void bounds_cover_exactly_the_changes()
    {
        const ImageGeometry g = grid(32, 32, 8);
        LabelVolume labels(g);
        LabelPatch patch;
        patch.assign(labels, 5, 7, 2, 1);
        patch.assign(labels, 20, 3, 6, 1);
        patch.assign(labels, 40, 3, 6, 1); // outside: ignored
        patch.assign(labels, 9, 9, 3, 1);
        patch.assign(labels, 9, 9, 3, 0); // painted and erased again: no change
        patch.finish(g.dims);
        QCOMPARE(patch.changedVoxels(), std::size_t(2));
        QCOMPARE(patch.bounds().begin, (Dims{5, 3, 2}));
        QCOMPARE(patch.bounds().end, (Dims{21, 8, 7}));
        QVERIFY(patch.countChanges().size() == 2);
    }

    void discard_abandons_an_edit_in_progress()
    {
        const ImageGeometry g = grid(16, 16, 4);
        LabelVolume labels(g);
        labels.set(3, 3, 1, 5);
        LabelPatch patch;
        patch.assign(labels, 3, 3, 1, 2);
        patch.assign(labels, 3, 3, 1, 9);
        patch.assign(labels, 4, 3, 1, 9);
        QCOMPARE(labels.at(3, 3, 1), std::uint16_t(9));
        patch.discard(labels);
        QVERIFY(patch.isEmpty());
        QCOMPARE(labels.at(3, 3, 1), std::uint16_t(5));
        QCOMPARE(labels.at(4, 3, 1), std::uint16_t(0));
    }

    void brush_stroke_costs_what_it_changed_not_the_volume()
    {
        // A 256 x 256 x 100 layer is 13 MB; a stroke of 5 mm discs changes a few thousand voxels.
        const ImageGeometry g = grid(256, 256, 100);
        LabelVolume labels(g);
        LabelPatch patch;
        const edit::VoxelList stroke = edit::rasterizePolyline(g, algo::SlicePlane::Axial, 50,
                                                               {g.indexToPhysical({40, 40, 50}),
                                                                g.indexToPhysical({180, 120, 50})},
                                                               10.0);
        QCOMPARE(edit::paintVoxels(labels, patch, stroke, 1), stroke.size());
        patch.finish(g.dims);
        QCOMPARE(patch.changedVoxels(), stroke.size());
        QVERIFY(patch.memoryBytes() < stroke.size() * 12 + 4096);
        QVERIFY(patch.memoryBytes() < labels.voxelCount() * 2 / 100);
    }
};

QTEST_APPLESS_MAIN(TestLabelPatch)
#include "test_label_patch.moc"
