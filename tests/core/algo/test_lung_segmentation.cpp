// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/LabelVolume.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>
#include <carina/algo/LungSegmentation.h>
#include <carina/io/Nifti.h>
#include <carina/io/VolumeReader.h>

#include <carina/io/Npy.h>

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QDir>
#include <QTest>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>

using namespace carina;

namespace {

std::string anchorDataDir()
{
    const char *env = std::getenv("CARINA_ANCHOR_DATA");
    return env && *env ? std::string(env) : std::string("/tmp/carina-anchor-data");
}

using carina::io::NpyArray;
using carina::io::readNpy;

double dice(const LabelVolume &seg, const std::uint8_t *truth, std::uint16_t label)
{
    std::size_t both = 0, a = 0, b = 0;
    for (std::size_t i = 0; i < seg.voxelCount(); ++i) {
        const bool s = seg.data()[i] == label, t = truth[i] == label;
        both += s && t;
        a += s;
        b += t;
    }
    return a + b ? 2.0 * double(both) / double(a + b) : 1.0;
}

std::string refusal(const Volume &volume)
{
    try {
        algo::segmentLungs(volume);
    } catch (const std::invalid_argument &e) {
        return e.what();
    }
    return {};
}

// A small synthetic chest: body ellipse of soft tissue in air, two lung ellipsoids of -850 HU
// (the right one, at low i, larger), a trachea of air from the top slice down between the lungs.
// Voxels: 2 x 2 x 4 mm. `truth` gets 1 for the low-i lung, 2 for the high-i one.
struct Chest
{
    Volume ct;
    std::vector<std::uint8_t> truth;
};

Chest makeChest(bool withLungs = true)
{
    const int nx = 160, ny = 128, nz = 60;
    ImageGeometry g;
    g.dims = {nx, ny, nz};
    g.spacing = {2.0, 2.0, 4.0};
    Chest chest{Volume(VoxelType::Int16, g), std::vector<std::uint8_t>(g.voxelCount(), 0)};
    chest.ct.info().units = "HU";
    chest.ct.info().modality = "CT";
    std::int16_t *v = chest.ct.data<std::int16_t>();
    for (int k = 0; k < nz; ++k)
        for (int j = 0; j < ny; ++j)
            for (int i = 0; i < nx; ++i) {
                const std::size_t idx = g.linearIndex(i, j, k);
                const double bx = (i - 79.5) / 70.0, by = (j - 63.5) / 50.0;
                std::int16_t hu = bx * bx + by * by <= 1.0 ? 40 : -1000;
                // Lungs from slice 4 to 49; the trachea runs from the top (k = 59) to k = 40.
                const double lz = (k - 27.0) / 23.0;
                const double rx = (i - 48.0) / 26.0, ry = (j - 63.5) / 36.0;
                const double lx = (i - 111.0) / 22.0, ly = (j - 63.5) / 32.0;
                if (withLungs && rx * rx + ry * ry + lz * lz <= 1.0) {
                    hu = -850;
                    chest.truth[idx] = 1;
                } else if (withLungs && lx * lx + ly * ly + lz * lz <= 1.0) {
                    hu = -850;
                    chest.truth[idx] = 2;
                }
                const double tx = (i - 79.5) / 5.0, ty = (j - 63.5) / 5.0;
                if (withLungs && k >= 40 && tx * tx + ty * ty <= 1.0)
                    hu = -1000;
                v[idx] = hu;
            }
    return chest;
}

// Checks a real scan's result: two lungs on the patient's correct sides, nothing labelled on the
// in-plane border (where the air outside the body is). Returns the LPS x of both centroids.
void checkTwoLungs(const algo::LungSegmentationResult &result, const std::string &what)
{
    const ImageGeometry &g = result.labels.geometry();
    Eigen::Vector3d centroid[3] = {Eigen::Vector3d::Zero(), Eigen::Vector3d::Zero(), Eigen::Vector3d::Zero()};
    double voxels[3] = {0, 0, 0};
    std::size_t onBorder = 0;
    for (int k = 0; k < g.dims[2]; ++k)
        for (int j = 0; j < g.dims[1]; ++j)
            for (int i = 0; i < g.dims[0]; ++i)
                if (const std::uint16_t l = result.labels.at(i, j, k); l == 1 || l == 2) {
                    centroid[l] += Eigen::Vector3d(i, j, k);
                    voxels[l] += 1.0;
                    onBorder += i == 0 || j == 0 || i == g.dims[0] - 1 || j == g.dims[1] - 1;
                }
    QVERIFY2(voxels[1] > 0 && voxels[2] > 0, what.c_str());
    const double rightX = g.indexToPhysical(centroid[1] / voxels[1]).x();
    const double leftX = g.indexToPhysical(centroid[2] / voxels[2]).x();
    qInfo("%s: right %.1f mL at x %.1f mm, left %.1f mL at x %.1f mm, airway %zu voxels, %d split slices", what.c_str(),
          result.rightVolumeMl, rightX, result.leftVolumeMl, leftX, result.airwayVoxels, result.splitSlices);
    for (const std::string &w : result.warnings)
        qInfo("  warning: %s", w.c_str());
    QVERIFY2(rightX < leftX, what.c_str());
    QCOMPARE(onBorder, std::size_t(0));
}

// Small volumes for the steps, 1 mm voxels unless told.
Volume ctOf(const Dims &dims, const std::function<int(int, int, int)> &hu, const Eigen::Vector3d &spacing = {1.0, 1.0, 1.0})
{
    ImageGeometry g;
    g.dims = dims;
    g.spacing = spacing;
    Volume ct(VoxelType::Int16, g);
    ct.info().units = "HU";
    for (int k = 0; k < dims[2]; ++k)
        for (int j = 0; j < dims[1]; ++j)
            for (int i = 0; i < dims[0]; ++i)
                ct.data<std::int16_t>()[g.linearIndex(i, j, k)] = std::int16_t(hu(i, j, k));
    return ct;
}

// A LungMask as step 1 leaves it: kLungCandidate on `inside`, its bounding box and voxel count.
algo::LungMask maskOf(const ImageGeometry &g, const std::function<bool(int, int, int)> &inside, double midlineX)
{
    algo::LungMask lungs;
    lungs.mask = LabelVolume(g);
    lungs.midlineX = midlineX;
    lungs.box = {{INT_MAX, INT_MAX, INT_MAX}, {INT_MIN, INT_MIN, INT_MIN}};
    for (int k = 0; k < g.dims[2]; ++k)
        for (int j = 0; j < g.dims[1]; ++j)
            for (int i = 0; i < g.dims[0]; ++i)
                if (inside(i, j, k)) {
                    lungs.mask.set(i, j, k, algo::kLungCandidate);
                    ++lungs.internalAirVoxels;
                    const Dims at{i, j, k};
                    for (std::size_t a = 0; a < 3; ++a) {
                        lungs.box.begin[a] = std::min(lungs.box.begin[a], at[a]);
                        lungs.box.end[a] = std::max(lungs.box.end[a], at[a] + 1);
                    }
                }
    return lungs;
}

// The voxels of `labels` that differ from expected(i, j, k).
std::size_t mismatches(const LabelVolume &labels, const std::function<std::uint16_t(int, int, int)> &expected)
{
    const Dims &d = labels.dims();
    std::size_t wrong = 0;
    for (int k = 0; k < d[2]; ++k)
        for (int j = 0; j < d[1]; ++j)
            for (int i = 0; i < d[0]; ++i)
                wrong += labels.at(i, j, k) != expected(i, j, k);
    return wrong;
}

bool inBox(int i, int j, int k, const Dims &lo, const Dims &hi) // inclusive
{
    return i >= lo[0] && i <= hi[0] && j >= lo[1] && j <= hi[1] && k >= lo[2] && k <= hi[2];
}

} // namespace

class TestLungSegmentation : public QObject
{
    Q_OBJECT

private slots:
    void phantomMatchesGroundTruth()
    {
        const std::string dir = anchorDataDir();
        const std::string ctPath = dir + "/ct_phantom.npy", gtPath = dir + "/ct_lung_mask_gt.npy",
                          metaPath = dir + "/ct_phantom_meta.json";
        if (!std::filesystem::exists(ctPath) || !std::filesystem::exists(gtPath) || !std::filesystem::exists(metaPath))
            QSKIP(qPrintable(QString::fromStdString("anchor phantom not found in " + dir
                                                    + " (run /work/shared/anchors/gen_data.py or set CARINA_ANCHOR_DATA)")));
        const NpyArray ctNpy = readNpy(ctPath), gtNpy = readNpy(gtPath);
        QCOMPARE(QString::fromStdString(ctNpy.descr), QStringLiteral("<i2"));
        QCOMPARE(ctNpy.shape.size(), std::size_t(3));
        QFile metaFile(QString::fromStdString(metaPath));
        QVERIFY(metaFile.open(QIODevice::ReadOnly));
        const QJsonObject meta = QJsonDocument::fromJson(metaFile.readAll()).object();
        const QJsonArray spacing = meta["spacing_zyx"].toArray(), origin = meta["origin_lps_xyz"].toArray();

        ImageGeometry g;
        g.dims = {ctNpy.shape[2], ctNpy.shape[1], ctNpy.shape[0]};
        g.spacing = {spacing[2].toDouble(), spacing[1].toDouble(), spacing[0].toDouble()};
        g.origin = {origin[0].toDouble(), origin[1].toDouble(), origin[2].toDouble()};
        Volume ct(VoxelType::Int16, g);
        std::memcpy(ct.rawData(), ctNpy.bytes.data(), ct.byteSize());
        ct.info().units = "HU";

        algo::segmentLungs(ct); // warm-up: page faults of the first run are not the algorithm
        QElapsedTimer timer;
        timer.start();
        const algo::LungSegmentationResult result = algo::segmentLungs(ct);
        const qint64 ms = timer.elapsed();

        const auto *truth = reinterpret_cast<const std::uint8_t *>(gtNpy.bytes.data());
        const double diceRight = dice(result.labels, truth, algo::kRightLungLabel);
        const double diceLeft = dice(result.labels, truth, algo::kLeftLungLabel);
        const QJsonObject volumes = meta["lung_volumes_ml"].toObject();
        const double gtRight = volumes["1"].toDouble(), gtLeft = volumes["2"].toDouble();
        qInfo("phantom: %lld ms, Dice right %.5f left %.5f, volumes %.2f / %.2f mL (GT %.2f / %.2f), airway %zu voxels, "
              "%d split slices",
              ms, diceRight, diceLeft, result.rightVolumeMl, result.leftVolumeMl, gtRight, gtLeft, result.airwayVoxels,
              result.splitSlices);
        for (const std::string &w : result.warnings)
            qInfo("warning: %s", w.c_str());
        QVERIFY2(diceRight >= 0.99, qPrintable(QString::number(diceRight)));
        QVERIFY2(diceLeft >= 0.99, qPrintable(QString::number(diceLeft)));
        QVERIFY(std::abs(result.rightVolumeMl - gtRight) <= 0.01 * gtRight);
        QVERIFY(std::abs(result.leftVolumeMl - gtLeft) <= 0.01 * gtLeft);
        QVERIFY(result.airwayVoxels > 0);
        QVERIFY(result.splitSlices > 0); // the anterior junction: the lungs touch there
    }

    void syntheticChestSidesFollowTheDirection_data()
    {
        QTest::addColumn<bool>("flipped");
        QTest::newRow("LPS") << false;
        QTest::newRow("x flipped (RPS)") << true;
    }

    void syntheticChestSidesFollowTheDirection()
    {
        QFETCH(bool, flipped);
        Chest chest = makeChest();
        if (flipped) {
            ImageGeometry g = chest.ct.geometry();
            g.direction(0, 0) = -1.0;
            chest.ct.setGeometry(g);
        }
        const algo::LungSegmentationResult result = algo::segmentLungs(chest.ct);
        // With LPS, the low-i lung is at low x: the patient's right. Flipped, it is the left.
        const std::uint16_t lowI = flipped ? algo::kLeftLungLabel : algo::kRightLungLabel;
        const std::uint16_t highI = flipped ? algo::kRightLungLabel : algo::kLeftLungLabel;
        std::vector<std::uint8_t> expected(chest.truth.size());
        for (std::size_t i = 0; i < expected.size(); ++i)
            expected[i] = chest.truth[i] == 1 ? std::uint8_t(lowI) : chest.truth[i] == 2 ? std::uint8_t(highI) : 0;
        const double d1 = dice(result.labels, expected.data(), 1), d2 = dice(result.labels, expected.data(), 2);
        QVERIFY2(d1 > 0.97 && d2 > 0.97, qPrintable(QString("Dice %1 %2").arg(d1).arg(d2)));
        const double lowIVolume = flipped ? result.leftVolumeMl : result.rightVolumeMl;
        const double highIVolume = flipped ? result.rightVolumeMl : result.leftVolumeMl;
        QVERIFY(lowIVolume > highIVolume); // the low-i lung was made larger
        QVERIFY(result.airwayVoxels > 0);
        // The trachea is not lung.
        QCOMPARE(result.labels.at(80, 64, 55), std::uint16_t(0));
        QCOMPARE(result.labels.table().find(algo::kRightLungLabel)->name, std::string("Right lung"));
    }

    void realSeriesHaveTwoLungsWithoutTrachea_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::newRow("ricord1a covid") << QStringLiteral("ricord1a-every2nd");
        QTest::newRow("lungpetctdx tumour") << QStringLiteral("lungpetctdx-a0002");
    }

    void realSeriesHaveTwoLungsWithoutTrachea()
    {
        QFETCH(QString, folder);
        const std::string path = "/work/shared/data/ct/" + folder.toStdString();
        if (!std::filesystem::exists(path))
            QSKIP(qPrintable(QString::fromStdString(path + " not found (the shared real scans are not here)")));
        const io::LoadResult loaded = io::readVolume(path);
        const algo::LungSegmentationResult result = algo::segmentLungs(loaded.volume);
        checkTwoLungs(result, folder.toStdString());
        QVERIFY(result.airwayVoxels > 0);
        QVERIFY2(result.rightVolumeMl >= 800.0 && result.rightVolumeMl <= 5000.0, qPrintable(QString::number(result.rightVolumeMl)));
        QVERIFY2(result.leftVolumeMl >= 800.0 && result.leftVolumeMl <= 5000.0, qPrintable(QString::number(result.leftVolumeMl)));
    }

    void singleSlicesHaveTwoLungsWhenAllowed()
    {
        const QString folder = QStringLiteral("/work/shared/data/ct/nysbu-single-slices");
        const QStringList files = QDir(folder).entryList({QStringLiteral("*.dcm")}, QDir::Files, QDir::Name);
        if (files.isEmpty())
            QSKIP(qPrintable(folder + " not found (the shared real scans are not here)"));
        algo::LungSegmentationOptions options;
        options.allowSingleSlice = true;
        for (const QString &file : files) {
            const io::LoadResult loaded = io::readVolume(QDir(folder).filePath(file).toStdString());
            QCOMPARE(loaded.volume.dims()[2], 1);
            // Without the option a single slice is refused, with it both lungs are found.
            QVERIFY(refusal(loaded.volume).find("single slice") != std::string::npos);
            const algo::LungSegmentationResult result = algo::segmentLungs(loaded.volume, options);
            // CARINA_LUNGSEG_DUMP=<folder> keeps the labels for a look (NIfTI, one per slice).
            if (const QString dump = qEnvironmentVariable("CARINA_LUNGSEG_DUMP"); !dump.isEmpty())
                io::writeNiftiLabels(result.labels, QDir(dump).filePath(file + QStringLiteral(".nii.gz")).toStdString());
            checkTwoLungs(result, file.toStdString());
            if (QTest::currentTestFailed())
                return;
        }
    }

    void refusesMrLikeVolume()
    {
        ImageGeometry g;
        g.dims = {64, 64, 20};
        Volume mr(VoxelType::UInt16, g);
        std::uint16_t *p = mr.data<std::uint16_t>();
        for (std::size_t i = 0; i < mr.voxelCount(); ++i)
            p[i] = std::uint16_t(i % 1001);
        mr.info().modality = "MR";
        mr.info().sourcePath = "/data/brain.nii";
        const std::string message = refusal(mr);
        QVERIFY2(message.find("Hounsfield") != std::string::npos, message.c_str());
        QVERIFY2(message.find("/data/brain.nii") != std::string::npos, message.c_str());
    }

    void refusesSingleSlice()
    {
        ImageGeometry g;
        g.dims = {128, 128, 1};
        Volume slice(VoxelType::Int16, g);
        slice.info().units = "HU";
        const std::string message = refusal(slice);
        QVERIFY2(message.find("at least 10 axial slices") != std::string::npos, message.c_str());
    }

    void refusesCtWithoutLungs()
    {
        const Chest body = makeChest(false);
        const std::string message = refusal(body.ct);
        QVERIFY2(message.find("no air-filled lung region found: is this a chest CT?") != std::string::npos, message.c_str());
    }

    // --- The steps of segmentLungs, each on a small volume with a known answer.

    void findInternalAirKeepsTheAirInsideTheBody()
    {
        // Body of soft tissue at x 3..20, y 2..17 of a 24 x 20 x 12 image in air. Inside: a pocket
        // (x 6..9, y 5..10, z 2..5) and a tube leaving through the top slice (x 14..15, y 8..9,
        // z 8..11, as the trachea does). A fold of outside air at y 15 reaches x 3..4.
        const auto hu = [](int i, int j, int k) {
            if (inBox(i, j, k, {6, 5, 2}, {9, 10, 5}))
                return -850;
            if (inBox(i, j, k, {14, 8, 8}, {15, 9, 11}))
                return -1000;
            if (j == 15 && i <= 4)
                return -1000;
            return inBox(i, j, k, {3, 2, 0}, {20, 17, 11}) ? 40 : -1000;
        };
        const Volume ct = ctOf({24, 20, 12}, hu);
        const algo::LungMask lungs = algo::findInternalAir(ct);
        QCOMPARE(lungs.internalAirVoxels, std::size_t(4 * 6 * 4 + 2 * 2 * 4));
        QCOMPARE(lungs.box.begin, (Dims{6, 5, 2}));
        QCOMPARE(lungs.box.end, (Dims{16, 11, 12}));
        QCOMPARE(lungs.midlineX, 11.5); // body columns 3..20
        QCOMPARE(mismatches(lungs.mask, [&](int i, int j, int k) {
                     return std::uint16_t(inBox(i, j, k, {6, 5, 2}, {9, 10, 5}) || inBox(i, j, k, {14, 8, 8}, {15, 9, 11}));
                 }),
                 std::size_t(0));

        // No air inside the body: nothing, and no mask.
        const algo::LungMask none = algo::findInternalAir(ctOf({24, 20, 12}, [](int i, int j, int k) {
            return inBox(i, j, k, {3, 2, 0}, {20, 17, 11}) ? 40 : -1000;
        }));
        QCOMPARE(none.internalAirVoxels, std::size_t(0));
        QCOMPARE(none.mask.voxelCount(), std::size_t(0));
    }

    void removeAirwayGrowsTheTracheaAndRemovesItDilated_data()
    {
        QTest::addColumn<int>("lumenHu");
        QTest::addColumn<double>("thresholdHu");
        QTest::newRow("dark lumen: first threshold") << -1000 << -950.0;
        QTest::newRow("blurred lumen: raised threshold") << -900 << -875.0;
    }

    void removeAirwayGrowsTheTracheaAndRemovesItDilated()
    {
        QFETCH(int, lumenHu);
        QFETCH(double, thresholdHu);
        // 1 mL voxels. Lungs at -850: x 3..12 and 19..26, y 4..19, z 1..12; between them the
        // trachea (x 14..15, y 10..11) from the top slice z 13 down to z 6, tissue around it.
        const Dims dims{30, 24, 14};
        const auto lung = [](int i, int j, int k) {
            return inBox(i, j, k, {3, 4, 1}, {12, 19, 12}) || inBox(i, j, k, {19, 4, 1}, {26, 19, 12});
        };
        const auto trachea = [](int i, int j, int k) { return inBox(i, j, k, {14, 10, 6}, {15, 11, 13}); };
        const Volume ct = ctOf(dims, [&](int i, int j, int k) { return trachea(i, j, k) ? lumenHu : lung(i, j, k) ? -850 : 40; },
                               {10.0, 10.0, 10.0});
        algo::LungMask lungs = maskOf(ct.geometry(), [&](int i, int j, int k) { return lung(i, j, k) || trachea(i, j, k); }, 14.5);
        const algo::AirwayRemoval airway = algo::removeAirway(ct, lungs);
        // 32 mL is over airwayMinMl (5): the threshold goes no higher than the first one that grows.
        QCOMPARE(airway.voxels, std::size_t(32));
        QCOMPARE(airway.thresholdHu, thresholdHu);
        QVERIFY(airway.warnings.empty());
        // Removed: the trachea closed and dilated by 2 voxels (cross): whatever lies within a
        // city-block distance of 2, i.e. the lung's column x 12 beside the trachea.
        const auto nearTrachea = [](int i, int j, int k) {
            const int di = std::max({14 - i, i - 15, 0}), dj = std::max({10 - j, j - 11, 0}), dk = std::max({6 - k, k - 13, 0});
            return di + dj + dk <= 2;
        };
        QCOMPARE(mismatches(lungs.mask, [&](int i, int j, int k) { return std::uint16_t(lung(i, j, k) && !nearTrachea(i, j, k)); }),
                 std::size_t(0));
        // The right lung's column x 12 loses y 10..11, z 6..12.
        QCOMPARE(std::size_t(std::count(lungs.mask.data(), lungs.mask.data() + lungs.mask.voxelCount(), algo::kLungCandidate)),
                 std::size_t(10 * 16 * 12 + 8 * 16 * 12 - 2 * 7));
    }

    void removeAirwayKeepsALumenThatFloodsTheLung()
    {
        // All air at -1000 and the trachea touching the right lung: the growth fills that lung,
        // more than a quarter of the internal air, so nothing is removed.
        const auto lung = [](int i, int j, int k) {
            return inBox(i, j, k, {3, 4, 1}, {12, 19, 12}) || inBox(i, j, k, {19, 4, 1}, {26, 19, 12});
        };
        const auto trachea = [](int i, int j, int k) { return inBox(i, j, k, {13, 10, 6}, {14, 11, 13}); };
        const auto air = [&](int i, int j, int k) { return lung(i, j, k) || trachea(i, j, k); };
        const Volume ct = ctOf({30, 24, 14}, [&](int i, int j, int k) { return air(i, j, k) ? -1000 : 40; });
        algo::LungMask lungs = maskOf(ct.geometry(), air, 14.5);
        const algo::AirwayRemoval airway = algo::removeAirway(ct, lungs);
        QCOMPARE(airway.voxels, std::size_t(10 * 16 * 12 + 2 * 2 * 8));
        QCOMPARE(airway.warnings.size(), std::size_t(1));
        QVERIFY(airway.warnings.front().find("grew into the lungs") != std::string::npos);
        QCOMPARE(mismatches(lungs.mask, [&](int i, int j, int k) { return std::uint16_t(air(i, j, k)); }), std::size_t(0));
    }

    void removeAirwayInASingleSliceTakesTheSmallRegionsNearTheMidline()
    {
        // 2 mm pixels: lungs of 10 x 20 pixels (800 mm^2, more than tracheaMaxAreaMm2) either side,
        // a 3 x 3 trachea (36 mm^2) on the midline and a 3 x 3 pocket 36 mm off it (kept).
        const auto lung = [](int i, int j, int) { return inBox(i, j, 0, {4, 5, 0}, {13, 24, 0}) || inBox(i, j, 0, {36, 5, 0}, {45, 24, 0}); };
        const auto trachea = [](int i, int j, int) { return inBox(i, j, 0, {24, 6, 0}, {26, 8, 0}); };
        const auto pocket = [](int i, int j, int) { return inBox(i, j, 0, {6, 27, 0}, {8, 29, 0}); };
        const auto air = [&](int i, int j, int k) { return lung(i, j, k) || trachea(i, j, k) || pocket(i, j, k); };
        const Volume ct = ctOf({50, 32, 1}, [&](int i, int j, int k) { return air(i, j, k) ? -900 : 40; }, {2.0, 2.0, 5.0});
        algo::LungMask lungs = maskOf(ct.geometry(), air, 25.0);
        const algo::AirwayRemoval airway = algo::removeAirway(ct, lungs);
        QCOMPARE(airway.voxels, std::size_t(9));
        QCOMPARE(airway.thresholdHu, 0.0);
        QCOMPARE(mismatches(lungs.mask, [&](int i, int j, int k) { return std::uint16_t(lung(i, j, k) || pocket(i, j, k)); }),
                 std::size_t(0));
    }

    void keepLungComponentsKeepsTheTwoLargest()
    {
        ImageGeometry g;
        g.dims = {30, 20, 10};
        const auto a = [](int i, int j, int k) { return inBox(i, j, k, {1, 1, 1}, {5, 5, 8}); };      // 200
        const auto b = [](int i, int j, int k) { return inBox(i, j, k, {10, 1, 1}, {13, 5, 6}); };    // 120
        const auto small = [](int i, int j, int k) { return inBox(i, j, k, {20, 10, 2}, {21, 11, 3}); }; // 8
        algo::LungMask lungs = maskOf(g, [&](int i, int j, int k) { return a(i, j, k) || b(i, j, k) || small(i, j, k); }, 15.0);
        algo::LungComponents kept = algo::keepLungComponents(lungs);
        QCOMPARE(kept.found, 3u);
        QCOMPARE(kept.kept, 2u);
        QVERIFY(kept.secondLung);
        QCOMPARE(mismatches(lungs.mask, [&](int i, int j, int k) { return std::uint16_t(a(i, j, k) || b(i, j, k)); }), std::size_t(0));

        // A second component under secondLungMinFraction (10 %) of the first is no lung.
        const auto tiny = [](int i, int j, int k) { return inBox(i, j, k, {10, 1, 1}, {10, 2, 5}); }; // 10 = 5 %
        lungs = maskOf(g, [&](int i, int j, int k) { return a(i, j, k) || tiny(i, j, k) || small(i, j, k); }, 15.0);
        kept = algo::keepLungComponents(lungs);
        QCOMPARE(kept.found, 3u);
        QCOMPARE(kept.kept, 1u);
        QVERIFY(!kept.secondLung);
        QCOMPARE(mismatches(lungs.mask, [&](int i, int j, int k) { return std::uint16_t(a(i, j, k)); }), std::size_t(0));

        lungs = maskOf(g, [](int, int, int) { return false; }, 15.0);
        QCOMPARE(algo::keepLungComponents(lungs).found, 0u);
    }

    void keepLungComponentsKeepsSizeablePiecesOfASingleSlice()
    {
        ImageGeometry g;
        g.dims = {30, 20, 1};
        const auto a = [](int i, int j, int) { return inBox(i, j, 0, {1, 1, 0}, {10, 10, 0}); };     // 100
        const auto b = [](int i, int j, int) { return inBox(i, j, 0, {15, 1, 0}, {19, 4, 0}); };     // 20
        const auto c = [](int i, int j, int) { return inBox(i, j, 0, {15, 10, 0}, {16, 10, 0}); };   // 2: 2 % of a, kept
        const auto d = [](int i, int j, int) { return i == 25 && j == 15; };                          // 1: dropped
        algo::LungMask lungs = maskOf(g, [&](int i, int j, int k) { return a(i, j, k) || b(i, j, k) || c(i, j, k) || d(i, j, k); }, 15.0);
        const algo::LungComponents kept = algo::keepLungComponents(lungs);
        QCOMPARE(kept.found, 4u);
        QCOMPARE(kept.kept, 3u);
        QCOMPARE(mismatches(lungs.mask, [&](int i, int j, int k) { return std::uint16_t(a(i, j, k) || b(i, j, k) || c(i, j, k)); }),
                 std::size_t(0));
    }

    void splitAndFillLungsLabelsSidesAndFillsHoles_data()
    {
        QTest::addColumn<bool>("flipped");
        QTest::addColumn<bool>("fillHoles");
        QTest::newRow("LPS") << false << true;
        QTest::newRow("x flipped") << true << true;
        QTest::newRow("holes kept") << false << false;
    }

    void splitAndFillLungsLabelsSidesAndFillsHoles()
    {
        QFETCH(bool, flipped);
        QFETCH(bool, fillHoles);
        // Two 11 x 12 lungs over 3 slices either side of the midline x 19.5; the low-index one has
        // a 2 x 2 hole (a vessel).
        ImageGeometry g;
        g.dims = {40, 20, 3};
        if (flipped)
            g.direction(0, 0) = -1.0;
        const auto hole = [](int i, int j, int k) { return inBox(i, j, k, {10, 9, 0}, {11, 10, 2}); };
        const auto low = [](int i, int j, int k) { return inBox(i, j, k, {5, 4, 0}, {15, 15, 2}); };
        const auto high = [](int i, int j, int k) { return inBox(i, j, k, {24, 4, 0}, {34, 15, 2}); };
        algo::LungMask lungs = maskOf(g, [&](int i, int j, int k) { return (low(i, j, k) && !hole(i, j, k)) || high(i, j, k); }, 19.5);
        algo::LungSegmentationOptions options;
        options.fillHoles = fillHoles;
        const algo::LungSides sides = algo::splitAndFillLungs(lungs, options);
        const std::uint16_t lowLabel = flipped ? algo::kLeftLungLabel : algo::kRightLungLabel;
        const std::uint16_t highLabel = flipped ? algo::kRightLungLabel : algo::kLeftLungLabel;
        QCOMPARE(mismatches(lungs.mask, [&](int i, int j, int k) {
                     if (low(i, j, k) && (fillHoles || !hole(i, j, k)))
                         return lowLabel;
                     return high(i, j, k) ? highLabel : std::uint16_t(0);
                 }),
                 std::size_t(0));
        const std::size_t lowVoxels = 11 * 12 * 3 - (fillHoles ? 0 : 12), highVoxels = 11 * 12 * 3;
        QCOMPARE(sides.rightVoxels, flipped ? highVoxels : lowVoxels);
        QCOMPARE(sides.leftVoxels, flipped ? lowVoxels : highVoxels);
        QCOMPARE(sides.splitSlices, 0);
    }

    void splitAndFillLungsCutsTouchingLungsAtTheThinnestColumn_data()
    {
        QTest::addColumn<double>("searchMm");
        QTest::addColumn<int>("cut");
        QTest::newRow("thinnest column anywhere near") << 28.0 << 21;
        QTest::newRow("search limited to 1 mm") << 1.0 << 18;
    }

    void splitAndFillLungsCutsTouchingLungsAtTheThinnestColumn()
    {
        QFETCH(double, searchMm);
        QFETCH(int, cut);
        // Lungs x 5..17 and 22..34 (y 4..15) joined by a bridge x 18..21 two voxels high, one voxel
        // at x 21: the thinnest column is 21; within 1 mm of the midline 19.5 only 18..20 are
        // searched, all two voxels high, and the first wins.
        ImageGeometry g;
        g.dims = {40, 20, 4};
        const auto lung = [](int i, int j, int k) {
            return inBox(i, j, k, {5, 4, 0}, {17, 15, 3}) || inBox(i, j, k, {22, 4, 0}, {34, 15, 3})
                || inBox(i, j, k, {18, 9, 0}, {20, 10, 3}) || (i == 21 && j == 9);
        };
        algo::LungMask lungs = maskOf(g, lung, 19.5);
        algo::LungSegmentationOptions options;
        options.midlineSearchMm = searchMm;
        const algo::LungSides sides = algo::splitAndFillLungs(lungs, options);
        QCOMPARE(sides.splitSlices, 4);
        QCOMPARE(mismatches(lungs.mask, [&](int i, int j, int k) {
                     return !lung(i, j, k) ? std::uint16_t(0) : i <= cut ? algo::kRightLungLabel : algo::kLeftLungLabel;
                 }),
                 std::size_t(0));
        QCOMPARE(sides.rightVoxels + sides.leftVoxels, std::size_t(4 * (2 * 13 * 12 + 2 * 3 + 1)));
    }

    void stepsInOrderGiveSegmentLungs()
    {
        const Chest chest = makeChest();
        const algo::LungSegmentationResult whole = algo::segmentLungs(chest.ct);
        algo::LungMask lungs = algo::findInternalAir(chest.ct);
        const algo::AirwayRemoval airway = algo::removeAirway(chest.ct, lungs);
        QCOMPARE(algo::keepLungComponents(lungs).kept, 2u);
        const algo::LungSides sides = algo::splitAndFillLungs(lungs);
        QCOMPARE(airway.voxels, whole.airwayVoxels);
        QCOMPARE(sides.splitSlices, whole.splitSlices);
        QCOMPARE(double(sides.rightVoxels) * chest.ct.geometry().voxelVolumeMl(), whole.rightVolumeMl);
        QVERIFY(std::equal(lungs.mask.data(), lungs.mask.data() + lungs.mask.voxelCount(), whole.labels.data()));
    }

    void refusesEmptyVolume()
    {
        QVERIFY(!refusal(Volume()).empty());
    }

    void honoursCancel()
    {
        const Chest chest = makeChest();
        TaskContext context;
        context.cancel();
        QVERIFY_THROWS_EXCEPTION(TaskCanceled, algo::segmentLungs(chest.ct, {}, context));
    }

    void bundledSampleHasTwoPlausibleLungs()
    {
        const std::string path = std::string(CARINA_SOURCE_DIR) + "/data/sample/lungpetctdx-a0002";
        if (!std::filesystem::exists(path))
            QSKIP("bundled sample data/sample/lungpetctdx-a0002 not found");
        const io::LoadResult loaded = io::readVolume(path);
        const algo::LungSegmentationResult result = algo::segmentLungs(loaded.volume);
        qInfo("sample %dx%dx%d: right %.1f mL, left %.1f mL, airway %zu voxels, %d split slices",
              loaded.volume.dims()[0], loaded.volume.dims()[1], loaded.volume.dims()[2], result.rightVolumeMl,
              result.leftVolumeMl, result.airwayVoxels, result.splitSlices);
        for (const std::string &w : result.warnings)
            qInfo("warning: %s", w.c_str());
        // Patient right is towards -x in LPS whatever the reader's index order.
        const ImageGeometry &g = result.labels.geometry();
        Eigen::Vector3d centroid[3] = {Eigen::Vector3d::Zero(), Eigen::Vector3d::Zero(), Eigen::Vector3d::Zero()};
        double voxels[3] = {0, 0, 0};
        for (int k = 0; k < g.dims[2]; ++k)
            for (int j = 0; j < g.dims[1]; ++j)
                for (int i = 0; i < g.dims[0]; ++i)
                    if (const std::uint16_t l = result.labels.at(i, j, k); l == 1 || l == 2) {
                        centroid[l] += Eigen::Vector3d(i, j, k);
                        voxels[l] += 1.0;
                    }
        const double rightX = g.indexToPhysical(centroid[1] / voxels[1]).x();
        const double leftX = g.indexToPhysical(centroid[2] / voxels[2]).x();
        qInfo("sample: right lung centroid at LPS x %.1f mm, left at %.1f mm", rightX, leftX);
        QVERIFY(rightX < leftX);
        QVERIFY2(result.rightVolumeMl >= 1000.0 && result.rightVolumeMl <= 4000.0, qPrintable(QString::number(result.rightVolumeMl)));
        QVERIFY2(result.leftVolumeMl >= 1000.0 && result.leftVolumeMl <= 4000.0, qPrintable(QString::number(result.leftVolumeMl)));
    }
};

QTEST_GUILESS_MAIN(TestLungSegmentation)
#include "test_lung_segmentation.moc"
