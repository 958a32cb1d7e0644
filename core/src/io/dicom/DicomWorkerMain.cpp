// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors

// carina-dicom-worker: parses and decodes untrusted DICOM files for libcarina-core.
//
// Debian's GDCM aborts the process on some malformed input (assertions are on), so the library
// never parses DICOM itself: it runs a few of these workers and feeds them files. Protocol (see
// DicomWorkerPool): the parent writes task lines on a socket (fd 0 and 1); for each, the worker
// first writes "B <id>\n" (so a crash names its file), then "R <id>\t<record>\n" or
// "E <id>\t<message>\n". Task lines are "<id>\t<kind>\t<record>":
//   S  header pass: the record is a file path, the answer a DicomFileHeader record (the pixel
//      data is not read)
//   D  decode: the record is a DicomDecodeTask; the task comes with a shared-memory descriptor
//      (SCM_RIGHTS) that the worker writes the rescaled slices into

#include "io/dicom/DicomFileHeader.h"
#include "io/dicom/DicomRecord.h"
#include "io/dicom/DicomWorkerTasks.h"

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

/// Caps the address space for the next task at what a genuine file of this size could need.
/// GDCM allocates (and zero-fills) whatever length an element declares before reading it, so a
/// damaged 10 KB file could make a worker take 3.7 GB (found by fuzz_dicom_worker). Past the
/// cap, GDCM's allocation fails and the task ends with a message instead. Only the soft limit
/// moves, so the next task can raise it again. Not under AddressSanitizer, whose shadow memory
/// alone is larger than any such cap.
void limitMemoryForTask(const std::string &file, unsigned long long decodedBytes)
{
#ifndef CARINA_WORKER_UNDER_ASAN
    // Address space at start-up (libraries, GDCM's dictionaries): read once, it costs more
    // than a small header pass.
    static const unsigned long long startup = [] {
        unsigned long long pages = 0;
        std::ifstream("/proc/self/statm") >> pages;
        return pages * (unsigned long long)::sysconf(_SC_PAGESIZE);
    }();
    struct stat st {};
    const unsigned long long fileBytes = ::stat(file.c_str(), &st) == 0 ? (unsigned long long)st.st_size : 0;
    // The file read whole, the decoded frames with GDCM's conversion copies, and room for the
    // heap kept between tasks (up to M_TRIM_THRESHOLD), the decoders' tables and the thread
    // arenas glibc reserves.
    const unsigned long long budget = startup + (1ull << 30) + 3 * fileBytes + 4 * decodedBytes;
    rlimit limit {};
    if (::getrlimit(RLIMIT_AS, &limit) != 0)
        return;
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? budget : std::min<rlim_t>(budget, limit.rlim_max);
    ::setrlimit(RLIMIT_AS, &limit);
#else
    (void)file;
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
            alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 8)];
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
        int fd = -1;
        if (kind == 'D' && !fds.empty()) {
            fd = fds.front();
            fds.pop_front();
        }
        writeAll("B " + id + "\n");
        try {
            if (kind == 'S') {
                const std::string file = carina::io::detail::unescapeField(payload);
                limitMemoryForTask(file, 0);
                const DicomFileHeader header = carina::io::detail::scanDicomFile(file);
                writeAll("R " + id + "\t" + header.toRecord() + "\n");
            } else {
                const DicomDecodeTask task = DicomDecodeTask::fromRecord(payload);
                const DicomFileHeader &h = task.header;
                limitMemoryForTask(task.file, (unsigned long long)std::max(h.rows, 0) * (unsigned long long)std::max(h.columns, 0)
                                                  * (unsigned long long)std::max(h.frames, 1) * (unsigned long long)std::max(h.samplesPerPixel, 1)
                                                  * (unsigned long long)std::max(h.bitsAllocated / 8, 1));
                SliceWriter writer(fd, task);
                const bool fits = carina::io::detail::decodeDicomTask(task, writer);
                writeAll("R " + id + "\tfits=" + (fits ? "1" : "0") + "\n");
            }
        } catch (const std::bad_alloc &) {
            // Past the cap above: the file declares far more data than it holds.
            writeAll("E " + id + "\tdamaged: the file declares more data than it can hold (out of memory while decoding)\n");
        } catch (const std::exception &e) {
            writeAll("E " + id + "\t" + carina::io::detail::escapeField(e.what()) + "\n");
        }
        if (fd >= 0)
            ::close(fd);
    }
    return 0;
}
