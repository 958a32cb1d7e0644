// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// algo/Superpixels: SLIC on hand-made volumes with known answers (two flat halves, a 2D RGB
// image, anisotropic spacing, a mask), connectivity, the seed app's dark-superpixel drop, bad
// input, cancel; and on the BraTS FLAIR against scikit-image's figures (wf4_slic3d.py).
#include <carina/algo/ConnectedComponents.h>
#include <carina/algo/Superpixels.h>
#include <carina/io/Npy.h>

#include <QTest>

#include <cmath>
#include <map>
#include <set>
#include <vector>

using namespace carina;
using namespace carina::algo;

namespace {

const QString kAnchorData = qEnvironmentVariable("CARINA_ANCHOR_DATA", QStringLiteral("/tmp/carina-anchor-data"));

// A 3D volume whose left half (x < nx/2) is 20 and right half 200.
Volume halves(int nx, int ny, int nz, Eigen::Vector3d spacing = {1, 1, 1})
{
    ImageGeometry g;
    g.dims = {nx, ny, nz};
    g.spacing = spacing;
    Volume v(VoxelType::UInt8, g);
    std::uint8_t *p = v.data<std::uint8_t>();
    for (int z = 0; z < nz; ++z)
        for (int y = 0; y < ny; ++y)
            for (int x = 0; x < nx; ++x)
                p[(std::size_t(z) * ny + y) * nx + x] = x < nx / 2 ? 20 : 200;
    return v;
}

// Each superpixel is one 6-connected piece.
bool everyLabelConnected(const SuperpixelMap &m)
{
    std::vector<std::uint8_t> one(m.labels.size());
    std::vector<bool> seen(m.count + 1, false);
    for (std::size_t i = 0; i < m.labels.size(); ++i) {
        const std::uint32_t l = m.labels[i];
        if (l == 0 || seen[l])
            continue;
        seen[l] = true;
        for (std::size_t j = 0; j < m.labels.size(); ++j)
            one[j] = m.labels[j] == l;
        if (labelConnectedComponents(one.data(), m.dims, Connectivity::Faces).count != 1)
            return false;
    }
    return true;
}

} // namespace

class TestSuperpixels : public QObject
{
    Q_OBJECT

private slots:
    void superpixels_never_cross_a_strong_edge()
    {
        const Volume v = halves(40, 30, 20);
        SlicOptions o;
        o.nSegments = 24;
        const SuperpixelMap m = slicSuperpixels(v, o);
        QCOMPARE(m.labels.size(), v.voxelCount());
        QVERIFY(m.count >= 12 && m.count <= 40);
        std::map<std::uint32_t, std::set<bool>> sides;
        for (int z = 0; z < 20; ++z)
            for (int y = 0; y < 30; ++y)
                for (int x = 0; x < 40; ++x) {
                    const std::uint32_t l = m.labels[(std::size_t(z) * 30 + y) * 40 + x];
                    QVERIFY(l >= 1 && l <= m.count);
                    sides[l].insert(x < 20);
                }
        for (const auto &[label, s] : sides)
            QVERIFY2(s.size() == 1, qPrintable(QStringLiteral("superpixel %1 spans the edge").arg(label)));
        QCOMPARE(sides.size(), std::size_t(m.count)); // labels are 1..count, none missing
    }

    void every_superpixel_is_one_connected_piece()
    {
        // Noise makes raw SLIC clusters fragment; the connectivity step must mend that.
        ImageGeometry g;
        g.dims = {32, 32, 16};
        Volume v(VoxelType::Int16, g);
        std::int16_t *p = v.data<std::int16_t>();
        std::uint32_t state = 12345;
        for (std::size_t i = 0; i < v.voxelCount(); ++i) {
            state = state * 1664525u + 1013904223u;
            p[i] = std::int16_t((state >> 16) % 1000);
        }
        SlicOptions o;
        o.nSegments = 64;
        const SuperpixelMap m = slicSuperpixels(v, o);
        QVERIFY(m.count > 0);
        QVERIFY(everyLabelConnected(m));
    }

    void anisotropic_spacing_gives_cells_of_equal_millimetres()
    {
        // 2 mm slices: a spacing-aware grid puts half as many seeds along z as along x per voxel.
        const Volume v = halves(64, 64, 32, {1, 1, 2});
        SlicOptions o;
        o.nSegments = 64;
        o.compactness = 10.0; // near-regular cells, so sizes reflect the grid
        const SuperpixelMap m = slicSuperpixels(v, o);
        // Extent per superpixel in voxels along x and z, averaged.
        std::vector<int> minX(m.count + 1, 1 << 30), maxX(m.count + 1, -1), minZ(m.count + 1, 1 << 30), maxZ(m.count + 1, -1);
        for (int z = 0; z < 32; ++z)
            for (int y = 0; y < 64; ++y)
                for (int x = 0; x < 64; ++x) {
                    const std::uint32_t l = m.labels[(std::size_t(z) * 64 + y) * 64 + x];
                    minX[l] = std::min(minX[l], x);
                    maxX[l] = std::max(maxX[l], x);
                    minZ[l] = std::min(minZ[l], z);
                    maxZ[l] = std::max(maxZ[l], z);
                }
        double ex = 0, ez = 0;
        for (std::uint32_t l = 1; l <= m.count; ++l) {
            ex += maxX[l] - minX[l] + 1;
            ez += maxZ[l] - minZ[l] + 1;
        }
        const double ratio = ex / ez; // voxels along x per voxel along z: about 2
        QVERIFY2(ratio > 1.5 && ratio < 2.7, qPrintable(QString::number(ratio)));
        o.useSpacing = false;
        const SuperpixelMap plain = slicSuperpixels(v, o);
        QVERIFY(plain.count > 0);
    }

    void rgb_2d_image_splits_by_colour()
    {
        // 60 x 40 RGB: red left, blue right; the superpixels follow the colour edge.
        ImageGeometry g;
        g.dims = {60, 40, 1};
        Volume v(VoxelType::UInt8, g, 3);
        std::uint8_t *p = v.data<std::uint8_t>();
        for (int y = 0; y < 40; ++y)
            for (int x = 0; x < 60; ++x) {
                std::uint8_t *c = p + (std::size_t(y) * 60 + x) * 3;
                c[0] = x < 30 ? 220 : 10;
                c[1] = 30;
                c[2] = x < 30 ? 10 : 220;
            }
        SlicOptions o;
        o.nSegments = 12;
        const SuperpixelMap m = slicSuperpixels(v, o);
        QVERIFY(m.count >= 6 && m.count <= 20);
        for (int y = 0; y < 40; ++y)
            for (int x = 0; x < 30; ++x)
                for (int x2 = 30; x2 < 60; ++x2)
                    QVERIFY(m.labels[std::size_t(y) * 60 + x] != m.labels[std::size_t(y) * 60 + x2]);
        QVERIFY(everyLabelConnected(m));
    }

    void mask_limits_superpixels_and_seeds_follow_it()
    {
        // A ball of radius 15 in a 40^3 volume (about 1/4.5 of it).
        const Volume v = halves(40, 40, 40);
        std::vector<std::uint8_t> mask(v.voxelCount(), 0);
        std::size_t inside = 0;
        for (int z = 0; z < 40; ++z)
            for (int y = 0; y < 40; ++y)
                for (int x = 0; x < 40; ++x)
                    if ((x - 20) * (x - 20) + (y - 20) * (y - 20) + (z - 20) * (z - 20) <= 225) {
                        mask[(std::size_t(z) * 40 + y) * 40 + x] = 1;
                        ++inside;
                    }
        SlicOptions o;
        o.nSegments = 100;
        const SuperpixelMap m = slicSuperpixels(v, o, mask.data());
        for (std::size_t i = 0; i < mask.size(); ++i)
            QCOMPARE(m.labels[i] != 0, mask[i] != 0);
        // Seeds within 15 % of the request even though the mask is a fraction of the volume.
        QVERIFY2(std::abs(double(m.seeds) - 100.0) <= 15.0, qPrintable(QString::number(m.seeds)));
        QVERIFY2(m.count >= 70 && m.count <= 130, qPrintable(QString::number(m.count)));
        QVERIFY(everyLabelConnected(m));
        QVERIFY(inside > 0);
    }

    void dark_superpixels_are_dropped_and_the_rest_renumbered()
    {
        const Volume v = halves(40, 30, 20);
        SlicOptions o;
        o.nSegments = 24;
        SuperpixelMap m = slicSuperpixels(v, o);
        const std::uint32_t before = m.count;
        const std::uint32_t kept = dropDarkSuperpixels(m, v, 100.0);
        QCOMPARE(kept, m.count);
        QVERIFY(kept > 0 && kept < before);
        std::set<std::uint32_t> seen;
        for (int z = 0; z < 20; ++z)
            for (int y = 0; y < 30; ++y)
                for (int x = 0; x < 40; ++x) {
                    const std::uint32_t l = m.labels[(std::size_t(z) * 30 + y) * 40 + x];
                    QCOMPARE(l == 0, x < 20); // the 20-valued half is all dropped
                    if (l)
                        seen.insert(l);
                }
        QCOMPARE(seen.size(), std::size_t(kept));
        QCOMPARE(*seen.rbegin(), kept);
        const std::vector<double> means = superpixelMeans(m, v);
        for (std::uint32_t l = 1; l <= kept; ++l)
            QCOMPARE(means[l], 200.0);
    }

    void boundaries_are_the_thick_label_edges()
    {
        // 4 x 1 x 1: labels 1 1 2 2 -> boundary 0 1 1 0 (find_boundaries mode='thick').
        const std::vector<std::uint32_t> l{1, 1, 2, 2};
        const std::vector<std::uint8_t> b = superpixelBoundaries(l.data(), {4, 1, 1});
        QCOMPARE(b, (std::vector<std::uint8_t>{0, 1, 1, 0}));
    }

    void bad_input_gives_a_clear_message()
    {
        SlicOptions o;
        o.nSegments = 10;
        // Two voxels thin: works, every label in range, connected.
        const Volume thin = halves(50, 2, 40);
        const SuperpixelMap t = slicSuperpixels(thin, o);
        QVERIFY(t.count >= 1);
        QVERIFY(everyLabelConnected(t));
        const Volume thin2 = halves(2, 2, 60);
        QVERIFY(slicSuperpixels(thin2, o).count >= 1);
        // All zero: a regular grid, then the dark drop keeps nothing (not a crash).
        ImageGeometry g;
        g.dims = {20, 20, 20};
        const Volume zero(VoxelType::Int16, g);
        SuperpixelMap z = slicSuperpixels(zero, o);
        QVERIFY(z.count >= 5);
        QCOMPARE(dropDarkSuperpixels(z, zero, 0.0), 0u);
        // A mask that selects nothing; more superpixels than voxels; bad parameters; no image.
        const std::vector<std::uint8_t> none(zero.voxelCount(), 0);
        auto message = [](auto &&f) {
            try {
                f();
            } catch (const std::invalid_argument &e) {
                return QString::fromUtf8(e.what());
            }
            return QString();
        };
        QVERIFY(message([&] { slicSuperpixels(zero, o, none.data()); }).contains(QStringLiteral("mask selects no voxel")));
        SlicOptions many = o;
        many.nSegments = 9000;
        QVERIFY(message([&] { slicSuperpixels(zero, many); }).contains(QStringLiteral("only 8000 voxels")));
        SlicOptions soft = o;
        soft.compactness = 0.0;
        QVERIFY(message([&] { slicSuperpixels(zero, soft); }).contains(QStringLiteral("compactness")));
        SlicOptions zeroN = o;
        zeroN.nSegments = 0;
        QVERIFY(!message([&] { slicSuperpixels(zero, zeroN); }).isEmpty());
        QVERIFY(message([&] { slicSuperpixels(Volume(), o); }).contains(QStringLiteral("empty")));
    }

    void cancel_stops_the_task()
    {
        const Volume v = halves(64, 64, 64);
        TaskContext context;
        context.cancel();
        SlicOptions o;
        o.nSegments = 50;
        QVERIFY_THROWS_EXCEPTION(TaskCanceled, slicSuperpixels(v, o, nullptr, context));
        // Progress reaches 1 on a normal run.
        double last = 0;
        TaskContext progress([&](double f, const std::string &) { last = f; });
        slicSuperpixels(v, o, nullptr, progress);
        QCOMPARE(last, 1.0);
    }

    void brats_matches_scikit_image_figures()
    {
        // wf4_slic3d.py's app case (../shared/anchors/README.md, "Measured"): scikit-image makes
        // 304 superpixels and its boundary recall of the tumour labels is 0.835.
        const QString flairPath = kAnchorData + QStringLiteral("/brain_flair.npy");
        const QString segPath = kAnchorData + QStringLiteral("/brain_seg.npy");
        if (!QFile::exists(flairPath) || !QFile::exists(segPath))
            QSKIP("brain_flair.npy absent from $CARINA_ANCHOR_DATA or /tmp/carina-anchor-data (run /work/shared/anchors/gen_data.py with the BraTS data)");
        const Volume flair = io::readNpyVolume(flairPath.toStdString());
        const auto [lo, hi] = flair.valueRange();
        Volume img(VoxelType::UInt8, flair.geometry());
        for (std::size_t i = 0; i < flair.voxelCount(); ++i)
            img.data<std::uint8_t>()[i] = std::uint8_t(std::nearbyint((flair.data<std::int16_t>()[i] - lo) / (hi - lo) * 255.0));
        SlicOptions o;
        o.nSegments = 300;
        o.compactness = 0.1;
        SuperpixelMap m = slicSuperpixels(img, o);
        QVERIFY2(std::abs(double(m.count) - 304.0) <= 0.15 * 304.0, qPrintable(QString::number(m.count)));
        dropDarkSuperpixels(m, img, 10.0);
        QVERIFY(m.count > 20);

        const io::NpyArray seg = io::readNpy(segPath.toStdString());
        std::vector<std::uint32_t> tumour(img.voxelCount());
        for (std::size_t i = 0; i < tumour.size(); ++i)
            tumour[i] = std::uint8_t(seg.bytes[i]);
        const Dims d = m.dims;
        const std::vector<std::uint8_t> sp = superpixelBoundaries(m.labels.data(), d);
        const std::vector<std::uint8_t> gt = superpixelBoundaries(tumour.data(), d);
        std::size_t total = 0, hit = 0;
        for (int z = 1; z + 1 < d[2]; ++z)
            for (int y = 1; y + 1 < d[1]; ++y)
                for (int x = 1; x + 1 < d[0]; ++x) {
                    const std::size_t i = (std::size_t(z) * d[1] + y) * d[0] + x;
                    if (!gt[i] || !tumour[i])
                        continue;
                    ++total;
                    bool near = false;
                    for (int dz = -1; dz <= 1; ++dz)
                        for (int dy = -1; dy <= 1; ++dy)
                            for (int dx = -1; dx <= 1; ++dx)
                                near = near || sp[i + (std::ptrdiff_t(dz) * d[1] + dy) * d[0] + dx];
                    hit += near;
                }
        const double recall = double(hit) / double(total);
        QVERIFY2(recall >= 0.835, qPrintable(QString::number(recall)));
    }
};

QTEST_GUILESS_MAIN(TestSuperpixels)
#include "test_superpixels.moc"
