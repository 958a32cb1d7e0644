// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Ground-glass extraction (seed 000): the in-plane median against sorting each neighbourhood, the
// range and largest-piece rules on small known volumes, and the phantom's ROI against the
// anchor's own scikit-image path, voxel for voxel.
#include <carina/algo/GroundGlass.h>
#include <carina/algo/GroundGlassSelector.h>

#include <carina/io/Npy.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

using namespace carina;
using namespace carina::algo;

namespace {

std::string anchorData()
{
    const char *env = std::getenv("CARINA_ANCHOR_DATA");
    return env && *env ? std::string(env) : std::string("/tmp/carina-anchor-data");
}

const QString kAnchors = qEnvironmentVariable("CARINA_SHARED_DIR", QStringLiteral(CARINA_SOURCE_DIR "/../shared")) + "/anchors";

template<typename T>
Volume randomVolume(VoxelType type, const Dims &dims, unsigned seed)
{
    ImageGeometry g;
    g.dims = dims;
    Volume v(type, g);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> value(-40, 40); // few values: many ties, as in real CT
    for (std::size_t n = 0; n < v.voxelCount(); ++n)
        v.data<T>()[n] = T(std::is_signed_v<T> ? value(rng) : value(rng) + 40);
    return v;
}

// The definition: sort the nine values of the box-clamped 3 x 3 neighbourhood, take the fifth.
template<typename T>
T bruteMedian(const Volume &v, const VoxelBox &b, int x, int y, int z)
{
    std::vector<T> n;
    for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
            const int i = std::clamp(x + dx, b.begin[0], b.end[0] - 1), j = std::clamp(y + dy, b.begin[1], b.end[1] - 1);
            n.push_back(v.data<T>()[v.geometry().linearIndex(i, j, z)]);
        }
    std::nth_element(n.begin(), n.begin() + 4, n.end());
    return n[4];
}

Volume filled(const Dims &dims, std::int16_t value)
{
    ImageGeometry g;
    g.dims = dims;
    Volume v(VoxelType::Int16, g);
    std::fill(v.data<std::int16_t>(), v.data<std::int16_t>() + v.voxelCount(), value);
    return v;
}

} // namespace

class TestGroundGlass : public QObject
{
    Q_OBJECT
private slots:
    void median_is_the_fifth_of_each_sorted_neighbourhood()
    {
        // Widths and heights of 1 and 2 take only the edge paths; the box sits inside a larger
        // image, whose voxels outside the box must not count.
        const std::vector<std::pair<Dims, VoxelBox>> cases{
            {{1, 1, 2}, {{0, 0, 0}, {1, 1, 2}}},     {{2, 3, 1}, {{0, 0, 0}, {2, 3, 1}}},
            {{7, 5, 3}, {{0, 0, 0}, {7, 5, 3}}},     {{40, 30, 6}, {{3, 4, 1}, {36, 21, 5}}},
            {{40, 30, 2}, {{10, 0, 0}, {11, 30, 2}}}};
        unsigned seed = 1;
        for (const auto &[dims, box] : cases) {
            const auto check = [&](auto tag, VoxelType type) {
                using T = decltype(tag);
                const Volume v = randomVolume<T>(type, dims, seed++);
                const Volume m = medianFilterInPlane3x3(v, box);
                QCOMPARE(m.dims(), (Dims{box.end[0] - box.begin[0], box.end[1] - box.begin[1], box.end[2] - box.begin[2]}));
                for (int z = box.begin[2]; z < box.end[2]; ++z)
                    for (int y = box.begin[1]; y < box.end[1]; ++y)
                        for (int x = box.begin[0]; x < box.end[0]; ++x) {
                            const T got = m.data<T>()[m.geometry().linearIndex(x - box.begin[0], y - box.begin[1], z - box.begin[2])];
                            if (got != bruteMedian<T>(v, box, x, y, z))
                                QFAIL(qPrintable(QString("median at %1,%2,%3 of a %4x%5x%6 image").arg(x).arg(y).arg(z).arg(dims[0]).arg(dims[1]).arg(dims[2])));
                        }
                // The box's place in the patient moves with it.
                QVERIFY((m.geometry().origin - v.geometry().indexToPhysical(Eigen::Vector3d(box.begin[0], box.begin[1], box.begin[2]))).norm() < 1e-12);
            };
            check(std::int16_t{}, VoxelType::Int16);
            check(std::uint8_t{}, VoxelType::UInt8);
        }
    }

    void range_excludes_the_low_end_and_keeps_the_largest_piece()
    {
        Volume ct = filled({20, 10, 4}, -900);
        auto *v = ct.data<std::int16_t>();
        const auto set = [&](int x, int y, int z, std::int16_t hu) { v[ct.geometry().linearIndex(x, y, z)] = hu; };
        for (int z = 0; z < 4; ++z) // the big piece: 3 x 3 x 4 at the high end of the range
            for (int y = 2; y < 5; ++y)
                for (int x = 2; x < 5; ++x)
                    set(x, y, z, -300);
        for (int x = 10; x < 14; ++x) // a smaller piece, touching the big one only by an edge
            set(x, 6, 1, -500);
        set(5, 5, 1, -500);
        set(15, 1, 0, -700); // the low end itself is outside the range
        GroundGlassOptions options;
        options.smooth = false;
        const GroundGlassResult r = extractGroundGlass(ct, VoxelBox::whole(ct.dims()), {}, options);
        QCOMPARE(r.pieces, std::uint32_t(3)); // big, the row, the edge-touching voxel: 6-connected
        QCOMPARE(r.voxels, std::uint64_t(36));
        QCOMPARE(r.voxelsInRange, std::uint64_t(36 + 4 + 1));
        QCOMPARE(r.mask[ct.geometry().linearIndex(3, 3, 2)], std::uint8_t(1));
        QCOMPARE(r.mask[ct.geometry().linearIndex(11, 6, 1)], std::uint8_t(0));
        QCOMPARE(r.mask[ct.geometry().linearIndex(15, 1, 0)], std::uint8_t(0));
    }

    void lasso_limits_every_slice_and_nothing_in_range_is_empty()
    {
        Volume ct = filled({8, 8, 3}, -500);
        std::vector<std::uint8_t> lasso(64, 0);
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 3; ++x)
                lasso[std::size_t(y) * 8 + std::size_t(x)] = 1;
        const GroundGlassResult r = extractGroundGlass(ct, VoxelBox::whole(ct.dims()), lasso);
        QCOMPARE(r.voxels, std::uint64_t(8 * 3 * 3));
        QCOMPARE(r.mask[ct.geometry().linearIndex(3, 4, 1)], std::uint8_t(0));
        const GroundGlassResult none = extractGroundGlass(filled({8, 8, 3}, 40), VoxelBox::whole(ct.dims()), {});
        QCOMPARE(none.voxels, std::uint64_t(0));
        QCOMPARE(none.pieces, std::uint32_t(0));
        QCOMPARE(none.mask.size(), std::size_t(8 * 8 * 3));
    }

    void bad_regions_and_ranges_are_refused()
    {
        const Volume ct = filled({8, 8, 3}, -500);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, extractGroundGlass(ct, {{0, 0, 0}, {9, 8, 3}}, {}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, extractGroundGlass(ct, {{2, 0, 0}, {2, 8, 3}}, {}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, extractGroundGlass(ct, VoxelBox::whole(ct.dims()), std::vector<std::uint8_t>(10, 1)));
        GroundGlassOptions backwards;
        backwards.lowHu = -300;
        backwards.highHu = -700;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, extractGroundGlass(ct, VoxelBox::whole(ct.dims()), {}, backwards));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, medianFilterInPlane3x3(Volume(), VoxelBox::whole({1, 1, 1})));
    }

    void phantom_roi_equals_the_anchor_voxel_for_voxel()
    {
        const std::string data = anchorData();
        if (!std::filesystem::exists(data + "/ct_phantom.npy") || !std::filesystem::exists(data + "/ct_phantom_meta.json"))
            QSKIP("anchor data absent: run /work/shared/anchors/gen_data.py (or set CARINA_ANCHOR_DATA)");
        if (!QFileInfo::exists(kAnchors + "/wf3_ggo.py"))
            QSKIP("the wf3 anchor (../shared/anchors/wf3_ggo.py) is missing");
        QTemporaryDir dir;
        const QString reference = dir.filePath("ggo.npy");
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral(CARINA_TEST_DIR "/reference_ggo.py"), kAnchors,
                                                          QString::fromStdString(data), reference});
        QVERIFY(python.waitForFinished(300000));
        if (python.exitCode() != 0 && python.readAllStandardError().contains("No module named"))
            QSKIP("Debian's python3-skimage / python3-scipy is missing: no reference mask");
        QCOMPARE(python.exitCode(), 0);

        // The phantom as the anchors describe it (x fastest, ROI from the metadata).
        const io::NpyArray npy = io::readNpy(data + "/ct_phantom.npy");
        ImageGeometry g;
        g.dims = {int(npy.shape[2]), int(npy.shape[1]), int(npy.shape[0])};
        g.spacing = {0.7, 0.7, 1.0};
        Volume ct(VoxelType::Int16, g);
        std::copy(npy.as<std::int16_t>(), npy.as<std::int16_t>() + npy.elementCount(), ct.data<std::int16_t>());
        // The ROI and range of ct_phantom_meta.json, as the reference read them.
        const QStringList f = QString::fromUtf8(python.readAllStandardOutput()).simplified().split(u' ');
        QCOMPARE(f.size(), 8);
        const VoxelBox roi{{f[4].toInt(), f[2].toInt(), f[0].toInt()}, {f[5].toInt(), f[3].toInt(), f[1].toInt()}};
        const GroundGlassOptions options{f[6].toDouble(), f[7].toDouble(), true};
        const GroundGlassResult r = extractGroundGlass(ct, roi, {}, options);

        const io::NpyArray expected = io::readNpy(reference.toStdString());
        QCOMPARE(expected.elementCount(), r.mask.size());
        const std::uint8_t *e = expected.as<std::uint8_t>();
        std::size_t differ = 0;
        for (std::size_t n = 0; n < r.mask.size(); ++n)
            differ += (e[n] != 0) != (r.mask[n] != 0);
        QCOMPARE(differ, std::size_t(0));
        // 11.94 mL of the phantom's 11.978 mL lesion, as the anchor reports.
        QVERIFY(std::abs(double(r.voxels) * 0.49e-3 - 11.94) < 0.01);

        // The live path (prepared region, handles moved there and back) gives the same mask.
        GroundGlassSelector selector(ct, roi, {}, true);
        selector.select(options.lowHu + 50, options.highHu - 100);
        selector.select(options.lowHu, options.highHu + 10);
        const GroundGlassSelection live = selector.select(options.lowHu, options.highHu);
        QCOMPARE(live.voxels, r.voxels);
        differ = 0;
        for (std::size_t n = 0; n < live.mask.size(); ++n)
            differ += (e[n] != 0) != (live.mask[n] != 0);
        QCOMPARE(differ, std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestGroundGlass)
#include "test_ground_glass.moc"
