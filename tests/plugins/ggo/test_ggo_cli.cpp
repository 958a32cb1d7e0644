// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// `carina --headless ggo` on the anchors' CT phantom (its .nii.gz), in the ROI and HU range of
// ct_phantom_meta.json: the lesion volume the wf3 anchor reports (11.94 mL of 11.978), and clear
// messages for bad arguments.
#include "CarinaProcess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QString anchorData()
{
    return qEnvironmentVariable("CARINA_ANCHOR_DATA", QStringLiteral("/tmp/carina-anchor-data"));
}

} // namespace

class TestGgoCli : public QObject
{
    Q_OBJECT

private slots:
    void phantom_lesion_volume_matches_the_anchor()
    {
        QFile metaFile(anchorData() + "/ct_phantom_meta.json");
        if (!QFileInfo::exists(anchorData() + "/ct_phantom.nii.gz") || !metaFile.open(QIODevice::ReadOnly))
            QSKIP("anchor data absent: run /work/shared/anchors/gen_data.py (or set CARINA_ANCHOR_DATA)");
        const QJsonObject meta = QJsonDocument::fromJson(metaFile.readAll()).object();
        const QJsonArray roi = meta.value("ggo_roi_zyx").toArray(); // z0 z1 y0 y1 x0 x1
        const QJsonArray range = meta.value("ggo_range_hu").toArray();
        QCOMPARE(roi.size(), 6);
        const QString box = QStringLiteral("%1:%2,%3:%4,%5:%6")
                                .arg(roi[4].toInt()).arg(roi[5].toInt()).arg(roi[2].toInt())
                                .arg(roi[3].toInt()).arg(roi[0].toInt()).arg(roi[1].toInt());
        QTemporaryDir dir;
        const QString labels = dir.filePath("ggo.nii.gz"), mesh = dir.filePath("ggo.stl");
        const carina::test::CarinaRun r = carina::test::runProcess(
            QStringLiteral(CARINA_EXECUTABLE),
            {"--headless", "ggo", anchorData() + "/ct_phantom.nii.gz", "--box", box, "--low", QString::number(range[0].toDouble()),
             "--high", QString::number(range[1].toDouble()), "--labels", labels, "--mesh", mesh},
            120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("ggo_ml: 11.940"), qPrintable(r.out)); // the anchor: 11.94 mL
        QVERIFY(r.out.contains("ggo_voxels: 24368"));
        QVERIFY(QFileInfo(labels).size() > 0);
        QVERIFY(QFileInfo(mesh).size() > 84);
    }

    // The panel's options on the command line: a preset range, the lungs, the figures as JSON and CSV.
    void presets_lungs_and_machine_readable_figures()
    {
        QFile metaFile(anchorData() + "/ct_phantom_meta.json");
        if (!QFileInfo::exists(anchorData() + "/ct_phantom.nii.gz") || !metaFile.open(QIODevice::ReadOnly))
            QSKIP("anchor data absent: run /work/shared/anchors/gen_data.py (or set CARINA_ANCHOR_DATA)");
        const QJsonObject meta = QJsonDocument::fromJson(metaFile.readAll()).object();
        const QJsonArray roi = meta.value("ggo_roi_zyx").toArray();
        const QString box = QStringLiteral("%1:%2,%3:%4,%5:%6")
                                .arg(roi[4].toInt()).arg(roi[5].toInt()).arg(roi[2].toInt())
                                .arg(roi[3].toInt()).arg(roi[0].toInt()).arg(roi[1].toInt());
        QTemporaryDir dir;
        const QString json = dir.filePath("ggo.json"), csv = dir.filePath("ggo.csv");
        carina::test::CarinaRun r = carina::test::runProcess(
            QStringLiteral(CARINA_EXECUTABLE),
            {"--headless", "ggo", anchorData() + "/ct_phantom.nii.gz", "--box", box, "--range", "ggo", "--lungs", "--json", json, "--csv", csv},
            300000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile jsonFile(json);
        QVERIFY(jsonFile.open(QIODevice::ReadOnly));
        const QJsonObject figures = QJsonDocument::fromJson(jsonFile.readAll()).object();
        // The lesion lies in the right lung (ct_phantom_meta.json: 12.0 mL, right lung 2504 mL).
        QVERIFY2(std::abs(figures.value("ggo_ml").toDouble() - 11.94) < 0.12, qPrintable(QString::number(figures.value("ggo_ml").toDouble())));
        QVERIFY(std::abs(figures.value("right_lung_ml").toDouble() - 2503.8) < 0.05 * 2503.8);
        QVERIFY(figures.value("right_lung_percent").toDouble() > 0.4);
        QCOMPARE(figures.value("left_lung_percent").toDouble(), 0.0);
        QCOMPARE(figures.value("low_hu").toDouble(), -700.0);
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csvFile.readAll()).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[0].startsWith(QLatin1String("low_hu,high_hu,ggo_ml")));

        // Consolidation and pieces above 0.01 mL on standard output as JSON.
        r = carina::test::runProcess(QStringLiteral(CARINA_EXECUTABLE),
                                     {"--headless", "ggo", anchorData() + "/ct_phantom.nii.gz", "--box", box, "--range", "-700:-300",
                                      "--min-piece-ml", "0.01", "--json", "-"},
                                     120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject out = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QVERIFY2(out.value("pieces_kept").toInt() >= 1, qPrintable(r.out));
        QVERIFY(out.value("ggo_ml").toDouble() >= 11.94 - 1e-6);
    }

    void images_that_are_not_ct_are_refused()
    {
        const QString carina = QStringLiteral(CARINA_EXECUTABLE);
        const QString shared = qEnvironmentVariable("CARINA_SHARED_DIR", QStringLiteral(CARINA_SOURCE_DIR "/../shared"));
        const QString mr = shared + "/data/mri/brats19-2013-10-1/BraTS19_2013_10_1_flair.nii.gz";
        const QString png = shared + "/data/images2d/skimage/camera.png";
        if (!QFileInfo::exists(mr) || !QFileInfo::exists(png))
            QSKIP("../shared/data is absent: no brain MR or PNG to refuse");
        carina::test::CarinaRun r = carina::test::runProcess(carina, {"--headless", "ggo", mr, "--box", "0:10,0:10,0:10"}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("Hounsfield"), qPrintable(r.err));
        r = carina::test::runProcess(carina, {"--headless", "ggo", png, "--box", "0:10,0:10,0:1"}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("Hounsfield"), qPrintable(r.err));
    }

    void bad_arguments_get_a_clear_message()
    {
        const QString carina = QStringLiteral(CARINA_EXECUTABLE);
        carina::test::CarinaRun r = carina::test::runProcess(carina, {"--headless", "ggo", "ct.nii.gz"}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("--box"));
        r = carina::test::runProcess(carina, {"--headless", "ggo", "ct.nii.gz", "--box", "1:2,3:4,5:6", "--mesh", "x.txt"}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("x.txt") || r.err.contains(".stl"), qPrintable(r.err));
        r = carina::test::runProcess(carina, {"--headless", "ggo", "/nonexistent/ct.nii.gz", "--box", "1:2,3:4,5:6"}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("/nonexistent/ct.nii.gz"));
        r = carina::test::runProcess(carina, {"--headless", "ggo", "ct.nii.gz", "--box", "1:2,3:4,5:6", "--range", "bone"}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--range"), qPrintable(r.err));
        r = carina::test::runProcess(carina, {"--headless", "ggo", "ct.nii.gz", "--lungs", "--min-piece-ml", "-1"}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--min-piece-ml"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestGgoCli)
#include "test_ggo_cli.moc"
