// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// SessionController in process: save/open round trips of layers, view and plugin parameters;
// a moved, changed or anonymised image; failed saves that keep the work; label import/export.
#include "AppController.h"
#include "ReadOnlyFolder.h"
#include "SessionTestEdits.h"

#include <carina/PluginHost.h>
#include <carina/io/LabelNifti.h>
#include <carina/io/Nifti.h>
#include <carina/io/Session.h>
#include <carina/io/VolumeReader.h>

#include <QColor>
#include <QDir>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>


using namespace carina;

namespace {

bool openImage(AppController &app, const QString &path)
{
    QSignalSpy loaded(&app, &AppController::loaded);
    app.openPath(path);
    return loaded.wait(30000);
}

bool waitFor(QObject *object, const char *signal)
{
    QSignalSpy spy(object, signal);
    QSignalSpy failed(object, SIGNAL(failed(QString)));
    for (int i = 0; i < 300 && spy.isEmpty() && failed.isEmpty(); ++i)
        spy.wait(100);
    return !spy.isEmpty();
}

} // namespace

class TestSessionController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PluginHost m_host;
    QString m_image;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The user's folders are never touched: data and settings go to the temporary folder.
        qputenv("XDG_DATA_HOME", m_dir.filePath("data").toUtf8());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath("config").toUtf8());
        m_host.discover({QStringLiteral(CARINA_PLUGIN_OUTPUT_DIR)});
        m_image = m_dir.filePath("image.nii.gz");
        io::writeNifti(testing::sessionTestImage(), m_image.toStdString());
    }

    void save_and_open_round_trip()
    {
        const QString file = m_dir.filePath("work.carina");
        {
            AppController app(&m_host);
            QVERIFY(openImage(app, m_image));
            Document *doc = app.document();
            const int layer = doc->addEmptyLayer("Lungs");
            testing::paintStrokes(*doc, layer, 5);
            doc->layerLabels(layer).table().set({2, "Right lung", {1, 2, 3}, true});
            doc->setLayerOpacity(layer, 0.3);
            doc->addEmptyLayer("Hidden");
            doc->setLayerVisible(1, false);
            doc->setWindow(-600, 1500);
            doc->setCursorIndex(QVector3D(10, 12, 3));
            QObject *intensity = app.controllerFor("intensity");
            if (intensity)
                QVERIFY(intensity->setProperty("bins", 77));
            QVERIFY(app.session()->dirty());
            app.session()->saveSession(file);
            QVERIFY2(waitFor(app.session(), SIGNAL(saved(QString))), qPrintable(app.session()->lastError()));
            QVERIFY(!app.session()->dirty());
            QCOMPARE(app.session()->sessionPath(), file);
        }
        AppController app(&m_host);
        app.session()->openSession(QUrl::fromLocalFile(file));
        QVERIFY2(waitFor(app.session(), SIGNAL(opened())), qPrintable(app.session()->lastError()));
        Document *doc = app.document();
        QCOMPARE(doc->layerCount(), 2);
        QCOMPARE(doc->layerName(0), QString("Lungs"));
        QCOMPARE(doc->layerOpacity(0), 0.3);
        QVERIFY(!doc->layerVisible(1));
        QCOMPARE(doc->layer(0).labels->table().find(2)->name, std::string("Right lung"));
        const LabelVolume expected = testing::expectedStrokes(doc->image().geometry(), 5);
        QVERIFY(std::equal(expected.data(), expected.data() + expected.voxelCount(), doc->layer(0).labels->data()));
        QCOMPARE(doc->windowCenter(), -600.0);
        QCOMPARE(doc->windowWidth(), 1500.0);
        QCOMPARE(doc->cursorIndex(), QVector3D(10, 12, 3));
        if (m_host.find("intensity") && m_host.find("intensity")->loaded)
            QCOMPARE(app.controllers().value("intensity")->property("bins").toInt(), 77);
        else
            qWarning("intensity plugin not built: plugin parameters not checked");
    }

    void moved_changed_and_anonymised_images()
    {
        const QString moved = m_dir.filePath("moved/image.nii.gz");
        QDir().mkpath(m_dir.filePath("moved"));
        QVERIFY(QFile::copy(m_image, m_dir.filePath("copy.nii.gz")));
        const QString file = m_dir.filePath("anon.carina");
        {
            AppController app(&m_host);
            QVERIFY(openImage(app, m_dir.filePath("copy.nii.gz")));
            app.document()->addEmptyLayer("L");
            testing::paintStrokes(*app.document(), 0, 3);
            QVERIFY(!app.session()->identity().isEmpty());
            QVERIFY(app.session()->identity().join(" ").contains("copy.nii.gz"));
            app.session()->saveSession(m_dir.filePath("named.carina"));
            QVERIFY(waitFor(app.session(), SIGNAL(saved(QString))));
            app.session()->saveSession(file, true);
            QVERIFY(waitFor(app.session(), SIGNAL(saved(QString))));
        }
        QFile anon(file);
        QVERIFY(anon.open(QIODevice::ReadOnly));
        QVERIFY(!anon.readAll().contains("copy.nii.gz"));

        // Moved: the user is asked for the image, and the fingerprint accepts the same data.
        QVERIFY(QFile::rename(m_dir.filePath("copy.nii.gz"), moved));
        for (const QString &session : {m_dir.filePath("named.carina"), file}) {
            AppController app(&m_host);
            QSignalSpy needs(app.session(), &SessionController::needsImageChanged);
            app.session()->openSession(session);
            QVERIFY(needs.wait(30000));
            QVERIFY(app.session()->needsImage());
            QVERIFY2(app.session()->lastMessage().contains("Choose the image"), qPrintable(app.session()->lastMessage()));
            app.session()->chooseImage(moved);
            QVERIFY2(waitFor(app.session(), SIGNAL(opened())), qPrintable(app.session()->lastError()));
            QCOMPARE(app.document()->layerCount(), 1);
        }

        // Changed: other voxels under the same name are refused, and the document stays as it was.
        Volume other = testing::sessionTestImage();
        other.data<std::int16_t>()[5] += 1;
        io::writeNifti(other, moved.toStdString());
        AppController app(&m_host);
        app.session()->openSession(m_dir.filePath("named.carina"));
        QVERIFY(waitFor(app.session(), SIGNAL(needsImageChanged())));
        app.session()->chooseImage(moved);
        QVERIFY(!waitFor(app.session(), SIGNAL(opened())));
        QVERIFY2(app.session()->lastError().contains("not the image the session was made on"), qPrintable(app.session()->lastError()));
        QVERIFY(!app.document()->hasImage());
    }

    void failed_save_says_so_and_keeps_the_work()
    {
        AppController app(&m_host);
        QVERIFY(openImage(app, m_image));
        app.document()->addEmptyLayer("L");
        testing::paintStrokes(*app.document(), 0, 4);
        const QString folder = m_dir.filePath("readonly");
        QDir().mkpath(folder);
        carina::testing::ReadOnlyFolder readOnly(folder);
        if (!readOnly.ok())
            QSKIP("cannot make a folder read-only here (chattr missing?)");
        for (int what = 0; what < 2; ++what) {
            QSignalSpy failed(app.session(), &SessionController::failed);
            if (what == 0)
                app.session()->saveSession(folder + "/work.carina");
            else
                app.session()->exportLabels(0, folder + "/labels.nii.gz");
            QVERIFY(failed.wait(30000));
            QVERIFY2(app.session()->lastError().contains("cannot write"), qPrintable(app.session()->lastError()));
        }
        QVERIFY(app.session()->dirty());
        QCOMPARE(app.document()->layerCount(), 1);
        const LabelVolume expected = testing::expectedStrokes(app.document()->image().geometry(), 4);
        QVERIFY(std::equal(expected.data(), expected.data() + expected.voxelCount(), app.document()->layer(0).labels->data()));
        readOnly.restore();
        QCOMPARE(QDir(folder).entryList(QDir::Files | QDir::Hidden).size(), 0);
    }

    void labels_export_import_and_grid_mismatch()
    {
        AppController app(&m_host);
        QVERIFY(openImage(app, m_image));
        app.document()->addEmptyLayer("Painted");
        testing::paintStrokes(*app.document(), 0, 6);
        const QString out = m_dir.filePath("painted");
        app.session()->exportLabels(0, out);
        QVERIFY(QSignalSpy(app.session(), &SessionController::busyChanged).wait(30000));
        QVERIFY2(app.session()->lastError().isEmpty(), qPrintable(app.session()->lastError()));
        QVERIFY(QFileInfo::exists(out + ".nii.gz"));
        app.session()->importLabels(out + ".nii.gz");
        QVERIFY(QSignalSpy(app.session(), &SessionController::busyChanged).wait(30000));
        QCOMPARE(app.document()->layerCount(), 2);
        QCOMPARE(app.document()->layerName(1), QString("painted"));
        QVERIFY(std::equal(app.document()->layer(0).labels->data(),
                           app.document()->layer(0).labels->data() + app.document()->layer(0).labels->voxelCount(),
                           app.document()->layer(1).labels->data()));

        ImageGeometry g = testing::sessionTestImage().geometry();
        g.dims[2] = 13;
        io::exportLabelNifti(LabelVolume(g), m_dir.filePath("other.nii.gz").toStdString());
        QSignalSpy failed(app.session(), &SessionController::failed);
        app.session()->importLabels(m_dir.filePath("other.nii.gz"));
        QVERIFY(failed.wait(30000));
        QVERIFY2(app.session()->lastError().contains("48 x 40 x 13") && app.session()->lastError().contains("48 x 40 x 12"),
                 qPrintable(app.session()->lastError()));
        QCOMPARE(app.document()->layerCount(), 2);
    }

    // Sessions store what each plugin declares as its settings, colours included, and nothing
    // else: GGO's drawing mode (it captures the drawing tools) is not restored.
    void declared_plugin_settings_round_trip()
    {
        if (!m_host.find("ggo") || !m_host.find("ggo")->loaded || !m_host.find("lungmesh") || !m_host.find("lungmesh")->loaded)
            QSKIP("the ggo and lungmesh plugins are not built");
        const QString file = m_dir.filePath("settings.carina");
        {
            AppController app(&m_host);
            QVERIFY(openImage(app, m_image));
            QObject *ggo = app.controllerFor("ggo");
            QObject *lungs = app.controllerFor("lungmesh");
            QVERIFY(ggo && lungs);
            QVERIFY(ggo->setProperty("lowHu", -650.0));
            QVERIFY(ggo->setProperty("drawing", true));
            QVERIFY(lungs->setProperty("rightColour", QColor(0x12, 0x34, 0x56)));
            app.session()->saveSession(file);
            QVERIFY2(waitFor(app.session(), SIGNAL(saved(QString))), qPrintable(app.session()->lastError()));
            ggo->setProperty("drawing", false);
        }
        const io::Session saved = io::readSession(file.toStdString());
        QVERIFY(saved.plugins.value("ggo").toObject().contains("lowHu"));
        QVERIFY(!saved.plugins.value("ggo").toObject().contains("drawing"));
        AppController app(&m_host);
        app.session()->openSession(QUrl::fromLocalFile(file));
        QVERIFY2(waitFor(app.session(), SIGNAL(opened())), qPrintable(app.session()->lastError()));
        QCOMPARE(app.controllerFor("ggo")->property("lowHu").toDouble(), -650.0);
        QCOMPARE(app.controllerFor("ggo")->property("drawing").toBool(), false);
        QCOMPARE(app.controllerFor("lungmesh")->property("rightColour").value<QColor>(), QColor(0x12, 0x34, 0x56));
        QVERIFY(app.document()->shapeConsumer().isEmpty());
    }

    // GGO's region is its "GGO region" layer: saved with the session, and the region again
    // (outline, slices, histogram, shown as an outline) when it is reopened, with its depth.
    void the_ggo_region_comes_back_with_the_session()
    {
        if (!m_host.find("ggo") || !m_host.find("ggo")->loaded)
            QSKIP("the ggo plugin is not built");
        const QString file = m_dir.filePath("ggoregion.carina");
        int first = 0, last = 0;
        {
            AppController app(&m_host);
            QVERIFY(openImage(app, m_image));
            QObject *ggo = app.controllerFor("ggo");
            QVERIFY(ggo);
            QVERIFY(ggo->setProperty("halfDepthMm", 7.0));
            bool made = false;
            QVERIFY(QMetaObject::invokeMethod(ggo, "regionAroundCursor", Q_RETURN_ARG(bool, made), Q_ARG(double, 10.0)));
            QVERIFY(made);
            first = ggo->property("firstSlice").toInt();
            last = ggo->property("lastSlice").toInt();
            QVERIFY(app.document()->findLayer("GGO region") >= 0);
            app.session()->saveSession(file);
            QVERIFY2(waitFor(app.session(), SIGNAL(saved(QString))), qPrintable(app.session()->lastError()));
        }
        AppController app(&m_host);
        app.session()->openSession(QUrl::fromLocalFile(file));
        QVERIFY2(waitFor(app.session(), SIGNAL(opened())), qPrintable(app.session()->lastError()));
        QObject *ggo = app.controllerFor("ggo");
        QCOMPARE(ggo->property("halfDepthMm").toDouble(), 7.0);
        QVERIFY(ggo->property("hasRegion").toBool());
        QCOMPARE(ggo->property("firstSlice").toInt(), first);
        QCOMPARE(ggo->property("lastSlice").toInt(), last);
        QTRY_VERIFY(!ggo->property("histogram").toList().isEmpty());
        const int layer = app.document()->findLayer("GGO region");
        QVERIFY(layer >= 0);
        QVERIFY(app.document()->layerOutline(layer));
        QCOMPARE(app.document()->layerCount(), 1);
        QVERIFY(!app.session()->dirty()); // taking the region back is no edit
    }

    // A plugin's derived image on display (lungmesh's masked CT) is not the study: the session
    // refers to the loaded image, and showing or hiding it forgets no edit.
    void a_session_saved_while_a_derived_image_is_shown_reopens()
    {
        const QString file = m_dir.filePath("derived.carina");
        {
            AppController app(&m_host);
            QVERIFY(openImage(app, m_image));
            Document *doc = app.document();
            const int layer = doc->addEmptyLayer("Lungs");
            testing::paintStrokes(*doc, layer, 4);
            doc->showDerivedImage(Volume(doc->loadedImage().type(), doc->loadedImage().geometry()), "Masked CT");
            app.session()->saveSession(file);
            QVERIFY2(waitFor(app.session(), SIGNAL(saved(QString))), qPrintable(app.session()->lastError()));
        }
        AppController app(&m_host);
        app.session()->openSession(QUrl::fromLocalFile(file));
        QVERIFY2(waitFor(app.session(), SIGNAL(opened())), qPrintable(app.session()->lastError()));
        QVERIFY(!app.session()->needsImage());
        Document *doc = app.document();
        QCOMPARE(doc->layerCount(), 1);
        const LabelVolume expected = testing::expectedStrokes(doc->image().geometry(), 4);
        QVERIFY(std::equal(expected.data(), expected.data() + expected.voxelCount(), doc->layer(0).labels->data()));
        // The loaded voxels came back, not the derived ones (all zero).
        const Volume original = io::readVolume(m_image.toStdString()).volume;
        QCOMPARE(doc->image().valueRange(), original.valueRange());
    }

    void showing_a_derived_image_keeps_unsaved_edits()
    {
        AppController app(&m_host);
        app.session()->setAutosaveDelay(3600 * 1000); // only the explicit autosaveNow() below
        QVERIFY(openImage(app, m_image));
        Document *doc = app.document();
        const quint64 study = doc->studyId();
        doc->addEmptyLayer("L");
        testing::paintStrokes(*doc, 0, 3);
        QVERIFY(app.session()->dirty());
        doc->showDerivedImage(Volume(doc->loadedImage().type(), doc->loadedImage().geometry()), "Masked CT");
        doc->showLoadedImage();
        QCOMPARE(doc->studyId(), study);
        QVERIFY(app.session()->dirty());
        QSignalSpy autosaved(app.session(), &SessionController::autosaved);
        app.session()->autosaveNow();
        QVERIFY(autosaved.wait(30000));
        const io::Session saved = io::readSession(app.session()->autosavePath().toStdString());
        QCOMPARE(saved.layers.size(), std::size_t(1));
        QVERIFY(std::equal(saved.layers[0].labels->data(), saved.layers[0].labels->data() + saved.layers[0].labels->voxelCount(),
                           doc->layer(0).labels->data()));
        app.session()->closeCleanly();
        QFile::remove(app.session()->autosavePath());
    }

    void autosave_follows_edits_explicit_save_removes_it_close_keeps_unsaved()
    {
        AppController app(&m_host);
        app.session()->setAutosaveDelay(200);
        QVERIFY(openImage(app, m_image));
        app.document()->addEmptyLayer("L");
        QSignalSpy autosaved(app.session(), &SessionController::autosaved);
        testing::paintStrokes(*app.document(), 0, 3);
        QVERIFY(autosaved.wait(30000));
        const QString path = app.session()->autosavePath();
        QVERIFY(path.startsWith(SessionController::autosaveFolder()));
        QVERIFY(QFileInfo::exists(path));
        const io::Session saved = io::readSession(path.toStdString());
        QVERIFY(std::equal(saved.layers[0].labels->data(), saved.layers[0].labels->data() + saved.layers[0].labels->voxelCount(),
                           app.document()->layer(0).labels->data()));
        app.session()->saveSession(m_dir.filePath("explicit.carina"));
        QVERIFY(waitFor(app.session(), SIGNAL(saved(QString))));
        QVERIFY(!QFileInfo::exists(path));
        // A close after new, unsaved edits keeps them in the autosave for the next start...
        testing::paintStrokes(*app.document(), 0, 2);
        QVERIFY(autosaved.wait(30000));
        const QString second = app.session()->autosavePath();
        QVERIFY(QFileInfo::exists(second));
        app.session()->closeCleanly();
        QVERIFY(QFileInfo::exists(second));
        QVERIFY(QFile::remove(second));
        // ...and a close with everything saved leaves nothing behind.
        app.session()->saveSession(m_dir.filePath("explicit.carina"));
        QVERIFY(waitFor(app.session(), SIGNAL(saved(QString))));
        app.session()->closeCleanly();
        QVERIFY(QDir(SessionController::autosaveFolder()).entryList({"*.carina"}, QDir::Files).isEmpty());
    }
};

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("carina-test"));
    QCoreApplication::setApplicationName(QStringLiteral("session-controller"));
    TestSessionController test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_session_controller.moc"
