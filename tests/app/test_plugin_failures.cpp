// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Failure isolation (issue 8.4): a plugin that throws in createController(), in a Q_INVOKABLE
// its panel calls, in its background task and in its headless command must not take the app
// down. The shell runs as the app runs it (ShellApplication, Main.qml, the real plugin host),
// the buttons of the failing plugin's panel are clicked like a user would; after each failure
// the error names the plugin, the document is unchanged and the other plugins still work.
// Issue 18.5: a plugin that throws in its constructor is listed with the reason; one that kills
// the process while loading is skipped at the next start, named, and can be tried again.
#include "QuickItemSearch.h"
#include "AppController.h"
#include "GuiMain.h"

#include <carina/Document.h>
#include <carina/PluginHost.h>

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QTemporaryDir>

#include <sys/wait.h>
#include <unistd.h>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>

using namespace carina;
using carina::test::findItem;

namespace {

// What the user's document is: the image's voxels, its window and its layers.
QByteArray documentFingerprint(const Document &document)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    const Volume &image = document.image();
    hash.addData(QByteArrayView(static_cast<const char *>(image.rawData()), qsizetype(image.byteSize())));
    hash.addData(QByteArray::number(document.windowCenter()) + ' ' + QByteArray::number(document.windowWidth()));
    hash.addData(QByteArray::number(document.layerCount()));
    return hash.result().toHex();
}

void click(QQuickWindow *window, QQuickItem *item)
{
    QVERIFY(item);
    QTRY_VERIFY(item->isVisible() && item->isEnabled());
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
}

} // namespace

class TestPluginFailures : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("CarinaTests"));
        configureShellStyle();
    }

    void a_throwing_plugin_is_reported_and_the_app_goes_on()
    {
        const QString sample = findBundledSample();
        if (sample.isEmpty())
            QSKIP("the bundled sample (data/sample/lungpetctdx-a0002) is missing");

        PluginHost host;
        host.discover({QStringLiteral(CARINA_FIXTURE_FAILING_DIR), QStringLiteral(CARINA_PLUGIN_OUTPUT_DIR)});
        QVERIFY(host.find(QStringLiteral("fixture_failing")));
        QVERIFY(host.find(QStringLiteral("fixture_failing_create")));
        QVERIFY(host.find(QStringLiteral("intensity")));
        AppController controller(&host);
        static_cast<ShellApplication *>(QCoreApplication::instance())->setController(&controller);
        QSignalSpy failures(&controller, &AppController::pluginFailed);
        QQmlApplicationEngine engine;
        QQuickWindow *window = loadShell(engine, controller);
        QVERIFY(window);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        controller.openPath(sample);
        QTRY_VERIFY_WITH_TIMEOUT(!controller.busy(), 120000);
        QVERIFY(controller.document()->hasImage());
        const QByteArray before = documentFingerprint(*controller.document());
        QQuickItem *banner = findItem(window->contentItem(), QStringLiteral("pluginErrorBanner"));
        QVERIFY(banner);
        QVERIFY(!banner->isVisible());

        auto expectFailure = [&](const QString &plugin, const QString &what) {
            QTRY_VERIFY_WITH_TIMEOUT(!failures.isEmpty(), 20000);
            const QList<QVariant> failure = failures.takeFirst();
            QCOMPARE(failure.at(0).toString(), plugin);
            QVERIFY2(failure.at(1).toString().contains(what), qPrintable(failure.at(1).toString()));
            QTRY_VERIFY(banner->isVisible());
            QVERIFY2(banner->property("title").toString().contains(plugin), qPrintable(banner->property("title").toString()));
            QVERIFY(banner->property("message").toString().contains(what));
            QCOMPARE(documentFingerprint(*controller.document()), before);
            QMetaObject::invokeMethod(banner, "dismissed");
            QTRY_VERIFY(!banner->isVisible());
        };

        // 1. createController() throws: opening the tool reports it; no panel opens.
        QVERIFY(QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, QStringLiteral("fixture_failing_create")),
                                          Q_ARG(QVariant, QStringLiteral("Fixture failing create"))));
        expectFailure(QStringLiteral("Fixture failing create"), QStringLiteral("deliberate failure in createController"));
        QCOMPARE(window->property("activePluginId").toString(), QString());

        // 2. The failing plugin's panel: an invokable throws when its button is clicked.
        QVERIFY(QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, QStringLiteral("fixture_failing")),
                                          Q_ARG(QVariant, QStringLiteral("Fixture failing"))));
        QQuickItem *loader = findItem(window->contentItem(), QStringLiteral("pluginPanelLoader"));
        QVERIFY(loader);
        QQuickItem *panel = nullptr;
        QTRY_VERIFY((panel = loader->property("item").value<QQuickItem *>()) != nullptr);
        QTest::qWait(500); // the drawer slides in
        QObject *failing = controller.controllerFor(QStringLiteral("fixture_failing"));
        QVERIFY(failing);
        for (int round = 0; round < 3; ++round) {
            click(window, findItem(panel, QStringLiteral("throwButton")));
            expectFailure(QStringLiteral("Fixture failing"), QStringLiteral("deliberate failure in an invokable"));
        }

        // 3. Its background task throws, and its slot rethrows while reading the result.
        click(window, findItem(panel, QStringLiteral("taskButton")));
        QTRY_VERIFY(failing->property("taskFinished").toBool());
        expectFailure(QStringLiteral("Fixture failing"), QStringLiteral("deliberate failure in a background task"));

        // The panel and the QML engine still work after all that...
        const int pokes = failing->property("pokes").toInt();
        click(window, findItem(panel, QStringLiteral("pokeButton")));
        QTRY_COMPARE(failing->property("pokes").toInt(), pokes + 1);
        QTRY_COMPARE(findItem(panel, QStringLiteral("pokeButton"))->property("text").toString(),
                     QStringLiteral("Poke %1").arg(pokes + 1));

        // ...and so does another plugin, on the unchanged document.
        QVERIFY(QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, QStringLiteral("intensity")),
                                          Q_ARG(QVariant, QStringLiteral("Intensity"))));
        QObject *intensity = controller.controllerFor(QStringLiteral("intensity"));
        QVERIFY(intensity);
        QTRY_VERIFY_WITH_TIMEOUT(intensity->property("hasHistogram").toBool(), 30000);
        QVERIFY(intensity->property("voxelCount").toDouble() > 0);
        QCOMPARE(documentFingerprint(*controller.document()), before);
        QVERIFY(failures.isEmpty());
        static_cast<ShellApplication *>(QCoreApplication::instance())->setController(nullptr);
    }

    void a_plugin_that_crashes_loading_is_skipped_at_the_next_start()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        auto run = [&](const QStringList &extra, QProcess &carina) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("CARINA_PLUGIN_PATH"), QStringLiteral(CARINA_FIXTURE_CRASHING_DIR));
            env.insert(QStringLiteral("XDG_DATA_HOME"), home.path()); // where the load journal lives
            carina.setProcessEnvironment(env);
            carina.start(QStringLiteral(CARINA_EXECUTABLE), QStringList{"--headless", "plugins", "--json"} + extra);
            QVERIFY(carina.waitForFinished(60000));
        };
        auto statusOf = [](const QByteArray &json, const QString &id) {
            for (const QJsonValue &v : QJsonDocument::fromJson(json).array())
                if (v.toObject().value("id").toString() == id)
                    return v.toObject();
            return QJsonObject();
        };

        QProcess first;
        run({}, first);
        QCOMPARE(first.exitStatus(), QProcess::CrashExit); // nothing can catch a segfault

        QProcess second;
        run({}, second);
        QCOMPARE(second.exitStatus(), QProcess::NormalExit);
        QCOMPARE(second.exitCode(), 0);
        const QByteArray listed = second.readAllStandardOutput();
        const QJsonObject crashed = statusOf(listed, "fixture_crashing_load");
        QCOMPARE(crashed.value("status").toString(), QString("failed"));
        QVERIFY2(crashed.value("reason").toString().contains("Carina stopped while loading this plugin"), listed.constData());
        const QJsonObject thrower = statusOf(listed, "fixture_throwing_constructor");
        QCOMPARE(thrower.value("status").toString(), QString("failed"));
        QVERIFY2(thrower.value("reason").toString().contains("deliberate failure in the plugin's constructor"), listed.constData());
        // The real plugins of the build tree load as before.
        QCOMPARE(statusOf(listed, "intensity").value("status").toString(), QString("loaded"));

        // Retrying loads it again: it crashes again, and is skipped again after.
        QProcess retry;
        run({"--retry", crashed.value("file").toString()}, retry);
        QCOMPARE(retry.exitStatus(), QProcess::CrashExit);
        QProcess third;
        run({}, third);
        QCOMPARE(third.exitStatus(), QProcess::NormalExit);
        QVERIFY(statusOf(third.readAllStandardOutput(), "fixture_crashing_load").value("reason").toString().contains("stopped while loading"));

        // In the app: the tile says so, and a tap lets the next start try it again.
        PluginHost host;
        host.setJournal(home.filePath("carina/plugin-journal.ini"));
        host.discover({QStringLiteral(CARINA_FIXTURE_CRASHING_DIR)});
        AppController controller(&host);
        PluginListModel *model = controller.plugins();
        int row = -1;
        for (int i = 0; i < model->count(); ++i)
            if (model->get(i).value("pluginId").toString() == "fixture_crashing_load")
                row = i;
        QVERIFY(row >= 0);
        QVERIFY(model->get(row).value("retryable").toBool());
        controller.retryPlugin(model->get(row).value("filePath").toString());
        QVERIFY(!model->get(row).value("retryable").toBool());
        QCOMPARE(model->get(row).value("error").toString(), QString("loads again at the next start"));
        QVERIFY(!PluginHost::retryPlugin(host.journal(), model->get(row).value("filePath").toString())); // no mark left
    }

    // Many headless commands run at once in a cohort: a plugin another live process is loading
    // right now is not a crash; one a dead process was loading is.
    void only_a_dead_process_loading_a_plugin_counts_as_a_crash()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString journalPath = home.filePath("journal.ini");
        const QString thrower = QDir(QStringLiteral(CARINA_FIXTURE_CRASHING_DIR)).filePath("fixture_throwing_constructor.so");
        const pid_t dead = fork();
        if (dead == 0)
            _exit(0);
        QVERIFY(dead > 0);
        QCOMPARE(waitpid(dead, nullptr, 0), dead);
        const QString crasher = QDir(QStringLiteral(CARINA_FIXTURE_CRASHING_DIR)).filePath("fixture_crashing_load.so");
        auto statusAfter = [&](qint64 pid) {
            {
                QSettings journal(journalPath, QSettings::IniFormat);
                journal.setValue(QStringLiteral("loading/%1").arg(pid), QFileInfo(thrower).canonicalFilePath());
                // The fixture that really crashes stays skipped, or it would end this test.
                QVariantMap crashed = journal.value(QStringLiteral("crashedWhileLoading")).toMap();
                crashed.insert(QFileInfo(crasher).canonicalFilePath(), QStringLiteral("earlier"));
                journal.setValue(QStringLiteral("crashedWhileLoading"), crashed);
                journal.sync();
            }
            PluginHost host;
            host.setJournal(journalPath);
            host.discover({QStringLiteral(CARINA_FIXTURE_CRASHING_DIR)});
            for (const PluginRecord &record : host.plugins())
                if (record.filePath == thrower)
                    return record;
            return PluginRecord{};
        };
        // Another process that is alive: its entry is left alone and the plugin loads (and throws).
        QProcess other;
        other.start(QStringLiteral("sleep"), {QStringLiteral("60")});
        QVERIFY(other.waitForStarted());
        const qint64 otherPid = other.processId();
        PluginRecord live = statusAfter(otherPid);
        QVERIFY2(!live.crashedLoading && live.error.contains("deliberate failure"), qPrintable(live.error));
        QVERIFY(QSettings(journalPath, QSettings::IniFormat).contains(QStringLiteral("loading/%1").arg(otherPid)));
        QSettings(journalPath, QSettings::IniFormat).remove(QStringLiteral("loading/%1").arg(otherPid));
        other.kill();
        other.waitForFinished();
        // A process that is gone while its entry stays: it crashed loading the plugin.
        PluginRecord crashed = statusAfter(dead);
        QVERIFY2(crashed.crashedLoading && crashed.error.contains("stopped while loading"), qPrintable(crashed.error));
    }

    void a_throwing_headless_command_names_its_plugin()
    {
        QProcess carina;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("CARINA_PLUGIN_PATH"), QStringLiteral(CARINA_FIXTURE_FAILING_DIR));
        carina.setProcessEnvironment(env);
        carina.start(QStringLiteral(CARINA_EXECUTABLE), {QStringLiteral("--headless"), QStringLiteral("fixture-throw")});
        QVERIFY(carina.waitForFinished(60000));
        const QString err = QString::fromUtf8(carina.readAllStandardError());
        QCOMPARE(carina.exitStatus(), QProcess::NormalExit);
        QCOMPARE(carina.exitCode(), 1);
        QVERIFY2(err.contains(QLatin1String("\"fixture-throw\" of plugin \"Fixture failing\" failed: deliberate failure in a headless command")),
                 qPrintable(err));
    }
};

int main(int argc, char **argv)
{
    ShellApplication app(argc, argv);
    TestPluginFailures test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "test_plugin_failures.moc"
