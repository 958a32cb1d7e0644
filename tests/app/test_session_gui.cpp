// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The session UI as a user meets it: the restore card after a crash (Restore by touch brings the
// labels back), the Session menu and the save dialog that says what could identify the patient.
// Screenshots: build-*/gui_session-restore.png, build-*/gui_session-save.png.
#include "AppController.h"
#include "GuiMain.h"
#include "QuickItemSearch.h"
#include "SessionTestEdits.h"

#include <carina/io/Nifti.h>
#include <carina/io/Session.h>

#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>

using namespace carina;
using carina::test::findItem;

namespace {

void tap(QQuickWindow *window, QQuickItem *item)
{
    static QPointingDevice *finger = QTest::createTouchDevice();
    const QPoint centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint();
    QTest::touchEvent(window, finger).press(0, centre, window);
    QTest::touchEvent(window, finger).release(0, centre, window);
}

} // namespace

class TestSessionGui : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        configureShellStyle();
    }

    void restore_card_then_save_dialog()
    {
        // A run that crashed left an autosave (no live lock) of work on this image.
        const QString image = m_dir.filePath("DOE_JANE/chest.nii.gz");
        QDir().mkpath(m_dir.filePath("DOE_JANE"));
        const Volume volume = testing::sessionTestImage();
        io::writeNifti(volume, image.toStdString());
        io::Session crashed;
        crashed.image.path = QFile::encodeName(image).toStdString();
        crashed.image.fingerprint = io::imageFingerprint(io::readNifti(crashed.image.path).volume);
        crashed.image.geometry = volume.geometry();
        auto labels = std::make_shared<LabelVolume>(testing::expectedStrokes(volume.geometry(), 6));
        crashed.layers.push_back({"Before the crash", 0.5, true, labels});
        QDir().mkpath(SessionController::autosaveFolder());
        io::writeSession(crashed, (SessionController::autosaveFolder() + "/autosave-20260101-000000-1.carina").toStdString());

        AppController controller;
        QQmlApplicationEngine engine;
        QQuickWindow *window = loadShell(engine, controller);
        QVERIFY(window);
        window->resize(1280, 800);
        QVERIFY(QTest::qWaitForWindowExposed(window));

        QQuickItem *card = findItem(window->contentItem(), "restoreCard");
        QVERIFY(card);
        QTRY_VERIFY(card->isVisible());
        QTest::qWait(300);
        QVERIFY(window->grabWindow().save(CARINA_BINARY_DIR "/gui_session-restore.png"));
        tap(window, findItem(card, "restoreButton"));
        QTRY_VERIFY_WITH_TIMEOUT(controller.document()->layerCount() == 1, 30000);
        QTRY_VERIFY(!card->isVisible());
        QCOMPARE(controller.document()->layerName(0), QString("Before the crash"));
        QVERIFY(std::equal(labels->data(), labels->data() + labels->voxelCount(), controller.document()->layer(0).labels->data()));
        // Adopted, not deleted: a second crash now would still find it.
        QCOMPARE(QDir(SessionController::autosaveFolder()).entryList({"*.carina"}).size(), 1);

        // Session menu -> Save session...: the dialog lists the folder name that identifies.
        tap(window, findItem(window->contentItem(), "sessionButton"));
        QQuickItem *saveItem = nullptr;
        QTRY_VERIFY((saveItem = findItem(window->contentItem(), "saveSessionItem")) && saveItem->isVisible());
        QObject *menu = engine.rootObjects().value(0)->findChild<QObject *>("sessionMenu");
        QVERIFY(menu);
        QTRY_VERIFY(menu->property("opened").toBool()); // after its enter transition
        QVERIFY(window->grabWindow().save(CARINA_BINARY_DIR "/gui_session-menu.png"));
        tap(window, saveItem);
        QObject *dialog = engine.rootObjects().value(0)->findChild<QObject *>("saveSessionOptions");
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->property("opened").toBool());
        QQuickItem *anonymise = findItem(window->contentItem(), "anonymiseCheck");
        QVERIFY(anonymise && anonymise->isVisible());
        QVERIFY(controller.session()->identity().join(" ").contains("DOE_JANE"));
        QTest::qWait(300);
        QVERIFY(window->grabWindow().save(CARINA_BINARY_DIR "/gui_session-save.png"));
        QMetaObject::invokeMethod(dialog, "reject");

        // Closing the window with that unsaved work asks first; Cancel keeps the window open,
        // "Close without saving" closes it.
        QVERIFY(controller.session()->unsaved());
        QQuickWindow *root = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
        QObject *ask = root->findChild<QObject *>("unsavedDialog");
        QVERIFY(ask);
        root->close();
        QTRY_VERIFY(ask->property("opened").toBool());
        QVERIFY(root->isVisible());
        QVERIFY(window->grabWindow().save(CARINA_BINARY_DIR "/gui_session-close.png"));
        QMetaObject::invokeMethod(ask, "reject");
        QTRY_VERIFY(!ask->property("visible").toBool());
        QVERIFY(root->isVisible());
        root->close();
        QTRY_VERIFY(ask->property("opened").toBool());
        QQuickItem *closeAnyway = findItem(window->contentItem(), "closeWithoutSavingButton");
        QVERIFY(closeAnyway);
        tap(window, closeAnyway);
        QTRY_VERIFY(!root->isVisible());

        // The restored work was never saved: closing keeps it for the next start.
        controller.session()->closeCleanly();
        QCOMPARE(QDir(SessionController::autosaveFolder()).entryList({"*.carina"}).size(), 1);
    }
};

int main(int argc, char **argv)
{
    // The user's folders are never touched.
    QTemporaryDir home;
    qputenv("XDG_DATA_HOME", (home.path() + "/data").toUtf8());
    qputenv("XDG_CONFIG_HOME", (home.path() + "/config").toUtf8());
    QGuiApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("carina-test"));
    QCoreApplication::setApplicationName(QStringLiteral("session-gui"));
    TestSessionGui test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_session_gui.moc"
