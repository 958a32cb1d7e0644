// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Every input the fuzzers found a problem with (tests/fuzz/regressions/<target>/) and every seed
// input goes through readVolume: each must give a Volume or an IoError naming the file, within a
// time bound; a crash, a hang or any other exception fails.
#include <carina/io/IoError.h>
#include <carina/io/VolumeReader.h>

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QtTest>

#include <exception>

namespace {

// Above the DICOM loader's 15 s worker watchdog (some corrupt JPEG files keep GDCM busy for
// seconds, see regressions/dicom), so only a hang in the calling process exceeds it.
constexpr qint64 perFileBoundMs = 30000;

void addFiles(const QString &folder, const QString &label)
{
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext())
        files << it.next();
    files.sort();
    for (const QString &file : files) {
        const QString name = QFileInfo(file).fileName();
        // Documentation and checksums lie beside the seeds; they are not inputs.
        if (name == "README.md" || name == "SOURCE.md" || name == "SHA256SUMS" || name == "LICENSE"
            || name == "README.txt" || name == ".gitkeep")
            continue;
        QTest::newRow(qPrintable(label + "/" + QDir(folder).relativeFilePath(file))) << file;
    }
}

} // namespace

class TestFuzzRegressions : public QObject
{
    Q_OBJECT

private slots:
    void every_input_gives_a_volume_or_an_io_error_data()
    {
        QTest::addColumn<QString>("path");
        addFiles(QStringLiteral(CARINA_SOURCE_DIR "/tests/fuzz/regressions"), "regressions");
        addFiles(QStringLiteral(CARINA_SOURCE_DIR "/tests/data/nifti"), "nifti");
        // The shared seeds are optional (not in every checkout); the regressions above are not.
        for (const char *sub : {"dicom-robustness", "images2d"}) {
            const QString folder = QStringLiteral(CARINA_SHARED_DIR "/data/") + sub;
            if (QFileInfo(folder).isDir())
                addFiles(folder, sub);
        }
    }

    void every_input_gives_a_volume_or_an_io_error()
    {
        QFETCH(QString, path);
        QElapsedTimer timer;
        timer.start();
        QString message;
        try {
            const carina::io::LoadResult result = carina::io::readVolume(path.toStdString());
            QVERIFY(result.volume.geometry().voxelCount() > 0);
        } catch (const carina::io::IoError &error) {
            message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains(QFileInfo(path).fileName()), qPrintable("the message does not name the file: " + message));
        } catch (const std::exception &error) {
            QFAIL(qPrintable(QString("not an IoError: ") + error.what()));
        }
        // Slow inputs are the next hang: show what they ended with.
        if (timer.elapsed() > 2000)
            qInfo("%lld ms: %s", timer.elapsed(), qPrintable(message.isEmpty() ? QString("loaded") : message));
        QVERIFY2(timer.elapsed() < perFileBoundMs, qPrintable(QString("took %1 ms").arg(timer.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "test_fuzz_regressions.moc"
