// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/Document.h>

#include <QSignalSpy>
#include <QTest>

using namespace carina;

class TestDocument : public QObject
{
    Q_OBJECT
private:
    static Volume ctVolume()
    {
        ImageGeometry g;
        g.dims = {16, 16, 8};
        g.spacing = {0.5, 0.5, 2.0};
        g.origin = {-4, -4, 100};
        Volume v(VoxelType::Int16, g);
        v.info().units = "HU";
        v.data<std::int16_t>()[0] = -1024;
        v.data<std::int16_t>()[1] = 900;
        return v;
    }

private slots:
    void set_image_centres_cursor_and_picks_ct_window()
    {
        Document doc;
        QSignalSpy imageSpy(&doc, &Document::imageChanged);
        doc.setImage(ctVolume());
        QCOMPARE(imageSpy.count(), 1);
        QVERIFY(doc.hasImage());
        QCOMPARE(doc.windowCenter(), 40.0);
        QCOMPARE(doc.minValue(), -1024.0);
        QCOMPARE(doc.cursorIndex(), QVector3D(8, 8, 4));
        QCOMPARE(doc.valueAtPhysical(QVector3D(-4, -4, 100)), -1024.0);
    }

    void a_derived_image_is_the_same_study()
    {
        Document doc;
        QSignalSpy studySpy(&doc, &Document::studyChanged);
        QSignalSpy imageSpy(&doc, &Document::imageChanged);
        QCOMPARE(doc.studyId(), quint64(0));
        doc.setImage(ctVolume());
        QCOMPARE(studySpy.count(), 1);
        const quint64 study = doc.studyId();
        QVERIFY(study != 0);

        Volume masked = ctVolume();
        doc.showDerivedImage(masked, QStringLiteral("Masked CT"));
        doc.showLoadedImage();
        QCOMPARE(imageSpy.count(), 3); // the views redraw each time...
        QCOMPARE(studySpy.count(), 1); // ...but it is still the study that was opened
        QCOMPARE(doc.studyId(), study);

        doc.setImage(ctVolume());
        QCOMPARE(studySpy.count(), 2);
        QVERIFY(doc.studyId() != study);
        doc.clear();
        QCOMPARE(studySpy.count(), 3);
    }

    void a_layer_is_found_by_its_labels_as_layers_move()
    {
        Document doc;
        doc.setImage(ctVolume());
        doc.addEmptyLayer(QStringLiteral("first"));
        auto labels = std::make_shared<LabelVolume>(doc.image().geometry());
        QCOMPARE(doc.layerOf(labels.get()), -1);
        doc.addLayer(QStringLiteral("second"), labels);
        QCOMPARE(doc.layerOf(labels.get()), 1);
        doc.removeLayer(0);
        QCOMPARE(doc.layerOf(labels.get()), 0);
        QCOMPARE(doc.layerOf(nullptr), -1);
    }

    void cursor_is_clamped_to_the_image()
    {
        Document doc;
        doc.setImage(ctVolume());
        doc.setCursorIndex(QVector3D(100, -5, 3));
        QCOMPARE(doc.cursorIndex(), QVector3D(15, 0, 3));
    }

    void layers_must_share_the_image_grid()
    {
        Document doc;
        doc.setImage(ctVolume());
        QSignalSpy layerSpy(&doc, &Document::layersChanged);
        const int index = doc.addEmptyLayer(QStringLiteral("lungs"));
        QCOMPARE(index, 0);
        QCOMPARE(layerSpy.count(), 1);
        QCOMPARE(doc.findLayer(QStringLiteral("lungs")), 0);
        doc.setLayerOpacity(0, 1.7); // clamped
        doc.setLayerVisible(0, false);
        QCOMPARE(doc.layerOpacity(0), 1.0);
        QVERIFY(!doc.layerVisible(0));
        QCOMPARE(doc.layerName(0), QStringLiteral("lungs"));
        QCOMPARE(doc.layerName(5), QString());
        QVERIFY(doc.visibleOverlays().empty()); // the only layer is hidden
        doc.setLayerVisible(0, true);
        QCOMPARE(doc.visibleOverlays().size(), std::size_t(1));
        QCOMPARE(doc.visibleOverlays().front().opacity, 1.0);
        ImageGeometry other = doc.image().geometry();
        other.dims[2] = 9;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 doc.addLayer(QStringLiteral("bad"), std::make_shared<LabelVolume>(other)));
        QSignalSpy labelSpy(&doc, &Document::labelsChanged);
        doc.layerLabels(0).set(1, 2, 3, 7);
        doc.notifyLabelsChanged(0, VoxelBox{{1, 2, 3}, {2, 3, 4}});
        QCOMPARE(labelSpy.count(), 1);
        QCOMPARE(labelSpy.at(0).at(1).value<VoxelBox>().begin, (Dims{1, 2, 3}));
    }

    void meshes_replace_by_name()
    {
        Document doc;
        auto a = std::make_shared<Mesh>();
        a->name = "lung";
        QCOMPARE(doc.setMesh(a), 0);
        auto b = std::make_shared<Mesh>();
        b->name = "lung";
        QCOMPARE(doc.setMesh(b), 0);
        QCOMPARE(doc.meshCount(), 1);
        doc.setMeshOpacity(0, 0.25);
        QCOMPARE(doc.mesh(0)->opacity, 0.25f);
        doc.setImage(ctVolume());
        QCOMPARE(doc.meshCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDocument)
#include "test_document.moc"
