// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// TaskRunner: results reach the UI thread once and only while current; newer requests win (or
// are refused); cancel, errors, progress and a new study behave as the plugin guide says.
#include <carina/Document.h>
#include <carina/TaskRunner.h>

#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <stdexcept>

using namespace carina;

namespace {

Volume smallVolume()
{
    ImageGeometry g;
    g.dims = {4, 4, 4};
    return Volume(VoxelType::Int16, g);
}

// Work that waits for the test to release it, so the test decides what happens meanwhile.
struct Gate
{
    QSemaphore entered;
    QSemaphore release;
    auto work(int value)
    {
        return [this, value](const TaskContext &context) {
            entered.release();
            while (!release.tryAcquire(1, 5))
                context.throwIfCanceled();
            return value;
        };
    }
};

} // namespace

class TestTaskRunner : public QObject
{
    Q_OBJECT
private slots:
    void commits_the_result_on_the_runner_thread()
    {
        TaskRunner runner;
        QSignalSpy busy(&runner, &TaskRunner::busyChanged);
        QSignalSpy finished(&runner, &TaskRunner::finished);
        Qt::HANDLE workThread = nullptr;
        Qt::HANDLE commitThread = nullptr;
        int committed = 0;
        QVERIFY(runner.start(
            [&](const TaskContext &) {
                workThread = QThread::currentThreadId();
                return 42;
            },
            [&](int value) {
                commitThread = QThread::currentThreadId();
                committed = value;
            }));
        QVERIFY(runner.busy()); // busy until the commit, even when the work is instant
        QCOMPARE(committed, 0); // never inside start(), even when the work already finished
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(committed, 42);
        QCOMPARE(commitThread, QThread::currentThreadId());
        QVERIFY(workThread != QThread::currentThreadId());
        QVERIFY(!runner.busy());
        QCOMPARE(busy.count(), 2);
        QCOMPARE(runner.progress(), 1.0);
    }

    void a_newer_request_supersedes_the_running_one()
    {
        TaskRunner runner;
        Gate first, second;
        QList<int> committed;
        QVERIFY(runner.start(first.work(1), [&](int v) { committed << v; }));
        QVERIFY(first.entered.tryAcquire(1, 5000));
        QVERIFY(runner.start(second.work(2), [&](int v) { committed << v; }));
        first.release.release(); // the first could still finish: it must not be committed
        second.entered.tryAcquire(1, 5000);
        second.release.release();
        QTRY_VERIFY(!runner.busy());
        QTest::qWait(50);
        QCOMPARE(committed, QList<int>{2});
    }

    void refuse_while_busy_keeps_the_running_task()
    {
        TaskRunner runner;
        runner.setPolicy(TaskRunner::Policy::RefuseWhileBusy);
        runner.setBusyMessage(QStringLiteral("Already searching."));
        Gate gate;
        QList<int> committed;
        QVERIFY(runner.start(gate.work(1), [&](int v) { committed << v; }));
        QVERIFY(gate.entered.tryAcquire(1, 5000));
        QVERIFY(!runner.start([](const TaskContext &) { return 2; }, [&](int v) { committed << v; }));
        QCOMPARE(runner.error(), QStringLiteral("Already searching."));
        gate.release.release();
        QTRY_VERIFY(!runner.busy());
        QCOMPARE(committed, QList<int>{1});
    }

    void cancel_commits_nothing_and_says_so()
    {
        TaskRunner runner;
        QSignalSpy canceled(&runner, &TaskRunner::canceled);
        QSignalSpy finished(&runner, &TaskRunner::finished);
        Gate gate;
        bool committed = false;
        QVERIFY(runner.start(gate.work(1), [&](int) { committed = true; }));
        QVERIFY(gate.entered.tryAcquire(1, 5000));
        runner.cancel();
        QTRY_COMPARE(canceled.count(), 1);
        QVERIFY(!committed);
        QVERIFY(!runner.busy());
        QCOMPARE(finished.count(), 0);
        QVERIFY(!runner.status().isEmpty());
    }

    void cancel_after_the_work_ended_but_before_the_commit_still_commits_nothing()
    {
        TaskRunner runner;
        QSignalSpy canceled(&runner, &TaskRunner::canceled);
        QSignalSpy finished(&runner, &TaskRunner::finished);
        std::atomic<bool> workDone{false};
        bool committed = false;
        QVERIFY(runner.start(
            [&](const TaskContext &) {
                workDone = true;
                return 1;
            },
            [&](int) { committed = true; }));
        // The work ends on its thread while this one handles no events: its result waits in the
        // event queue, the task is still busy.
        for (int i = 0; i < 500 && !workDone; ++i)
            QThread::msleep(10);
        QVERIFY(workDone);
        QThread::msleep(50);
        QVERIFY(runner.busy());
        runner.cancel();
        QTRY_COMPARE(canceled.count(), 1);
        QVERIFY(!committed);
        QCOMPARE(finished.count(), 0);
        QVERIFY(!runner.busy());
    }

    void exceptions_become_the_error()
    {
        TaskRunner runner;
        QSignalSpy finished(&runner, &TaskRunner::finished);
        QVERIFY(runner.start([](const TaskContext &) -> int { throw std::runtime_error("the mask is empty"); },
                             [](int) { QFAIL("no commit after a failure"); }));
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QCOMPARE(runner.error(), QStringLiteral("the mask is empty"));
        QVERIFY(runner.start([](const TaskContext &) -> int { throw std::bad_alloc(); }, [](int) {}));
        QTRY_COMPARE(finished.count(), 2);
        QVERIFY(runner.error().contains(QStringLiteral("memory")));
        // The next start clears the error.
        QVERIFY(runner.start([](const TaskContext &) { return 0; }, [](int) {}));
        QVERIFY(runner.error().isEmpty());
        QTRY_COMPARE(finished.count(), 3);
    }

    void progress_only_moves_forward_and_carries_its_text()
    {
        TaskRunner runner;
        QList<double> seen;
        connect(&runner, &TaskRunner::progressChanged, this, [&] { seen << runner.progress(); });
        Gate gate;
        QVERIFY(runner.start(
            [&gate](const TaskContext &context) {
                context.progress(0.5, "Filling holes");
                context.progress(0.25); // a sub-step restarting its count must not move the bar back
                context.progress(0.75);
                gate.entered.release();
                while (!gate.release.tryAcquire(1, 5))
                    context.throwIfCanceled();
                return 0;
            },
            [](int) {}));
        QVERIFY(gate.entered.tryAcquire(1, 5000));
        QTRY_COMPARE(runner.progress(), 0.75);
        QCOMPARE(runner.progressText(), QStringLiteral("Filling holes"));
        gate.release.release();
        QTRY_VERIFY(!runner.busy());
        for (int i = 1; i < seen.size(); ++i)
            QVERIFY2(seen[i] >= seen[i - 1], "progress moved backwards");
    }

    void a_new_study_invalidates_the_task_but_a_derived_image_does_not()
    {
        Document doc;
        doc.setImage(smallVolume());
        TaskRunner runner;
        runner.followStudy(&doc);
        Gate gate;
        int committed = 0;
        QVERIFY(runner.start(gate.work(1), [&](int v) { committed = v; }));
        QVERIFY(gate.entered.tryAcquire(1, 5000));
        doc.showDerivedImage(smallVolume(), QStringLiteral("Masked"));
        QVERIFY(runner.busy());
        gate.release.release();
        QTRY_COMPARE(committed, 1);

        QVERIFY(runner.start(gate.work(2), [&](int v) { committed = v; }));
        QVERIFY(gate.entered.tryAcquire(1, 5000));
        runner.setStatus(QStringLiteral("old study's status"));
        doc.setImage(smallVolume());
        QVERIFY(!runner.busy());
        QVERIFY(runner.status().isEmpty());
        gate.release.release();
        QTest::qWait(100);
        QCOMPARE(committed, 1);
    }

    void a_destroyed_runner_drops_its_result()
    {
        auto runner = std::make_unique<TaskRunner>();
        Gate gate;
        std::atomic<bool> committed{false};
        QVERIFY(runner->start(gate.work(1), [&](int) { committed = true; }));
        QVERIFY(gate.entered.tryAcquire(1, 5000));
        runner.reset(); // cancels; the work sees it and stops
        QTest::qWait(100);
        QVERIFY(!committed);
    }
};

QTEST_GUILESS_MAIN(TestTaskRunner)
#include "test_task_runner.moc"
