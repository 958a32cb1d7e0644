// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Carina's NIfTI reader against nibabel: tests/data/nifti/reference.json holds what nibabel reads
// from each file (written by make_reference.py).
#include "NiftiTestUtil.h"

#include <carina/io/Nifti.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>

using namespace carina;

class TestNiftiReference : public QObject
{
    Q_OBJECT

private:
    QJsonObject m_files;

private slots:
    void initTestCase()
    {
        const QByteArray json = test::readAll(test::niftiDataDir() + "/reference.json");
        QVERIFY2(!json.isEmpty(), "tests/data/nifti/reference.json is missing");
        m_files = QJsonDocument::fromJson(json).object().value("files").toObject();
        QVERIFY(m_files.size() >= 15);
    }

    void reference_files_match_nibabel_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &name : m_files.keys())
            QTest::newRow(qPrintable(name)) << name;
    }

    void reference_files_match_nibabel()
    {
        QFETCH(QString, name);
        const QJsonObject ref = m_files.value(name).toObject();
        const std::string path = (test::niftiDataDir() + "/" + name).toStdString();
        const io::LoadResult result = io::readNifti(path);
        const Volume &v = result.volume;

        const QJsonArray shape = ref.value("shape").toArray();
        QCOMPARE(v.dims()[0], shape[0].toInt());
        QCOMPARE(v.dims()[1], shape[1].toInt());
        QCOMPARE(v.dims()[2], shape[2].toInt());
        QCOMPARE(QString(voxelTypeName(v.type())), ref.value("voxel_type").toString());
        QCOMPARE(v.channels(), ref.value("channels").toInt());
        QCOMPARE(QString::fromStdString(v.info().sourcePath), QString::fromStdString(path));

        // nibabel's affine is RAS; Carina's geometry LPS: the first two rows change sign.
        const QJsonArray affine = ref.value("affine_ras").toArray();
        const Eigen::Matrix4d lps = v.geometry().indexToPhysicalMatrix();
        const bool sheared = name.startsWith("shear");
        for (int r = 0; r < 3; ++r) {
            const double sign = r < 2 ? -1.0 : 1.0;
            // The origin is exact even for a sheared affine; the axes only without shear.
            QVERIFY2(std::abs(lps(r, 3) - sign * affine[r].toArray()[3].toDouble()) < 1e-4, qPrintable(name));
            for (int c = 0; c < 3 && !sheared; ++c)
                QVERIFY2(std::abs(lps(r, c) - sign * affine[r].toArray()[c].toDouble()) < 1e-5,
                         qPrintable(QString("%1 affine (%2,%3): %4 vs %5").arg(name).arg(r).arg(c)
                                        .arg(lps(r, c)).arg(sign * affine[r].toArray()[c].toDouble())));
        }
        const Eigen::Matrix3d d = v.geometry().direction;
        QVERIFY((d.transpose() * d - Eigen::Matrix3d::Identity()).cwiseAbs().maxCoeff() < 1e-9);

        QCOMPARE(!result.warnings.empty(), ref.value("expect_warning").toBool());

        const QJsonArray values = ref.value("values").toArray();
        const int channels = v.channels();
        QCOMPARE(qsizetype(v.voxelCount()) * channels, values.size());
        const bool fromDouble = name.startsWith("float64");
        int index = 0;
        for (int k = 0; k < v.dims()[2]; ++k)
            for (int j = 0; j < v.dims()[1]; ++j)
                for (int i = 0; i < v.dims()[0]; ++i)
                    for (int c = 0; c < channels; ++c, ++index) {
                        const double expected = values[index].toDouble();
                        const double got = v.valueAt(i, j, k, c);
                        const bool same = fromDouble ? std::abs(got - expected) <= 1e-6 * std::abs(expected)
                                                     : float(got) == float(expected);
                        if (!same)
                            QFAIL(qPrintable(QString("%1 voxel (%2,%3,%4,%5): %6, nibabel %7")
                                                 .arg(name).arg(i).arg(j).arg(k).arg(c).arg(got).arg(expected)));
                    }
    }

    void sform_wins_over_qform()
    {
        // The two files share voxels and qform; only the sform differs, and it must decide.
        const auto withSform = io::readNifti((test::niftiDataDir() + "/sform_over_qform.nii.gz").toStdString());
        const auto qformOnly = io::readNifti((test::niftiDataDir() + "/oblique_qform.nii").toStdString());
        QVERIFY(!withSform.volume.geometry().sameGrid(qformOnly.volume.geometry()));
        QCOMPARE(withSform.volume.valueAt(3, 4, 2), qformOnly.volume.valueAt(3, 4, 2));
    }

    void pair_is_read_from_either_name()
    {
        const auto fromHdr = io::readNifti((test::niftiDataDir() + "/pair.hdr").toStdString());
        const auto fromImg = io::readNifti((test::niftiDataDir() + "/pair.img").toStdString());
        QVERIFY(fromHdr.volume.geometry().sameGrid(fromImg.volume.geometry()));
        QCOMPARE(std::memcmp(fromHdr.volume.rawData(), fromImg.volume.rawData(), fromHdr.volume.byteSize()), 0);
    }

    void is_nifti_path_checks_the_suffix()
    {
        QVERIFY(io::isNiftiPath("a/b.nii"));
        QVERIFY(io::isNiftiPath("a/b.NII.GZ"));
        QVERIFY(!io::isNiftiPath("a/b.nii.zip"));
        QVERIFY(!io::isNiftiPath("a/nii"));
    }
};

QTEST_GUILESS_MAIN(TestNiftiReference)
#include "test_nifti_reference.moc"
