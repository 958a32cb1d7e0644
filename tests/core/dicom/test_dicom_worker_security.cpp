// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors

// The DICOM worker as a security boundary: its sandbox (denied paths, sockets, exec; decoding
// still works), the application's distrust of what a worker sends, memory budgets for sizes a
// file declares, and the application's own reads of the files the scan saw.

#include <carina/io/DicomSeries.h>
#include <carina/io/IoError.h>

#include "io/dicom/DicomPixels.h"
#include "io/dicom/DicomWorkerPool.h"
#include "io/dicom/DicomWorkerTasks.h"
#include "io/dicom/WorkerSandbox.h"

#include <gdcmTrace.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace carina;
using namespace carina::io;
namespace fs = std::filesystem;

#if defined(__SANITIZE_ADDRESS__)
#  define UNDER_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define UNDER_ASAN 1
#  endif
#endif

namespace {

#ifdef UNDER_ASAN
constexpr int kSlowdown = 3; // AddressSanitizer: the worker and this process run ~3x slower
#else
constexpr int kSlowdown = 1;
#endif

const std::string kShared = CARINA_SHARED_DIR;
const std::string kRobustness = kShared + "/data/dicom-robustness";
const std::string kLung = std::string(CARINA_SOURCE_DIR) + "/data/sample/lungpetctdx-a0002";
const std::string kWorker = std::string(CARINA_BINARY_DIR) + "/bin/carina-dicom-worker";

std::vector<std::string> dicomFilesIn(const std::string &folder)
{
    std::vector<std::string> files;
    for (const auto &entry : fs::directory_iterator(folder))
        if (entry.path().extension() == ".dcm")
            files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

/// A field of /proc/<pid>/status ("Seccomp", "NoNewPrivs", "VmHWM"), "" when absent.
std::string statusField(const std::string &pid, const std::string &key)
{
    std::ifstream in("/proc/" + pid + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + ":", 0) == 0) {
            std::string v = line.substr(key.size() + 1);
            v.erase(0, v.find_first_not_of(" \t"));
            return v;
        }
    return {};
}

double kilobytes(const std::string &field) { return std::atof(statusField("self", field).c_str()); }

/// Resets this process's peak RSS (VmHWM) to its current RSS, so a test measures only itself.
void resetPeakMemory()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

/// Live carina-dicom-worker children of this process.
std::vector<std::string> workerChildren()
{
    std::vector<std::string> pids;
    for (const auto &entry : fs::directory_iterator("/proc")) {
        const std::string pid = entry.path().filename().string();
        if (!std::all_of(pid.begin(), pid.end(), ::isdigit))
            continue;
        if (statusField(pid, "PPid") != std::to_string(::getpid()))
            continue;
        std::error_code ec;
        if (fs::read_symlink(entry.path() / "exe", ec).filename() == "carina-dicom-worker")
            pids.push_back(pid);
    }
    return pids;
}

/// Little-endian explicit-VR DICOM with encapsulated pixel data (transfer syntax `syntax`):
/// a header declaring `columns` x `rows` x `frames` 16-bit pixels and one tiny fragment.
std::string encapsulatedFile(const std::string &syntax, unsigned columns, unsigned rows, const std::string &frames, int z = 0)
{
    std::string out(128, '\0');
    out += "DICM";
    auto u16 = [&out](unsigned v) { out += char(v & 0xff); out += char((v >> 8) & 0xff); };
    auto u32 = [&](unsigned v) { u16(v & 0xffff); u16(v >> 16); };
    auto element = [&](std::uint16_t group, std::uint16_t elem, const char *vr, std::string value) {
        if (value.size() % 2)
            value += std::strcmp(vr, "UI") == 0 ? '\0' : ' ';
        u16(group);
        u16(elem);
        out += vr;
        u16(unsigned(value.size()));
        out += value;
    };
    auto us = [](unsigned v) { return std::string{char(v & 0xff), char(v >> 8)}; };
    element(0x0002, 0x0010, "UI", syntax);
    element(0x0008, 0x0060, "CS", "CT");
    element(0x0020, 0x000e, "UI", "1.2.826.0.1.3680043.2.1125.77");
    element(0x0020, 0x0032, "DS", "0\\0\\" + std::to_string(z));
    element(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0");
    element(0x0028, 0x0002, "US", us(1));
    element(0x0028, 0x0004, "CS", "MONOCHROME2");
    element(0x0028, 0x0008, "IS", frames);
    element(0x0028, 0x0010, "US", us(rows));
    element(0x0028, 0x0011, "US", us(columns));
    element(0x0028, 0x0030, "DS", "0.5\\0.5");
    element(0x0028, 0x0100, "US", us(16));
    element(0x0028, 0x0101, "US", us(16));
    element(0x0028, 0x0103, "US", us(0));
    // (7fe0,0010) OB, undefined length: an empty offset table, one fragment, the delimiter.
    u16(0x7fe0);
    u16(0x0010);
    out += "OB";
    u16(0);
    u32(0xffffffffu);
    u16(0xfffe); u16(0xe000); u32(0);
    u16(0xfffe); u16(0xe000); u32(64);
    out += std::string(64, '\x5a');
    u16(0xfffe); u16(0xe0dd); u32(0);
    return out;
}

void writeFile(const std::string &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

/// A stand-in worker (a shell script) and the message scanDicom(file) ends with through it.
std::string scanThroughFakeWorker(const QTemporaryDir &dir, const std::string &name, const std::string &body, const std::string &file,
                                  qint64 *elapsed = nullptr)
{
    const QString script = dir.filePath(QString::fromStdString(name));
    {
        std::ofstream out(script.toStdString());
        out << "#!/bin/sh\n" << body;
    }
    fs::permissions(script.toStdString(), fs::perms::owner_all);
    qputenv("CARINA_DICOM_WORKER", script.toLocal8Bit());
    std::string message;
    QElapsedTimer timer;
    timer.start();
    try {
        scanDicom(file);
        message = "(accepted)";
    } catch (const IoError &e) {
        message = e.what();
    }
    if (elapsed)
        *elapsed = timer.elapsed();
    qunsetenv("CARINA_DICOM_WORKER");
    return message;
}

class MemorySink final : public detail::DicomSliceSink
{
public:
    explicit MemorySink(std::size_t sliceBytes, std::size_t slices) : m_data(sliceBytes * slices), m_sliceBytes(sliceBytes) {}
    char *buffer(int slice) override { return m_data.data() + std::size_t(slice) * m_sliceBytes; }
    void write(int) override {}
    const std::vector<char> &data() const { return m_data; }

private:
    std::vector<char> m_data;
    std::size_t m_sliceBytes;
};

/// Decodes every frame of the file open on `fd` as int16 through the worker's own code; returns
/// the sum of the values (a fingerprint to compare with the unsandboxed decode).
long long decodeSum(int fd)
{
    const detail::DicomFileHeader h = detail::scanDicomFile(fd);
    detail::DicomDecodeTask task;
    task.header = h;
    for (int f = 0; f < h.frames; ++f) {
        task.frames.push_back(f);
        task.slices.push_back(f);
    }
    task.outputType = "f32";
    task.sliceBytes = (long long)h.rows * h.columns * 4;
    task.volumeBytes = task.sliceBytes * h.frames;
    MemorySink sink(std::size_t(task.sliceBytes), std::size_t(h.frames));
    detail::decodeDicomTask(task, fd, sink);
    const float *v = reinterpret_cast<const float *>(sink.data().data());
    double sum = 0;
    for (std::size_t i = 0; i < sink.data().size() / 4; ++i)
        sum += v[i];
    return (long long)sum;
}

} // namespace

class TestDicomWorkerSecurity : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // The worker's code runs in this process too (decodeSum): keep GDCM as quiet as there.
        gdcm::Trace::SetDebug(false);
        gdcm::Trace::SetWarning(false);
        gdcm::Trace::SetError(false);
    }

    void sandbox_denies_paths_sockets_and_exec_but_decoding_works()
    {
#ifdef UNDER_ASAN
        QSKIP("AddressSanitizer's runtime needs calls the allowlist denies (LeakSanitizer clones and ptraces at exit); "
              "the release build tests the sandbox");
#endif
        const std::vector<std::string> lung = fs::exists(kLung) ? dicomFilesIn(kLung) : std::vector<std::string>{};
        if (lung.empty() || !fs::exists(kRobustness))
            QSKIP("the bundled sample or ../shared/data/dicom-robustness is absent");
        // Plain (the bundled series), JPEG-LS and JPEG 2000 files, opened before the sandbox as
        // the application does; their values decoded unconfined first.
        const std::vector<std::string> files = {lung.front(), lung.back(), kRobustness + "/pydicom_testfiles/MR_small_jpeg_ls_lossless.dcm",
                                                kRobustness + "/pydicom_testfiles/MR_small_jp2klossless.dcm",
                                                kRobustness + "/pydicom_data/emri_small_jpeg_2k_lossless.dcm"};
        std::vector<int> fds;
        std::vector<long long> expected;
        for (const std::string &f : files) {
            fds.push_back(::open(f.c_str(), O_RDONLY | O_CLOEXEC));
            QVERIFY2(fds.back() >= 0, f.c_str());
            expected.push_back(decodeSum(fds.back()));
        }
        int report[2];
        QVERIFY(::pipe(report) == 0);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            // Child: one result line per check; the parent reads them (the child must not use
            // QTest, nor anything that needs a denied call).
            std::string out;
            const detail::SandboxReport r = detail::applySandbox();
            out += std::string("seccomp=") + (r.seccomp ? "1" : "0") + " nnp=" + (r.noNewPrivs ? "1" : "0") + "\n";
            const int opened = ::open("/etc/passwd", O_RDONLY);
            out += "open=" + std::string(opened < 0 ? std::strerror(errno) : "ALLOWED") + "\n";
            const int inet = ::socket(AF_INET, SOCK_STREAM, 0);
            out += "socket=" + std::string(inet < 0 ? std::strerror(errno) : "ALLOWED") + "\n";
            const int local = ::socket(AF_UNIX, SOCK_STREAM, 0);
            out += "unix=" + std::string(local < 0 ? std::strerror(errno) : "ALLOWED") + "\n";
            char *argv[] = {const_cast<char *>("/bin/true"), nullptr};
            char *envp[] = {nullptr};
            ::execve("/bin/true", argv, envp);
            out += "exec=" + std::string(std::strerror(errno)) + "\n";
            for (std::size_t i = 0; i < fds.size(); ++i) {
                try {
                    out += "decode" + std::to_string(i) + "=" + std::to_string(decodeSum(fds[i])) + "\n";
                } catch (const std::exception &e) {
                    out += "decode" + std::to_string(i) + "=FAILED " + e.what() + "\n";
                }
            }
            [[maybe_unused]] const ssize_t n = ::write(report[1], out.data(), out.size());
            ::_exit(0);
        }
        ::close(report[1]);
        std::string text;
        char buffer[4096];
        for (ssize_t n; (n = ::read(report[0], buffer, sizeof buffer)) > 0;)
            text.append(buffer, std::size_t(n));
        ::close(report[0]);
        int status = 0;
        ::waitpid(child, &status, 0);
        for (int fd : fds)
            ::close(fd);
        QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0, text.c_str());
        QVERIFY2(text.find("seccomp=1 nnp=1") != std::string::npos, text.c_str());
        QVERIFY2(text.find("open=Permission denied") != std::string::npos, text.c_str());
        QVERIFY2(text.find("socket=Operation not permitted") != std::string::npos, text.c_str());
        QVERIFY2(text.find("unix=Operation not permitted") != std::string::npos, text.c_str());
        QVERIFY2(text.find("exec=Operation not permitted") != std::string::npos, text.c_str());
        for (std::size_t i = 0; i < files.size(); ++i) {
            const std::string line = "decode" + std::to_string(i) + "=" + std::to_string(expected[i]) + "\n";
            QVERIFY2(text.find(line) != std::string::npos, qPrintable(QString::fromStdString(files[i] + " in the sandbox: " + text)));
        }
    }

    void real_workers_are_sandboxed_with_a_minimal_environment()
    {
        if (!fs::exists(kLung))
            QSKIP("the bundled sample is absent");
        qputenv("CARINA_TEST_SECRET", "must-not-reach-the-worker");
        const DicomScan scan = scanDicom(kLung); // the idle workers stay for the next call
        qunsetenv("CARINA_TEST_SECRET");
        const std::vector<std::string> workers = workerChildren();
        QVERIFY(!workers.empty());
        std::error_code ec;
        const fs::path ourNet = fs::read_symlink("/proc/self/ns/net", ec);
        for (const std::string &pid : workers) {
#ifndef UNDER_ASAN // (the filter is not installed under AddressSanitizer, see above)
            QCOMPARE(statusField(pid, "Seccomp"), std::string("2"));
            QCOMPARE(statusField(pid, "NoNewPrivs"), std::string("1"));
#endif
            std::string score;
            std::ifstream("/proc/" + pid + "/oom_score_adj") >> score;
            QCOMPARE(score, std::string("1000"));
            std::ifstream environ("/proc/" + pid + "/environ");
            const std::string env((std::istreambuf_iterator<char>(environ)), {});
            QVERIFY2(env.find("CARINA_TEST_SECRET") == std::string::npos && env.find("HOME=") == std::string::npos, env.c_str());
            // Own network namespace where the kernel lets an unprivileged process have one.
#ifndef UNDER_ASAN
            if (::access("/proc/sys/user/max_user_namespaces", R_OK) == 0) {
                std::ifstream max("/proc/sys/user/max_user_namespaces");
                long n = 0;
                max >> n;
                if (n > 0)
                    QVERIFY(fs::read_symlink("/proc/" + pid + "/ns/net", ec) != ourNet);
            }
#else
            (void)ourNet;
#endif
        }
        // And they still decode: the bundled series (plain, through the workers) and compressed files.
        qputenv("CARINA_DICOM_PLAIN_IN_WORKERS", "1");
        const Volume lung = loadDicomSeries(scan.series.front()).volume;
        qunsetenv("CARINA_DICOM_PLAIN_IN_WORKERS");
        QCOMPARE(lung.dims()[2], 30);
        QVERIFY(lung.valueRange().first < -900);
        if (fs::exists(kRobustness)) {
            const std::string base = kRobustness + "/pydicom_testfiles/";
            const Volume reference = loadDicomSeries(scanDicom(base + "MR_small.dcm").series.front()).volume;
            for (const char *name : {"MR_small_jpeg_ls_lossless.dcm", "MR_small_jp2klossless.dcm"}) {
                const Volume v = loadDicomSeries(scanDicom(base + name).series.front()).volume;
                QVERIFY2(std::memcmp(v.rawData(), reference.rawData(), reference.byteSize()) == 0, name);
            }
        }
    }

    void a_path_sent_to_a_sandboxed_worker_is_not_opened()
    {
#ifdef UNDER_ASAN
        QSKIP("the worker does not sandbox itself under AddressSanitizer (see above)");
#endif
        if (!fs::exists(kLung))
            QSKIP("the bundled sample is absent");
        // The by-hand task kind names a path: the real worker, sandboxed, cannot open it.
        qputenv("CARINA_DICOM_WORKER", kWorker.c_str());
        detail::DicomWorkerPool::Run options;
        options.workers = 1;
        std::vector<detail::WorkerOutcome> outcomes;
        detail::DicomWorkerPool::instance().run(
            options, {dicomFilesIn(kLung).front()},
            [&](std::size_t, const detail::WorkerOutcome &o) {
                outcomes.push_back(o);
                return true;
            },
            TaskContext::none());
        qunsetenv("CARINA_DICOM_WORKER");
        QCOMPARE(outcomes.size(), std::size_t(1));
        QCOMPARE(int(outcomes[0].kind), int(detail::WorkerOutcome::Kind::Failed));
        QVERIFY2(outcomes[0].text.find("Permission denied") != std::string::npos, outcomes[0].text.c_str());
    }

    void garbage_records_are_a_named_error()
    {
        if (!fs::exists(kLung))
            QSKIP("the bundled sample is absent");
        QTemporaryDir dir;
        const std::string file = dicomFilesIn(kLung).front();
        const std::string garbage = scanThroughFakeWorker(dir, "garbage", "while read -r line; do printf 'hello \\001garbage\\n'; done\n", file);
        QVERIFY2(garbage.find(file + ": the DICOM decoder broke its protocol on this file (it sent \"hello ?garbage\")") != std::string::npos,
                 garbage.c_str());
        // Answers for tasks it was not given are no better.
        const std::string stranger = scanThroughFakeWorker(dir, "stranger", "while read -r id rest; do printf 'B 999\\n'; done\n", file);
        QVERIFY2(stranger.find(file + ": the DICOM decoder broke its protocol") != std::string::npos
                     && stranger.find("task 999, which it was not given") != std::string::npos,
                 stranger.c_str());
    }

    void a_zero_frame_count_is_a_named_error()
    {
        if (!fs::exists(kLung))
            QSKIP("the bundled sample is absent");
        QTemporaryDir dir;
        const std::string file = dicomFilesIn(kLung).front();
        const std::string zero = scanThroughFakeWorker(
            dir, "zero", "while read -r id rest; do printf 'B %s\\nR %s\\trows=512\\tcols=512\\tframes=0\\tuid=1.2\\n' $id $id; done\n", file);
        QVERIFY2(zero.find(file + ": the DICOM worker sent an invalid header: frame count 0") != std::string::npos, zero.c_str());
        // Sizes that would overflow int on the way in, and pixel data past the end of the file.
        const std::string wide = scanThroughFakeWorker(
            dir, "wide", "while read -r id rest; do printf 'B %s\\nR %s\\trows=4294967808\\tcols=512\\n' $id $id; done\n", file);
        QVERIFY2(wide.find(file + ": the DICOM worker sent an invalid header: rows 4294967808") != std::string::npos, wide.c_str());
        const std::string past = scanThroughFakeWorker(
            dir, "past", "while read -r id rest; do printf 'B %s\\nR %s\\trows=512\\tcols=512\\tpoff=400000000\\n' $id $id; done\n", file);
        QVERIFY2(past.find(file + ": the DICOM worker sent an invalid header: pixel data at byte 400000000") != std::string::npos, past.c_str());
    }

    void an_endless_line_is_a_named_error_in_bounded_memory()
    {
        if (!fs::exists(kLung))
            QSKIP("the bundled sample is absent");
        QTemporaryDir dir;
        const std::string file = dicomFilesIn(kLung).front();
        resetPeakMemory();
        const double before = kilobytes("VmRSS");
        qint64 elapsed = 0;
        const std::string endless = scanThroughFakeWorker(
            dir, "endless", "read -r id rest; printf 'B %s\\nR %s\\t' $id $id; /usr/bin/head -c 100000000 /dev/zero | /usr/bin/tr '\\0' x; printf '\\n'\n",
            file, &elapsed);
        const double grown = (kilobytes("VmHWM") - before) / 1024;
        qInfo("100 MB line: named in %lld ms, peak RSS grew by %.1f MB", elapsed, grown);
        QVERIFY2(endless.find(file + ": the DICOM decoder broke its protocol on this file (it sent a line of more than 8 MB)") != std::string::npos,
                 endless.c_str());
        QVERIFY2(grown < 64, qPrintable(QString("peak RSS grew by %1 MB").arg(grown)));
        QVERIFY2(elapsed < 5000 * kSlowdown, qPrintable(QString("%1 ms").arg(elapsed)));
    }

    void a_worker_killed_from_outside_counts_against_its_file_after_one_retry()
    {
        if (!fs::exists(kLung))
            QSKIP("the bundled sample is absent");
        QTemporaryDir dir;
        const std::string file = dicomFilesIn(kLung).front();
        // SIGKILL not sent by the pool: what the OOM killer does.
        const std::string killed = scanThroughFakeWorker(dir, "oom", "read -r id rest; printf 'B %s\\n' $id; kill -9 $$\n", file);
        QVERIFY2(killed.find(file + ": the DICOM decoder crashed on this file") != std::string::npos
                     && killed.find("SIGKILL") != std::string::npos && killed.find("twice") != std::string::npos,
                 killed.c_str());
    }

    void compressed_file_declaring_terabytes_is_refused_quickly()
    {
        QTemporaryDir dir;
        const std::string file = dir.filePath("huge.dcm").toStdString();
        // JPEG-LS lossless, 65535 x 65535 x 1000 frames of 16 bits (8.6 TB) in a 1 KB file.
        writeFile(file, encapsulatedFile("1.2.840.10008.1.2.4.80", 65535, 65535, "1000"));
        QVERIFY(fs::file_size(file) < 100000);
        resetPeakMemory();
        QElapsedTimer timer;
        timer.start();
        std::string message;
        try {
            loadDicomSeries(scanDicom(file).series.front());
            message = "(loaded)";
        } catch (const IoError &e) {
            message = e.what();
        }
        qInfo("refused in %lld ms, peak RSS %.0f MB", timer.elapsed(), kilobytes("VmHWM") / 1024);
        QVERIFY2(message.find(file + ": declares 65535 x 65535 x 1000 frames (8590 GB of pixels), more than this machine's memory")
                     != std::string::npos,
                 message.c_str());
        QVERIFY2(timer.elapsed() < 1000 * kSlowdown, qPrintable(QString("%1 ms").arg(timer.elapsed())));
        QVERIFY2(kilobytes("VmHWM") < 300 * 1024, qPrintable(QString("peak RSS %1 MB").arg(kilobytes("VmHWM") / 1024)));
    }

    void a_series_larger_than_the_machine_is_refused_before_allocating()
    {
        // Each file may fit on its own; together they do not: single 32768 x 65535 frames
        // (4.3 GB each) in 1 KB JPEG 2000 files, twice as many as the machine holds.
        const double machine = double(::sysconf(_SC_PHYS_PAGES)) * double(::sysconf(_SC_PAGESIZE));
        const int files = std::min(400, int(2 * machine / (32768.0 * 65535 * 2)) + 2);
        QTemporaryDir dir;
        for (int i = 0; i < files; ++i)
            writeFile(dir.filePath(QString("f%1.dcm").arg(i, 3, 10, QChar('0'))).toStdString(),
                      encapsulatedFile("1.2.840.10008.1.2.4.90", 32768, 65535, "1", i));
        resetPeakMemory();
        QElapsedTimer timer;
        timer.start();
        std::string message;
        try {
            const DicomScan scan = scanDicom(dir.path().toStdString());
            loadDicomSeries(scan.series.front());
            message = "(loaded)";
        } catch (const IoError &e) {
            message = e.what();
        }
        qInfo("%d files: refused in %lld ms, peak RSS %.0f MB", files, timer.elapsed(), kilobytes("VmHWM") / 1024);
        QVERIFY2(message.find("more than this machine's memory") != std::string::npos, message.c_str());
        if (machine > 8e9) // the whole series, not one file, is too large
            QVERIFY2(message.find(dir.path().toStdString() + ": a 32768 x 65535 x " + std::to_string(files) + " volume needs") != std::string::npos,
                     message.c_str());
        QVERIFY2(timer.elapsed() < 1000 * kSlowdown, qPrintable(QString("%1 ms").arg(timer.elapsed())));
        QVERIFY2(kilobytes("VmHWM") < 300 * 1024, qPrintable(QString("peak RSS %1 MB").arg(kilobytes("VmHWM") / 1024)));
    }

    void a_fifo_swapped_in_after_the_scan_does_not_block()
    {
        if (!fs::exists(kLung))
            QSKIP("the bundled sample is absent");
        QTemporaryDir dir;
        const std::vector<std::string> files = dicomFilesIn(kLung);
        for (std::size_t k = 0; k < 4; ++k)
            fs::copy_file(files[k], fs::path(dir.path().toStdString()) / fs::path(files[k]).filename());
        const DicomScan scan = scanDicom(dir.path().toStdString());
        const std::string victim = (fs::path(dir.path().toStdString()) / fs::path(files[2]).filename()).string();
        fs::remove(victim);
        QVERIFY(::mkfifo(victim.c_str(), 0600) == 0);
        for (const bool inWorkers : {false, true}) {
            if (inWorkers)
                qputenv("CARINA_DICOM_PLAIN_IN_WORKERS", "1");
            auto load = std::async(std::launch::async, [&] {
                try {
                    loadDicomSeries(scan.series.front());
                    return std::string("(loaded)");
                } catch (const IoError &e) {
                    return std::string(e.what());
                }
            });
            const bool prompt = load.wait_for(std::chrono::seconds(3)) == std::future_status::ready;
            if (!prompt) {
                // Unblock a reader stuck in open() or read() of the FIFO: a writer comes and goes.
                const int w = ::open(victim.c_str(), O_WRONLY | O_NONBLOCK);
                if (w >= 0)
                    ::close(w);
            }
            const std::string message = load.get();
            qunsetenv("CARINA_DICOM_PLAIN_IN_WORKERS");
            QVERIFY2(prompt, "a FIFO in place of a scanned file blocked the load");
            QVERIFY2(message.find(victim + ": not a regular file") != std::string::npos, message.c_str());
        }
    }

    void a_file_changed_after_the_scan_is_refused()
    {
        if (!fs::exists(kLung))
            QSKIP("the bundled sample is absent");
        QTemporaryDir dir;
        const std::vector<std::string> files = dicomFilesIn(kLung);
        for (std::size_t k = 0; k < 4; ++k)
            fs::copy_file(files[k], fs::path(dir.path().toStdString()) / fs::path(files[k]).filename());
        const DicomScan scan = scanDicom(dir.path().toStdString());
        const std::string victim = (fs::path(dir.path().toStdString()) / fs::path(files[1]).filename()).string();
        // Another file of the same size at the same name (another patient's slice, say).
        const std::string other = (fs::path(dir.path().toStdString()) / "other").string();
        fs::copy_file(victim, other);
        fs::rename(other, victim);
        try {
            loadDicomSeries(scan.series.front());
            QFAIL("a file replaced after the scan was read");
        } catch (const IoError &e) {
            QVERIFY2(std::string(e.what()).find(victim + ": replaced by another file since it was scanned") != std::string::npos, e.what());
        }
        // Grown in place (same inode).
        std::ofstream(victim, std::ios::binary | std::ios::app) << "appended";
        const DicomScan again = scanDicom(dir.path().toStdString());
        std::ofstream(victim, std::ios::binary | std::ios::app) << "more";
        try {
            loadDicomSeries(again.series.front());
            QFAIL("a file changed after the scan was read");
        } catch (const IoError &e) {
            QVERIFY2(std::string(e.what()).find(victim + ": changed since it was scanned") != std::string::npos, e.what());
        }
    }

    void int16_rescale_guards_work_in_64_bits()
    {
        // uint16 65535 x slope 32768 + intercept 2^29 is past int32: the int32 kernel must not
        // take it (UndefinedBehaviorSanitizer reports the overflow in the sanitizer build).
        detail::DicomRescale r;
        r.slope = 32768;
        r.intercept = 1 << 29;
        const std::uint16_t big[2] = {65535, 0};
        std::int16_t out[2] = {};
        QVERIFY(!detail::convertDicomPixels(reinterpret_cast<const char *>(big), 2, 16, false, false, r, "i16", out));
        // A whole-number slope beyond int32 wrapped to 1 on conversion: value 7 seemed to fit.
        r.slope = 4294967297.0; // 2^32 + 1
        r.intercept = 0;
        const std::uint16_t seven[1] = {7};
        QVERIFY(!detail::convertDicomPixels(reinterpret_cast<const char *>(seven), 1, 16, false, false, r, "i16", out));
        const std::uint8_t seven8[1] = {7};
        QVERIFY(!detail::convertDicomPixels(reinterpret_cast<const char *>(seven8), 1, 8, false, false, r, "i16", out));
        // Ordinary CT rescale still takes the fast path and gives the right values.
        r.slope = 1;
        r.intercept = -1024;
        const std::uint16_t ct[3] = {0, 1024, 4095};
        std::int16_t hu[3] = {};
        QVERIFY(detail::convertDicomPixels(reinterpret_cast<const char *>(ct), 3, 16, false, false, r, "i16", hu));
        QCOMPARE(hu[0], std::int16_t(-1024));
        QCOMPARE(hu[1], std::int16_t(0));
        QCOMPARE(hu[2], std::int16_t(3071));
    }
};

QTEST_GUILESS_MAIN(TestDicomWorkerSecurity)
#include "test_dicom_worker_security.moc"
