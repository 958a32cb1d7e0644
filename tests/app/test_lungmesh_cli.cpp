// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// `carina --headless lungmesh` through the built executable on the anchors' chest phantom: lung
// volumes within 1 % of the phantom's ground truth, Dice >= 0.99 per lung, readable outputs.
#include "CarinaProcess.h"
#include <carina/io/Npy.h>

#include <carina/io/Nifti.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace {

using Run = carina::test::CarinaRun;

Run runCarina(const QStringList &arguments)
{
    return carina::test::runProcess(QStringLiteral(CARINA_EXECUTABLE), arguments, 300000);
}

QString anchorData()
{
    const char *env = std::getenv("CARINA_ANCHOR_DATA");
    return env && *env ? QString::fromLocal8Bit(env) : QStringLiteral("/tmp/carina-anchor-data");
}

double valueOf(const QString &out, const QString &key)
{
    for (const QString &line : out.split(QLatin1Char('\n')))
        if (line.startsWith(key + QLatin1String(": ")))
            return line.mid(key.size() + 2).toDouble();
    return -1.0;
}

} // namespace

class TestLungMeshCli : public QObject
{
    Q_OBJECT

private slots:
    void phantom_volumes_and_dice_match_the_ground_truth()
    {
        const QString dir = anchorData();
        const QString series = dir + QStringLiteral("/dicom_series");
        const QString gtPath = dir + QStringLiteral("/ct_lung_mask_gt.npy");
        const QString metaPath = dir + QStringLiteral("/ct_phantom_meta.json");
        if (!QFileInfo::exists(series) || !QFileInfo::exists(gtPath) || !QFileInfo::exists(metaPath))
            QSKIP(qPrintable(QStringLiteral("anchor phantom not found in %1 (run /usr/bin/python3 "
                                            "/work/shared/anchors/gen_data.py %1 or set CARINA_ANCHOR_DATA)").arg(dir)));
        QTemporaryDir out;
        QVERIFY(out.isValid());
        const QString stl = out.filePath(QStringLiteral("lungs.stl"));
        const QString labels = out.filePath(QStringLiteral("lungs.nii.gz"));
        const QString csv = out.filePath(QStringLiteral("figures.csv"));
        const Run run = runCarina({QStringLiteral("--headless"), QStringLiteral("lungmesh"), series, QStringLiteral("--output"),
                                   stl, QStringLiteral("--labels"), labels, QStringLiteral("--csv"), csv});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));

        QFile metaFile(metaPath);
        QVERIFY(metaFile.open(QIODevice::ReadOnly));
        const QJsonObject volumes = QJsonDocument::fromJson(metaFile.readAll()).object()[QStringLiteral("lung_volumes_ml")].toObject();
        const double gtRight = volumes[QStringLiteral("1")].toDouble(), gtLeft = volumes[QStringLiteral("2")].toDouble();
        const double right = valueOf(run.out, QStringLiteral("right_lung_ml"));
        const double left = valueOf(run.out, QStringLiteral("left_lung_ml"));
        qInfo("phantom via carina --headless lungmesh: right %.2f mL (GT %.2f), left %.2f mL (GT %.2f)", right, gtRight, left, gtLeft);
        QVERIFY2(std::abs(right - gtRight) <= 0.01 * gtRight, qPrintable(run.out));
        QVERIFY2(std::abs(left - gtLeft) <= 0.01 * gtLeft, qPrintable(run.out));

        // Dice per lung of the written labels against the ground truth (both in z, y, x order).
        const carina::io::NpyArray gt = carina::io::readNpy(gtPath.toStdString());
        const carina::io::LoadResult loaded = carina::io::readNifti(labels.toStdString());
        const carina::Volume &seg = loaded.volume;
        QCOMPARE(seg.voxelCount(), gt.elementCount());
        QCOMPARE(seg.dims()[0], gt.shape[2]);
        QCOMPARE(seg.dims()[2], gt.shape[0]);
        const auto *truth = gt.as<std::uint8_t>();
        for (int label : {1, 2}) {
            std::size_t both = 0, a = 0, b = 0;
            carina::dispatchVoxelType(seg.type(), [&](auto tag) {
                const auto *s = seg.data<decltype(tag)>();
                for (std::size_t i = 0; i < seg.voxelCount(); ++i) {
                    const bool x = int(s[i]) == label, y = truth[i] == label;
                    both += x && y;
                    a += x;
                    b += y;
                }
            });
            const double dice = 2.0 * double(both) / double(a + b);
            qInfo("Dice label %d: %.5f", label, dice);
            QVERIFY2(dice >= 0.99, qPrintable(QString::number(dice)));
        }

        // The STL holds both lungs; the CSV has the same volumes.
        QFile stlFile(stl);
        QVERIFY(stlFile.open(QIODevice::ReadOnly));
        const QByteArray bytes = stlFile.readAll();
        quint32 triangles = 0;
        std::memcpy(&triangles, bytes.constData() + 80, 4);
        QCOMPARE(double(triangles), valueOf(run.out, QStringLiteral("right_triangles")) + valueOf(run.out, QStringLiteral("left_triangles")));
        QCOMPARE(qsizetype(bytes.size()), qsizetype(84 + 50 * qsizetype(triangles)));
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QStringList rows = QString::fromUtf8(csvFile.readAll()).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[1].split(QLatin1Char(','))[2].toDouble(), right);
    }

    void refusals_exit_1_with_a_message()
    {
        QTemporaryDir out;
        const QString stl = out.filePath(QStringLiteral("lungs.stl"));
        // A single DICOM slice.
        const QString slices = QStringLiteral("/work/shared/data/ct/nysbu-single-slices/A002304_19001231-076.dcm");
        if (QFileInfo::exists(slices)) {
            const Run run = runCarina({QStringLiteral("--headless"), QStringLiteral("lungmesh"), slices, QStringLiteral("--output"), stl});
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains(QLatin1String("single slice")), qPrintable(run.err));
            QVERIFY(!QFileInfo::exists(stl));
        }
        // An MR volume.
        const QString mr = QStringLiteral("/work/shared/data/mri/brats19-2013-10-1");
        QDir mrDir(mr);
        const QStringList flair = mrDir.entryList({QStringLiteral("*flair*.nii*")}, QDir::Files);
        if (!flair.isEmpty()) {
            const Run run = runCarina({QStringLiteral("--headless"), QStringLiteral("lungmesh"), mrDir.filePath(flair.first()),
                                       QStringLiteral("--output"), stl});
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains(QLatin1String("Hounsfield")), qPrintable(run.err));
        }
        // Bad arguments.
        Run run = runCarina({QStringLiteral("--headless"), QStringLiteral("lungmesh"), QStringLiteral("/nonexistent")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QLatin1String("--output is required")), qPrintable(run.err));
        run = runCarina({QStringLiteral("--headless"), QStringLiteral("lungmesh"), QStringLiteral("/nonexistent"),
                         QStringLiteral("--output"), out.filePath(QStringLiteral("x.vtk"))});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QLatin1String(".stl, .obj or .ply")), qPrintable(run.err));
        run = runCarina({QStringLiteral("--headless"), QStringLiteral("lungmesh"), QStringLiteral("/nonexistent"),
                         QStringLiteral("--output"), stl});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QLatin1String("/nonexistent")), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestLungMeshCli)
#include "test_lungmesh_cli.moc"
