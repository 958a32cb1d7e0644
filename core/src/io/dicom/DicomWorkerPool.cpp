// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/dicom/DicomWorkerPool.h"

#include <carina/io/IoError.h>

#include "io/dicom/DicomPixels.h"
#include "io/dicom/DicomRecord.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <string>
#include <vector>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace carina::io::detail {

using Clock = std::chrono::steady_clock;

struct DicomWorkerPool::Worker
{
    std::string executable;
    pid_t pid = -1;
    int channel = -1; ///< socket: tasks out, announcements and results in
    int errors = -1;  ///< the worker's stderr (GDCM's assertion text ends up here)
    std::string input;
    std::string stderrTail;
    std::deque<std::size_t> sent; ///< tasks handed over and not finished, in order
    long long begun = -1;         ///< the task the worker announced and is working on
    int slot = 0;                 ///< its place in the current run: no two live workers share one
    int part = 0;                 ///< which of Run::sharedFds it writes into (slot modulo their count)
    bool everBegun = false;
    bool killedByUs = false;
    Clock::time_point lastActivity = Clock::now();

    ~Worker()
    {
        if (channel >= 0)
            ::close(channel);
        if (errors >= 0)
            ::close(errors);
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
            }
        }
    }

    bool alive() const
    {
        // An idle worker only ever closes its socket by dying.
        pollfd p{channel, POLLIN, 0};
        return ::poll(&p, 1, 0) == 0;
    }

    void drainErrors()
    {
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::read(errors, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            stderrTail.append(buffer, std::size_t(n));
            if (stderrTail.size() > 8192)
                stderrTail.erase(0, stderrTail.size() - 4096);
        }
    }

    /// Reaps the (dead or dying) process; returns how it ended and whether a signal we did not
    /// send killed it (SIGKILL from outside: the OOM killer, or the death of the thread that
    /// started it, which PR_SET_PDEATHSIG turns into SIGKILL: not the file's fault).
    std::string reap(bool *blameFile = nullptr)
    {
        int status = 0;
        pid_t r = 0;
        // It closed its socket, so it is exiting; give it a moment before forcing it.
        for (int i = 0; i < 100 && (r = ::waitpid(pid, &status, WNOHANG)) == 0; ++i)
            ::usleep(2000);
        if (r == 0) {
            ::kill(pid, SIGKILL);
            while ((r = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
            }
        }
        pid = -1;
        drainErrors();
        std::string how;
        if (blameFile)
            *blameFile = true;
        if (r > 0 && WIFSIGNALED(status)) {
            const char *name = sigabbrev_np(WTERMSIG(status));
            how = "killed by signal " + (name ? "SIG" + std::string(name) : std::to_string(WTERMSIG(status))) + " ("
                + strsignal(WTERMSIG(status)) + ")";
            if (blameFile && WTERMSIG(status) == SIGKILL && !killedByUs)
                *blameFile = false;
        } else if (r > 0 && WIFEXITED(status)) {
            how = "exited with status " + std::to_string(WEXITSTATUS(status));
        } else {
            how = "vanished";
        }
        // The last message on stderr (an assertion, usually) says more than the signal.
        std::string tail = stderrTail;
        while (!tail.empty() && (tail.back() == '\n' || tail.back() == ' '))
            tail.pop_back();
        const std::size_t nl = tail.rfind('\n');
        if (nl != std::string::npos)
            tail.erase(0, nl + 1);
        if (tail.size() > 300)
            tail = tail.substr(tail.size() - 300);
        return tail.empty() ? how : how + ": " + tail;
    }

    /// Sends one task line with `fds` attached. Returns false when the worker is gone.
    bool send(const std::string &line, const std::vector<int> &fds)
    {
        std::size_t done = 0;
        while (done < line.size()) {
            iovec iov{const_cast<char *>(line.data() + done), line.size() - done};
            msghdr msg{};
            msg.msg_iov = &iov;
            msg.msg_iovlen = 1;
            alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 2)] = {};
            if (!fds.empty() && done == 0) {
                msg.msg_control = control;
                msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
                cmsghdr *c = CMSG_FIRSTHDR(&msg);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
                std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
            }
            const ssize_t n = ::sendmsg(channel, &msg, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            done += std::size_t(n);
        }
        return true;
    }
};

namespace {

std::chrono::milliseconds watchdogFromEnvironment(std::chrono::milliseconds fallback)
{
    // Lets tests and slow machines tune the hang detection without a rebuild.
    if (const char *v = std::getenv("CARINA_DICOM_WATCHDOG_MS")) {
        const long ms = std::strtol(v, nullptr, 10);
        if (ms > 0)
            return std::chrono::milliseconds(ms);
    }
    return fallback;
}

std::unique_ptr<DicomWorkerPool::Worker> spawnWorker(const std::string &executable)
{
    auto w = std::make_unique<DicomWorkerPool::Worker>();
    w->executable = executable;
    int sockets[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0)
        throw IoError(std::string("cannot start the DICOM worker: socketpair: ") + std::strerror(errno));
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC | O_NONBLOCK) != 0) {
        ::close(sockets[0]);
        ::close(sockets[1]);
        throw IoError(std::string("cannot start the DICOM worker: pipe: ") + std::strerror(errno));
    }
    w->channel = sockets[0];
    w->errors = pipeFds[0];

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, sockets[1], 0);
    posix_spawn_file_actions_adddup2(&actions, sockets[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2);
    // Descriptors some library opened without close-on-exec (a log file, another process's
    // pipe) must not live on in a worker that outlasts them.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigfillset(&defaults);
    sigdelset(&defaults, SIGKILL);
    sigdelset(&defaults, SIGSTOP);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    char *argv[] = {const_cast<char *>(executable.c_str()), nullptr};
    // A minimal environment: the user's (HOME, paths of recent work, tokens) is none of a
    // decoder's business. Only the sanitizers' settings pass, for the sanitizer builds.
    std::vector<std::string> keep;
    for (char **e = environ; e && *e; ++e)
        for (const char *prefix : {"ASAN_OPTIONS=", "UBSAN_OPTIONS=", "LSAN_OPTIONS=", "TSAN_OPTIONS="})
            if (std::strncmp(*e, prefix, std::strlen(prefix)) == 0)
                keep.emplace_back(*e);
    std::vector<char *> environment;
    for (std::string &entry : keep)
        environment.push_back(entry.data());
    environment.push_back(nullptr);
    const int rc = ::posix_spawn(&w->pid, executable.c_str(), &actions, &attributes, argv, environment.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(sockets[1]);
    ::close(pipeFds[1]);
    if (rc != 0) {
        w->pid = -1;
        throw IoError("cannot run the DICOM worker " + executable + ": " + std::strerror(rc));
    }
    return w;
}

} // namespace

DicomWorkerPool &DicomWorkerPool::instance()
{
    // Leaked on purpose: destroying it at exit would kill workers another static destructor
    // might still wait for; the kernel closes their sockets and they exit by themselves.
    static DicomWorkerPool *pool = new DicomWorkerPool;
    return *pool;
}

DicomWorkerPool::~DicomWorkerPool() = default;

std::unique_ptr<DicomWorkerPool::Worker> DicomWorkerPool::take(const std::string &executable)
{
    {
        std::lock_guard lock(m_mutex);
        while (!m_idle.empty()) {
            std::unique_ptr<Worker> w = std::move(m_idle.back());
            m_idle.pop_back();
            if (w->executable == executable && w->alive())
                return w;
            // gone (or another executable): ~Worker reaps it
        }
    }
    return spawnWorker(executable);
}

void DicomWorkerPool::giveBack(std::vector<std::unique_ptr<Worker>> &workers)
{
    std::vector<std::unique_ptr<Worker>> doomed;
    {
        std::lock_guard lock(m_mutex);
        for (auto &w : workers) {
            // Only a worker with nothing in flight can serve the next run; the rest may still be
            // writing into memory that is about to be freed.
            // A worker that never got through a task may be one that cannot start (it would be
            // left as a zombie in the idle list): only proven workers are kept.
            if (w->sent.empty() && w->input.empty() && w->pid > 0 && w->everBegun && w->alive()) {
                w->begun = -1;
                w->stderrTail.clear();
                m_idle.push_back(std::move(w));
            } else {
                doomed.push_back(std::move(w));
            }
        }
    }
    workers.clear();
    doomed.clear(); // kill and reap outside the lock
}

void DicomWorkerPool::run(const Run &options, const std::vector<std::string> &tasks, const ResultHandler &onResult,
                          const TaskContext &context)
{
    const std::string executable = findDicomWorker();
    const std::chrono::milliseconds watchdog = watchdogFromEnvironment(options.watchdog);
    const int target = std::max(1, options.workers);
    const std::size_t inFlight = std::max<std::size_t>(1, options.inFlight);
    const char taskKind = options.mode == Mode::Decode ? 'D' : options.openFile ? 'F' : 'S';

    std::vector<std::unique_ptr<Worker>> workers;
    // Hands the workers back (or kills them) however this run ends.
    struct Release
    {
        DicomWorkerPool &pool;
        std::vector<std::unique_ptr<Worker>> &workers;
        ~Release() { pool.giveBack(workers); }
    } release{*this, workers};

    std::deque<std::size_t> queue;
    for (std::size_t i = 0; i < tasks.size(); ++i)
        queue.push_back(i);
    std::size_t finished = 0;
    int startFailures = 0;
    int unexplainedDeaths = 0;
    std::vector<unsigned char> killedFromOutside(tasks.size(), 0);
    bool stop = false;

    auto finish = [&](std::size_t task, const WorkerOutcome &outcome) {
        ++finished;
        if (!onResult(task, outcome))
            stop = true;
    };
    // A worker died or was killed: blame the file it announced, re-queue the rest.
    auto retire = [&](std::size_t index, WorkerOutcome::Kind kind, const std::string &how, bool blameFile) {
        std::unique_ptr<Worker> w = std::move(workers[index]);
        workers.erase(workers.begin() + std::ptrdiff_t(index));
        long long culprit = blameFile ? w->begun : -1;
        std::string why = how;
        if (blameFile && culprit < 0 && (kind == WorkerOutcome::Kind::Hung || kind == WorkerOutcome::Kind::Broken) && !w->sent.empty())
            culprit = (long long)w->sent.front();
        // Killed from outside (the OOM killer, most likely: workers volunteer): maybe not the
        // file's fault, so it gets one more try; a second time on the same file, it is.
        if (!blameFile && w->begun >= 0 && ++killedFromOutside[std::size_t(w->begun)] >= 2) {
            culprit = w->begun;
            why = how + ", twice (out of memory?)";
        }
        for (auto it = w->sent.rbegin(); it != w->sent.rend(); ++it)
            if ((long long)*it != culprit)
                queue.push_front(*it);
        w->sent.clear();
        if (culprit >= 0) {
            finish(std::size_t(culprit), WorkerOutcome{kind, why});
        } else if (!w->everBegun) {
            if (++startFailures >= 3)
                throw IoError("the DICOM worker " + executable + " does not start (" + how + ")");
        } else if (++unexplainedDeaths >= 5) {
            throw IoError("the DICOM worker " + executable + " keeps dying (" + how + ")");
        }
    };

    while (finished < tasks.size() && !stop) {
        context.throwIfCanceled();
        std::size_t busy = 0;
        for (const auto &w : workers)
            busy += w->sent.size();
        while (int(workers.size()) < target && workers.size() < queue.size() + busy && !queue.empty()) {
            workers.push_back(take(executable));
            // The lowest slot no live worker holds: a replacement writes where its predecessor did.
            int slot = 0;
            while (std::any_of(workers.begin(), workers.end() - 1, [slot](const auto &w) { return w->slot == slot; }))
                ++slot;
            workers.back()->slot = slot;
            workers.back()->part = options.sharedFds.empty() ? 0 : slot % int(options.sharedFds.size());
        }

        for (std::size_t i = workers.size(); i-- > 0;) {
            Worker &w = *workers[i];
            bool lost = false;
            while (w.sent.size() < inFlight && !queue.empty() && !lost) {
                const std::size_t task = queue.front();
                queue.pop_front();
                if (w.sent.empty())
                    w.lastActivity = Clock::now(); // the watchdog times work, not idleness
                w.sent.push_back(task);
                std::vector<int> fds;
                if (!options.sharedFds.empty())
                    fds.push_back(options.sharedFds[std::size_t(w.part)]);
                int file = -1;
                if (options.openFile) {
                    try {
                        file = options.openFile(task);
                    } catch (const DicomFileError &e) {
                        w.sent.pop_back();
                        finish(task, WorkerOutcome{WorkerOutcome::Kind::Failed, e.what()});
                        if (stop)
                            break;
                        continue;
                    }
                    fds.push_back(file);
                }
                lost = !w.send(std::to_string(task) + '\t' + taskKind + '\t' + tasks[task] + '\n', fds);
                if (file >= 0)
                    ::close(file); // the worker has its own copy now
            }
            if (lost) {
                bool blame = true;
                const std::string how = w.reap(&blame);
                retire(i, WorkerOutcome::Kind::Crashed, how, blame);
            }
        }

        std::vector<pollfd> fds;
        for (const auto &w : workers) {
            fds.push_back({w->channel, POLLIN, 0});
            fds.push_back({w->errors, POLLIN, 0});
        }
        const int ready = ::poll(fds.data(), nfds_t(fds.size()), 50); // 50 ms: cancel stays prompt
        if (ready < 0 && errno != EINTR)
            throw IoError(std::string("waiting for the DICOM workers failed: ") + std::strerror(errno));

        const Clock::time_point now = Clock::now();
        for (std::size_t i = workers.size(); i-- > 0 && !stop;) {
            Worker &w = *workers[i];
            if (fds[2 * i + 1].revents)
                w.drainErrors();
            bool dead = false;
            std::string broken; // why the worker's output is not the protocol
            if (fds[2 * i].revents & (POLLIN | POLLHUP | POLLERR)) {
                char buffer[65536];
                // Reads what is there, but never buffers more than one record's worth.
                while (w.input.size() <= kMaxRecordBytes) {
                    const ssize_t n = ::recv(w.channel, buffer, sizeof buffer, MSG_DONTWAIT);
                    if (n > 0) {
                        w.input.append(buffer, std::size_t(n));
                        w.lastActivity = now;
                        continue;
                    }
                    if (n < 0 && errno == EINTR)
                        continue;
                    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
                        dead = true;
                    break;
                }
                std::size_t newline;
                while (broken.empty() && !stop && (newline = w.input.find('\n')) != std::string::npos) {
                    if (newline > kMaxRecordBytes) {
                        broken = "a line of " + std::to_string(newline) + " bytes";
                        break;
                    }
                    const std::string line = w.input.substr(0, newline);
                    w.input.erase(0, newline + 1);
                    if (line.size() >= 2 && line[0] == 'W' && line[1] == '\t') {
                        // A sandbox layer the kernel did not give: said once per process.
                        static std::atomic<bool> warned{false};
                        if (!warned.exchange(true))
                            std::fprintf(stderr, "carina: DICOM worker: %s\n", unescapeField(line.substr(2)).c_str());
                        continue;
                    }
                    // "B <id>", "R <id>\t<record>" or "E <id>\t<message>", for a task it was given.
                    const std::size_t tab = line.find('\t');
                    const std::string id = line.substr(2, tab == std::string::npos ? std::string::npos : tab - 2);
                    const bool wellFormed = line.size() >= 3 && (line[0] == 'B' || line[0] == 'R' || line[0] == 'E') && line[1] == ' '
                        && !id.empty() && id.size() <= 18 && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })
                        && (line[0] == 'B') == (tab == std::string::npos);
                    const long long task = wellFormed ? std::stoll(id) : -1;
                    const auto it = std::find(w.sent.begin(), w.sent.end(), std::size_t(task));
                    if (!wellFormed || it == w.sent.end()) {
                        std::string shown = line.substr(0, 40);
                        for (char &c : shown)
                            if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
                                c = '?';
                        broken = wellFormed ? "an answer for task " + id + ", which it was not given" : "\"" + shown + "\"";
                        break;
                    }
                    if (line[0] == 'B') {
                        w.begun = task;
                        w.everBegun = true;
                        continue;
                    }
                    w.sent.erase(it);
                    w.begun = -1;
                    const std::string text = line.substr(tab + 1);
                    finish(std::size_t(task), WorkerOutcome{line[0] == 'R' ? WorkerOutcome::Kind::Done : WorkerOutcome::Kind::Failed, text, w.part});
                }
                if (broken.empty() && w.input.size() > kMaxRecordBytes)
                    broken = "a line of more than " + std::to_string(kMaxRecordBytes >> 20) + " MB";
            }
            if (stop)
                break;
            if (!broken.empty()) {
                w.killedByUs = true;
                ::kill(w.pid, SIGKILL);
                w.reap();
                retire(i, WorkerOutcome::Kind::Broken, "it sent " + broken, true);
                continue;
            }
            if (dead) {
                bool blame = true;
                const std::string how = w.reap(&blame);
                retire(i, WorkerOutcome::Kind::Crashed, how, blame);
            } else if (!w.sent.empty() && now - w.lastActivity > watchdog) {
                w.killedByUs = true;
                ::kill(w.pid, SIGKILL);
                w.reap();
                const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(watchdog).count();
                retire(i, WorkerOutcome::Kind::Hung, "no progress for " + std::to_string(std::max<long long>(1, seconds)) + " s", true);
            }
        }
    }
}

} // namespace carina::io::detail
