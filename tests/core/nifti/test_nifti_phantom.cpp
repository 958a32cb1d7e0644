// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The anchor CT phantom (gen_data.py): ct_phantom.nii.gz must equal ct_phantom.npy voxel for
// voxel, with the LPS geometry of ct_phantom_meta.json.
#include "NiftiTestUtil.h"
#include <carina/io/Npy.h>

#include <carina/io/Nifti.h>
#include <carina/io/VolumeReader.h>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace carina;

class TestNiftiPhantom : public QObject
{
    Q_OBJECT

private:
    QString m_dir;

private slots:
    void initTestCase()
    {
        m_dir = test::anchorDataDir();
        if (m_dir.isEmpty())
            QSKIP("anchor data absent: run /usr/bin/python3 /work/shared/anchors/gen_data.py /tmp/carina-anchor-data "
                  "or set CARINA_ANCHOR_DATA");
    }

    void phantom_equals_npy_with_meta_geometry()
    {
        QElapsedTimer timer;
        timer.start();
        const io::LoadResult result = io::readNifti((m_dir + "/ct_phantom.nii.gz").toStdString());
        qInfo("ct_phantom.nii.gz loaded in %lld ms", timer.elapsed());
        QVERIFY(result.warnings.empty());
        const Volume &v = result.volume;
        QCOMPARE(v.type(), VoxelType::Int16);
        QCOMPARE(v.channels(), 1);

        const QJsonObject meta = QJsonDocument::fromJson(test::readAll(m_dir + "/ct_phantom_meta.json")).object();
        const QJsonArray shapeZyx = meta.value("shape_zyx").toArray();
        const QJsonArray spacingZyx = meta.value("spacing_zyx").toArray();
        const QJsonArray originLps = meta.value("origin_lps_xyz").toArray();
        for (int a = 0; a < 3; ++a) {
            QCOMPARE(v.dims()[std::size_t(a)], shapeZyx[2 - a].toInt());
            QVERIFY(std::abs(v.geometry().spacing[a] - spacingZyx[2 - a].toDouble()) < 1e-6);
            QVERIFY(std::abs(v.geometry().origin[a] - originLps[a].toDouble()) < 1e-4);
        }
        // +x index = patient left, +y = posterior, +z = superior: identity in LPS.
        QVERIFY((v.geometry().direction - Eigen::Matrix3d::Identity()).cwiseAbs().maxCoeff() < 1e-9);
        QCOMPARE(QByteArray(v.geometry().orientationCode().data(), 3), QByteArray("LPS"));

        const io::NpyArray npy = io::readNpy((m_dir + "/ct_phantom.npy").toStdString());
        QCOMPARE(npy.descr, std::string("<i2"));
        QCOMPARE(npy.shape, (std::vector<int>{shapeZyx[0].toInt(), shapeZyx[1].toInt(), shapeZyx[2].toInt()}));
        QCOMPARE(v.byteSize(), npy.bytes.size());
        // npy (z, y, x) C order is x fastest, Carina's layout.
        QVERIFY(std::memcmp(v.rawData(), npy.bytes.data(), v.byteSize()) == 0);
    }

    void phantom_through_read_volume_sets_the_source_path()
    {
        const std::string path = (m_dir + "/ct_lung_mask_gt.nii.gz").toStdString();
        const io::LoadResult result = io::readVolume(path);
        QCOMPARE(result.volume.type(), VoxelType::UInt8);
        QCOMPARE(result.volume.info().sourcePath, path);
        QCOMPARE(result.volume.valueRange().second, 2.0);
    }
};

QTEST_GUILESS_MAIN(TestNiftiPhantom)
#include "test_nifti_phantom.moc"
