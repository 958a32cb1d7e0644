// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/io/DicomSeries.h>
#include <carina/io/IoError.h>

#include <carina/io/Npy.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <unistd.h>

using namespace carina;
using namespace carina::io;
namespace fs = std::filesystem;

namespace {

const std::string kShared = CARINA_SHARED_DIR;
const std::string kRicord = kShared + "/data/ct/ricord1a-every2nd";
const std::string kRobustness = kShared + "/data/dicom-robustness";
const std::string kLung = std::string(CARINA_SOURCE_DIR) + "/data/sample/lungpetctdx-a0002";

std::string anchorData()
{
    const QByteArray env = qgetenv("CARINA_ANCHOR_DATA");
    return env.isEmpty() ? std::string("/tmp/carina-anchor-data") : env.toStdString();
}

/// Children of this process in state Z (exited, not reaped).
int zombieChildren()
{
    int zombies = 0;
    for (const auto &entry : fs::directory_iterator("/proc")) {
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        if (!std::getline(stat, line))
            continue;
        const std::size_t close = line.rfind(')');
        if (close == std::string::npos)
            continue;
        char state = 0;
        long ppid = 0;
        if (std::sscanf(line.c_str() + close + 1, " %c %ld", &state, &ppid) == 2 && ppid == getpid() && state == 'Z')
            ++zombies;
    }
    return zombies;
}

std::set<std::string> sharedMemorySegments()
{
    std::set<std::string> names;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator("/dev/shm", ec))
        names.insert(entry.path().filename().string());
    return names;
}

/// ImagePositionPatient z of an explicit-VR little-endian file (enough for the phantom series).
double positionZ(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    const std::size_t at = bytes.find(std::string("\x20\x00\x32\x00" "DS", 6));
    if (at == std::string::npos)
        throw std::runtime_error(path + ": no ImagePositionPatient");
    const std::size_t length = std::uint8_t(bytes[at + 6]) | (std::uint8_t(bytes[at + 7]) << 8);
    const std::string value = bytes.substr(at + 8, length);
    return std::stod(value.substr(value.rfind('\\') + 1));
}

std::vector<std::string> dicomFilesIn(const std::string &folder)
{
    std::vector<std::string> files;
    for (const auto &entry : fs::directory_iterator(folder))
        if (entry.path().extension() == ".dcm")
            files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

double meanOver(const Volume &v, int i0, int i1, int j0, int j1, int k)
{
    double sum = 0;
    int n = 0;
    for (int j = j0; j < j1; ++j)
        for (int i = i0; i < i1; ++i, ++n)
            sum += v.valueAt(i, j, k);
    return sum / n;
}

LoadResult loadLargest(const std::string &path, double *seconds = nullptr)
{
    QElapsedTimer timer;
    timer.start();
    const DicomScan scan = scanDicom(path);
    LoadResult result = loadDicomSeries(scan.series.front());
    if (seconds)
        *seconds = double(timer.nsecsElapsed()) * 1e-9;
    return result;
}

/// A minimal explicit-VR little-endian file with Float Pixel Data (7fe0,0008): 2x2 values.
std::string floatPixelFile(const std::vector<float> &values)
{
    std::string out(128, '\0');
    out += "DICM";
    auto element = [&out](std::uint16_t group, std::uint16_t elem, const char *vr, const std::string &value) {
        auto u16 = [&out](unsigned v) { out += char(v & 0xff); out += char((v >> 8) & 0xff); };
        u16(group);
        u16(elem);
        out += vr;
        const bool longLength = std::strcmp(vr, "OF") == 0 || std::strcmp(vr, "OB") == 0;
        if (longLength) {
            u16(0);
            u16(unsigned(value.size()) & 0xffff);
            u16(unsigned(value.size()) >> 16);
        } else {
            u16(unsigned(value.size()));
        }
        out += value;
    };
    auto us = [](unsigned v) { return std::string{char(v & 0xff), char(v >> 8)}; };
    const std::string syntax("1.2.840.10008.1.2.1\0", 20);
    element(0x0002, 0x0010, "UI", syntax);
    element(0x0008, 0x0060, "CS", "MR");
    element(0x0020, 0x000e, "UI", std::string("1.2.3.4.5.6.7.8\0", 16));
    element(0x0020, 0x0032, "DS", "0\\0\\0 ");
    element(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0 ");
    element(0x0028, 0x0002, "US", us(1));
    element(0x0028, 0x0004, "CS", "MONOCHROME2 ");
    element(0x0028, 0x0010, "US", us(2));
    element(0x0028, 0x0011, "US", us(2));
    element(0x0028, 0x0030, "DS", "0.5\\0.5 ");
    element(0x0028, 0x0100, "US", us(32));
    std::string pixels(values.size() * sizeof(float), '\0');
    std::memcpy(pixels.data(), values.data(), pixels.size());
    element(0x7fe0, 0x0008, "OF", pixels);
    return out;
}

} // namespace

class TestDicomSeries : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Start the worker pool once so the timings below measure loading, not process start-up.
        if (fs::exists(kLung))
            scanDicom(kLung);
    }

    void ricord_jpeg_lossless_series_loads_sorted_in_hu()
    {
        if (!fs::exists(kRicord))
            QSKIP("../shared/data/ct/ricord1a-every2nd is absent");
        double seconds = 0;
        const LoadResult r = loadLargest(kRicord, &seconds);
        qInfo("ricord (128 JPEG-lossless files): scan + load %.3f s", seconds);
        const Volume &v = r.volume;
        QCOMPARE(v.dims(), (Dims{512, 512, 128}));
        QCOMPARE(v.type(), VoxelType::Int16);
        QVERIFY(std::abs(v.geometry().spacing.z() - 2.5) < 1e-3);
        QVERIFY(std::abs(v.geometry().spacing.x() - 0.703125) < 1e-6);
        QVERIFY(v.geometry().direction(2, 2) > 0.99); // z increases with the slice index
        QVERIFY(r.warnings.empty());
        QCOMPARE(v.info().modality, std::string("CT"));
        QCOMPARE(v.info().units, std::string("HU"));
        QCOMPARE(v.info().description, std::string("ROUTINE CHEST NON-CON"));
        const int mid = 64;
        // Air in front of the chest (the image corners are outside the scanner's field of view).
        QVERIFY(std::abs(meanOver(v, 236, 276, 30, 60, mid) + 1000) < 80);
        int soft = 0;
        for (int j = 128; j < 384; ++j)
            for (int i = 128; i < 384; ++i)
                soft += v.valueAt(i, j, mid) >= 0 && v.valueAt(i, j, mid) <= 100;
        QVERIFY2(soft > 2000, qPrintable(QString("only %1 soft-tissue voxels").arg(soft)));
    }

    void lungpetctdx_sample_is_30_slices_of_8_mm_int16()
    {
        if (!fs::exists(kLung))
            QSKIP("the bundled sample data/sample/lungpetctdx-a0002 is absent");
        double seconds = 0;
        const LoadResult r = loadLargest(kLung, &seconds);
        qInfo("lungpetctdx (30 uncompressed files): scan + load %.3f s", seconds);
        QCOMPARE(r.volume.dims(), (Dims{512, 512, 30}));
        QCOMPARE(r.volume.type(), VoxelType::Int16);
        QVERIFY(std::abs(r.volume.geometry().spacing.z() - 8.0) < 1e-3);
        QCOMPARE(r.volume.info().units, std::string("HU"));
        const auto [low, high] = r.volume.valueRange();
        QVERIFY(low >= -1024 && low < -900);
        QVERIFY(high > 500);

        // A series described by hand (no scan behind it) reads its headers itself.
        DicomSeriesInfo byHand;
        byHand.files = dicomFilesIn(kLung);
        const LoadResult again = loadDicomSeries(byHand);
        QVERIFY(again.volume.geometry().sameGrid(r.volume.geometry()));
        QVERIFY(std::memcmp(again.volume.rawData(), r.volume.rawData(), r.volume.byteSize()) == 0);
    }

    void phantom_series_equals_the_anchor_npy_voxel_for_voxel()
    {
        const std::string folder = anchorData() + "/dicom_series";
        const std::string npy = anchorData() + "/ct_phantom.npy";
        if (!fs::exists(folder) || !fs::exists(npy))
            QSKIP("anchor data absent: run /work/shared/anchors/gen_data.py (or set CARINA_ANCHOR_DATA)");
        double best = 1e9;
        LoadResult r;
        for (int run = 0; run < 3; ++run) { // warm file cache after the first
            double seconds = 0;
            r = loadLargest(folder, &seconds);
            best = std::min(best, seconds);
        }
        qInfo("phantom (300 uncompressed files, 150 MB): scan + load %.3f s (best of 3)", best);
        const carina::io::NpyArray expected = carina::io::readNpy(npy);
        QCOMPARE(expected.descr, std::string("<i2"));
        QCOMPARE(expected.shape, (std::vector<int>{300, 512, 512}));
        QCOMPARE(r.volume.dims(), (Dims{512, 512, 300}));
        QCOMPARE(r.volume.type(), VoxelType::Int16);
        QVERIFY(std::memcmp(r.volume.data<std::int16_t>(), expected.bytes.data(), expected.bytes.size()) == 0);
        const ImageGeometry &g = r.volume.geometry();
        QVERIFY((g.origin - Eigen::Vector3d(-178.85, -178.85, -150.0)).norm() < 1e-6);
        QVERIFY((g.spacing - Eigen::Vector3d(0.7, 0.7, 1.0)).norm() < 1e-9);
        QVERIFY(g.direction.isIdentity(1e-12));
        QVERIFY(r.warnings.empty());
    }

    void plain_pixels_read_in_process_equal_the_workers_decode()
    {
        // The app reads plain pixel data itself where the volume gets huge pages, and through the
        // workers elsewhere: both must give the same volume, bit for bit.
        if (!fs::exists(kLung))
            QSKIP("the bundled sample is absent");
        const DicomScan scan = scanDicom(kLung);
        const Volume here = loadDicomSeries(scan.series.front()).volume;
        qputenv("CARINA_DICOM_PLAIN_IN_WORKERS", "1");
        const Volume workers = loadDicomSeries(scan.series.front()).volume;
        qunsetenv("CARINA_DICOM_PLAIN_IN_WORKERS");
        QCOMPARE(workers.type(), here.type());
        QCOMPARE(workers.dims(), here.dims());
        QVERIFY(std::memcmp(workers.rawData(), here.rawData(), here.byteSize()) == 0);
        QVERIFY(here.valueRange().first < -900); // real content, not two empty volumes
    }

    void uncompressed_values_beyond_int16_fall_back_to_float32()
    {
        // The library copies uncompressed pixels itself; RescaleSlope 40 pushes the phantom's
        // soft tissue past int16, so the load must be redone in float32 with every value exact.
        const std::string folder = anchorData() + "/dicom_series";
        const std::string npy = anchorData() + "/ct_phantom.npy";
        if (!fs::exists(folder) || !fs::exists(npy))
            QSKIP("anchor data absent: run /work/shared/anchors/gen_data.py (or set CARINA_ANCHOR_DATA)");
        QTemporaryDir dir;
        std::vector<std::pair<double, std::string>> byZ;
        for (const std::string &file : dicomFilesIn(folder))
            byZ.push_back({positionZ(file), file});
        std::sort(byZ.begin(), byZ.end());
        const std::size_t first = 140; // slices 140..143, through the chest
        for (std::size_t k = first; k < first + 4; ++k) {
            std::ifstream in(byZ[k].second, std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            const std::size_t at = bytes.find(std::string("\x28\x00\x53\x10" "DS\x04\x00" "1.0 ", 12));
            QVERIFY(at != std::string::npos);
            bytes.replace(at + 8, 4, "40.0");
            std::ofstream(dir.filePath(QString::number(k) + ".dcm").toStdString(), std::ios::binary) << bytes;
        }
        const carina::io::NpyArray expected = carina::io::readNpy(npy);
        for (const bool viaWorkers : {false, true}) { // read in-process, and decoded by the workers
            if (viaWorkers)
                qputenv("CARINA_DICOM_PLAIN_IN_WORKERS", "1");
            const LoadResult r = loadLargest(dir.path().toStdString());
            qunsetenv("CARINA_DICOM_PLAIN_IN_WORKERS");
            QCOMPARE(r.volume.type(), VoxelType::Float32);
            QCOMPARE(r.volume.dims(), (Dims{512, 512, 4}));
            const std::int16_t *hu = expected.as<std::int16_t>() + first * 512 * 512;
            const float *v = r.volume.data<float>();
            float highest = -1e9f;
            for (std::size_t n = 0; n < std::size_t(4) * 512 * 512; ++n) {
                if (v[n] != float((hu[n] + 1024) * 40 - 1024))
                    QFAIL(qPrintable(QString("voxel %1: %2, expected %3").arg(n).arg(v[n]).arg((hu[n] + 1024) * 40 - 1024)));
                highest = std::max(highest, v[n]);
            }
            QVERIFY(highest > 32767.0f);
        }
    }

    void uncompressed_file_shortened_after_the_scan_is_named()
    {
        // Plain pixels are read in-process at the offsets the scan found: a file cut short in
        // between must be named, not read past its end or loaded with a hole.
        const std::string folder = anchorData() + "/dicom_series";
        if (!fs::exists(folder))
            QSKIP("anchor data absent: run /work/shared/anchors/gen_data.py (or set CARINA_ANCHOR_DATA)");
        QTemporaryDir dir;
        const std::vector<std::string> files = dicomFilesIn(folder);
        for (std::size_t k = 0; k < 6; ++k)
            fs::copy_file(files[k], fs::path(dir.path().toStdString()) / fs::path(files[k]).filename());
        const DicomScan scan = scanDicom(dir.path().toStdString());
        QCOMPARE(scan.series.size(), std::size_t(1));
        QCOMPARE(loadDicomSeries(scan.series.front()).volume.dims()[2], 6);
        const fs::path victim = fs::path(dir.path().toStdString()) / fs::path(files[3]).filename();
        fs::resize_file(victim, 100000);

        const auto expectNamed = [&](const DicomSeriesInfo &series) {
            try {
                loadDicomSeries(series);
                QFAIL("a file cut short after the scan loaded");
            } catch (const IoError &e) {
                const std::string message = e.what();
                QVERIFY2(message.find(victim.string()) != std::string::npos && message.find("truncated") != std::string::npos, e.what());
            }
        };
        expectNamed(scan.series.front()); // with the scan's headers: the read finds the end
        DicomSeriesInfo rescanned = scan.series.front();
        rescanned.scannedHeaders.reset();
        expectNamed(rescanned); // headers read again: the worker's header pass finds it
        QCOMPARE(zombieChildren(), 0);
    }

    void cancel_while_reading_uncompressed_slices_is_prompt()
    {
        // 300 x 512 KB read on all cores in-process: cancel must still stop it at once.
        const std::string folder = anchorData() + "/dicom_series";
        if (!fs::exists(folder))
            QSKIP("anchor data absent: run /work/shared/anchors/gen_data.py (or set CARINA_ANCHOR_DATA)");
        const DicomScan scan = scanDicom(folder);
        TaskContext *self = nullptr;
        QElapsedTimer sinceCancel;
        double lastFraction = 0.0;
        TaskContext context([&](double fraction, const std::string &) {
            lastFraction = fraction;
            if (fraction > 0.2 && !self->isCanceled()) {
                self->cancel();
                sinceCancel.start();
            }
        });
        self = &context;
        QVERIFY_THROWS_EXCEPTION(TaskCanceled, loadDicomSeries(scan.series.front(), context));
        QVERIFY(sinceCancel.isValid() && sinceCancel.elapsed() < 1000);
        QVERIFY2(lastFraction < 1.0, "the read ran to the end despite the cancel");
        QCOMPARE(zombieChildren(), 0);
        // Nothing is left half-done: the same series loads whole afterwards.
        QCOMPARE(loadDicomSeries(scan.series.front()).volume.dims()[2], 300);
    }

    void missing_middle_slice_gives_a_warning_naming_the_gap()
    {
        const std::string folder = anchorData() + "/dicom_series";
        if (!fs::exists(folder))
            QSKIP("anchor data absent: run /work/shared/anchors/gen_data.py (or set CARINA_ANCHOR_DATA)");
        QTemporaryDir dir;
        bool removed = false;
        for (const std::string &file : dicomFilesIn(folder)) {
            if (!removed && std::abs(positionZ(file)) < 1e-6) { // the slice at z = 0 (index 150)
                removed = true;
                continue;
            }
            fs::create_symlink(file, fs::path(dir.path().toStdString()) / fs::path(file).filename());
        }
        QVERIFY(removed);
        const LoadResult r = loadLargest(dir.path().toStdString());
        QCOMPARE(r.volume.dims()[2], 299);
        QVERIFY(!r.warnings.empty());
        QCOMPARE(r.warnings.front(), std::string("slice gap of 2.0 mm between z=-1.0 and z=1.0 mm (expected 1.0 mm): 1 slice missing?"));
    }

    void mixed_orientations_or_sizes_are_a_clear_error()
    {
        const std::string folder = anchorData() + "/dicom_series";
        if (!fs::exists(folder))
            QSKIP("anchor data absent: run /work/shared/anchors/gen_data.py (or set CARINA_ANCHOR_DATA)");
        const std::vector<std::string> files = dicomFilesIn(folder);
        // Byte patches of one file keep the series UID: a coronal slice, then a 256-row image.
        const std::vector<std::pair<std::string, std::string>> patches = {
            {std::string("1.0\\0.0\\0.0\\0.0\\1.0\\0.0 "), std::string("1.0\\0.0\\0.0\\0.0\\0.0\\1.0 ")},
            {std::string("\x28\x00\x10\x00US\x02\x00\x00\x02", 10), std::string("\x28\x00\x10\x00US\x02\x00\x00\x01", 10)}};
        const std::vector<std::string> expected = {"the series mixes slice orientations (axial in", "the series mixes image sizes"};
        for (std::size_t p = 0; p < patches.size(); ++p) {
            QTemporaryDir dir;
            const fs::path target(dir.path().toStdString());
            for (std::size_t i = 0; i < 10; ++i)
                fs::create_symlink(files[i], target / fs::path(files[i]).filename());
            std::ifstream in(files[10], std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            const std::size_t at = bytes.find(patches[p].first);
            QVERIFY(at != std::string::npos);
            bytes.replace(at, patches[p].first.size(), patches[p].second);
            const fs::path odd = target / "odd.dcm";
            std::ofstream(odd, std::ios::binary) << bytes;
            std::string message;
            try {
                loadLargest(target.string());
            } catch (const IoError &e) {
                message = e.what();
            }
            QVERIFY2(message.find(expected[p]) != std::string::npos, message.c_str());
            QVERIFY2(message.find("odd.dcm") != std::string::npos, message.c_str());
        }
    }

    void two_series_in_one_folder_are_listed_largest_first()
    {
        if (!fs::exists(kRicord) || !fs::exists(kLung))
            QSKIP("../shared/data/ct/ricord1a-every2nd or the bundled sample is absent");
        QTemporaryDir dir;
        int n = 0;
        for (const std::string &folder : {kLung, kRicord})
            for (const std::string &file : dicomFilesIn(folder))
                fs::create_symlink(file, fs::path(dir.path().toStdString()) / ("f" + std::to_string(n++) + ".dcm"));
        const DicomScan scan = scanDicom(dir.path().toStdString());
        QCOMPARE(scan.series.size(), std::size_t(2));
        QVERIFY(scan.problems.empty());
        QCOMPARE(scan.series[0].frameCount, 128);
        QCOMPARE(scan.series[0].files.size(), std::size_t(128));
        QCOMPARE(scan.series[1].frameCount, 30);
        QCOMPARE(scan.series[1].modality, std::string("CT"));
        const LoadResult small = loadDicomSeries(scan.series[1]);
        QCOMPARE(small.volume.dims()[2], 30);
    }

    void every_robustness_file_loads_or_fails_cleanly()
    {
        if (!fs::exists(kRobustness))
            QSKIP("../shared/data/dicom-robustness is absent");
        int loaded = 0, refused = 0;
        QElapsedTimer timer;
        timer.start();
        for (const auto &entry : fs::recursive_directory_iterator(kRobustness)) {
            if (!entry.is_regular_file())
                continue;
            const std::string file = entry.path().string();
            try {
                const DicomScan scan = scanDicom(file);
                for (const std::string &problem : scan.problems)
                    QVERIFY2(problem.find(file) != std::string::npos, problem.c_str());
                for (const DicomSeriesInfo &series : scan.series) {
                    const LoadResult r = loadDicomSeries(series);
                    QVERIFY(!r.volume.isNull());
                    QVERIFY(r.volume.voxelCount() > 0);
                    ++loaded;
                }
            } catch (const IoError &e) {
                const std::string message = e.what();
                QVERIFY2(message.find(file) != std::string::npos, message.c_str());
                ++refused;
            }
        }
        qInfo("dicom-robustness: %d series loaded, %d files refused with a message, %.1f s", loaded, refused,
              double(timer.elapsed()) / 1000);
        QVERIFY(loaded > 30);

        // The whole folder at once: every file ends up in a series or in a problem naming it,
        // although two of them abort the decoder on the way.
        const DicomScan all = scanDicom(kRobustness);
        std::size_t accounted = all.problems.size();
        for (const DicomSeriesInfo &series : all.series)
            accounted += series.files.size();
        std::size_t files = 0;
        for (const auto &entry : fs::recursive_directory_iterator(kRobustness))
            files += entry.is_regular_file();
        QCOMPARE(accounted, files);
        QVERIFY(std::any_of(all.problems.begin(), all.problems.end(), [](const std::string &p) {
            return p.find("abort-filemeta-explicit.dcm: the DICOM decoder crashed on this file") != std::string::npos;
        }));
        QCOMPARE(zombieChildren(), 0);
    }

    void gdcm_assertion_failures_are_reported_not_fatal()
    {
        const std::string folder = kRobustness + "/gdcm-asserts";
        if (!fs::exists(folder))
            QSKIP("../shared/data/dicom-robustness/gdcm-asserts is absent");
        for (const std::string &file : dicomFilesIn(folder)) {
            std::string message;
            try {
                const DicomScan scan = scanDicom(file);
                for (const DicomSeriesInfo &series : scan.series)
                    loadDicomSeries(series);
            } catch (const IoError &e) {
                message = e.what();
            }
            QVERIFY2(message.find(file + ": the DICOM decoder crashed on this file (malformed?)") != std::string::npos,
                     message.c_str());
            QVERIFY2(message.find("SIGABRT") != std::string::npos, message.c_str());
        }
        // The pool recovers: a good series still loads after the crashes.
        if (fs::exists(kLung))
            QCOMPARE(loadLargest(kLung).volume.dims()[2], 30);
    }

    void float_pixel_data_keeps_its_fractions()
    {
        // Float Pixel Data went through the integer stored-value step, which cut 0.25 to 0 (and
        // was undefined behaviour for values past int64; found by fuzz_dicom_worker).
        QTemporaryDir dir;
        const std::vector<float> values{0.25f, -1.5f, 3.75f, 1.75e26f};
        const std::string path = dir.filePath("float.dcm").toStdString();
        std::ofstream(path, std::ios::binary) << floatPixelFile(values);
        const LoadResult r = loadLargest(path);
        QCOMPARE(r.volume.type(), VoxelType::Float32);
        QCOMPARE(r.volume.dims(), (Dims{2, 2, 1}));
        for (int n = 0; n < 4; ++n)
            QCOMPARE(r.volume.data<float>()[n], values[std::size_t(n)]);
    }

    void compressed_and_multiframe_files_decode()
    {
        if (!fs::exists(kRobustness))
            QSKIP("../shared/data/dicom-robustness is absent");
        // Same image in several transfer syntaxes decodes to the same values.
        const std::string base = kRobustness + "/pydicom_testfiles/";
        const Volume reference = loadLargest(base + "MR_small.dcm").volume;
        for (const char *name : {"MR_small_RLE.dcm", "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm",
                                 "MR_small_bigendian.dcm", "MR_small_implicit.dcm"}) {
            const Volume v = loadLargest(base + name).volume;
            QCOMPARE(v.dims(), reference.dims());
            QVERIFY2(std::memcmp(v.rawData(), reference.rawData(), reference.byteSize()) == 0, name);
        }
        // An enhanced multi-frame CT is a volume by itself.
        const LoadResult ct = loadLargest(kRobustness + "/pydicom_data/eCT_Supplemental.dcm");
        QCOMPARE(ct.volume.dims()[2], 2);
        QVERIFY(ct.volume.geometry().spacing.z() > 0);
    }

    void cancel_kills_the_workers_and_leaves_nothing_behind()
    {
        const std::string folder = fs::exists(kRicord) ? kRicord : kLung;
        if (!fs::exists(folder))
            QSKIP("no DICOM series to load");
        const DicomScan scan = scanDicom(folder);
        const std::set<std::string> shmBefore = sharedMemorySegments();
        TaskContext *self = nullptr;
        QElapsedTimer sinceCancel;
        TaskContext context([&](double fraction, const std::string &) {
            if (fraction > 0.2 && !self->isCanceled()) {
                self->cancel();
                sinceCancel.start();
            }
        });
        self = &context;
        QVERIFY_THROWS_EXCEPTION(TaskCanceled, loadDicomSeries(scan.series.front(), context));
        QVERIFY(sinceCancel.elapsed() < 1000);
        QCOMPARE(zombieChildren(), 0);
        QCOMPARE(sharedMemorySegments(), shmBefore);
        // Nothing broken for the next load.
        QCOMPARE(loadDicomSeries(scan.series.front()).volume.dims()[2], scan.series.front().frameCount);
    }

    void hung_decoder_is_killed_and_reported()
    {
        if (!fs::exists(kLung))
            QSKIP("the bundled sample is absent");
        QTemporaryDir dir;
        // A stand-in worker that announces its task and then never answers.
        const QString script = dir.filePath("hanging-worker");
        {
            std::ofstream out(script.toStdString());
            out << "#!/bin/sh\nwhile read id kind rest; do echo \"B $id\"; sleep 30; done\n";
        }
        fs::permissions(script.toStdString(), fs::perms::owner_all);
        qputenv("CARINA_DICOM_WORKER", script.toLocal8Bit());
        qputenv("CARINA_DICOM_WATCHDOG_MS", "300");
        std::string message;
        QElapsedTimer timer;
        timer.start();
        const std::string file = dicomFilesIn(kLung).front();
        try {
            scanDicom(file);
        } catch (const IoError &e) {
            message = e.what();
        }
        qunsetenv("CARINA_DICOM_WORKER");
        qunsetenv("CARINA_DICOM_WATCHDOG_MS");
        QVERIFY2(message.find(file + ": the DICOM decoder hung on this file") != std::string::npos, message.c_str());
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(zombieChildren(), 0);
    }

    void a_worker_that_cannot_start_is_a_clear_error()
    {
        if (!fs::exists(kLung))
            QSKIP("the bundled sample is absent");
        qputenv("CARINA_DICOM_WORKER", "/bin/false");
        std::string message;
        try {
            scanDicom(kLung);
        } catch (const IoError &e) {
            message = e.what();
        }
        qunsetenv("CARINA_DICOM_WORKER");
        QVERIFY2(message.find("DICOM worker /bin/false does not start") != std::string::npos, message.c_str());
        QCOMPARE(zombieChildren(), 0);
    }

    void gzip_and_non_dicom_files_are_named_problems()
    {
        if (!fs::exists(kRobustness))
            QSKIP("../shared/data/dicom-robustness is absent");
        const std::string gz = kRobustness + "/nibabel_nicom/siemens_dwi_0.dcm.gz";
        try {
            scanDicom(gz);
            QFAIL("a gzip file scanned as DICOM");
        } catch (const IoError &e) {
            QVERIFY2(std::string(e.what()).find(gz + ": gzip-compressed") != std::string::npos, e.what());
        }
        QVERIFY(!looksLikeDicom(gz));
        QVERIFY(!looksLikeDicom(kRobustness + "/SOURCE.md"));
        QVERIFY(looksLikeDicom(kRobustness + "/pydicom_testfiles/CT_small.dcm"));
        QVERIFY(looksLikeDicom(kRobustness + "/pydicom_testfiles"));
    }
};

QTEST_GUILESS_MAIN(TestDicomSeries)
#include "test_dicom_series.moc"
