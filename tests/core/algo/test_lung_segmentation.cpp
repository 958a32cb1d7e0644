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

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
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
