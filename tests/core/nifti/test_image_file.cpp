// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// readImageFile against Pillow: tests/data/nifti/image_reference.json (make_image_reference.py)
// holds shape, per-channel sums and sampled pixels of the images in the shared data.
#include <carina/io/ImageFile.h>
#include <carina/io/IoError.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace carina;

class TestImageFile : public QObject
{
    Q_OBJECT

private:
    QString m_images = QStringLiteral(CARINA_SHARED_DIR "/data/images2d");
    QJsonObject m_files;

private slots:
    void initTestCase()
    {
        if (!QFile::exists(m_images + "/skimage/camera.png"))
            QSKIP("shared 2D images absent (" CARINA_SHARED_DIR "/data/images2d)");
        QFile json(QStringLiteral(CARINA_SOURCE_DIR "/tests/data/nifti/image_reference.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        m_files = QJsonDocument::fromJson(json.readAll()).object().value("files").toObject();
        QVERIFY(!m_files.isEmpty());
    }

    void images_match_pillow_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &name : m_files.keys())
            QTest::newRow(qPrintable(name)) << name;
    }

    void images_match_pillow()
    {
        QFETCH(QString, name);
        const QJsonObject ref = m_files.value(name).toObject();
        const std::string path = (m_images + "/" + name).toStdString();
        const io::LoadResult result = io::readImageFile(path);
        const Volume &v = result.volume;
        const QJsonArray dims = ref.value("dims").toArray();
        for (int a = 0; a < 3; ++a)
            QCOMPARE(v.dims()[std::size_t(a)], dims[a].toInt());
        QCOMPARE(v.channels(), ref.value("channels").toInt());
        QCOMPARE(QString(voxelTypeName(v.type())), ref.value("voxel_type").toString());
        QCOMPARE(v.geometry().spacing, Eigen::Vector3d(1.0, 1.0, 1.0));
        QVERIFY(v.geometry().direction.isIdentity());
        QCOMPARE(v.info().sourcePath, path);

        // JPEG decoders may round differently: allow one grey level on average per pixel.
        const bool lossy = ref.value("lossy").toBool();
        const double tolerance = lossy ? double(v.voxelCount()) : 0.0;
        const QJsonArray sums = ref.value("channel_sums").toArray();
        for (int c = 0; c < v.channels(); ++c) {
            double sum = 0.0;
            for (int k = 0; k < v.dims()[2]; ++k)
                for (int j = 0; j < v.dims()[1]; ++j)
                    for (int i = 0; i < v.dims()[0]; ++i)
                        sum += v.valueAt(i, j, k, c);
            QVERIFY2(std::abs(sum - sums[c].toDouble()) <= tolerance,
                     qPrintable(QString("channel %1 sum %2, Pillow %3").arg(c).arg(sum, 0, 'f', 0).arg(sums[c].toDouble(), 0, 'f', 0)));
        }
        for (const QJsonValue &sample : ref.value("samples").toArray()) {
            const QJsonArray s = sample.toArray();
            const double got = v.valueAt(s[0].toInt(), s[1].toInt(), s[2].toInt(), s[3].toInt());
            QVERIFY2(std::abs(got - s[4].toDouble()) <= (lossy ? 8.0 : 0.0),
                     qPrintable(QString("pixel (%1,%2,%3,%4): %5, Pillow %6")
                                    .arg(s[0].toInt()).arg(s[1].toInt()).arg(s[2].toInt()).arg(s[3].toInt())
                                    .arg(got).arg(s[4].toDouble())));
        }
    }

    void image_file_path_checks_the_suffix()
    {
        QVERIFY(io::isImageFilePath("a/b.PNG"));
        QVERIFY(io::isImageFilePath("b.jpeg"));
        QVERIFY(io::isImageFilePath("b.tif"));
        QVERIFY(!io::isImageFilePath("b.nii.gz"));
    }

    void broken_images_give_an_error_naming_the_file()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath("broken.png"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QFile source(m_images + "/skimage/camera.png");
        QVERIFY(source.open(QIODevice::ReadOnly));
        file.write(source.read(300)); // a PNG cut short
        file.close();
        for (const QString &name : {QString("broken.png"), QString("missing.png")}) {
            try {
                io::readImageFile(dir.filePath(name).toStdString());
                QFAIL("no IoError");
            } catch (const io::IoError &error) {
                QVERIFY2(QString(error.what()).contains(name), error.what());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestImageFile)
#include "test_image_file.moc"
