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
    }
};

QTEST_GUILESS_MAIN(TestGgoCli)
#include "test_ggo_cli.moc"
