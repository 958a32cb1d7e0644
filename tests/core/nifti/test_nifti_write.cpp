// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// writeNifti / writeNiftiLabels round trips and the AtomicFile every writer goes through.
#include "NiftiTestUtil.h"

#include <carina/LabelVolume.h>
#include <carina/io/AtomicFile.h>
#include <carina/io/IoError.h>
#include <carina/io/Nifti.h>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <Eigen/Geometry>

#include <cmath>
#include <cstring>
#include <random>

#include <unistd.h>

using namespace carina;

namespace {

ImageGeometry obliqueGeometry(const Dims &dims)
{
    ImageGeometry g;
    g.dims = dims;
    g.spacing = {0.7, 0.85, 2.5};
    g.origin = {-120.25, 33.5, -71.0};
    g.direction = (Eigen::AngleAxisd(0.4, Eigen::Vector3d(1, 2, 3).normalized())).toRotationMatrix();
    return g;
}

Volume randomVolume(VoxelType type, const ImageGeometry &g, int channels, unsigned seed)
{
    Volume v(type, g, channels);
    std::mt19937 rng(seed);
    auto *bytes = static_cast<unsigned char *>(v.rawData());
    for (std::size_t i = 0; i < v.byteSize(); ++i)
        bytes[i] = static_cast<unsigned char>(rng());
    if (type == VoxelType::Float32) {
        // Random bytes make NaNs; use finite values.
        float *f = v.data<float>();
        std::normal_distribution<float> normal(0.0f, 100.0f);
        for (std::size_t i = 0; i < v.voxelCount() * std::size_t(channels); ++i)
            f[i] = normal(rng);
    }
    return v;
}

template<typename T> T field(const QByteArray &header, int offset)
{
    T value;
    std::memcpy(&value, header.constData() + offset, sizeof value);
    return value;
}

void verifyGeometry(const ImageGeometry &got, const ImageGeometry &expected)
{
    QVERIFY((got.spacing - expected.spacing).cwiseAbs().maxCoeff() < 1e-5);
    QVERIFY((got.origin - expected.origin).cwiseAbs().maxCoeff() < 1e-4);
    QVERIFY((got.direction - expected.direction).cwiseAbs().maxCoeff() < 1e-6);
    QCOMPARE(got.dims, expected.dims);
}

} // namespace

class TestNiftiWrite : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void image_round_trip_keeps_voxels_and_affine_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("channels");
        QTest::addColumn<QString>("name");
        const QList<std::pair<VoxelType, int>> kinds{{VoxelType::UInt8, 1}, {VoxelType::Int16, 1},
                                                     {VoxelType::UInt16, 1}, {VoxelType::Float32, 1},
                                                     {VoxelType::UInt8, 3}, {VoxelType::UInt8, 4}};
        for (const auto &[type, channels] : kinds)
            for (const char *suffix : {".nii", ".nii.gz"}) {
                const QString name = QString("%1_%2ch%3").arg(voxelTypeName(type)).arg(channels).arg(suffix);
                QTest::newRow(qPrintable(name)) << int(type) << channels << name;
            }
    }

    void image_round_trip_keeps_voxels_and_affine()
    {
        QFETCH(int, type);
        QFETCH(int, channels);
        QFETCH(QString, name);
        const ImageGeometry g = obliqueGeometry({17, 13, 6});
        const Volume original = randomVolume(VoxelType(type), g, channels, 7u + unsigned(type));
        const std::string path = m_dir.filePath(name).toStdString();
        io::writeNifti(original, path);
        const io::LoadResult back = io::readNifti(path);
        QVERIFY2(back.warnings.empty(), back.warnings.empty() ? "" : back.warnings.front().c_str());
        QCOMPARE(back.volume.type(), original.type());
        QCOMPARE(back.volume.channels(), original.channels());
        verifyGeometry(back.volume.geometry(), g);
        QCOMPARE(std::memcmp(back.volume.rawData(), original.rawData(), original.byteSize()), 0);
        if (name.endsWith(".gz"))
            QCOMPARE(test::readAll(QString::fromStdString(path)).left(2), QByteArray("\x1f\x8b"));
    }

    void labels_round_trip_as_uint16_with_label_intent()
    {
        const ImageGeometry g = obliqueGeometry({20, 11, 7});
        LabelVolume labels(g);
        std::mt19937 rng(3);
        for (std::size_t i = 0; i < labels.voxelCount(); ++i)
            labels.data()[i] = std::uint16_t(rng() % 5 == 0 ? rng() % 700 : 0);
        for (const char *suffix : {".nii", ".nii.gz"}) {
            const std::string path = m_dir.filePath(QString("labels") + suffix).toStdString();
            io::writeNiftiLabels(labels, path);
            const io::LoadResult back = io::readNifti(path);
            QCOMPARE(back.volume.type(), VoxelType::UInt16);
            verifyGeometry(back.volume.geometry(), g);
            QCOMPARE(std::memcmp(back.volume.rawData(), labels.data(), labels.voxelCount() * 2), 0);
        }
        const QByteArray header = test::readAll(m_dir.filePath("labels.nii"));
        QCOMPARE(field<std::int16_t>(header, 68), std::int16_t(1002)); // NIFTI_INTENT_LABEL
        QCOMPARE(field<std::int16_t>(header, 70), std::int16_t(512));  // DT_UINT16
    }

    void header_holds_the_ras_affine_as_sform_and_qform()
    {
        const ImageGeometry g = obliqueGeometry({9, 8, 7});
        const std::string path = m_dir.filePath("header.nii").toStdString();
        io::writeNifti(randomVolume(VoxelType::Int16, g, 1, 1), path);
        const QByteArray h = test::readAll(QString::fromStdString(path));
        QCOMPARE(field<std::int32_t>(h, 0), 348);
        QCOMPARE(QByteArray(h.constData() + 344, 4), QByteArray("n+1\0", 4));
        QCOMPARE(field<float>(h, 108), 352.0f);
        QCOMPARE(field<std::int16_t>(h, 252), std::int16_t(1)); // qform_code scanner anat
        QCOMPARE(field<std::int16_t>(h, 254), std::int16_t(1)); // sform_code scanner anat
        // What nibabel reads as the sform: LPS -> RAS negates x and y.
        Eigen::Matrix4d ras = g.indexToPhysicalMatrix();
        ras.row(0) *= -1.0;
        ras.row(1) *= -1.0;
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 4; ++c)
                QVERIFY(std::abs(field<float>(h, 280 + 16 * r + 4 * c) - ras(r, c)) < 1e-4);
        // The quaternion must describe the same rotation (checked through the qform-only path).
        QByteArray qformOnly = h;
        const std::int16_t zero = 0;
        std::memcpy(qformOnly.data() + 254, &zero, 2);
        const QString qpath = m_dir.filePath("qform_only.nii");
        QVERIFY(test::writeAll(qpath, qformOnly));
        verifyGeometry(io::readNifti(qpath.toStdString()).volume.geometry(), g);
    }

    void large_gzip_round_trip_uses_several_members()
    {
        // 40 MB: more than one 32 MB gzip member, read back through libdeflate's member loop.
        ImageGeometry g = obliqueGeometry({256, 256, 320});
        Volume v(VoxelType::Int16, g);
        std::int16_t *p = v.data<std::int16_t>();
        for (std::size_t i = 0; i < v.voxelCount(); ++i)
            p[i] = std::int16_t((i * 2654435761u) >> 20);
        const std::string path = m_dir.filePath("large.nii.gz").toStdString();
        io::writeNifti(v, path);
        const io::LoadResult back = io::readNifti(path);
        QCOMPARE(std::memcmp(back.volume.rawData(), v.rawData(), v.byteSize()), 0);
        QFile::remove(QString::fromStdString(path));
    }

    void bad_names_and_volumes_are_refused()
    {
        const Volume v = randomVolume(VoxelType::Int16, obliqueGeometry({4, 4, 4}), 1, 2);
        QVERIFY_THROWS_EXCEPTION(io::IoError, io::writeNifti(v, m_dir.filePath("scan.txt").toStdString()));
        QVERIFY_THROWS_EXCEPTION(io::IoError, io::writeNifti(Volume(), m_dir.filePath("null.nii").toStdString()));
        const Volume twoChannels(VoxelType::Float32, obliqueGeometry({4, 4, 4}), 2);
        QVERIFY_THROWS_EXCEPTION(io::IoError, io::writeNifti(twoChannels, m_dir.filePath("two.nii").toStdString()));
        QVERIFY(!QFile::exists(m_dir.filePath("two.nii")));
    }

    void failed_atomic_write_throws_and_leaves_no_file()
    {
        // A folder that cannot exist (its parent is a file): fails for root too.
        QVERIFY(test::writeAll(m_dir.filePath("plain_file"), "x"));
        const QString target = m_dir.filePath("plain_file/out.nii.gz");
        const Volume v = randomVolume(VoxelType::Int16, obliqueGeometry({4, 4, 4}), 1, 2);
        try {
            io::writeNifti(v, target.toStdString());
            QFAIL("writing below a file did not throw");
        } catch (const io::IoError &error) {
            QVERIFY(QString(error.what()).contains("out.nii.gz"));
        }
        QVERIFY(!QFile::exists(target));

        if (::geteuid() != 0) {
            QDir(m_dir.path()).mkdir("readonly");
            const QString folder = m_dir.filePath("readonly");
            QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::ExeOwner);
            QVERIFY_THROWS_EXCEPTION(io::IoError, io::writeNifti(v, (folder + "/out.nii").toStdString()));
            QCOMPARE(QDir(folder).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size(), 0);
            QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        }
    }

    void uncommitted_atomic_file_keeps_the_old_content()
    {
        QTemporaryDir folder;
        const QString path = folder.filePath("labels.nii");
        QVERIFY(test::writeAll(path, "old content"));
        {
            io::AtomicFile file(path.toStdString());
            file.write("new, partial", 12);
            // destroyed without commit(), as when an exception unwinds a writer
        }
        QCOMPARE(test::readAll(path), QByteArray("old content"));
        QCOMPARE(QDir(folder.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden),
                 QStringList{"labels.nii"});

        io::writeFileAtomically(path.toStdString(), "new content", 11);
        QCOMPARE(test::readAll(path), QByteArray("new content"));
        io::AtomicFile committed(path.toStdString());
        committed.commit();
        QVERIFY_THROWS_EXCEPTION(io::IoError, committed.write("x", 1));
        QCOMPARE(test::readAll(path), QByteArray());
    }
};

QTEST_GUILESS_MAIN(TestNiftiWrite)
#include "test_nifti_write.moc"
