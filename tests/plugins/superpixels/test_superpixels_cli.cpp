// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// `carina --headless superpixels`: the BraTS FLAIR (the seed's parameters) to a label NIfTI on
// the image's affine with counts and timings as JSON; bad arguments and bad input exit non-zero
// with a message, never a crash.
#include "CarinaProcess.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString kExe = QStringLiteral(CARINA_EXECUTABLE);
const QString kBrats = QStringLiteral(CARINA_SHARED_DIR "/data/mri/brats19-2013-10-1");

} // namespace

class TestSuperpixelsCli : public QObject
{
    Q_OBJECT

private slots:
    void brats_flair_to_nifti_with_json_counts()
    {
        const QString flair = kBrats + QStringLiteral("/BraTS19_2013_10_1_flair.nii.gz");
        if (!QFile::exists(flair))
            QSKIP("the BraTS case is absent from ../shared/data/mri/brats19-2013-10-1");
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("sp.nii.gz"));
        const carina::test::CarinaRun r = carina::test::runProcess(
            kExe,
            {QStringLiteral("--headless"), QStringLiteral("superpixels"), flair, QStringLiteral("--n-segments"), QStringLiteral("300"),
             QStringLiteral("--compactness"), QStringLiteral("0.1"), QStringLiteral("--min-mean"), QStringLiteral("0"),
             QStringLiteral("--output"), out, QStringLiteral("--json")},
            120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out.trimmed().toUtf8()).object();
        QCOMPARE(o.value(QStringLiteral("n_segments_requested")).toInt(), 300);
        const int made = o.value(QStringLiteral("n_segments")).toInt();
        QVERIFY2(made >= 258 && made <= 350, qPrintable(r.out)); // scikit-image: 304
        QVERIFY(o.value(QStringLiteral("n_kept")).toInt() > 10);
        QVERIFY(o.value(QStringLiteral("n_kept")).toInt() < made); // the background ones went
        QVERIFY(o.contains(QStringLiteral("slic_s")));
        QVERIFY(QFile::exists(out));
    }

    void bad_arguments_and_input_exit_non_zero_with_a_message()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("sp.nii.gz"));
        auto run = [&](const QStringList &args) {
            return carina::test::runProcess(kExe, QStringList{QStringLiteral("--headless"), QStringLiteral("superpixels")} + args, 60000);
        };
        carina::test::CarinaRun r = run({QStringLiteral("/nonexistent.nii.gz"), QStringLiteral("--n-segments"), QStringLiteral("10"),
                                         QStringLiteral("--output"), out});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(QStringLiteral("carina superpixels:")));
        r = run({QStringLiteral("x.nii"), QStringLiteral("--n-segments"), QStringLiteral("zero"), QStringLiteral("--output"), out});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(QStringLiteral("--n-segments")));
        r = run({QStringLiteral("x.nii"), QStringLiteral("--n-segments"), QStringLiteral("10")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(QStringLiteral("--output")));
    }
};

QTEST_GUILESS_MAIN(TestSuperpixelsCli)
#include "test_superpixels_cli.moc"
