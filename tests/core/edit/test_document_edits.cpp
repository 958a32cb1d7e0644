// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Document::commitLabelEdit, undo/redo, live edits, label counts and shapes handed to plugins.
#include <carina/Document.h>
#include <carina/edit/Rasterize.h>

#include <QSignalSpy>
#include <QTest>

using namespace carina;

namespace {

Volume image()
{
    ImageGeometry g;
    g.dims = {48, 40, 12};
    g.spacing = {0.75, 0.75, 2.5};
    g.origin = {-18, -15, 40};
    Volume v(VoxelType::Int16, g);
    v.info().units = "HU";
    return v;
}

std::vector<std::int64_t> recount(const LabelVolume &labels)
{
    const std::vector<std::size_t> h = labels.histogram();
    std::vector<std::int64_t> counts(h.begin(), h.end());
    while (counts.size() > 1 && counts.back() == 0)
        counts.pop_back();
    return counts;
}

} // namespace

class TestDocumentEdits : public QObject
{
    Q_OBJECT
private slots:
    void commit_undo_redo_signal_and_restore()
    {
        Document doc;
        doc.setImage(image());
        const int layer = doc.addEmptyLayer(QStringLiteral("annotation"));
        const ImageGeometry &g = doc.image().geometry();
        QSignalSpy spy(&doc, &Document::labelsChanged);

        LabelPatch patch;
        const edit::VoxelList disc = edit::rasterizeDisc(g, algo::SlicePlane::Axial, 6,
                                                         g.indexToPhysical({20, 20, 6}), 4.0);
        edit::paintVoxels(doc.layerLabels(layer), patch, disc, 2);
        doc.commitLabelEdit(layer, std::move(patch), QStringLiteral("Brush"));
        QCOMPARE(spy.count(), 1);
        const auto box = spy.takeFirst().at(1).value<VoxelBox>();
        QCOMPARE(box.begin[2], 6);
        QCOMPARE(box.end[2], 7);
        QVERIFY(doc.undoStack()->canUndo());
        QCOMPARE(doc.undoStack()->undoText(), QStringLiteral("Brush"));
        const std::vector<std::uint16_t> painted(doc.layerLabels(layer).data(),
                                                 doc.layerLabels(layer).data() + g.voxelCount());
        QCOMPARE(std::size_t(std::count(painted.begin(), painted.end(), 2)), disc.size());

        doc.undo();
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.takeFirst().at(0).toInt(), layer);
        QCOMPARE(doc.layerLabels(layer).histogram().size(), std::size_t(1)); // all background again
        QVERIFY(doc.undoStack()->canRedo());
        doc.redo();
        QCOMPARE(spy.count(), 1);
        QVERIFY(std::equal(painted.begin(), painted.end(), doc.layerLabels(layer).data()));

        // An empty edit is not an undo step.
        doc.commitLabelEdit(layer, LabelPatch{}, QStringLiteral("Nothing"));
        QCOMPARE(doc.undoStack()->count(), 1);
        // A new image drops the history.
        doc.setImage(image());
        QCOMPARE(doc.undoStack()->count(), 0);
    }

    void label_counts_follow_edits_without_recounting()
    {
        Document doc;
        doc.setImage(image());
        const int layer = doc.addEmptyLayer(QStringLiteral("annotation"));
        const ImageGeometry &g = doc.image().geometry();
        QCOMPARE(doc.labelCounts(layer), (std::vector<std::int64_t>{std::int64_t(g.voxelCount())}));

        // A live stroke: views are told, counts wait for the commit.
        QSignalSpy spy(&doc, &Document::labelsChanged);
        LabelPatch stroke;
        const edit::VoxelList first = edit::rasterizeSphere(g, g.indexToPhysical({10, 10, 5}), 5.0);
        edit::paintVoxels(doc.layerLabels(layer), stroke, first, 1);
        doc.notifyLabelsEditing(layer, stroke, edit::voxelBounds(g, first));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(doc.labelCounts(layer).size(), std::size_t(1));
        const edit::VoxelList second = edit::rasterizeSphere(g, g.indexToPhysical({14, 10, 5}), 5.0);
        edit::paintVoxels(doc.layerLabels(layer), stroke, second, 1);
        doc.commitLabelEdit(layer, std::move(stroke), QStringLiteral("Brush"));
        QCOMPARE(doc.labelCounts(layer), recount(doc.layerLabels(layer)));
        QCOMPARE(doc.labelCounts(layer).at(1), std::int64_t(edit::mergeVoxels(first, second).size()));

        // Overpaint part of label 1 with 3, then erase some of both.
        LabelPatch over;
        edit::paintVoxels(doc.layerLabels(layer), over,
                          edit::rasterizeRectangle(g, algo::SlicePlane::Axial, 5, g.indexToPhysical({12, 0, 5}),
                                                   g.indexToPhysical({30, 12, 5})),
                          3);
        edit::paintVoxels(doc.layerLabels(layer), over,
                          edit::rasterizeDisc(g, algo::SlicePlane::Axial, 5, g.indexToPhysical({12, 10, 5}), 2.0), 0);
        doc.commitLabelEdit(layer, std::move(over), QStringLiteral("Rectangle"));
        QCOMPARE(doc.labelCounts(layer), recount(doc.layerLabels(layer)));
        doc.undo();
        QCOMPARE(doc.labelCounts(layer), recount(doc.layerLabels(layer)));
        doc.undo();
        QCOMPARE(doc.labelCounts(layer), (std::vector<std::int64_t>{std::int64_t(g.voxelCount())}));
        doc.redo();
        doc.redo();
        QCOMPARE(doc.labelCounts(layer), recount(doc.layerLabels(layer)));

        // A write without a patch (a plugin's result): the next call counts again.
        doc.layerLabels(layer).set(0, 0, 0, 9);
        doc.notifyLabelsChanged(layer, VoxelBox{{0, 0, 0}, {1, 1, 1}});
        QCOMPARE(doc.labelCounts(layer).at(9), std::int64_t(1));
        QVERIFY(doc.labelCounts(7).empty());
    }

    void discarded_stroke_leaves_counts_and_voxels()
    {
        Document doc;
        doc.setImage(image());
        const int layer = doc.addEmptyLayer(QStringLiteral("annotation"));
        const ImageGeometry &g = doc.image().geometry();
        LabelPatch stroke;
        const edit::VoxelList dab = edit::rasterizeDisc(g, algo::SlicePlane::Axial, 2, g.indexToPhysical({8, 8, 2}), 3.0);
        edit::paintVoxels(doc.layerLabels(layer), stroke, dab, 4);
        // Nobody counted yet: the first count during a stroke must leave the stroke out.
        doc.notifyLabelsEditing(layer, stroke, edit::voxelBounds(g, dab));
        QCOMPARE(doc.labelCounts(layer).size(), std::size_t(1));
        stroke.discard(doc.layerLabels(layer));
        QCOMPARE(recount(doc.layerLabels(layer)).size(), std::size_t(1));
        QVERIFY(!doc.undoStack()->canUndo());
    }

    void shapes_go_to_the_consumer()
    {
        Document doc;
        doc.setImage(image());
        QSignalSpy consumerSpy(&doc, &Document::shapeConsumerChanged);
        QSignalSpy shapeSpy(&doc, &Document::shapeDrawn);
        QVERIFY(doc.shapeConsumer().isEmpty());
        doc.setShapeConsumer(QStringLiteral("GGO"));
        doc.setShapeConsumer(QStringLiteral("GGO"));
        QCOMPARE(consumerSpy.count(), 1);
        DrawnShape shape;
        shape.kind = DrawnShape::Kind::Rectangle;
        shape.slice = 3;
        shape.points = {doc.image().geometry().indexToPhysical({2, 2, 3}), doc.image().geometry().indexToPhysical({5, 6, 3})};
        shape.voxels = rasterizeShape(doc.image().geometry(), shape);
        doc.submitShape(shape);
        QCOMPARE(shapeSpy.count(), 1);
        const auto received = shapeSpy.at(0).at(0).value<DrawnShape>();
        QCOMPARE(received.voxels.size(), std::size_t(4 * 5));
        QCOMPARE(received.kind, DrawnShape::Kind::Rectangle);
    }
};

QTEST_GUILESS_MAIN(TestDocumentEdits)
#include "test_document_edits.moc"
