// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/TaskContext.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace carina::io::detail {

/// How one task given to a worker ended.
struct WorkerOutcome
{
    /// Broken: the worker sent something that is not the protocol (garbage, an endless line);
    /// it is killed, and the file it was working on is blamed.
    enum class Kind { Done, Failed, Crashed, Hung, Broken };
    Kind kind = Kind::Done;
    /// The worker's record (Done), its message (Failed), what happened (Crashed, Hung, Broken).
    std::string text;
    /// Done: which of Run::sharedFds the worker wrote into (0 without any).
    int part = 0;
};

/// The carina-dicom-worker processes of this application, so that a file that crashes or hangs
/// GDCM costs one worker, not the application.
///
/// Tasks are dealt out dynamically (a few in flight per worker), which balances the load and lets
/// a replacement worker pick up where a dead one stopped. A worker announces each task before it
/// touches the file, so when it dies the culprit is known; its other queued tasks are re-queued.
/// A worker that sends nothing for `watchdog` while it has a task is killed as hung; one that
/// sends garbage or an endless line is killed as broken. A worker killed from outside (the OOM
/// killer: workers ask to go first) is retried once; killed again on the same file, it counts
/// against that file.
///
/// Idle workers are kept for the next call: GDCM spends ~25 ms building its dictionaries when
/// a process starts, more than reading a whole uncompressed series. They exit with the
/// application (their socket closes). Workers that were busy when a run ends early (cancel, an
/// error) are killed and reaped at once. Thread-safe; concurrent runs use separate workers.
class DicomWorkerPool
{
public:
    enum class Mode { Scan, Decode };
    struct Run
    {
        Mode mode = Mode::Scan;
        int workers = 2;
        /// Decode: the worker in slot j gets sharedFds[j % size] with every task (SCM_RIGHTS) to
        /// write into. One block per worker: writes to one tmpfs file serialise on its inode lock.
        std::vector<int> sharedFds;
        std::chrono::milliseconds watchdog{15000};
        /// Tasks handed to a worker ahead of time: enough that it never waits for the
        /// application between small tasks, few enough that the load stays balanced.
        std::size_t inFlight = 2;
        /// Opens task i's file for the worker (read-only; the sandboxed worker opens no paths):
        /// returns a descriptor this pool closes once it is sent, or throws DicomFileError, which
        /// ends the task as Failed with its message. Unset: the task line names the file itself
        /// (the worker's by-hand mode, which its sandbox refuses).
        std::function<int(std::size_t task)> openFile;
    };
    /// The longest line a worker may send: a header with a position for each of 65536 frames
    /// takes under 5 MB. Longer is a broken worker, not a record to buffer.
    static constexpr std::size_t kMaxRecordBytes = std::size_t(8) << 20;
    /// Called on the caller's thread for each finished task; return false to stop early.
    using ResultHandler = std::function<bool(std::size_t task, const WorkerOutcome &outcome)>;

    static DicomWorkerPool &instance();
    ~DicomWorkerPool();

    /// Runs every task (one line each, no newlines) to an outcome, unless the handler stops.
    /// Throws TaskCanceled when `context` is canceled (its workers are killed at once), IoError
    /// when the worker executable is missing or cannot run, and whatever the handler throws.
    void run(const Run &options, const std::vector<std::string> &tasks, const ResultHandler &onResult, const TaskContext &context);

    struct Worker;

private:
    DicomWorkerPool() = default;
    std::unique_ptr<Worker> take(const std::string &executable);
    void giveBack(std::vector<std::unique_ptr<Worker>> &workers);

    std::mutex m_mutex;
    std::vector<std::unique_ptr<Worker>> m_idle;
};

/// The carina-dicom-worker executable: $CARINA_DICOM_WORKER, else next to libcarina-core
/// (../libexec/carina, ../../libexec/carina, ../bin), else the install location.
/// Throws IoError naming the places looked at when none exists.
std::string findDicomWorker();

} // namespace carina::io::detail
