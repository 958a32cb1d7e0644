// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/TaskRunner.h>

#include <carina/Document.h>

#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <new>

namespace carina {

namespace {

struct JobOutcome
{
    std::function<void()> commit;
    QString error;
    bool canceled = false;
};

} // namespace

// What worker threads hold of the runner: a pointer the runner clears, under a lock, before it
// dies, so a progress report can never post to a destroyed object.
struct TaskRunner::Relay
{
    std::mutex mutex;
    TaskRunner *runner = nullptr;

    // Queues f(runner) to the runner's thread; nothing when the runner is gone. A queued call
    // whose runner dies before it runs is dropped by Qt with the runner's events.
    template<typename F>
    void post(F f)
    {
        const std::lock_guard lock(mutex);
        if (runner)
            QMetaObject::invokeMethod(runner, [r = runner, f = std::move(f)] { f(r); }, Qt::QueuedConnection);
    }
};

TaskRunner::TaskRunner(QObject *parent)
    : QObject(parent), m_busyMessage(tr("A task is already running.")), m_relay(std::make_shared<Relay>())
{
    m_relay->runner = this;
}

TaskRunner::~TaskRunner()
{
    if (m_running)
        m_running->cancel();
    const std::lock_guard lock(m_relay->mutex);
    m_relay->runner = nullptr;
}

void TaskRunner::setStatus(const QString &status)
{
    if (status == m_status)
        return;
    m_status = status;
    emit statusChanged();
}

void TaskRunner::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    emit errorChanged();
}

void TaskRunner::followStudy(const Document *document)
{
    disconnect(m_studyConnection);
    if (document)
        m_studyConnection = connect(document, &Document::studyChanged, this, &TaskRunner::invalidate);
}

bool TaskRunner::startJob(Job job)
{
    if (m_running && m_policy == Policy::RefuseWhileBusy) {
        setError(m_busyMessage);
        return false;
    }
    const bool wasBusy = busy();
    if (m_running)
        m_running->cancel(); // its result is stale from here on: the generation moves on
    const quint64 generation = ++m_generation;
    // Progress comes from worker threads, often thousands of times: forward a change of at least
    // half a percent or a new text, queued to this thread, where only the current task's counts.
    auto lastStep = std::make_shared<std::atomic<int>>(-1);
    auto context = std::make_shared<TaskContext>([relay = m_relay, generation, lastStep](double fraction, const std::string &text) {
        const int step = int(std::lround(std::clamp(fraction, 0.0, 1.0) * 200.0));
        if (lastStep->exchange(step) == step && text.empty())
            return;
        relay->post([generation, fraction, text = QString::fromStdString(text)](TaskRunner *runner) {
            runner->onProgress(generation, fraction, text);
        });
    });
    m_running = context;
    setError({});
    setStatus({});
    m_progress = 0.0;
    m_progressText.clear();
    emit progressChanged();
    if (!wasBusy)
        emit busyChanged();

    auto future = QtConcurrent::run([job = std::move(job), context]() {
        JobOutcome outcome;
        try {
            outcome.commit = job(*context);
        } catch (const TaskCanceled &) {
            outcome.canceled = true;
        } catch (const std::bad_alloc &) {
            outcome.error = TaskRunner::tr("Not enough memory for this task.");
        } catch (const std::exception &e) {
            outcome.error = QString::fromUtf8(e.what());
        }
        // A task that ends after cancel() counts as canceled even if it got to the end.
        if (context->isCanceled() && outcome.error.isEmpty())
            outcome.canceled = true;
        return outcome;
    });
    m_worker = QFuture<void>(future);
    // Through the relay, not then(this, ...): Qt 6.4 asserts when a continuation's context object
    // dies while the work runs. Always one more event-loop turn, too: a continuation attached to
    // work that already finished runs at once, still inside startJob().
    future.then([relay = m_relay, generation](const JobOutcome &outcome) {
        relay->post([generation, outcome](TaskRunner *runner) {
            runner->onJobEnded(generation, outcome.commit, outcome.error, outcome.canceled);
        });
    });
    return true;
}

void TaskRunner::onProgress(quint64 generation, double fraction, const QString &text)
{
    if (generation != m_generation || !m_running)
        return;
    const double clamped = std::clamp(fraction, 0.0, 1.0);
    const bool moved = clamped > m_progress || (!text.isEmpty() && text != m_progressText);
    if (!moved)
        return;
    m_progress = std::max(m_progress, clamped);
    if (!text.isEmpty())
        m_progressText = text;
    emit progressChanged();
}

void TaskRunner::onJobEnded(quint64 generation, const Commit &commit, const QString &error, bool wasCanceled)
{
    if (generation != m_generation)
        return; // stale: a newer task, an invalidate() or a new study owns the runner now
    // cancel() while busy wins even when the work had already finished on its thread and only
    // the commit was still on its way here.
    if (m_running && m_running->isCanceled() && error.isEmpty())
        wasCanceled = true;
    m_running.reset();
    emit busyChanged();
    if (wasCanceled) {
        setStatus(tr("Canceled; nothing was changed."));
        emit canceled();
        return;
    }
    if (!error.isEmpty() || !commit) {
        setError(error.isEmpty() ? tr("The task failed.") : error);
        emit finished(false);
        return;
    }
    m_progress = 1.0;
    emit progressChanged();
    commit();
    emit finished(m_error.isEmpty()); // a commit may still refuse the result (setError)
}

void TaskRunner::waitForWorker()
{
    m_worker.waitForFinished();
}

void TaskRunner::cancel()
{
    if (m_running)
        m_running->cancel();
}

void TaskRunner::invalidate()
{
    stopCurrent();
    setError({});
    setStatus({});
    if (m_progress != 0.0 || !m_progressText.isEmpty()) {
        m_progress = 0.0;
        m_progressText.clear();
        emit progressChanged();
    }
}

void TaskRunner::stopCurrent()
{
    ++m_generation;
    if (!m_running)
        return;
    m_running->cancel();
    m_running.reset();
    emit busyChanged();
}

} // namespace carina
