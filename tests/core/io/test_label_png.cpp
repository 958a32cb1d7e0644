// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// io::writeLabelPng: a one-slice label layer as a 16-bit grey PNG that reads back value for value;
// a volume is refused with a message that points to NIfTI.
#include <carina/LabelVolume.h>
#include <carina/io/ImageFile.h>
#include <carina/io/IoError.h>

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <stdexcept>

using namespace carina;

class TestLabelPng : public QObject
{
    Q_OBJECT

private slots:
    void labels_read_back_value_for_value()
    {
        ImageGeometry g;
        g.dims = {5, 3, 1};
        LabelVolume labels(g);
        labels.set(0, 0, 0, 1);
        labels.set(4, 0, 0, 300);
        labels.set(2, 1, 0, 65535);
        labels.set(4, 2, 0, 7);
        QTemporaryDir dir;
        const std::string path = dir.filePath("labels.png").toStdString();
        io::writeLabelPng(labels, path);

        const QImage png(QString::fromStdString(path));
        QCOMPARE(png.format(), QImage::Format_Grayscale16);
        QCOMPARE(png.size(), QSize(5, 3));
        QCOMPARE(reinterpret_cast<const std::uint16_t *>(png.constScanLine(2))[4], std::uint16_t(7));
        const Volume back = io::readImageFile(path).volume;
        QCOMPARE(back.type(), VoxelType::UInt16);
        QCOMPARE(back.dims(), g.dims);
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 5; ++x)
                QCOMPARE(back.data<std::uint16_t>()[g.linearIndex(x, y, 0)], labels.at(x, y, 0));
    }

    void a_volume_or_a_missing_folder_is_refused()
    {
        ImageGeometry g;
        g.dims = {4, 4, 2};
        QTemporaryDir dir;
        const std::string path = dir.filePath("volume.png").toStdString();
        try {
            io::writeLabelPng(LabelVolume(g), path);
            QFAIL("a two-slice layer was written as PNG");
        } catch (const std::invalid_argument &e) {
            QVERIFY2(QString(e.what()).contains("volume.png") && QString(e.what()).contains(".nii.gz"), e.what());
        }
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
        g.dims = {4, 4, 1};
        QVERIFY_THROWS_EXCEPTION(io::IoError, io::writeLabelPng(LabelVolume(g), dir.filePath("no/dir/l.png").toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestLabelPng)
#include "test_label_png.moc"
