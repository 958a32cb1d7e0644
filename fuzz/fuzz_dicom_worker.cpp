// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The DICOM worker's own code, in process, so that libFuzzer sees its coverage: the header pass,
// the record lines it sends back (which must survive a round trip unchanged), the planner, and
// the decode pass into memory, including the reading of plain pixel data that the application
// does itself. fuzz_dicom drives the same code through real worker processes, where it is blind
// to coverage and runs a few inputs per second.
//
// Debian's GDCM asserts on malformed input. In the app that costs one worker and the user reads
// "<file>: the DICOM decoder crashed"; here the assertion jumps back to this harness instead of
// aborting, which is the same outcome. Nothing GDCM held is freed on that jump, so this target
// runs without leak detection (fuzz/run.sh); fuzz_dicom keeps it on for the same code.
#include "FuzzInput.h"

#include "io/dicom/DicomFileHeader.h"
#include "io/dicom/DicomVolumePlan.h"
#include "io/dicom/DicomWorkerTasks.h"

#include <carina/io/IoError.h>

#include <gdcmImageHelper.h>
#include <gdcmTrace.h>

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <new>

using namespace carina::io;
using namespace carina::io::detail;

namespace {

sigjmp_buf g_assertJump;
bool g_assertArmed = false;

// Stands for the volume: checks every slice lands inside it, keeps one slice.
class MemorySink final : public DicomSliceSink
{
public:
    MemorySink(std::size_t sliceBytes, std::size_t volumeBytes)
        : m_slice(new char[sliceBytes]), m_sliceBytes(sliceBytes), m_volumeBytes(volumeBytes)
    {
    }
    char *buffer(int) override { return m_slice.get(); }
    void write(int slice) override
    {
        if (slice < 0 || (std::size_t(slice) + 1) * m_sliceBytes > m_volumeBytes) {
            std::fprintf(stderr, "the planner sent slice %d outside a %zu-byte volume\n", slice, m_volumeBytes);
            std::abort();
        }
    }

private:
    std::unique_ptr<char[]> m_slice;
    std::size_t m_sliceBytes;
    std::size_t m_volumeBytes;
};

// The worker sends records as text lines; reading one back must give the same line.
template<typename Record>
Record throughTheProtocol(const Record &record)
{
    const std::string line = record.toRecord();
    Record back = Record::fromRecord(line);
    if (back.toRecord() != line) {
        std::fprintf(stderr, "record changed in a round trip:\n  %s\n  %s\n", line.c_str(), back.toRecord().c_str());
        std::abort();
    }
    return back;
}

// Beyond this the fuzz process's memory limit would end the run; the app checks the volume
// against the free shared memory instead.
constexpr std::size_t kMaxVolumeBytes = std::size_t(512) << 20;

void readAsTheLoaderDoes(const std::string &path)
{
    DicomFileHeader header;
    try {
        header = throughTheProtocol(scanDicomFile(path));
        // The app's checks of what a worker sends (ranges, the pixel data inside the file).
        std::error_code ec;
        const auto size = std::filesystem::file_size(path, ec);
        header = DicomFileHeader::fromWorkerRecord(header.toRecord(), ec ? -1 : (long long)size, kMaxVolumeBytes * 4);
    } catch (const DicomFileError &) {
        return; // becomes "<file>: <message>" in the scan's problems
    }
    const std::vector<std::string> files{path};
    const std::vector<DicomFileHeader> headers{header};
    try {
        const DicomVolumePlan plan = planDicomVolume(files, headers);
        const std::size_t voxels = plan.geometry.voxelCount() * std::size_t(plan.channels);
        for (carina::VoxelType type : {plan.type, carina::VoxelType::Float32}) {
            const std::size_t volumeBytes = voxels * carina::voxelTypeSize(type);
            if (volumeBytes == 0 || volumeBytes > kMaxVolumeBytes)
                return;
            bool fits = true;
            for (const DicomDecodeTask &planned : planDecodeTasks(plan, type, files, headers, volumeBytes)) {
                const DicomDecodeTask task = throughTheProtocol(planned);
                MemorySink sink(std::size_t(task.sliceBytes), volumeBytes);
                fits &= decodeDicomTask(task, sink);
            }
            if (fits)
                return; // otherwise the loader decodes again in float32
        }
    } catch (const IoError &) {
    } catch (const DicomFileError &) {
    } catch (const std::bad_alloc &) {
    }
}

} // namespace

// GDCM's assert() lands here (this executable exports the symbol, see fuzz/CMakeLists.txt).
extern "C" [[noreturn]] void __assert_fail(const char *assertion, const char *file, unsigned int line, const char *function) noexcept
{
    if (g_assertArmed) {
        g_assertArmed = false;
        siglongjmp(g_assertJump, 1);
    }
    std::fprintf(stderr, "%s:%u: %s: Assertion `%s' failed.\n", file, line, function, assertion);
    std::abort();
}

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // As in the worker's main().
    gdcm::Trace::SetDebug(false);
    gdcm::Trace::SetWarning(false);
    gdcm::Trace::SetError(false);
    gdcm::ImageHelper::SetForceRescaleInterceptSlope(true);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string path = carina::fuzz::writeInput("input.dcm", data, size);
    if (sigsetjmp(g_assertJump, 0) == 0) {
        g_assertArmed = true;
        readAsTheLoaderDoes(path);
    }
    g_assertArmed = false;
    return 0;
}
