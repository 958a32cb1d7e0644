// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The trainable segmentation plugin through its controller, as the panel and the Draw tools
// drive it: scribbles of three classes on cells_512 train the forest and segment the image;
// an undo retrains; a saved model applied by the headless command reproduces the in-app
// segmentation exactly; models for another channel count and corrupt files are refused.
#include "TrainableCommand.h"
#include "TrainableController.h"

#include <carina/Document.h>
#include <carina/io/Npy.h>
#include <carina/io/VolumeReader.h>

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>
#include <filesystem>

using namespace carina;
using carina::trainable::TrainableController;

namespace {

std::string anchorData()
{
    const char *env = std::getenv("CARINA_ANCHOR_DATA");
    return env && *env ? std::string(env) : std::string("/tmp/carina-anchor-data");
}

// The anchor's scribbles of class `value` as the voxels of one brush stroke.
DrawnShape strokeOf(const Volume &scribbles, std::uint8_t value)
{
    DrawnShape s;
    s.kind = DrawnShape::Kind::Brush;
    s.widthMm = 3.0;
    for (std::size_t i = 0; i < scribbles.voxelCount(); ++i)
        if (scribbles.data<std::uint8_t>()[i] == value)
            s.voxels.push_back(i);
    return s;
}

double accuracy(const Document &document, const Volume &gt)
{
    const int layer = document.findLayer(TrainableController::kSegmentationLayer);
    if (layer < 0)
        return 0.0;
    const LabelVolume &seg = *document.layer(layer).labels;
    std::size_t right = 0;
    for (std::size_t i = 0; i < seg.voxelCount(); ++i)
        right += seg.data()[i] == gt.data<std::uint8_t>()[i];
    return double(right) / double(seg.voxelCount());
}

} // namespace

class TestTrainableController : public QObject
{
    Q_OBJECT

    Volume m_image, m_scribbles, m_gt;
    std::string m_imagePath;

private slots:
    void initTestCase()
    {
        const std::string d = anchorData();
        m_imagePath = d + "/cells_512.npy";
        if (!std::filesystem::exists(m_imagePath))
            QSKIP("anchor data missing: run ../shared/anchors/gen_data.py (CARINA_ANCHOR_DATA)");
        m_image = io::readNpyVolume(m_imagePath);
        m_scribbles = io::readNpyVolume(d + "/cells_512_scribbles.npy");
        m_gt = io::readNpyVolume(d + "/cells_512_gt.npy");
    }

    void scribbles_train_and_segment_then_undo_retrains()
    {
        Document document;
        document.setImage(m_image);
        TrainableController controller(&document);
        controller.setDrawing(true);
        QCOMPARE(document.shapeConsumer(), TrainableController::kConsumerName);
        QCOMPARE(controller.classCount(), 3);
        QCOMPARE(controller.featureCount(), 20);
        for (std::uint8_t c = 1; c <= 3; ++c) {
            controller.setActiveClass(c);
            document.submitShape(strokeOf(m_scribbles, c)); // as the Draw tools hand it over
        }
        QCOMPARE(controller.scribbleVoxels(), 668);
        QTRY_VERIFY_WITH_TIMEOUT(controller.trained() && controller.complete(), 60000);
        const double first = accuracy(document, m_gt);
        QVERIFY2(first >= 0.95, qPrintable(QString::number(first)));
        QVERIFY(document.findLayer(TrainableController::kUncertaintyLayer) >= 0);
        QVERIFY(!document.layerVisible(document.findLayer(TrainableController::kUncertaintyLayer)));
        controller.setShowUncertainty(true);
        QVERIFY(document.layerVisible(document.findLayer(TrainableController::kUncertaintyLayer)));

        // Undo the nucleus stroke: the debounced retrain runs with two classes only.
        const quint64 before = controller.predictions();
        document.undo();
        QCOMPARE(controller.scribbleVoxels(), 668 - int(strokeOf(m_scribbles, 3).voxels.size()));
        QTRY_VERIFY_WITH_TIMEOUT(controller.predictions() > before && !controller.task()->busy(), 60000);
        const LabelVolume &seg = *document.layer(document.findLayer(TrainableController::kSegmentationLayer)).labels;
        QCOMPARE(std::count(seg.data(), seg.data() + seg.voxelCount(), std::uint16_t(3)), 0);
        document.redo();
        QTRY_VERIFY_WITH_TIMEOUT(controller.predictions() > before + 1 && !controller.task()->busy(), 60000);
        QCOMPARE(accuracy(document, m_gt), first); // deterministic: the same forest again

        // An eraser stroke clears scribbles and retrains too.
        DrawnShape erase = strokeOf(m_scribbles, 2);
        erase.kind = DrawnShape::Kind::Eraser;
        document.submitShape(erase);
        QCOMPARE(controller.scribbleVoxels(), 668 - int(erase.voxels.size()));
    }

    void saved_model_applied_headless_reproduces_the_app()
    {
        QTemporaryDir dir;
        Document document;
        document.setImage(m_image);
        TrainableController controller(&document);
        controller.setTrees(30);
        controller.setSigmaMax(8);
        for (std::uint8_t c = 1; c <= 3; ++c) {
            controller.setActiveClass(c);
            controller.takeShape(strokeOf(m_scribbles, c));
        }
        QTRY_VERIFY_WITH_TIMEOUT(controller.trained() && controller.complete(), 60000);
        QCOMPARE(controller.featureCount(), 16);
        const QString model = dir.filePath("cells.carina-model");
        QVERIFY2(controller.saveModel(model), qPrintable(controller.task()->error()));
        const QString out = dir.filePath("seg.nii.gz");
        QCOMPARE(trainable::runApplyCommand({model, QString::fromStdString(m_imagePath), "--output", out}), 0);
        const Volume headless = io::readVolume(out.toStdString()).volume;
        const LabelVolume &app = *document.layer(document.findLayer(TrainableController::kSegmentationLayer)).labels;
        QCOMPARE(headless.voxelCount(), app.voxelCount());
        std::size_t differ = 0;
        for (std::size_t i = 0; i < app.voxelCount(); ++i)
            differ += std::uint16_t(headless.valueAt(int(i % 512), int(i / 512), 0)) != app.data()[i];
        QCOMPARE(differ, std::size_t(0));

        // Loading it into another controller segments the same way.
        Document other;
        other.setImage(m_image);
        TrainableController loaded(&other);
        QVERIFY2(loaded.loadModel(model), qPrintable(loaded.task()->error()));
        QCOMPARE(loaded.sigmaMax(), 8.0);
        QCOMPARE(loaded.trees(), 30);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.complete(), 60000);
        const LabelVolume &again = *other.layer(other.findLayer(TrainableController::kSegmentationLayer)).labels;
        QVERIFY(std::equal(again.data(), again.data() + again.voxelCount(), app.data()));

        // Headless training from the image and the scribbles gives a model that applies too.
        const QString trained = dir.filePath("headless.carina-model");
        QCOMPARE(trainable::runTrainCommand({QString::fromStdString(m_imagePath), QString::fromStdString(anchorData() + "/cells_512_scribbles.npy"),
                                             "--output", trained, "--trees", "20", "--depth", "8"}),
                 0);
        QVERIFY(QFile::exists(trained));
    }

    void wrong_and_corrupt_models_are_refused_with_a_reason()
    {
        QTemporaryDir dir;
        Document document;
        document.setImage(m_image);
        TrainableController controller(&document);
        for (std::uint8_t c = 1; c <= 2; ++c) {
            controller.setActiveClass(c);
            controller.takeShape(strokeOf(m_scribbles, c));
        }
        QTRY_VERIFY_WITH_TIMEOUT(controller.trained() && controller.complete(), 60000);
        const QString model = dir.filePath("grey.carina-model");
        QVERIFY(controller.saveModel(model));

        // An RGB image: three channels against the model's one.
        ImageGeometry g;
        g.dims = {32, 32, 1};
        Document rgb;
        rgb.setImage(Volume(VoxelType::UInt8, g, 3));
        TrainableController other(&rgb);
        QVERIFY(!other.loadModel(model));
        QVERIFY2(other.task()->error().contains("1 channel"), qPrintable(other.task()->error()));
        // A volume: 2D model, 3D image.
        g.dims = {16, 16, 8};
        Document volume;
        volume.setImage(Volume(VoxelType::UInt8, g));
        TrainableController third(&volume);
        QVERIFY(!third.loadModel(model));
        QVERIFY2(third.task()->error().contains("2D"), qPrintable(third.task()->error()));
        // Damaged: one byte flipped in the middle, then cut short.
        QFile f(model);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray bytes = f.readAll();
        f.close();
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x5a);
        const QString broken = dir.filePath("broken.carina-model");
        QFile b(broken);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write(bytes);
        b.close();
        QVERIFY(!controller.loadModel(broken));
        QVERIFY2(controller.task()->error().contains("checksum"), qPrintable(controller.task()->error()));
        const QString text = dir.filePath("text.carina-model");
        QFile t(text);
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write("hello, not a model");
        t.close();
        QVERIFY(!controller.loadModel(text));
        QVERIFY2(controller.task()->error().contains("not a Carina model"), qPrintable(controller.task()->error()));
        // The headless apply says so too, with a failing exit code.
        QCOMPARE(trainable::runApplyCommand({text, QString::fromStdString(m_imagePath), "--output", dir.filePath("x.nii.gz")}), 1);
    }
};

QTEST_GUILESS_MAIN(TestTrainableController)
#include "test_trainable_controller.moc"
