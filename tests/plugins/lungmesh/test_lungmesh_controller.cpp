// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The Lung mesh plugin through its controller, the way the panel and the shell drive it.
#include "LungMeshController.h"
#include "SyntheticChest.h"

#include <carina/Document.h>
#include <carina/edit/LabelPatch.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

using namespace carina;
using carina::lungmesh::LungMeshController;

namespace {

bool runAndWait(LungMeshController &controller, int timeoutMs = 60000)
{
    QSignalSpy finished(controller.task(), &TaskRunner::finished);
    if (!controller.run())
        return false;
    if (finished.isEmpty() && !finished.wait(timeoutMs))
        return false;
    return finished.first().first().toBool();
}

/// Lets every task of the thread pool end and their (possibly stale) results arrive.
void drainTasks()
{
    QThreadPool::globalInstance()->waitForDone(60000);
    QCoreApplication::processEvents();
    QTest::qWait(50);
    QCoreApplication::processEvents();
}

QString refusalOf(Volume volume)
{
    Document document;
    document.setImage(volume);
    LungMeshController controller(&document);
    if (runAndWait(controller))
        return {};
    return controller.task()->error();
}

} // namespace

class TestLungMeshController : public QObject
{
    Q_OBJECT

private slots:
    void run_adds_labels_meshes_and_figures()
    {
        Document document;
        document.setImage(test::syntheticChest());
        LungMeshController controller(&document);
        controller.setTargetTriangles(4000);
        QSignalSpy progress(controller.task(), &TaskRunner::progressChanged);
        QVERIFY(runAndWait(controller));
        QVERIFY(!controller.task()->busy());
        QVERIFY(controller.hasResult());
        QVERIFY(progress.count() >= 3);
        QCOMPARE(controller.task()->progress(), 1.0);
        QVERIFY(controller.task()->status().contains(QLatin1String("mL")));

        // The "Lungs" layer: 1 = right (low i here, LPS identity), 2 = left, named.
        const int layer = document.findLayer(QStringLiteral("Lungs"));
        QVERIFY(layer >= 0);
        const LabelVolume &labels = *document.layer(layer).labels;
        QCOMPARE(labels.at(48, 64, 27), std::uint16_t(1));
        QCOMPARE(labels.at(111, 64, 27), std::uint16_t(2));
        QCOMPARE(labels.at(80, 64, 55), std::uint16_t(0)); // trachea
        QCOMPARE(labels.table().find(1)->name, std::string("Right lung"));
        QCOMPARE(labels.table().find(2)->name, std::string("Left lung"));

        // Volumes within 2 % of the ellipsoids (voxelised at 2 x 2 x 4 mm).
        QVERIFY2(std::abs(controller.rightVolumeMl() - test::syntheticRightMl()) < 0.02 * test::syntheticRightMl(),
                 qPrintable(QString::number(controller.rightVolumeMl())));
        QVERIFY2(std::abs(controller.leftVolumeMl() - test::syntheticLeftMl()) < 0.02 * test::syntheticLeftMl(),
                 qPrintable(QString::number(controller.leftVolumeMl())));
        QCOMPARE(controller.totalVolumeMl(), controller.rightVolumeMl() + controller.leftVolumeMl());
        QVERIFY(controller.rightAreaMm2() > controller.leftAreaMm2());

        // Two meshes in patient mm, decimated to the target, enclosing about the label volume.
        const int right = document.findMesh(QStringLiteral("Right lung"));
        const int left = document.findMesh(QStringLiteral("Left lung"));
        QVERIFY(right >= 0 && left >= 0);
        QVERIFY(document.mesh(right)->triangleCount() <= 4000);
        QVERIFY(std::abs(document.mesh(right)->enclosedVolume() / 1000.0 - controller.rightVolumeMl())
                < 0.03 * controller.rightVolumeMl());
        // The right lung's centre lies at x = 96 mm (i = 48 of 2 mm voxels).
        const auto &v = document.mesh(right)->vertices;
        double sumX = 0;
        for (std::size_t i = 0; i < v.size(); i += 3)
            sumX += v[i];
        QVERIFY(std::abs(sumX / double(v.size() / 3) - 96.0) < 3.0);
        QCOMPARE(document.mesh(right)->opacity, 0.3f); // low: a surface inside shows
        QVERIFY(document.findMesh(QStringLiteral("CT surface")) < 0);
    }

    // The meshes and figures are the Lungs layer's: a layer brought back by a session gives the
    // result again (with its exports), and a hand edit of it is followed.
    void a_restored_or_edited_lungs_layer_gives_the_result_again()
    {
        Document document;
        document.setImage(test::syntheticChest());
        LungMeshController controller(&document);
        QVERIFY(runAndWait(controller));
        const double right = controller.rightVolumeMl();
        const double left = controller.leftVolumeMl();
        const int layer = document.findLayer(LungMeshController::kLayerName);
        QVERIFY(layer >= 0);

        // As a session opens: the image, then the layer, and a controller that never ran.
        Document restored;
        restored.setImage(test::syntheticChest());
        LungMeshController adopter(&restored);
        QVERIFY(!adopter.hasResult());
        restored.addLayer(LungMeshController::kLayerName, std::make_shared<LabelVolume>(*document.layer(layer).labels), 0.4);
        QTRY_VERIFY_WITH_TIMEOUT(adopter.hasResult(), 60000);
        QCOMPARE(adopter.rightVolumeMl(), right);
        QCOMPARE(adopter.leftVolumeMl(), left);
        QVERIFY(restored.findMesh(QStringLiteral("Right lung")) >= 0);
        QVERIFY(restored.findMesh(QStringLiteral("Left lung")) >= 0);
        QTemporaryDir dir;
        QVERIFY2(adopter.exportMeshes(dir.filePath("lungs.stl")), qPrintable(adopter.task()->error()));

        // A hand edit: erase a slab of the right lung; the figures follow once it settles.
        const int restoredLayer = restored.findLayer(LungMeshController::kLayerName);
        LabelVolume &labels = restored.layerLabels(restoredLayer);
        LabelPatch patch;
        std::size_t erased = 0;
        for (int z = 0; z < labels.dims()[2]; ++z)
            for (int y = 0; y < labels.dims()[1]; ++y)
                for (int x = 0; x < labels.dims()[0]; ++x)
                    if (z % 4 == 0 && labels.at(x, y, z) == algo::kRightLungLabel) {
                        patch.assign(labels, x, y, z, 0);
                        ++erased;
                    }
        QVERIFY(erased > 0);
        patch.finish(labels.dims());
        restored.commitLabelEdit(restoredLayer, std::move(patch), QStringLiteral("Eraser"));
        const double voxelMl = labels.geometry().spacing.prod() / 1000.0;
        QTRY_VERIFY_WITH_TIMEOUT(std::abs(adopter.rightVolumeMl() - (right - double(erased) * voxelMl)) < 1e-6, 60000);
        QCOMPARE(adopter.leftVolumeMl(), left);
        QVERIFY(adopter.task()->status().contains(QLatin1String("Edited")));

        // A controller made after the session put the layer back (as sessions create them).
        LungMeshController late(&restored);
        QTRY_VERIFY_WITH_TIMEOUT(late.hasResult(), 60000);
        QCOMPARE(late.leftVolumeMl(), left);
    }

    void appearance_writes_through_to_the_document()
    {
        Document document;
        document.setImage(test::syntheticChest());
        LungMeshController controller(&document);
        controller.setTargetTriangles(3000);
        QVERIFY(runAndWait(controller));
        const int left = document.findMesh(QStringLiteral("Left lung"));
        controller.setLeftOpacity(0.2);
        QCOMPARE(document.mesh(left)->opacity, 0.2f);
        controller.setLeftVisible(false);
        QVERIFY(!document.mesh(document.findMesh(QStringLiteral("Left lung")))->visible);
        controller.setRightColour(QColor(QStringLiteral("#4aa3df")));
        const auto mesh = document.mesh(document.findMesh(QStringLiteral("Right lung")));
        QCOMPARE(mesh->colour[2], float(QColor(QStringLiteral("#4aa3df")).blueF()));
        QCOMPARE(document.meshCount(), 2);
    }

    void masked_ct_swaps_the_displayed_voxels_and_back()
    {
        Document document;
        const Volume ct = test::syntheticChest();
        document.setImage(ct);
        LungMeshController controller(&document);
        controller.setTargetTriangles(3000);
        QVERIFY(runAndWait(controller));
        QSignalSpy imageSpy(&document, &Document::imageChanged);
        controller.setShowMaskedCt(true);
        QCOMPARE(document.derivedImageName(), QStringLiteral("Masked CT"));
        QCOMPARE(imageSpy.count(), 1);
        // Outside the lungs: -1024 HU; inside: the CT's value. Layers and meshes stay.
        QCOMPARE(document.image().valueAt(5, 5, 5), -1024.0);
        QCOMPARE(document.image().valueAt(80, 64, 30), -1024.0); // mediastinum
        QCOMPARE(document.image().valueAt(48, 64, 27), -850.0);
        QVERIFY(document.findLayer(QStringLiteral("Lungs")) >= 0);
        QCOMPARE(document.meshCount(), 2);
        QVERIFY(controller.hasResult()); // the swap is not a new study
        QCOMPARE(document.loadedImage().rawData(), ct.rawData());
        controller.setShowMaskedCt(false);
        QVERIFY(document.derivedImageName().isEmpty());
        QCOMPARE(document.image().valueAt(80, 64, 30), 40.0);
        QVERIFY(controller.hasResult());

        // A new image drops the result and the masked view.
        controller.setShowMaskedCt(true);
        document.setImage(test::syntheticChest());
        QVERIFY(!controller.hasResult());
        QVERIFY(!controller.showMaskedCt());
        QVERIFY(document.derivedImageName().isEmpty());
    }

    void exports_meshes_figures_and_labels()
    {
        Document document;
        document.setImage(test::syntheticChest());
        LungMeshController controller(&document);
        controller.setTargetTriangles(3000);
        QVERIFY(!controller.exportMeshes(QStringLiteral("/tmp/never.stl")));
        QVERIFY(controller.task()->error().contains(QLatin1String("run the lung mesh first")));
        QVERIFY(runAndWait(controller));
        QTemporaryDir dir;
        for (const char *name : {"lungs.stl", "lungs.obj", "lungs.ply"}) {
            const QString path = dir.filePath(QLatin1String(name));
            QVERIFY2(controller.exportMeshes(QUrl::fromLocalFile(path).toString()), qPrintable(controller.task()->error()));
            QVERIFY(QFileInfo(path).size() > 1000);
        }
        QFile stl(dir.filePath(QStringLiteral("lungs.stl")));
        QVERIFY(stl.open(QIODevice::ReadOnly));
        const QByteArray bytes = stl.readAll();
        quint32 count = 0;
        std::memcpy(&count, bytes.constData() + 80, 4);
        QCOMPARE(int(count), controller.triangleCount());
        QVERIFY(controller.exportFigures(dir.filePath(QStringLiteral("figures.csv"))));
        QFile csv(dir.filePath(QStringLiteral("figures.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines[0], QStringLiteral("source,structure,volume_ml,surface_mm2,surface_cm2,triangles"));
        QVERIFY(lines[1].startsWith(QLatin1String("\"synthetic-chest\",right_lung,")));
        QCOMPARE(lines[1].split(QLatin1Char(','))[2].toDouble(), std::round(controller.rightVolumeMl() * 100) / 100);
        QVERIFY(controller.exportLabels(dir.filePath(QStringLiteral("lungs.nii.gz"))));
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("lungs.nii.gz"))).size() > 100);
        QVERIFY(!controller.exportMeshes(dir.filePath(QStringLiteral("lungs.vtk"))));
        QVERIFY(controller.task()->error().contains(QLatin1String(".stl, .obj or .ply")));
    }

    void iso_surface_is_optional()
    {
        Document document;
        document.setImage(test::syntheticChest());
        LungMeshController controller(&document);
        controller.setTargetTriangles(3000);
        controller.setIsoSurface(true);
        controller.setIsoThresholdHu(-500.0); // the skin: body against outside air
        QVERIFY(runAndWait(controller));
        const int iso = document.findMesh(QStringLiteral("CT surface"));
        QVERIFY(iso >= 0);
        QVERIFY(document.mesh(iso)->triangleCount() > 1000);
        controller.setIsoVisible(false);
        QVERIFY(!document.mesh(iso)->visible);
    }

    void refuses_a_single_slice()
    {
        ImageGeometry g;
        g.dims = {128, 128, 1};
        Volume slice(VoxelType::Int16, g);
        slice.info().units = "HU";
        slice.info().modality = "CT";
        const QString message = refusalOf(slice);
        QVERIFY2(message.contains(QLatin1String("single slice")), qPrintable(message));
    }

    void refuses_an_mr_volume()
    {
        Volume mr = test::syntheticChest();
        mr.info().modality = "MR";
        mr.info().units.clear();
        const QString message = refusalOf(mr);
        QVERIFY2(message.contains(QLatin1String("MR image")), qPrintable(message));
    }

    void refuses_a_volume_not_in_hu()
    {
        // Unknown units and no value near air: a photograph or an unscaled image.
        ImageGeometry g;
        g.dims = {64, 64, 20};
        Volume raw(VoxelType::UInt16, g);
        std::fill(raw.data<std::uint16_t>(), raw.data<std::uint16_t>() + raw.voxelCount(), std::uint16_t(800));
        QString message = refusalOf(raw);
        QVERIFY2(message.contains(QLatin1String("Hounsfield")), qPrintable(message));
        // Known units other than HU.
        Volume other = test::syntheticChest();
        other.info().units = "Bq/mL";
        message = refusalOf(other);
        QVERIFY2(message.contains(QLatin1String("not Hounsfield units")), qPrintable(message));
    }

    void refuses_a_ct_without_lungs()
    {
        const QString message = refusalOf(test::syntheticChest(false));
        QVERIFY2(message.contains(QLatin1String("no air-filled lung region found")), qPrintable(message));
    }

    void cancel_leaves_the_document_as_it_was()
    {
        Document document;
        document.setImage(test::syntheticChest());
        LungMeshController controller(&document);
        QSignalSpy finished(controller.task(), &TaskRunner::finished);
        QSignalSpy canceled(controller.task(), &TaskRunner::canceled);
        QVERIFY(controller.run());
        QVERIFY(controller.task()->busy());
        controller.task()->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + canceled.count() == 1, 30000);
        // The task may have finished before the cancel arrived; then the result is whole.
        if (!canceled.isEmpty()) {
            QCOMPARE(document.layerCount(), 0);
            QCOMPARE(document.meshCount(), 0);
            QVERIFY(!controller.hasResult());
            QVERIFY(controller.task()->status().contains(QLatin1String("Canceled")));
        }
        QVERIFY(!controller.task()->busy());
    }

    void no_image_is_a_clear_error()
    {
        Document document;
        LungMeshController controller(&document);
        QVERIFY(!controller.run());
        QVERIFY(controller.task()->error().contains(QLatin1String("Open a chest CT")));
    }

    void a_newer_run_supersedes_the_running_one()
    {
        Document document;
        document.setImage(test::syntheticChest());
        LungMeshController controller(&document);
        controller.setTargetTriangles(3000);
        QSignalSpy finished(controller.task(), &TaskRunner::finished);
        QSignalSpy canceled(controller.task(), &TaskRunner::canceled);
        QSignalSpy result(&controller, &LungMeshController::resultChanged);
        QVERIFY(controller.run()); // without the CT surface
        QVERIFY(controller.task()->busy());
        // The newer run asks for the CT surface too: only its result may land.
        controller.setIsoSurface(true);
        controller.setIsoThresholdHu(-500.0);
        QVERIFY(controller.run());
        QVERIFY(controller.task()->error().isEmpty());
        QVERIFY(controller.task()->busy());
        QCOMPARE(controller.task()->generation(), quint64(2));
        QVERIFY(finished.wait(60000));
        drainTasks(); // the superseded task has ended too, and its result was dropped unseen
        QCOMPARE(finished.count(), 1);
        QVERIFY(finished.first().first().toBool());
        QCOMPARE(canceled.count(), 0);
        QCOMPARE(result.count(), 1);
        QVERIFY(controller.hasResult());
        QVERIFY(controller.result()->isoSurface.has_value());
        QVERIFY(document.findMesh(QStringLiteral("CT surface")) >= 0);
        QCOMPARE(document.meshCount(), 3);
        QCOMPARE(document.layerCount(), 1);
        QVERIFY(!controller.task()->busy());
    }

    void toggling_the_masked_ct_keeps_the_result_and_the_lungs()
    {
        Document document;
        document.setImage(test::syntheticChest());
        LungMeshController controller(&document);
        controller.setTargetTriangles(3000);
        QVERIFY(runAndWait(controller));
        const double right = controller.rightVolumeMl();
        const QString status = controller.task()->status();
        const auto labels = document.layer(document.findLayer(QStringLiteral("Lungs"))).labels;
        QSignalSpy result(&controller, &LungMeshController::resultChanged);
        QSignalSpy study(&document, &Document::studyChanged);
        const quint64 studyId = document.studyId();
        for (int i = 0; i < 2; ++i) {
            controller.setShowMaskedCt(true);
            QVERIFY(controller.showMaskedCt());
            QCOMPARE(document.derivedImageName(), QStringLiteral("Masked CT"));
            controller.setShowMaskedCt(false);
            QVERIFY(!controller.showMaskedCt());
            QVERIFY(document.derivedImageName().isEmpty());
        }
        QCOMPARE(study.count(), 0);
        QCOMPARE(document.studyId(), studyId);
        QCOMPARE(result.count(), 0);
        QVERIFY(controller.hasResult());
        QCOMPARE(controller.rightVolumeMl(), right);
        QCOMPARE(controller.task()->status(), status);
        QVERIFY(controller.task()->error().isEmpty());
        QCOMPARE(document.layerCount(), 1);
        QVERIFY(document.layer(document.findLayer(QStringLiteral("Lungs"))).labels == labels);
        QVERIFY(document.findMesh(QStringLiteral("Right lung")) >= 0);
        QVERIFY(document.findMesh(QStringLiteral("Left lung")) >= 0);
        // A run while the masked CT is on works on the loaded CT and keeps the masked view.
        controller.setShowMaskedCt(true);
        QVERIFY(runAndWait(controller));
        QCOMPARE(controller.rightVolumeMl(), right);
        QVERIFY(controller.showMaskedCt());
        QCOMPARE(document.derivedImageName(), QStringLiteral("Masked CT"));
    }

    void masked_ct_without_a_result_stays_off_quietly()
    {
        // A session restores writable properties before anything is computed.
        Document document;
        document.setImage(test::syntheticChest());
        LungMeshController controller(&document);
        QSignalSpy changed(&controller, &LungMeshController::showMaskedCtChanged);
        QSignalSpy image(&document, &Document::imageChanged);
        QVERIFY(controller.setProperty("showMaskedCt", true));
        QVERIFY(!controller.showMaskedCt());
        QVERIFY(controller.task()->error().isEmpty());
        QCOMPARE(changed.count(), 0);
        QCOMPARE(image.count(), 0);
        QVERIFY(document.derivedImageName().isEmpty());
    }

    void a_new_study_clears_the_result_and_drops_a_running_task()
    {
        Document document;
        document.setImage(test::syntheticChest());
        LungMeshController controller(&document);
        controller.setTargetTriangles(3000);
        QVERIFY(runAndWait(controller));
        controller.setShowMaskedCt(true);
        QSignalSpy finished(controller.task(), &TaskRunner::finished);
        QSignalSpy canceled(controller.task(), &TaskRunner::canceled);
        QSignalSpy result(&controller, &LungMeshController::resultChanged);
        QVERIFY(controller.run());
        QVERIFY(controller.task()->busy());

        document.setImage(test::syntheticChest());
        QVERIFY(!controller.task()->busy());
        QVERIFY(!controller.hasResult());
        QCOMPARE(result.count(), 1);
        QVERIFY(!controller.showMaskedCt());
        QVERIFY(controller.task()->status().isEmpty());
        QVERIFY(controller.task()->error().isEmpty());
        QVERIFY(document.derivedImageName().isEmpty());
        drainTasks();
        // The old study's task never lands in the new one.
        QCOMPARE(finished.count(), 0);
        QCOMPARE(canceled.count(), 0);
        QCOMPARE(result.count(), 1);
        QVERIFY(!controller.hasResult());
        QCOMPARE(document.layerCount(), 0);
        QCOMPARE(document.meshCount(), 0);
        // The new study runs as usual.
        QVERIFY(runAndWait(controller));
        QVERIFY(controller.hasResult());
        QCOMPARE(document.layerCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestLungMeshController)
#include "test_lungmesh_controller.moc"
