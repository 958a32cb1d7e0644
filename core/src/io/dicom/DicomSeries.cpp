// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/io/DicomSeries.h>

#include "io/dicom/DicomFileHeader.h"
#include "io/dicom/DicomPixels.h"
#include "io/dicom/DicomRecord.h"
#include "io/dicom/DicomVolumePlan.h"
#include "io/dicom/DicomWorkerPool.h"
#include "io/dicom/SharedMemory.h"
#include "io/MemoryBudget.h"
#include "model/VoxelMemory.h"

#include <carina/io/IoError.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <thread>
#include <unistd.h>

#include <tbb/parallel_for.h>

namespace carina::io {

namespace detail {
/// The scan's headers of a series, parallel to DicomSeriesInfo::files.
struct DicomScannedHeaders
{
    std::vector<std::string> files;
    std::vector<DicomFileHeader> headers;
};
} // namespace detail

namespace {

using detail::DicomDecodeTask;
using detail::DicomFileHeader;
using detail::DicomWorkerPool;
using detail::WorkerOutcome;

int workerCount(std::size_t jobs)
{
    const int cores = int(std::max(2u, std::thread::hardware_concurrency()));
    return int(std::min<std::size_t>(std::size_t(cores), std::max<std::size_t>(1, jobs)));
}

std::string outcomeProblem(const std::string &file, const WorkerOutcome &outcome)
{
    switch (outcome.kind) {
    case WorkerOutcome::Kind::Crashed:
        return file + ": the DICOM decoder crashed on this file (malformed?) [" + outcome.text + "]";
    case WorkerOutcome::Kind::Hung:
        return file + ": the DICOM decoder hung on this file (" + outcome.text + ")";
    case WorkerOutcome::Kind::Broken:
        return file + ": the DICOM decoder broke its protocol on this file (" + outcome.text + ")";
    default:
        return file + ": " + outcome.text;
    }
}

std::vector<std::string> listFiles(const std::string &path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        throw IoError(path + ": no such file or folder");
    if (!fs::is_directory(status))
        return {path};
    // skip_permission_denied below is for subfolders: the folder asked for must be readable, or
    // it would look empty ("holds no files") instead of unreadable.
    if (fs::directory_iterator top(path, ec); ec)
        throw IoError(path + ": cannot list the folder: " + ec.message());
    std::vector<std::string> files;
    for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.starts_with('.')) { // hidden files and folders (.DS_Store, .git) are never images
            if (it->is_directory(ec))
                it.disable_recursion_pending();
            continue;
        }
        if (name == "DICOMDIR") // an index of the folder, no image
            continue;
        if (it->is_regular_file(ec))
            files.push_back(it->path().string());
    }
    if (ec)
        throw IoError(path + ": cannot list the folder: " + ec.message());
    std::sort(files.begin(), files.end());
    return files;
}

/// Header pass over `files` in worker processes. Returns a header per file (nullopt when the
/// file is not a usable image; `problems` says why).
std::vector<std::optional<DicomFileHeader>> scanHeaders(const std::vector<std::string> &files, std::vector<std::string> &problems,
                                                        const TaskContext &context, double progressBegin, double progressEnd)
{
    std::vector<std::optional<DicomFileHeader>> headers(files.size());
    // Task i is file i. Even empty or gzip files go to the workers: opening each one here first
    // cost more than the workers' answer.
    std::vector<std::string> tasks;
    for (const std::string &file : files)
        tasks.push_back(detail::escapeField(file));
    if (tasks.empty())
        return headers;
    DicomWorkerPool::Run options;
    options.mode = DicomWorkerPool::Mode::Scan;
    options.workers = workerCount(tasks.size());
    options.inFlight = 8; // a header takes ~0.1 ms: keep the workers fed
    // The workers open nothing themselves (their sandbox forbids it): each gets a read-only
    // descriptor, opened non-blocking so a FIFO cannot hang us, of a regular file whose identity
    // is kept to check that later reads find the same file.
    std::vector<detail::DicomFileIdentity> identities(files.size());
    options.openFile = [&](std::size_t file) {
        const int fd = detail::openScannedFile(files[file], detail::DicomFileIdentity{});
        try {
            identities[file] = detail::identityOf(fd);
        } catch (...) {
            ::close(fd);
            throw;
        }
        return fd;
    };
    const unsigned long long memory = detail::machineMemoryBytes();
    std::size_t done = 0;
    DicomWorkerPool::instance().run(
        options, tasks,
        [&](std::size_t file, const WorkerOutcome &outcome) {
            if (outcome.kind == WorkerOutcome::Kind::Done) {
                try {
                    DicomFileHeader h = DicomFileHeader::fromWorkerRecord(outcome.text, identities[file].size, memory);
                    h.identity = identities[file];
                    headers[file] = std::move(h);
                } catch (const detail::DicomFileError &e) {
                    problems.push_back(files[file] + ": " + e.what());
                }
            } else {
                problems.push_back(outcomeProblem(files[file], outcome));
            }
            context.progress(progressBegin + (progressEnd - progressBegin) * double(++done) / double(tasks.size()),
                             "Reading DICOM headers");
            return true;
        },
        context);
    return headers;
}

std::string sourceOf(const std::vector<std::string> &files)
{
    if (files.size() == 1)
        return files[0];
    std::filesystem::path common = std::filesystem::path(files[0]).parent_path();
    for (const std::string &f : files)
        while (!common.empty() && std::filesystem::path(f).string().rfind(common.string(), 0) != 0)
            common = common.parent_path();
    return common.string();
}

/// Decodes `tasks` in worker processes into shared memory; partOfSlice[k] says which part holds
/// slice k. Returns false when a value did not fit the chosen int16 (the caller redoes it in
/// float32).
bool decodeInWorkers(const detail::SharedMemory &memory, std::vector<int> &partOfSlice, const std::vector<DicomDecodeTask> &taskList,
                     std::size_t sliceCount, const TaskContext &context, double progressBegin, double progressEnd)
{
    partOfSlice.assign(sliceCount, 0);
    std::vector<std::string> tasks;
    std::size_t mostFrames = 0;
    for (const DicomDecodeTask &t : taskList) {
        tasks.push_back(t.toRecord());
        mostFrames = std::max(mostFrames, t.frames.size());
    }

    DicomWorkerPool::Run options;
    options.mode = DicomWorkerPool::Mode::Decode;
    options.workers = workerCount(tasks.size());
    options.sharedFds = memory.fds();
    options.inFlight = 3;
    // A huge compressed multi-frame file may legitimately take a while in one go.
    options.watchdog = std::chrono::milliseconds(15000 + 50 * (long long)mostFrames);
    // The file the scan saw, or an error naming what changed (see scanHeaders).
    options.openFile = [&](std::size_t task) { return detail::openScannedFile(taskList[task].file, taskList[task].header.identity); };
    bool fits = true;
    std::size_t slicesDone = 0;
    DicomWorkerPool::instance().run(
        options, tasks,
        [&](std::size_t task, const WorkerOutcome &outcome) {
            if (outcome.kind != WorkerOutcome::Kind::Done)
                throw IoError(outcomeProblem(taskList[task].file, outcome));
            if (outcome.text != "fits=0" && outcome.text != "fits=1")
                throw IoError(taskList[task].file + ": the DICOM worker sent an invalid result (\"" + outcome.text.substr(0, 40) + "\")");
            if (outcome.text == "fits=0")
                fits = false;
            for (int slice : taskList[task].slices)
                partOfSlice[std::size_t(slice)] = outcome.part;
            slicesDone += taskList[task].frames.size();
            context.progress(progressBegin + (progressEnd - progressBegin) * double(slicesDone) / double(sliceCount),
                             "Decoding DICOM images");
            return fits; // once int16 is known to overflow, the rest is wasted work
        },
        context);
    return fits;
}

/// Writes each slice straight to its place in a volume of this process.
class VolumeSliceSink final : public detail::DicomSliceSink
{
public:
    explicit VolumeSliceSink(Volume &volume)
        : m_data(static_cast<char *>(volume.rawData())), m_sliceBytes(volume.byteSize() / std::size_t(volume.dims()[2])),
          m_slices(std::size_t(volume.dims()[2]))
    {
    }
    char *buffer(int slice) override
    {
        if (slice < 0 || std::size_t(slice) >= m_slices)
            throw detail::DicomFileError("internal: slice " + std::to_string(slice) + " outside the volume");
        return m_data + std::size_t(slice) * m_sliceBytes;
    }
    void write(int) override {} // already in place

private:
    char *m_data;
    std::size_t m_sliceBytes;
    std::size_t m_slices;
};

/// Reads plain pixel data (every task isPlainPixelTask) in this process, straight into `volume`,
/// on all cores. No parser runs here: only reads of the byte ranges the workers' header pass
/// found, and arithmetic that any byte values are fine for. Going through shared memory instead
/// costs a fresh 4 KB page per 4 KB of volume, which was most of the load. Returns false when a
/// value did not fit the int16 volume.
bool decodeInProcess(Volume &volume, const std::vector<DicomDecodeTask> &tasks, const TaskContext &context, double progressBegin,
                     double progressEnd)
{
    VolumeSliceSink sink(volume);
    std::atomic<bool> fits{true};
    std::atomic<std::size_t> slicesDone{0};
    const std::size_t sliceCount = std::size_t(volume.dims()[2]);
    const std::thread::id caller = std::this_thread::get_id();
    tbb::parallel_for(std::size_t(0), tasks.size(), [&](std::size_t t) {
        if (context.isCanceled() || !fits.load(std::memory_order_relaxed))
            return; // once int16 is known to overflow, the rest is wasted work
        const DicomDecodeTask &task = tasks[t];
        try {
            const int fd = detail::openScannedFile(task.file, task.header.identity);
            struct Closer
            {
                int fd;
                ~Closer() { ::close(fd); }
            } closer{fd};
            if (!detail::readPlainPixels(task, fd, sink))
                fits.store(false, std::memory_order_relaxed);
        } catch (const detail::DicomFileError &e) {
            throw IoError(task.file + ": " + e.what());
        }
        const std::size_t done = slicesDone.fetch_add(task.frames.size(), std::memory_order_relaxed) + task.frames.size();
        if (std::this_thread::get_id() == caller) // progress goes to the caller's thread only
            context.progress(progressBegin + (progressEnd - progressBegin) * double(done) / double(sliceCount),
                             "Reading DICOM images");
    });
    context.throwIfCanceled();
    return fits;
}

} // namespace

DicomScan scanDicom(const std::string &path, const TaskContext &context)
{
    context.progress(0.0, "Listing DICOM files");
    const std::vector<std::string> files = listFiles(path);
    if (files.empty())
        throw IoError(path + ": the folder holds no files");
    DicomScan scan;
    const std::vector<std::optional<DicomFileHeader>> headers = scanHeaders(files, scan.problems, context, 0.0, 1.0);
    // Workers finish in any order; headless output must not depend on that.
    std::sort(scan.problems.begin(), scan.problems.end());

    std::map<std::string, std::shared_ptr<detail::DicomScannedHeaders>> groups;
    std::vector<std::string> order;
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (!headers[i])
            continue;
        // A file without SeriesInstanceUID cannot be matched with others: it is a series alone.
        const std::string key = headers[i]->seriesUid.empty() ? "file:" + files[i] : headers[i]->seriesUid;
        auto &group = groups[key];
        if (!group) {
            group = std::make_shared<detail::DicomScannedHeaders>();
            order.push_back(key);
        }
        group->files.push_back(files[i]);
        group->headers.push_back(*headers[i]);
    }
    for (const std::string &key : order) {
        const auto &group = groups[key];
        const DicomFileHeader &first = group->headers.front();
        DicomSeriesInfo info;
        info.seriesInstanceUid = first.seriesUid;
        info.modality = first.modality;
        info.description = first.description;
        info.files = group->files;
        info.rows = first.rows;
        info.columns = first.columns;
        for (const DicomFileHeader &h : group->headers)
            info.frameCount += h.frames;
        info.scannedHeaders = group;
        scan.series.push_back(std::move(info));
    }
    std::stable_sort(scan.series.begin(), scan.series.end(),
                     [](const DicomSeriesInfo &a, const DicomSeriesInfo &b) { return a.frameCount > b.frameCount; });
    if (scan.series.empty()) {
        std::string why;
        for (std::size_t i = 0; i < scan.problems.size() && i < 3; ++i)
            why += (i ? "; " : ": ") + scan.problems[i];
        if (scan.problems.size() > 3)
            why += "; and " + std::to_string(scan.problems.size() - 3) + " more";
        throw IoError(path + ": no readable DICOM image" + why);
    }
    context.progress(1.0, "Reading DICOM headers");
    return scan;
}

LoadResult loadDicomSeries(const DicomSeriesInfo &series, const TaskContext &context)
{
    if (series.files.empty())
        throw IoError("the DICOM series " + series.seriesInstanceUid + " lists no files");
    std::vector<DicomFileHeader> headers;
    double decodeBegin = 0.0;
    if (series.scannedHeaders && series.scannedHeaders->files == series.files) {
        headers = series.scannedHeaders->headers;
    } else {
        std::vector<std::string> problems;
        const auto scanned = scanHeaders(series.files, problems, context, 0.0, 0.1);
        if (!problems.empty())
            throw IoError(problems.front());
        for (const auto &h : scanned)
            headers.push_back(*h);
        decodeBegin = 0.1;
    }
    context.throwIfCanceled();

    const detail::DicomVolumePlan plan = detail::planDicomVolume(series.files, headers);
    // Every header fits the machine on its own (scanHeaders); many together may not.
    {
        const auto &dims = plan.geometry.dims;
        const double bytes = double(dims[0]) * double(dims[1]) * double(dims[2]) * double(plan.channels) * double(voxelTypeSize(plan.type));
        detail::checkFitsInMemory(bytes, sourceOf(series.files) + ": a " + std::to_string(dims[0]) + " x " + std::to_string(dims[1]) + " x "
                                             + std::to_string(dims[2]) + " volume");
    }
    const auto bytesFor = [&](VoxelType t) { return plan.geometry.voxelCount() * std::size_t(plan.channels) * voxelTypeSize(t); };
    const auto tasksFor = [&](VoxelType t) { return detail::planDecodeTasks(plan, t, series.files, headers, bytesFor(t)); };
    VoxelType type = plan.type;
    std::vector<DicomDecodeTask> tasks = tasksFor(type);
    Volume volume;
    // In-process only where the volume gets huge pages: two threads faulting in 4 KB pages of one
    // address space took 0.15 s for the phantom, the workers' writes into shared memory 0.07 s.
    // (CARINA_DICOM_PLAIN_IN_WORKERS=1 takes the workers' way anyway, for tests.)
    const bool inProcess = carina::detail::voxelMemoryGetsHugePages() && !std::getenv("CARINA_DICOM_PLAIN_IN_WORKERS");
    if (inProcess && std::all_of(tasks.begin(), tasks.end(), detail::isPlainPixelTask)) {
        volume = Volume(type, plan.geometry, plan.channels);
        if (!decodeInProcess(volume, tasks, context, decodeBegin, 1.0)) {
            // Integral rescale, but some value left the int16 range: float32 keeps them all exactly.
            type = VoxelType::Float32;
            volume = Volume(type, plan.geometry, plan.channels);
            decodeInProcess(volume, tasksFor(type), context, decodeBegin, 1.0);
        }
    } else {
        // One part per worker where slices are whole pages (see SharedMemory).
        const auto sliceBytesFor = [&](VoxelType t) { return bytesFor(t) / std::max<std::size_t>(1, plan.slices.size()); };
        const auto partsFor = [&](VoxelType t) { return detail::SharedMemory::canSplit(sliceBytesFor(t)) ? workerCount(plan.slices.size()) : 1; };
        auto memory = std::make_unique<detail::SharedMemory>(bytesFor(type), partsFor(type));
        std::vector<int> partOfSlice;
        if (!decodeInWorkers(*memory, partOfSlice, tasks, plan.slices.size(), context, decodeBegin, 1.0)) {
            type = VoxelType::Float32;
            memory = std::make_unique<detail::SharedMemory>(bytesFor(type), partsFor(type));
            decodeInWorkers(*memory, partOfSlice, tasksFor(type), plan.slices.size(), context, decodeBegin, 1.0);
        }
        std::shared_ptr<void> mapping = memory->map(partOfSlice, sliceBytesFor(type));
        void *data = mapping.get();
        volume = Volume(type, plan.geometry, plan.channels, std::move(mapping), data);
    }
    LoadResult result{std::move(volume), plan.warnings};
    ImageInfo &info = result.volume.info();
    info.modality = headers.front().modality;
    info.units = info.modality == "CT" && plan.channels == 1 ? "HU" : "";
    info.description = headers.front().description;
    info.sourcePath = sourceOf(series.files);
    context.progress(1.0, "DICOM series loaded");
    return result;
}

std::vector<std::string> scanProblemWarnings(const std::vector<std::string> &problems, bool countStrayFiles)
{
    constexpr std::size_t shown = 10;
    std::size_t notImages = 0;
    std::vector<std::string> named;
    for (const std::string &problem : problems) {
        if (problem.find(": not a DICOM file") != std::string::npos
            || problem.find(": holds no image (no Pixel Data element)") != std::string::npos) {
            ++notImages;
            continue;
        }
        // "<path>: <why>" -> "<file name>: <why>"
        const std::size_t reason = problem.find(": ");
        const std::size_t slash = reason == std::string::npos ? std::string::npos : problem.rfind('/', reason);
        named.push_back(slash == std::string::npos ? problem : problem.substr(slash + 1));
    }
    std::vector<std::string> warnings;
    if (notImages > 0 && countStrayFiles)
        warnings.push_back(std::to_string(notImages) + (notImages == 1 ? " file is" : " files are")
                           + " not a DICOM image and " + (notImages == 1 ? "was" : "were") + " skipped");
    for (std::size_t i = 0; i < named.size() && i < shown; ++i)
        warnings.push_back(named[i]);
    if (named.size() > shown)
        warnings.push_back("... and " + std::to_string(named.size() - shown) + " more damaged files skipped");
    return warnings;
}

bool looksLikeDicom(const std::string &path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    auto fileLooksLikeDicom = [](const fs::path &file) {
        std::ifstream in(file, std::ios::binary);
        unsigned char head[132] = {};
        in.read(reinterpret_cast<char *>(head), sizeof head);
        const std::streamsize n = in.gcount();
        if (n == 132 && std::memcmp(head + 128, "DICM", 4) == 0)
            return true;
        // No preamble (old ACR-NEMA style): the first element is usually in group 0002 or 0008,
        // little or big endian, with an explicit VR or a plausible 4-byte length.
        if (n < 8)
            return false;
        const int groupLe = head[0] | (head[1] << 8), groupBe = (head[0] << 8) | head[1];
        if (groupLe != 0x0002 && groupLe != 0x0008 && groupBe != 0x0008)
            return false;
        const bool explicitVr = std::isupper(head[4]) && std::isupper(head[5]);
        const unsigned lengthLe = head[4] | (head[5] << 8) | (unsigned(head[6]) << 16) | (unsigned(head[7]) << 24);
        return explicitVr || lengthLe < 1024;
    };
    if (fs::is_regular_file(path, ec))
        return fileLooksLikeDicom(path);
    if (!fs::is_directory(path, ec))
        return false;
    int checked = 0;
    for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end && checked < 32; it.increment(ec)) {
        if (!it->is_regular_file(ec))
            continue;
        ++checked;
        if (fileLooksLikeDicom(it->path()))
            return true;
    }
    return false;
}

} // namespace carina::io
