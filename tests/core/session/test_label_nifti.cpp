// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Label layer NIfTI export/import: nibabel sees the image's affine and the app's voxel counts,
// round trips are exact, other grids and non-label data are refused with clear messages.
#include "ReadOnlyFolder.h"

#include <carina/LabelVolume.h>
#include <carina/io/IoError.h>
#include <carina/io/LabelNifti.h>
#include <carina/io/Nifti.h>

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <Eigen/Geometry>

#include <random>


using namespace carina;

namespace {

ImageGeometry obliqueGrid()
{
    ImageGeometry g;
    g.dims = {37, 29, 11};
    g.spacing = {0.7, 0.85, 2.5};
    g.origin = {-120.25, 33.5, -71.0};
    g.direction = Eigen::AngleAxisd(0.3, Eigen::Vector3d(1, 2, 3).normalized()).toRotationMatrix();
    return g;
}

// A painted layer: a few boxes and scattered voxels of several labels.
LabelVolume painted(const ImageGeometry &g, std::uint16_t highest)
{
    LabelVolume labels(g);
    std::mt19937 rng(7);
    for (int k = 2; k < 8; ++k)
        for (int j = 3; j < 20; ++j)
            for (int i = 5; i < 30; ++i)
                labels.set(i, j, k, 1);
    for (int n = 0; n < 500; ++n)
        labels.set(int(rng() % 37), int(rng() % 29), int(rng() % 11), std::uint16_t(2 + rng() % 3));
    labels.set(0, 0, 0, highest);
    labels.table().set({1, "Left lung", {10, 20, 30}, true});
    labels.table().set({3, "Nodule \"A\"", {200, 100, 50}, false});
    return labels;
}

void compareVoxels(const LabelVolume &a, const LabelVolume &b)
{
    QCOMPARE(a.dims(), b.dims());
    for (std::size_t i = 0; i < a.voxelCount(); ++i)
        if (a.data()[i] != b.data()[i])
            QFAIL(qPrintable(QString("voxel %1: %2 != %3").arg(i).arg(a.data()[i]).arg(b.data()[i])));
}

} // namespace

class TestLabelNifti : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void nibabel_sees_the_image_affine_and_the_app_counts_data()
    {
        QTest::addColumn<int>("highest");
        QTest::newRow("uint8") << 4;
        QTest::newRow("uint16") << 1000;
    }
    void nibabel_sees_the_image_affine_and_the_app_counts()
    {
        QFETCH(int, highest);
        if (!QFileInfo::exists("/usr/bin/python3"))
            QSKIP("/usr/bin/python3 is absent: cannot check with nibabel");
        const ImageGeometry g = obliqueGrid();
        const LabelVolume labels = painted(g, std::uint16_t(highest));
        const QString labelPath = path(QString("labels%1.nii.gz").arg(highest));
        const QString imagePath = path(QString("image%1.nii.gz").arg(highest));
        io::exportLabelNifti(labels, labelPath.toStdString());
        Volume image(VoxelType::Int16, g);
        io::writeNifti(image, imagePath.toStdString());

        const char *script = R"(
import json, sys
import nibabel as nib, numpy as np
lab = nib.load(sys.argv[1]); img = nib.load(sys.argv[2])
data = np.asarray(lab.dataobj)
print(json.dumps({
  "dtype": str(data.dtype), "shape": list(data.shape),
  "affineDiff": float(np.abs(lab.affine - img.affine).max()),
  "qformDiff": float(np.abs(lab.get_qform() - img.affine).max()),
  "sformDiff": float(np.abs(lab.get_sform() - img.affine).max()),
  "counts": np.bincount(data.ravel().astype(np.int64)).tolist()}))
)";
        QProcess python;
        python.start("/usr/bin/python3", {"-c", script, labelPath, imagePath});
        QVERIFY(python.waitForFinished(60000));
        const QByteArray err = python.readAllStandardError();
        if (python.exitCode() != 0 && err.contains("No module named"))
            QSKIP("nibabel is not installed for /usr/bin/python3");
        QVERIFY2(python.exitCode() == 0, err.constData());
        const QJsonObject out = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
        QCOMPARE(out["dtype"].toString(), highest < 256 ? QString("uint8") : QString("uint16"));
        QCOMPARE(out["shape"].toArray(), (QJsonArray{37, 29, 11}));
        QVERIFY2(out["affineDiff"].toDouble() < 1e-6, qPrintable(QString::number(out["affineDiff"].toDouble())));
        QVERIFY(out["qformDiff"].toDouble() < 1e-4);
        QVERIFY(out["sformDiff"].toDouble() < 1e-6);
        const std::vector<std::size_t> histogram = labels.histogram();
        const QJsonArray counts = out["counts"].toArray();
        QCOMPARE(std::size_t(counts.size()), histogram.size());
        for (std::size_t id = 0; id < histogram.size(); ++id)
            QCOMPARE(std::size_t(counts[qsizetype(id)].toDouble()), histogram[id]);
    }

    void round_trip_is_exact_with_names_and_colours()
    {
        const ImageGeometry g = obliqueGrid();
        for (std::uint16_t highest : {std::uint16_t(4), std::uint16_t(65535)}) {
            const LabelVolume labels = painted(g, highest);
            const std::string file = path("roundtrip.nii").toStdString();
            io::exportLabelNifti(labels, file);
            QVERIFY(QFileInfo::exists(QString::fromStdString(io::labelDescriptionPath(file))));
            const io::LabelImport back = io::importLabelNifti(file, g);
            QVERIFY(back.warnings.empty());
            compareVoxels(*back.labels, labels);
            QVERIFY(back.labels->geometry().sameGrid(g, 0.0));
            const auto lung = back.labels->table().find(1);
            QVERIFY(lung);
            QCOMPARE(lung->name, std::string("Left lung"));
            QCOMPARE(lung->rgb, (std::array<std::uint8_t, 3>{10, 20, 30}));
            const auto nodule = back.labels->table().find(3);
            QVERIFY(nodule && !nodule->visible);
            QCOMPARE(nodule->name, std::string("Nodule 'A'"));
            // Labels without a table entry are described with their default colour.
            QVERIFY(back.labels->table().find(2));
        }
    }

    void description_path_replaces_the_nifti_suffix()
    {
        QCOMPARE(io::labelDescriptionPath("/a/seg.nii.gz"), std::string("/a/seg.label.txt"));
        QCOMPARE(io::labelDescriptionPath("/a/seg.nii"), std::string("/a/seg.label.txt"));
    }

    void description_parser_survives_garbage()
    {
        LabelTable table;
        const auto problems = io::parseLabelDescription("# c\n 5 1 2 3 1 1 1 \"Five\"\nnonsense\n 70000 1 1 1 1 1 1 \"x\"\n", table);
        QCOMPARE(problems.size(), std::size_t(2));
        QCOMPARE(table.entries().size(), std::size_t(1));
        QCOMPARE(table.entries()[0].name, std::string("Five"));
    }

    void another_grid_is_refused_naming_both_grids()
    {
        const ImageGeometry g = obliqueGrid();
        const std::string file = path("grid.nii.gz").toStdString();
        io::exportLabelNifti(painted(g, 3), file);
        ImageGeometry other = g;
        other.dims = {37, 29, 12};
        ImageGeometry shifted = g;
        shifted.origin.x() += 0.5;
        ImageGeometry finer = g;
        finer.spacing.z() = 2.0;
        for (const ImageGeometry &image : {other, shifted, finer}) {
            try {
                io::importLabelNifti(file, image);
                QFAIL("a label file on another grid was accepted");
            } catch (const io::IoError &e) {
                const QString message = QString::fromUtf8(e.what());
                QVERIFY2(message.contains("grid.nii.gz") && message.contains("does not match"), e.what());
                QVERIFY2(message.contains(QString::fromStdString(io::describeGrid(image))), e.what());
                QVERIFY2(message.contains("37 x 29 x 11 voxels of 0.7 x 0.85 x 2.5 mm"), e.what());
            }
        }
        // Within the tolerance is the same grid (float rounding in other tools' headers).
        ImageGeometry close = g;
        close.origin.x() += 0.001;
        QVERIFY(io::importLabelNifti(file, close).labels);
    }

    void non_label_data_is_refused()
    {
        const ImageGeometry g = obliqueGrid();
        Volume fractional(VoxelType::Float32, g);
        fractional.data<float>()[17] = 1.5f;
        io::writeNifti(fractional, path("fractional.nii").toStdString());
        Volume negative(VoxelType::Int16, g);
        negative.data<std::int16_t>()[3] = -2;
        io::writeNifti(negative, path("negative.nii").toStdString());
        Volume rgb(VoxelType::UInt8, g, 3);
        io::writeNifti(rgb, path("rgb.nii").toStdString());
        for (const char *name : {"fractional.nii", "negative.nii", "rgb.nii"}) {
            try {
                io::importLabelNifti(path(name).toStdString(), g);
                QFAIL(qPrintable(QString(name) + " was accepted as labels"));
            } catch (const io::IoError &e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains(name), e.what());
                QVERIFY2(QString::fromUtf8(e.what()).contains("not a label image"), e.what());
            }
        }
        // Whole-number floats are labels (many tools write float segmentations).
        Volume wholeFloat(VoxelType::Float32, g);
        wholeFloat.data<float>()[5] = 7.0f;
        io::writeNifti(wholeFloat, path("float.nii").toStdString());
        QCOMPARE(io::importLabelNifti(path("float.nii").toStdString(), g).labels->data()[5], std::uint16_t(7));
    }

    void failed_export_says_so_and_leaves_nothing()
    {
        QTemporaryDir dir;
        carina::testing::ReadOnlyFolder readOnly(dir.path());
        if (!readOnly.ok())
            QSKIP("cannot make a folder read-only here (chattr missing?)");
        const std::string file = (dir.path() + "/labels.nii.gz").toStdString();
        try {
            io::exportLabelNifti(painted(obliqueGrid(), 3), file);
            QFAIL("export into a read-only folder did not fail");
        } catch (const io::IoError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("cannot write"), e.what());
        }
        readOnly.restore();
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestLabelNifti)
#include "test_label_nifti.moc"
