// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Qt Quick Test: the trainable segmentation driven by touch on cells_512 (tst_trainable_touch.qml).
// The shell's Draw tools (brush) on a slice pane hand their strokes to the TrainableController;
// the test draws three classes, checks the overlay's accuracy against the ground truth and that
// a second stroke updates it.
#include "TrainableController.h"

#include <carina/Document.h>
#include <carina/io/Npy.h>

#include <QQmlContext>
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

#include <cstdlib>
#include <filesystem>

Q_IMPORT_QML_PLUGIN(Carina_ShellPlugin)
Q_IMPORT_QML_PLUGIN(Carina_ControlsPlugin)

/// Ground truth and stroke positions for the QML side.
class Reference : public QObject
{
    Q_OBJECT
public:
    carina::Document *document = nullptr;
    carina::Volume gt;
    /// Voxel accuracy of the "Segmentation" layer against the ground truth (0 without the layer).
    Q_INVOKABLE double accuracy() const
    {
        const int layer = document->findLayer(carina::trainable::TrainableController::kSegmentationLayer);
        if (layer < 0 || gt.isNull())
            return 0.0;
        const carina::LabelVolume &seg = *document->layer(layer).labels;
        std::size_t right = 0;
        for (std::size_t i = 0; i < seg.voxelCount(); ++i)
            right += seg.data()[i] == gt.data<std::uint8_t>()[i];
        return double(right) / double(seg.voxelCount());
    }
    /// Up to `count` horizontal runs of at least `length` voxels of class `label` in the ground
    /// truth, spread over the image, as [x0, y, x1] voxel triples (strokes a finger can draw).
    Q_INVOKABLE QVariantList runs(int label, int length, int count) const
    {
        QVariantList out;
        const int nx = gt.dims()[0], ny = gt.dims()[1];
        // Rows and starting columns stepped by primes: runs spread over the whole image.
        for (int k = 0; k < count * 20 && out.size() < count; ++k) {
            const int y = 8 + (k * 37) % (ny - 16);
            int start = -1;
            for (int x = 4 + (k * 131) % (nx - 40); x < nx - 4; ++x) {
                const bool in = gt.data<std::uint8_t>()[std::size_t(y) * std::size_t(nx) + std::size_t(x)] == label;
                if (in && start < 0)
                    start = x;
                if ((!in || x == nx - 5) && start >= 0) {
                    if (x - start >= length + 6) { // margins: the brush is wider than the line
                        out.push_back(QVariant(QVariantList{start + 3, y, start + 3 + length}));
                        break;
                    }
                    start = -1;
                }
            }
        }
        return out;
    }
};

class Setup : public QObject
{
    Q_OBJECT
public slots:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        const char *env = std::getenv("CARINA_ANCHOR_DATA");
        const std::string dir = env && *env ? env : "/tmp/carina-anchor-data";
        bool have = false;
        if (std::filesystem::exists(dir + "/cells_512.npy")) {
            m_document.setImage(carina::io::readNpyVolume(dir + "/cells_512.npy"));
            m_reference.gt = carina::io::readNpyVolume(dir + "/cells_512_gt.npy");
            have = true;
        }
        m_reference.document = &m_document;
        m_controller = std::make_unique<carina::trainable::TrainableController>(&m_document);
        engine->rootContext()->setContextProperty(QStringLiteral("testDocument"), &m_document);
        engine->rootContext()->setContextProperty(QStringLiteral("trainable"), m_controller.get());
        engine->rootContext()->setContextProperty(QStringLiteral("reference"), &m_reference);
        engine->rootContext()->setContextProperty(QStringLiteral("haveData"), have);
    }

private:
    carina::Document m_document;
    Reference m_reference;
    std::unique_ptr<carina::trainable::TrainableController> m_controller;
};

QUICK_TEST_MAIN_WITH_SETUP(trainable_touch, Setup)

#include "test_trainable_touch.moc"
