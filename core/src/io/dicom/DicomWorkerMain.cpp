// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors

// carina-dicom-worker: parses and decodes untrusted DICOM files for libcarina-core.
//
// Debian's GDCM aborts the process on some malformed input (assertions are on), so the library
// never parses DICOM itself: it runs a few of these workers and feeds them files. Protocol (see
// DicomWorkerPool): the parent writes task lines on a socket (fd 0 and 1); for each, the worker
// first writes "B <id>\n" (so a crash names its file), then "R <id>\t<record>\n" or
// "E <id>\t<message>\n". Task lines are "<id>\t<kind>\t<record>":
//   F  header pass: the task comes with a read-only descriptor of the file (SCM_RIGHTS); the
//      answer is a DicomFileHeader record (the pixel data is not read)
//   S  the same for a file path (for running the worker by hand; the sandbox denies opening it)
//   D  decode: the record is a DicomDecodeTask; the task comes with a shared-memory descriptor
//      that the worker writes the rescaled slices into, then the file's read-only descriptor
// Before its first task the worker confines itself (WorkerSandbox.h): it opens no paths after
// that, which is why the application sends descriptors. A missing layer of the sandbox is
// reported once as "W\t<message>\n".

#include "io/dicom/DicomFileHeader.h"
#include "io/dicom/DicomRecord.h"
#include "io/dicom/DicomWorkerTasks.h"
#include "io/dicom/WorkerSandbox.h"

#include <gdcmImageHelper.h>
#include <gdcmTrace.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <malloc.h>
#include <memory>
#include <new>
#include <poll.h>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using carina::io::detail::DicomDecodeTask;
using carina::io::detail::DicomFileHeader;
using carina::io::detail::DicomSliceSink;
using Failure = carina::io::detail::DicomFileError;

namespace {

int g_out = -1; // protocol channel; fd 1 is redirected to stderr so library chatter cannot corrupt it

void writeAll(const std::string &text)
{
    const char *p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        const ssize_t n = ::write(g_out, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            std::_Exit(3); // parent gone
        }
        p += n;
        left -= std::size_t(n);
    }
}

/// Writes converted slices into the shared volume. pwrite rather than a mapping: the kernel then
/// allocates the shared pages without zeroing them first and without a page fault per 4 KB,
/// which on its own cost more than reading and converting the slices.
class SliceWriter final : public DicomSliceSink
{
public:
    /// Slice k goes to k * sliceBytes of the block.
    SliceWriter(int fd, const DicomDecodeTask &task) : m_fd(fd), m_task(task)
    {
        if (fd < 0)
            throw Failure("internal: decode task without its shared memory");
        if (task.sliceBytes <= 0)
            throw Failure("internal: empty slices");
        if (s_capacity < std::size_t(task.sliceBytes)) {
            s_capacity = std::size_t(task.sliceBytes);
            s_buffer.reset(new std::uint64_t[(s_capacity + 7) / 8]);
        }
    }
    SliceWriter(const SliceWriter &) = delete;
    SliceWriter &operator=(const SliceWriter &) = delete;

    /// Where to convert one slice to, whichever it is (reused: it stays in cache).
    char *buffer(int) override { return reinterpret_cast<char *>(s_buffer.get()); }

    void write(int slice) override
    {
        const long long inVolume = (long long)slice * m_task.sliceBytes;
        if (slice < 0 || inVolume + m_task.sliceBytes > m_task.volumeBytes)
            throw Failure("internal: slice " + std::to_string(slice) + " outside the shared volume");
        std::size_t done = 0;
        const std::size_t bytes = std::size_t(m_task.sliceBytes);
        while (done < bytes) {
            const ssize_t n = ::pwrite(m_fd, buffer(slice) + done, bytes - done, off_t(inVolume + (long long)done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw Failure(std::string("cannot write into the shared volume: ") + std::strerror(n < 0 ? errno : ENOSPC));
            done += std::size_t(n);
        }
    }

private:
    int m_fd;
    const DicomDecodeTask &m_task;
    static inline std::unique_ptr<std::uint64_t[]> s_buffer;
    static inline std::size_t s_capacity = 0;
};

#if defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define CARINA_WORKER_UNDER_ASAN 1
#  endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#  define CARINA_WORKER_UNDER_ASAN 1
#endif

unsigned long long g_startupAddressSpace = 0; // read before the sandbox closes /proc to us

/// The machine's physical memory: no task may need more than this.
unsigned long long physicalMemory()
{
    const long pages = ::sysconf(_SC_PHYS_PAGES), pageSize = ::sysconf(_SC_PAGESIZE);
    return pages > 0 && pageSize > 0 ? (unsigned long long)pages * (unsigned long long)pageSize : ~0ull;
}

/// Caps the address space for the next task at what a genuine file of this size could need.
/// GDCM allocates (and zero-fills) whatever length an element declares before reading it, so a
/// damaged 10 KB file could make a worker take 3.7 GB (found by fuzz_dicom_worker). Past the
/// cap, GDCM's allocation fails and the task ends with a message instead. Only the soft limit
/// moves, so the next task can raise it again. Not under AddressSanitizer, whose shadow memory
/// alone is larger than any such cap.
void limitMemoryForTask(int fileFd, unsigned long long decodedBytes)
{
#ifndef CARINA_WORKER_UNDER_ASAN
    struct stat st {};
    const unsigned long long fileBytes = fileFd >= 0 && ::fstat(fileFd, &st) == 0 ? (unsigned long long)st.st_size : 0;
    // The file read whole, the decoded frames with GDCM's conversion copies, and room for the
    // heap kept between tasks (up to M_TRIM_THRESHOLD), the decoders' tables and the thread
    // arenas glibc reserves.
    const unsigned long long budget = g_startupAddressSpace + (1ull << 30) + 3 * fileBytes + 4 * decodedBytes;
    rlimit limit {};
    if (::getrlimit(RLIMIT_AS, &limit) != 0)
        return;
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? budget : std::min<rlim_t>(budget, limit.rlim_max);
    ::setrlimit(RLIMIT_AS, &limit);
#else
    (void)fileFd;
    (void)decodedBytes;
#endif
}

/// Reads protocol lines from fd 0; file descriptors sent along (SCM_RIGHTS, one per decode
/// task) queue up in `fds` in the order of their lines.
class LineReader
{
public:
    bool next(std::string &line, std::deque<int> &fds)
    {
        for (;;) {
            const std::size_t newline = m_pending.find('\n');
            if (newline != std::string::npos) {
                line = m_pending.substr(0, newline);
                m_pending.erase(0, newline + 1);
                return true;
            }
            pollfd input{0, POLLIN, 0};
            if (::poll(&input, 1, 0) == 0) {
                // Idle: hand GDCM's big decode buffers back so a waiting worker stays small.
                // (Not between tasks: reusing the heap spares a page fault per 4 KB.)
                ::malloc_trim(0);
            }
            char chunk[65536];
            iovec iov{chunk, sizeof chunk};
            alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 16)];
            msghdr msg{};
            msg.msg_iov = &iov;
            msg.msg_iovlen = 1;
            msg.msg_control = control;
            msg.msg_controllen = sizeof control;
            ssize_t n = ::recvmsg(0, &msg, MSG_CMSG_CLOEXEC);
            if (n < 0 && errno == ENOTSOCK) { // run by hand from a shell: scan tasks still work
                msg.msg_controllen = 0;
                n = ::read(0, chunk, sizeof chunk);
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false; // the application is done with us (or gone)
            for (cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                    continue;
                const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                for (std::size_t i = 0; i < count; ++i) {
                    int fd;
                    std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                    fds.push_back(fd);
                }
            }
            m_pending.append(chunk, std::size_t(n));
        }
    }

private:
    std::string m_pending;
};

/// Start-up done outside the sandbox: the address space at start (GDCM's dictionaries are
/// built by then), and a high OOM score so that under memory pressure the kernel kills a
/// decoder, which costs one file, before the application, which costs the user's work.
void prepare()
{
    unsigned long long pages = 0;
    std::ifstream("/proc/self/statm") >> pages;
    g_startupAddressSpace = pages * (unsigned long long)::sysconf(_SC_PAGESIZE);
    std::ofstream("/proc/self/oom_score_adj") << 1000;
}

int popFd(std::deque<int> &fds)
{
    if (fds.empty())
        return -1;
    const int fd = fds.front();
    fds.pop_front();
    return fd;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc > 1) {
        std::fprintf(stderr, "carina-dicom-worker is an internal helper of Carina: it reads tasks from a socket\n");
        return 2;
    }
    (void)argv;
    // Die with the thread that started us: a worker must never outlive the application.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() == 1)
        return 2;
    g_out = ::dup(1);
    ::dup2(2, 1);
    gdcm::Trace::SetDebug(false);
    gdcm::Trace::SetWarning(false);
    gdcm::Trace::SetError(false);
    gdcm::ImageHelper::SetForceRescaleInterceptSlope(true);
    // GDCM allocates and frees several slice-sized buffers per file; served by mmap they cost
    // a page fault and a zeroed page per 4 KB each time, more than the JPEG decoding itself.
    ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
    ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
    prepare();
#ifndef CARINA_WORKER_UNDER_ASAN
    // Only a missing system-call filter is worth a warning: without a network namespace (many
    // containers refuse user namespaces) the filter still denies socket().
    const carina::io::detail::SandboxReport sandbox = carina::io::detail::applySandbox();
    if (!sandbox.seccomp)
        writeAll("W\t" + carina::io::detail::escapeField(sandbox.warning) + "\n");
#else
    // AddressSanitizer's runtime maps shadow memory with its own calls and LeakSanitizer's exit
    // check clones and ptraces a helper: the allowlist would break it. Sanitizer builds test the
    // decoding, release builds the sandbox (docs/security.md).
#endif
    const unsigned long long machine = physicalMemory();

    LineReader reader;
    std::deque<int> fds;
    std::string line;
    while (reader.next(line, fds)) {
        const std::size_t tab1 = line.find('\t');
        const std::size_t tab2 = tab1 == std::string::npos ? std::string::npos : line.find('\t', tab1 + 1);
        if (tab2 == std::string::npos)
            continue;
        const std::string id = line.substr(0, tab1);
        const char kind = line[tab1 + 1];
        const std::string payload = line.substr(tab2 + 1);
        int shared = -1, file = -1;
        if (kind == 'D')
            shared = popFd(fds);
        if (kind == 'D' || kind == 'F')
            file = popFd(fds);
        writeAll("B " + id + "\n");
        try {
            if (kind == 'S' || kind == 'F') {
                if (kind == 'F' && file < 0)
                    throw Failure("internal: header task without its file");
                const DicomFileHeader header = kind == 'F' ? (limitMemoryForTask(file, 0), carina::io::detail::scanDicomFile(file))
                                                           : carina::io::detail::scanDicomFile(carina::io::detail::unescapeField(payload));
                writeAll("R " + id + "\t" + header.toRecord() + "\n");
            } else {
                if (file < 0)
                    throw Failure("internal: decode task without its file");
                const DicomDecodeTask task = DicomDecodeTask::fromRecord(payload);
                const DicomFileHeader &h = task.header;
                // In floating point: a damaged header's product overflows any integer.
                const double declared = double(std::max(h.rows, 0)) * double(std::max(h.columns, 0)) * double(std::max(h.frames, 1))
                    * double(std::max(h.samplesPerPixel, 1)) * double(std::max(h.bitsAllocated / 8, 1));
                if (declared > double(machine))
                    throw Failure("declares " + std::to_string((long long)(declared / 1e6)) + " MB of pixel data, more than this machine's "
                                  + std::to_string(machine / 1000000) + " MB of memory");
                limitMemoryForTask(file, (unsigned long long)declared);
                SliceWriter writer(shared, task);
                const bool fits = carina::io::detail::decodeDicomTask(task, file, writer);
                writeAll("R " + id + "\tfits=" + (fits ? "1" : "0") + "\n");
            }
        } catch (const std::bad_alloc &) {
            // Past the cap above: the file declares far more data than it holds.
            writeAll("E " + id + "\tdamaged: the file declares more data than it can hold (out of memory while decoding)\n");
        } catch (const std::exception &e) {
            writeAll("E " + id + "\t" + carina::io::detail::escapeField(e.what()) + "\n");
        }
        if (shared >= 0)
            ::close(shared);
        if (file >= 0)
            ::close(file);
    }
    return 0;
}
