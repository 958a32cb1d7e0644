// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The anchor CT phantom (gen_data.py): ct_phantom.nii.gz must equal ct_phantom.npy voxel for
// voxel, with the LPS geometry of ct_phantom_meta.json.
#include "NiftiTestUtil.h"

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

namespace {

// The C-order int16 array of a .npy file (format 1.0 or 2.0), or empty when it is not one.
QByteArray npyInt16(const QByteArray &file, QList<int> &shape)
{
    if (!file.startsWith("\x93NUMPY"))
        return {};
    const int major = file[6];
    const int headerLength = major == 1 ? int(quint8(file[8])) | int(quint8(file[9])) << 8
                                        : int(qFromLittleEndian<quint32>(file.constData() + 8));
    const int start = (major == 1 ? 10 : 12);
    const QByteArray header = file.mid(start, headerLength);
    if (!header.contains("'descr': '<i2'") || !header.contains("'fortran_order': False"))
        return {};
    const int open = header.indexOf("'shape': (") + 10;
    const int close = header.indexOf(')', open);
    for (const QByteArray &part : header.mid(open, close - open).split(','))
        if (!part.trimmed().isEmpty())
            shape.append(part.trimmed().toInt());
    return file.mid(start + headerLength);
}

} // namespace

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

        QList<int> shape;
        const QByteArray npy = npyInt16(test::readAll(m_dir + "/ct_phantom.npy"), shape);
        QCOMPARE(shape, (QList<int>{shapeZyx[0].toInt(), shapeZyx[1].toInt(), shapeZyx[2].toInt()}));
        QCOMPARE(qsizetype(v.byteSize()), npy.size());
        // npy (z, y, x) C order is x fastest, Carina's layout.
        QVERIFY(std::memcmp(v.rawData(), npy.constData(), v.byteSize()) == 0);
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
