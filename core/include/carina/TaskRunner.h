// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/TaskContext.h>

#include <QFuture>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace carina {

class Document;

/// Runs a plugin's long work off the UI thread and brings its result back, once.
///
/// A controller owns one TaskRunner and exposes it to its panel (busy, progress, status, error
/// and cancel() are all here, so the panel binds to them and the controller writes none of
/// that plumbing). start() runs `work` on Qt's thread pool with a TaskContext and then calls
/// `commit` with its result on the runner's thread (the UI thread), but only while that task is
/// still the current one: a newer start(), invalidate() or a new study (followStudy()) makes
/// it stale, and a stale result is dropped unseen. `work` must not touch the controller or the
/// Document; hand it copies or shared read-only data.
///
/// Exceptions from `work`: TaskCanceled ends the task quietly (canceled()), std::bad_alloc
/// and any other std::exception become error(). An exception from `commit` is the
/// controller's own and propagates.
class CARINA_CORE_EXPORT TaskRunner : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// 0..1, never moves backwards within a task.
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    /// The running step as the work names it ("Filling holes").
    Q_PROPERTY(QString progressText READ progressText NOTIFY progressChanged)
    /// What the last task achieved, for the panel's status line; cleared by start().
    Q_PROPERTY(QString status READ status WRITE setStatus NOTIFY statusChanged)
    /// Why the last task (or a request) failed; cleared by start().
    Q_PROPERTY(QString error READ error WRITE setError NOTIFY errorChanged)

public:
    /// What start() does while a task runs.
    enum class Policy {
        NewerWins,      ///< cancel the running task; the new one becomes current (default)
        RefuseWhileBusy ///< keep the running task; start() sets error() and returns false
    };
    Q_ENUM(Policy)

    explicit TaskRunner(QObject *parent = nullptr);
    /// Cancels the running task; its result is never committed.
    ~TaskRunner() override;

    void setPolicy(Policy policy) { m_policy = policy; }
    Policy policy() const { return m_policy; }
    /// The error text start() sets under RefuseWhileBusy ("A search is already going on.").
    void setBusyMessage(const QString &message) { m_busyMessage = message; }

    /// Starts `work(const TaskContext &) -> R` off the UI thread, then `commit(R &&)` on it if
    /// the task is still current. Returns false when refused (see Policy).
    template <typename WorkFn, typename CommitFn>
    bool start(WorkFn work, CommitFn commit);

    bool busy() const { return m_running != nullptr; }
    double progress() const { return m_progress; }
    QString progressText() const { return m_progressText; }
    QString status() const { return m_status; }
    QString error() const { return m_error; }
    void setStatus(const QString &status);
    void setError(const QString &error);

    /// Blocks until the running task's work has returned (its commit, if still current, comes
    /// later through the event loop). For the rare caller that must not go on while a worker
    /// writes, such as removing the file an autosave is writing.
    void waitForWorker();

    /// Changes whenever the current task does (start(), invalidate()). For tests and logs.
    quint64 generation() const { return m_generation; }

    /// Invalidates the task (and clears status and error) whenever `document` opens a new study;
    /// showing a derived image of the same study does not. Null stops following.
    void followStudy(const Document *document);

public slots:
    /// Asks the running task to stop; canceled() follows once it has.
    void cancel();
    /// Cancels and forgets the running task (its result will be dropped), clears status,
    /// error and progress. For a new study or a controller reset.
    void invalidate();

signals:
    void busyChanged();
    void progressChanged();
    void statusChanged();
    void errorChanged();
    /// The current task ended: committed (true), or failed (false, error() says why).
    void finished(bool ok);
    /// The current task stopped on cancel(); nothing was committed.
    void canceled();

private:
    // What a task hands back to the UI thread: a closure that commits its result.
    using Commit = std::function<void()>;
    using Job = std::function<Commit(const TaskContext &)>;
    bool startJob(Job job);
    void onJobEnded(quint64 generation, const Commit &commit, const QString &error, bool wasCanceled);
    void onProgress(quint64 generation, double fraction, const QString &text);
    void stopCurrent();

    Policy m_policy = Policy::NewerWins;
    QString m_busyMessage;
    std::shared_ptr<TaskContext> m_running;
    QFuture<void> m_worker; ///< the latest task's work, running or done
    quint64 m_generation = 0;
    double m_progress = 0.0;
    QString m_progressText;
    QString m_status;
    QString m_error;
    QMetaObject::Connection m_studyConnection;
    struct Relay;
    std::shared_ptr<Relay> m_relay;
};

template <typename WorkFn, typename CommitFn>
bool TaskRunner::start(WorkFn work, CommitFn commit)
{
    using Result = std::decay_t<std::invoke_result_t<WorkFn &, const TaskContext &>>;
    return startJob([work = std::move(work), commit = std::move(commit)](const TaskContext &context) mutable -> TaskRunner::Commit {
        // shared_ptr: the result may be move-only, while the closure must be copyable.
        auto result = std::make_shared<Result>(work(context));
        return [commit, result]() mutable { commit(std::move(*result)); };
    });
}

} // namespace carina
