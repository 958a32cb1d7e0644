// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// readVolume picks the reader from the content, not the name.
#include "NiftiTestUtil.h"

#include <carina/io/IoError.h>
#include <carina/io/Nifti.h>
#include <carina/io/VolumeReader.h>

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace carina;

class TestVolumeReader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString copy(const QString &from, const QString &name)
    {
        const QString to = m_dir.filePath(name);
        QFile::remove(to);
        if (!QFile::copy(from, to))
            qFatal("cannot copy %s", qPrintable(from));
        return to;
    }

    static QString errorOf(const QString &path)
    {
        try {
            io::readVolume(path.toStdString());
        } catch (const io::IoError &error) {
            return QString::fromStdString(error.what());
        }
        return {};
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void nifti_is_recognised_by_content()
    {
        for (const char *name : {"uint8.nii.gz", "oblique_qform.nii", "nifti2.nii"}) {
            const QString original = test::niftiDataDir() + "/" + name;
            const io::LoadResult direct = io::readNifti(original.toStdString());
            const QString renamed = copy(original, QString("renamed_%1.dat").arg(name));
            const io::LoadResult viaReader = io::readVolume(renamed.toStdString());
            QCOMPARE(viaReader.volume.info().sourcePath, renamed.toStdString());
            QVERIFY(viaReader.volume.geometry().sameGrid(direct.volume.geometry()));
            QCOMPARE(std::memcmp(viaReader.volume.rawData(), direct.volume.rawData(), direct.volume.byteSize()), 0);
        }
    }

    void images_are_recognised_by_content()
    {
        const QString png = QStringLiteral(CARINA_SHARED_DIR "/data/images2d/skimage/coins.png");
        if (!QFile::exists(png))
            QSKIP("shared 2D images absent");
        const io::LoadResult result = io::readVolume(copy(png, "coins.bin").toStdString());
        QCOMPARE(result.volume.dims(), (Dims{384, 303, 1}));
        QCOMPARE(result.volume.type(), VoxelType::UInt8);
    }

    void dicom_folder_and_file_are_read()
    {
        const QString folder = QStringLiteral(CARINA_SOURCE_DIR "/data/sample/lungpetctdx-a0002");
        const QStringList files = QDir(folder).entryList(QDir::Files, QDir::Name);
        if (files.isEmpty())
            QSKIP("bundled DICOM sample absent");
        const io::LoadResult series = io::readVolume(folder.toStdString());
        QCOMPARE(series.volume.dims()[2], 30);
        QCOMPARE(series.volume.info().sourcePath, folder.toStdString());
        QString dicomFile;
        for (const QString &f : files)
            if (test::readAll(folder + "/" + f).mid(128, 4) == "DICM")
                dicomFile = folder + "/" + f;
        QVERIFY(!dicomFile.isEmpty());
        const io::LoadResult single = io::readVolume(dicomFile.toStdString());
        QCOMPARE(single.volume.dims()[2], 1);
        QCOMPARE(single.volume.dims()[0], 512);
    }

    void unsupported_inputs_are_named()
    {
        QVERIFY(test::writeAll(m_dir.filePath("scan.zip"), QByteArray("PK\x03\x04", 4) + QByteArray(100, '\0')));
        QVERIFY(errorOf(m_dir.filePath("scan.zip")).endsWith("scan.zip: this is a ZIP archive; unpack it and open the folder"));
        QVERIFY(test::writeAll(m_dir.filePath("report.pdf"), "%PDF-1.4\n%\xe2\xe3\n"));
        QVERIFY(errorOf(m_dir.filePath("report.pdf")).endsWith("report.pdf: this is a PDF document, not an image"));
        QVERIFY(test::writeAll(m_dir.filePath("notes.txt"), "just some text that is not an image at all"));
        QVERIFY(errorOf(m_dir.filePath("notes.txt"))
                    .endsWith("notes.txt: not a supported image format (DICOM, NIfTI, PNG, JPEG, TIFF)"));
        QVERIFY(errorOf(m_dir.filePath("nothing_here")).endsWith("nothing_here: no such file or folder"));
        QVERIFY(test::writeAll(m_dir.filePath("empty.nii.gz"), QByteArray()));
        QVERIFY(errorOf(m_dir.filePath("empty.nii.gz")).contains("empty.nii.gz: the file is empty"));
    }
};

QTEST_GUILESS_MAIN(TestVolumeReader)
#include "test_volume_reader.moc"
