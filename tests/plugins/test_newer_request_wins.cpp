// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// One rule for every in-tree plugin, through the plugin host as the app loads them: a second
// request while the first runs supersedes it. Only the newer one commits (one `finished`, no
// `canceled`: a superseded task ends silently), and the runner is idle afterwards.
#include "lungmesh/SyntheticChest.h"

#include <carina/Document.h>
#include <carina/PluginHost.h>
#include <carina/ProcessingPlugin.h>
#include <carina/TaskRunner.h>

#include <QSignalSpy>
#include <QTest>

using namespace carina;

class TestNewerRequestWins : public QObject
{
    Q_OBJECT
private slots:
    void a_newer_request_supersedes_the_running_one_data()
    {
        QTest::addColumn<QString>("plugin");
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("ggo") << QStringLiteral("ggo") << QByteArray("run");
        QTest::newRow("labelprops") << QStringLiteral("labelprops") << QByteArray("run");
        QTest::newRow("lungmesh") << QStringLiteral("lungmesh") << QByteArray("run");
        QTest::newRow("intensity") << QStringLiteral("intensity") << QByteArray("refresh");
    }

    void a_newer_request_supersedes_the_running_one()
    {
        QFETCH(QString, plugin);
        QFETCH(QByteArray, request);
        PluginHost host;
        host.discover({QStringLiteral(CARINA_PLUGIN_OUTPUT_DIR)});
        const PluginRecord *record = host.find(plugin);
        QVERIFY2(record && record->plugin, qPrintable(plugin + QStringLiteral(" is not built")));
        Document document;
        document.setImage(test::syntheticChest());
        QObject *controller = record->plugin->createController(&document, &document);
        QVERIFY(controller);
        auto *task = controller->property("task").value<TaskRunner *>();
        QVERIFY2(task, "the controller exposes its TaskRunner as `task`");
        QTRY_VERIFY(!task->busy()); // a plugin that computes on its own at start (intensity)
        if (plugin == QLatin1String("ggo")) {
            bool outlined = false;
            QVERIFY(QMetaObject::invokeMethod(controller, "regionAroundCursor", Q_RETURN_ARG(bool, outlined), Q_ARG(double, 60.0)));
            QVERIFY(outlined);
            // A range the synthetic chest has voxels in, so the search finds a piece.
            QVERIFY(controller->setProperty("lowHu", -1100.0));
            QVERIFY(controller->setProperty("highHu", 3000.0));
        }
        QTRY_VERIFY(!task->busy());

        QSignalSpy finished(task, &TaskRunner::finished);
        QSignalSpy canceled(task, &TaskRunner::canceled);
        const quint64 before = task->generation();
        QVERIFY(QMetaObject::invokeMethod(controller, request.constData()));
        QVERIFY2(task->busy(), "the first request runs");
        QVERIFY(QMetaObject::invokeMethod(controller, request.constData()));
        QVERIFY(task->busy());
        QCOMPARE(task->generation(), before + 2);
        QTRY_VERIFY_WITH_TIMEOUT(!task->busy(), 120000);
        QTest::qWait(200); // a superseded task's end would arrive by now
        QCOMPARE(finished.count(), 1);
        QCOMPARE(canceled.count(), 0);
        QVERIFY2(task->error().isEmpty(), qPrintable(task->error()));
        delete controller;
    }
};

QTEST_GUILESS_MAIN(TestNewerRequestWins)
#include "test_newer_request_wins.moc"
