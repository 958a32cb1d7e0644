// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Document::setLayerIn3D / LayerSurfaces: a label layer shown in 3D as one mesh per label in its
// colours, each enclosing its label's volume within 2 %, rebuilt after an edit settles, removed
// when hidden or when the layer goes.
#include <carina/Document.h>
#include <carina/LayerSurfaces.h>

#include <QSignalSpy>
#include <QtTest>

#include <cmath>

using namespace carina;

namespace {

Volume image()
{
    ImageGeometry g;
    g.dims = {60, 50, 40};
    g.spacing = {0.8, 0.8, 1.5};
    g.origin = {-20, 10, 5};
    return Volume(VoxelType::Int16, g);
}

bool rebuilt(Document &doc, int timeoutMs = 20000)
{
    QSignalSpy finished(doc.layerSurfaces()->task(), &TaskRunner::finished);
    return finished.wait(timeoutMs) && finished.first().first().toBool();
}

double labelVolumeMm3(const LabelVolume &l, std::uint16_t id)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < l.voxelCount(); ++i)
        n += l.data()[i] == id;
    return double(n) * l.geometry().spacing.prod();
}

} // namespace

class TestLayerSurfaces : public QObject
{
    Q_OBJECT

private slots:
    void a_layer_in_3d_is_one_closed_mesh_per_label()
    {
        Document doc;
        doc.setImage(image());
        const int layer = doc.addEmptyLayer(QStringLiteral("Painted"));
        LabelVolume &l = doc.layerLabels(layer);
        // Label 1: an ellipsoid (round in mm); label 2: a box touching the volume's edge.
        for (int z = 0; z < 40; ++z)
            for (int y = 0; y < 50; ++y)
                for (int x = 0; x < 60; ++x) {
                    const double dx = (x - 25) * 0.8, dy = (y - 25) * 0.8, dz = (z - 20) * 1.5;
                    if (dx * dx + dy * dy + dz * dz <= 14.0 * 14.0)
                        l.set(x, y, z, 1);
                    else if (x >= 48 && y >= 5 && y < 20 && z < 12)
                        l.set(x, y, z, 2);
                }
        l.table().set(LabelInfo{1, "Tumour", {200, 30, 40}, true});
        doc.notifyLabelsChanged(layer, VoxelBox::whole(l.dims()));

        QSignalSpy finished(doc.layerSurfaces()->task(), &TaskRunner::finished);
        doc.setLayerIn3D(layer, true);
        QVERIFY(doc.layerIn3D(layer));
        QVERIFY(finished.wait(20000));
        QCOMPARE(doc.meshCount(), 2);
        const int tumour = doc.findMesh(QStringLiteral("Painted: Tumour"));
        const int box = doc.findMesh(QStringLiteral("Painted: Label 2"));
        QVERIFY(tumour >= 0 && box >= 0);
        QCOMPARE(doc.mesh(tumour)->colour[0], 200.0f / 255.0f);
        for (const auto &[mesh, id] : {std::pair{tumour, 1}, std::pair{box, 2}}) {
            const double enclosed = std::abs(doc.mesh(mesh)->enclosedVolume());
            const double expected = labelVolumeMm3(l, std::uint16_t(id));
            QVERIFY2(std::abs(enclosed - expected) <= 0.02 * expected,
                     qPrintable(QStringLiteral("label %1: mesh %2 mm3, voxels %3 mm3").arg(id).arg(enclosed).arg(expected)));
        }

        // An edit (label 2 erased, label 1 grown) is followed once it settles.
        for (std::size_t i = 0; i < l.voxelCount(); ++i)
            if (l.data()[i] == 2)
                l.data()[i] = 0;
        for (int z = 30; z < 36; ++z)
            for (int y = 20; y < 30; ++y)
                for (int x = 20; x < 30; ++x)
                    l.set(x, y, z, 1);
        doc.notifyLabelsChanged(layer, VoxelBox::whole(l.dims()));
        QVERIFY(rebuilt(doc));
        QCOMPARE(doc.meshCount(), 1);
        const double grown = std::abs(doc.mesh(doc.findMesh(QStringLiteral("Painted: Tumour")))->enclosedVolume());
        QVERIFY(std::abs(grown - labelVolumeMm3(l, 1)) <= 0.02 * labelVolumeMm3(l, 1));

        // Hidden: its meshes go; shown again and the layer removed: they go with it.
        doc.setLayerIn3D(layer, false);
        QVERIFY(!doc.layerIn3D(layer));
        QCOMPARE(doc.meshCount(), 0);
        doc.setLayerIn3D(layer, true);
        QVERIFY(rebuilt(doc) || doc.meshCount() == 1);
        QTRY_COMPARE(doc.meshCount(), 1);
        doc.removeLayer(layer);
        QCOMPARE(doc.meshCount(), 0);
        QVERIFY(!doc.layerIn3D(0));
    }

    void bad_indices_are_ignored()
    {
        Document doc;
        doc.setLayerIn3D(0, true);
        QVERIFY(!doc.layerIn3D(0));
        doc.setImage(image());
        doc.setLayerIn3D(-1, true);
        doc.setLayerIn3D(3, true);
        QCOMPARE(doc.meshCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestLayerSurfaces)
#include "test_layer_surfaces.moc"
