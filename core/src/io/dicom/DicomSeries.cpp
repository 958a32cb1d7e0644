// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/io/DicomSeries.h>

#include "io/dicom/DicomFileHeader.h"
#include "io/dicom/DicomRecord.h"
#include "io/dicom/DicomVolumePlan.h"
#include "io/dicom/DicomWorkerPool.h"
#include "io/dicom/DicomWorkerTasks.h"
#include "io/dicom/SharedMemory.h"

#include <carina/io/IoError.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

namespace carina::io {

namespace detail {
/// The scan's headers of a series, parallel to DicomSeriesInfo::files, and where the workers
/// already placed the pixels of plain uncompressed files (see canDecodeDuringScan).
struct DicomScannedHeaders
{
    std::vector<std::string> files;
    std::vector<DicomFileHeader> headers;
    std::shared_ptr<const SharedMemory> scanMemory; ///< one for the whole scan, shared by its series
    std::vector<int> placedPart;    ///< per file: the part holding its int16 slice, -1 for none
    std::vector<long long> scanSlot; ///< per file: its slot (the scan's task index)
    std::size_t placedInScan = 0;    ///< files placed in the whole scan, all series together
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
/// With `scanMemory`, plain uncompressed files are decoded as they are scanned: placedPart[i]
/// then says which of its parts holds file i's slice at slot i (-1: not placed).
std::vector<std::optional<DicomFileHeader>> scanHeaders(const std::vector<std::string> &files, std::vector<std::string> &problems,
                                                        const TaskContext &context, double progressBegin, double progressEnd,
                                                        const detail::SharedMemory *scanMemory = nullptr,
                                                        std::vector<int> *placedPart = nullptr)
{
    if (placedPart)
        placedPart->assign(files.size(), -1);
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
    if (scanMemory && placedPart)
        options.sharedFds = scanMemory->fds();
    std::size_t done = 0;
    DicomWorkerPool::instance().run(
        options, tasks,
        [&](std::size_t file, const WorkerOutcome &outcome) {
            if (outcome.kind == WorkerOutcome::Kind::Done) {
                DicomFileHeader h = DicomFileHeader::fromRecord(outcome.text);
                if (h.rows > 0 && h.columns > 0) {
                    headers[file] = std::move(h);
                    if (placedPart && outcome.text.ends_with("\tscanslot=1"))
                        (*placedPart)[file] = outcome.part;
                } else {
                    problems.push_back(files[file] + ": no image size in the header");
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

/// Decodes the planned slices into shared memory; partOfSlice[k] says which part holds slice k.
/// Returns false when a value did not fit the chosen int16 (the caller redoes it in float32).
bool decodeInto(const detail::SharedMemory &memory, std::vector<int> &partOfSlice, const detail::DicomVolumePlan &plan,
                VoxelType type, const std::vector<std::string> &files, const std::vector<DicomFileHeader> &headers,
                const TaskContext &context, double progressBegin, double progressEnd)
{
    partOfSlice.assign(plan.slices.size(), 0);
    const std::vector<DicomDecodeTask> taskList = detail::planDecodeTasks(plan, type, files, headers, memory.size());
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
    bool fits = true;
    std::size_t slicesDone = 0;
    DicomWorkerPool::instance().run(
        options, tasks,
        [&](std::size_t task, const WorkerOutcome &outcome) {
            if (outcome.kind != WorkerOutcome::Kind::Done)
                throw IoError(outcomeProblem(taskList[task].file, outcome));
            if (outcome.text.find("fits=0") != std::string::npos)
                fits = false;
            for (int slice : taskList[task].slices)
                partOfSlice[std::size_t(slice)] = outcome.part;
            slicesDone += taskList[task].frames.size();
            context.progress(progressBegin + (progressEnd - progressBegin) * double(slicesDone) / double(plan.slices.size()),
                             "Decoding DICOM images");
            return fits; // once int16 is known to overflow, the rest is wasted work
        },
        context);
    return fits;
}

/// The volume straight from the slices the scan already placed, when it placed every one of them
/// as the plan wants them (int16, one grey frame per file, whole pages) and they are all this
/// series' (in a folder of several series, mapping some would keep the others' pages alive).
/// Null otherwise: the caller decodes as usual.
std::shared_ptr<void> mapPlacedSlices(const DicomSeriesInfo &series, const detail::DicomVolumePlan &plan, std::size_t sliceBytes)
{
    const auto &scanned = series.scannedHeaders;
    if (!scanned || !scanned->scanMemory || scanned->files != series.files || scanned->placedPart.size() != series.files.size()
        || scanned->placedInScan != series.files.size() || plan.type != VoxelType::Int16 || plan.channels != 1)
        return nullptr;
    if (!detail::SharedMemory::canSplit(sliceBytes))
        return nullptr;
    std::vector<detail::SharedMemory::Piece> pieces;
    pieces.reserve(plan.slices.size());
    for (const detail::DicomSliceSource &source : plan.slices) {
        const int part = scanned->placedPart[source.file];
        if (part < 0 || source.frame != 0)
            return nullptr;
        pieces.push_back({part, scanned->scanSlot[source.file] * detail::kScanSlotBytes});
    }
    return scanned->scanMemory->map(pieces, sliceBytes);
}

} // namespace

DicomScan scanDicom(const std::string &path, const TaskContext &context)
{
    context.progress(0.0, "Listing DICOM files");
    const std::vector<std::string> files = listFiles(path);
    if (files.empty())
        throw IoError(path + ": the folder holds no files");
    DicomScan scan;
    // Sparse: only the slots of plain files get pages, and those pages become the volume.
    const auto scanMemory = std::make_shared<const detail::SharedMemory>(
        std::size_t(files.size()) * std::size_t(detail::kScanSlotBytes), workerCount(files.size()), false);
    std::vector<int> placedPart;
    const std::vector<std::optional<DicomFileHeader>> headers =
        scanHeaders(files, scan.problems, context, 0.0, 1.0, scanMemory.get(), &placedPart);
    const std::size_t placedInScan = std::size_t(std::count_if(placedPart.begin(), placedPart.end(), [](int p) { return p >= 0; }));
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
        group->scanMemory = scanMemory;
        group->placedPart.push_back(placedPart[i]);
        group->scanSlot.push_back((long long)i);
        group->placedInScan = placedInScan;
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
    VoxelType type = plan.type;
    const auto bytesFor = [&](VoxelType t) { return plan.geometry.voxelCount() * std::size_t(plan.channels) * voxelTypeSize(t); };
    const auto sliceBytesFor = [&](VoxelType t) { return bytesFor(t) / std::max<std::size_t>(1, plan.slices.size()); };
    std::shared_ptr<void> mapping = mapPlacedSlices(series, plan, sliceBytesFor(type));
    // One part per worker where slices are whole pages (see SharedMemory).
    const auto partsFor = [&](VoxelType t) { return detail::SharedMemory::canSplit(sliceBytesFor(t)) ? workerCount(plan.slices.size()) : 1; };
    if (!mapping) {
        auto memory = std::make_unique<detail::SharedMemory>(bytesFor(type), partsFor(type));
        std::vector<int> partOfSlice;
        if (!decodeInto(*memory, partOfSlice, plan, type, series.files, headers, context, decodeBegin, 1.0)) {
            // Integral rescale, but some value left the int16 range: float32 keeps them all exactly.
            type = VoxelType::Float32;
            memory = std::make_unique<detail::SharedMemory>(bytesFor(type), partsFor(type));
            decodeInto(*memory, partOfSlice, plan, type, series.files, headers, context, decodeBegin, 1.0);
        }
        mapping = memory->map(partOfSlice, sliceBytesFor(type));
    }
    void *data = mapping.get();
    LoadResult result{Volume(type, plan.geometry, plan.channels, std::move(mapping), data), plan.warnings};
    ImageInfo &info = result.volume.info();
    info.modality = headers.front().modality;
    info.units = info.modality == "CT" && plan.channels == 1 ? "HU" : "";
    info.description = headers.front().description;
    info.sourcePath = sourceOf(series.files);
    context.progress(1.0, "DICOM series loaded");
    return result;
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
