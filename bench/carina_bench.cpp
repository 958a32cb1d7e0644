// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// carina_bench: times Carina on the anchor workflows' inputs and prints one JSON line per case
// (workflow, case, median_s, min_s, runs, times_s, foreign_cpu_frac, result figures), the format
// of ../shared/anchors so bench/table.py can put both side by side.
//
// Timing follows the anchors: inputs that the anchor loads before its clock are loaded before
// ours (mesh, slice render); for `load` the clock covers path -> volume, with a warm page cache
// (one untimed run first, which also checks the volume against ct_phantom.npy). Each run's result
// is released before the next run starts.
#include "NpyFile.h"

#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/Volume.h>
#include <carina/algo/LungSegmentation.h>
#include <carina/algo/MarchingCubes.h>
#include <carina/algo/SliceRender.h>
#include <carina/io/VolumeReader.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

using namespace carina;
using bench::NpyFile;

namespace {

struct Options
{
    std::string dataDir;
    std::string workflow = "all";
    std::string caseName = "all";
    int repeat = 0; ///< 0: the workflow's default
    double waitIdleS = 0.0;
};

// ---- CPU share of other processes (same definition as anchors/anchor_common.py) -------------

double machineBusyS()
{
    std::ifstream f("/proc/stat");
    std::string cpu;
    long long v[8] = {};
    if (!(f >> cpu) || cpu != "cpu")
        return -1.0;
    for (long long &x : v)
        f >> x;
    long long busy = 0;
    for (int n = 0; n < 8; ++n)
        busy += v[n];
    busy -= v[3] + v[4]; // idle, iowait
    return double(busy) / double(sysconf(_SC_CLK_TCK));
}

double ownCpuS()
{
    // Children too (as anchor_common does): finished helper processes count as ours.
    double s = 0.0;
    for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
        rusage r{};
        getrusage(who, &r);
        s += double(r.ru_utime.tv_sec + r.ru_stime.tv_sec) + 1e-6 * double(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
    }
    return s;
}

struct CpuMeter
{
    double busy0 = machineBusyS(), own0 = ownCpuS();
    std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
    /// {CPU seconds others used, core-seconds available}
    std::pair<double, double> stop() const
    {
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const double busy = machineBusyS();
        if (busy0 < 0 || busy < 0)
            return {0.0, 0.0};
        return {std::max(0.0, (busy - busy0) - (ownCpuS() - own0)), wall * double(std::thread::hardware_concurrency())};
    }
};

void waitIdle(double maxS)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(maxS);
    while (std::chrono::steady_clock::now() < end) {
        CpuMeter m;
        std::this_thread::sleep_for(std::chrono::seconds(1));
        const auto [foreign, capacity] = m.stop();
        if (capacity <= 0.0 || foreign < 0.1 * capacity)
            return;
    }
    std::cerr << "carina_bench: the CPUs did not become idle within " << maxS << " s; timing anyway\n";
}

// ---- timing and output -----------------------------------------------------------------------

struct Timing
{
    std::vector<double> times;
    std::vector<double> cpu; ///< this process's CPU seconds per run (all threads)
    double foreignFrac = 0.0;
};

/// `warmup` untimed runs, then `repeat` timed ones.
Timing timeRuns(int repeat, int warmup, const std::function<void()> &run)
{
    for (int n = 0; n < warmup; ++n)
        run();
    Timing t;
    double foreign = 0.0, capacity = 0.0;
    for (int n = 0; n < repeat; ++n) {
        CpuMeter meter;
        const auto t0 = std::chrono::steady_clock::now();
        const double cpu0 = ownCpuS();
        run();
        t.cpu.push_back(ownCpuS() - cpu0);
        t.times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        const auto [f, c] = meter.stop();
        foreign += f;
        capacity += c;
    }
    t.foreignFrac = capacity > 0 ? foreign / capacity : 0.0;
    return t;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string number(double v, int digits = 6)
{
    if (!std::isfinite(v))
        return "null";
    std::ostringstream s;
    s.precision(digits);
    s << v;
    return s.str();
}

std::string quoted(const std::string &s)
{
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out + "\"";
}

/// Figures as (key, JSON value) in output order.
using Figures = std::vector<std::pair<std::string, std::string>>;

void emit(const std::string &workflow, const std::string &caseName, const Timing &t, const Figures &figures)
{
    std::ostringstream o;
    o << "{\"workflow\": " << quoted(workflow) << ", \"case\": " << quoted(caseName)
      << ", \"median_s\": " << number(median(t.times)) << ", \"min_s\": "
      << number(*std::min_element(t.times.begin(), t.times.end())) << ", \"runs\": " << t.times.size()
      << ", \"times_s\": [";
    for (std::size_t n = 0; n < t.times.size(); ++n)
        o << (n ? ", " : "") << number(t.times[n], 5);
    o << "], \"foreign_cpu_frac\": " << number(std::round(t.foreignFrac * 1000) / 1000, 3)
      << ", \"cpu_s\": " << number(median(t.cpu), 4) << ", \"threads\": " << std::thread::hardware_concurrency();
    for (const auto &[key, value] : figures)
        o << ", " << quoted(key) << ": " << value;
    o << "}";
    std::cout << o.str() << std::endl;
}

void emitSkip(const std::string &workflow, const std::string &caseName, const std::string &why)
{
    std::cout << "{\"workflow\": " << quoted(workflow) << ", \"case\": " << quoted(caseName)
              << ", \"skipped\": " << quoted(why) << "}" << std::endl;
}

// ---- inputs ---------------------------------------------------------------------------------

std::string readText(const std::string &path)
{
    std::ifstream f(path);
    if (!f)
        throw std::runtime_error(path + ": cannot open (run ../shared/anchors/gen_data.py first)");
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

/// A numeric list value of ct_phantom_meta.json, e.g. "spacing_zyx".
std::vector<double> metaList(const std::string &dataDir, const std::string &key)
{
    const std::string text = readText(dataDir + "/ct_phantom_meta.json");
    std::smatch m;
    if (!std::regex_search(text, m, std::regex("\"" + key + "\"\\s*:\\s*\\[([^\\]]*)\\]")))
        throw std::runtime_error(dataDir + "/ct_phantom_meta.json: no \"" + key + "\"");
    std::vector<double> out;
    std::stringstream s(m[1].str());
    std::string item;
    while (std::getline(s, item, ','))
        out.push_back(std::stod(item));
    return out;
}

/// The phantom's grid: x fastest, LPS as the anchors' README describes (identity direction).
ImageGeometry phantomGeometry(const std::string &dataDir, const std::vector<int> &shapeZyx)
{
    const std::vector<double> spacing = metaList(dataDir, "spacing_zyx");
    const std::vector<double> origin = metaList(dataDir, "origin_lps_xyz");
    ImageGeometry g;
    g.dims = {shapeZyx[2], shapeZyx[1], shapeZyx[0]};
    g.spacing = {spacing[2], spacing[1], spacing[0]};
    g.origin = {origin[0], origin[1], origin[2]};
    return g;
}

void requireShape(const NpyFile &npy, const std::string &name, const char *descr)
{
    if (npy.shape.size() != 3 || npy.descr != descr)
        throw std::runtime_error(name + ": expected a 3D " + descr + " array, got " + npy.descr);
}

// ---- workflows ------------------------------------------------------------------------------

void benchMesh(const Options &o, const std::string &caseName)
{
    Volume mask;
    if (caseName == "ct_lung_mask") {
        const NpyFile npy = NpyFile::read(o.dataDir + "/ct_lung_mask_gt.npy");
        requireShape(npy, "ct_lung_mask_gt.npy", "|u1");
        mask = Volume(VoxelType::UInt8, phantomGeometry(o.dataDir, npy.shape));
        // The anchor meshes (mask > 0) as uint8, so do we: both lungs, one surface.
        std::uint8_t *p = mask.data<std::uint8_t>();
        const std::uint8_t *src = npy.as<std::uint8_t>();
        for (std::size_t n = 0, count = npy.elementCount(); n < count; ++n)
            p[n] = src[n] > 0 ? 1 : 0;
    } else {
        const NpyFile npy = NpyFile::read(o.dataDir + "/sphere_256.npy");
        requireShape(npy, "sphere_256.npy", "|u1");
        ImageGeometry g;
        g.dims = {npy.shape[2], npy.shape[1], npy.shape[0]};
        mask = Volume(VoxelType::UInt8, g);
        std::memcpy(mask.rawData(), npy.bytes.data(), npy.bytes.size());
    }
    algo::MarchingCubesOptions options; // iso 0.5, normals on (the anchor returns normals too)
    Mesh mesh;
    const Timing t = timeRuns(o.repeat ? o.repeat : 7, 1, [&] {
        mesh = Mesh{};
        mesh = algo::marchingCubes(mask, options);
    });
    emit("lungmesh", caseName, t,
         {{"n_verts", std::to_string(mesh.vertexCount())},
          {"n_faces", std::to_string(mesh.triangleCount())},
          {"area_mm2", number(std::round(mesh.surfaceArea() * 10) / 10, 9)},
          {"volume_ml", number(mesh.enclosedVolume() / 1000.0, 7)},
          {"topology", quoted("classic (Lorensen/VTK)")}});
}

// The anchor (wf2 classical) times segment_lungs on the int16 phantom already in memory and
// reports Dice per lung against the ground truth: so do we.
void benchLungSegmentation(const Options &o, const std::string &caseName)
{
    const NpyFile ct = NpyFile::read(o.dataDir + "/ct_phantom.npy");
    requireShape(ct, "ct_phantom.npy", "<i2");
    const NpyFile gt = NpyFile::read(o.dataDir + "/ct_lung_mask_gt.npy");
    requireShape(gt, "ct_lung_mask_gt.npy", "|u1");
    Volume volume(VoxelType::Int16, phantomGeometry(o.dataDir, ct.shape));
    volume.info().units = "HU";
    volume.info().modality = "CT";
    std::memcpy(volume.rawData(), ct.bytes.data(), ct.bytes.size());
    algo::LungSegmentationResult result;
    const Timing t = timeRuns(o.repeat ? o.repeat : 5, 1, [&] { result = algo::segmentLungs(volume); });
    const std::uint16_t *seg = result.labels.data();
    const std::uint8_t *ref = gt.as<std::uint8_t>();
    auto dice = [&](int label) {
        std::size_t both = 0, a = 0, b = 0;
        for (std::size_t n = 0, count = gt.elementCount(); n < count; ++n) {
            const bool x = label ? seg[n] == label : seg[n] > 0;
            const bool y = label ? ref[n] == label : ref[n] > 0;
            both += x && y;
            a += x;
            b += y;
        }
        return a + b ? 2.0 * double(both) / double(a + b) : 1.0;
    };
    emit("lungmesh", caseName, t,
         {{"dice_right", number(dice(1), 5)},
          {"dice_left", number(dice(2), 5)},
          {"dice_overall", number(dice(0), 5)},
          {"volume_right_ml", number(result.rightVolumeMl, 6)},
          {"volume_left_ml", number(result.leftVolumeMl, 6)}});
}

template<typename T>
bool sameValues(const Volume &v, const NpyFile &ref)
{
    const T *p = v.data<T>();
    const std::int16_t *r = ref.as<std::int16_t>();
    for (std::size_t n = 0, count = ref.elementCount(); n < count; ++n)
        if (double(p[n]) != double(r[n]))
            return false;
    return true;
}

void benchLoad(const Options &o, const std::string &caseName)
{
    const std::string path = caseName == "dicom_series" ? o.dataDir + "/dicom_series" : o.dataDir + "/ct_phantom.nii.gz";
    // Warm-up run: fills the page cache and checks the volume against the .npy.
    Figures figures;
    {
        const io::LoadResult first = io::readVolume(path);
        const Volume &v = first.volume;
        const NpyFile ref = NpyFile::read(o.dataDir + "/ct_phantom.npy");
        const Dims d = v.dims();
        const bool sameShape = ref.shape.size() == 3 && d[0] == ref.shape[2] && d[1] == ref.shape[1] && d[2] == ref.shape[0]
                               && v.channels() == 1;
        const bool equal = sameShape && dispatchVoxelType(v.type(), [&](auto tag) {
                               return sameValues<decltype(tag)>(v, ref);
                           });
        figures = {{"shape_zyx", "[" + std::to_string(d[2]) + ", " + std::to_string(d[1]) + ", " + std::to_string(d[0]) + "]"},
                   {"dtype", quoted(voxelTypeName(v.type()))},
                   {"equal_to_npy", equal ? "true" : "false"},
                   {"orientation", quoted(std::string(v.geometry().orientationCode().data(), 3))},
                   {"warnings", std::to_string(first.warnings.size())}};
    }
    // The results outlive the clock: the anchors return their array and free it untimed, so
    // releasing 150 MB (unmapping the shared memory) is not part of the load either.
    std::vector<io::LoadResult> results;
    results.reserve(std::size_t(o.repeat ? o.repeat : 5));
    const Timing t = timeRuns(o.repeat ? o.repeat : 5, 0, [&] {
        results.push_back(io::readVolume(path));
        if (results.back().volume.isNull())
            throw std::runtime_error(path + ": empty volume");
    });
    results.clear();
    emit("load", caseName, t, figures);
}

void benchSliceRender(const Options &o, const std::string &caseName)
{
    const NpyFile ct = NpyFile::read(o.dataDir + "/ct_phantom.npy");
    requireShape(ct, "ct_phantom.npy", "<i2");
    Volume volume(VoxelType::Int16, phantomGeometry(o.dataDir, ct.shape));
    std::memcpy(volume.rawData(), ct.bytes.data(), ct.bytes.size());
    const NpyFile mask = NpyFile::read(o.dataDir + "/ct_lung_mask_gt.npy");
    requireShape(mask, "ct_lung_mask_gt.npy", "|u1");
    LabelVolume labels(volume.geometry());
    std::copy(mask.as<std::uint8_t>(), mask.as<std::uint8_t>() + mask.elementCount(), labels.data());

    // Lung window on the middle axial slice, both lungs overlaid at half opacity.
    const int slice = volume.dims()[2] / 2;
    const double centre = -600, width = 1500;
    const std::vector<algo::LabelOverlay> overlays{{&labels, 0.5}};
    algo::SliceImage image;
    const Timing t = timeRuns(o.repeat ? o.repeat : 200, 3, [&] {
        algo::renderSlice(volume, algo::SlicePlane::Axial, slice, centre, width, overlays, image);
    });
    std::size_t tinted = 0;
    for (std::uint32_t px : image.rgba) {
        const std::uint32_t r = px & 0xff, g = (px >> 8) & 0xff, b = (px >> 16) & 0xff;
        tinted += r != g || g != b;
    }
    emit("slice_render", caseName, t,
         {{"width", std::to_string(image.width)},
          {"height", std::to_string(image.height)},
          {"slice", std::to_string(slice)},
          {"tinted_pixels", std::to_string(tinted)}});
}

struct Case
{
    const char *workflow;
    const char *name;
    void (*run)(const Options &, const std::string &);
};

constexpr Case kCases[] = {
    {"lungmesh", "ct_lung_mask", benchMesh},
    {"lungmesh", "sphere_256", benchMesh},
    {"lungmesh", "classical", benchLungSegmentation},
    {"load", "dicom_series", benchLoad},
    {"load", "nifti", benchLoad},
    {"slice_render", "axial_512", benchSliceRender},
};

int usage(int code)
{
    std::cerr << "usage: carina_bench --data DIR [--workflow W] [--case C] [--repeat N] [--wait-idle S]\n"
                 "cases (workflow case):\n";
    for (const Case &c : kCases)
        std::cerr << "  " << c.workflow << " " << c.name << "\n";
    return code;
}

} // namespace

int main(int argc, char **argv)
{
    Options o;
    for (int a = 1; a < argc; ++a) {
        const std::string arg = argv[a];
        auto value = [&]() -> std::string {
            if (a + 1 >= argc)
                throw std::invalid_argument(arg + " needs a value");
            return argv[++a];
        };
        try {
            if (arg == "--data")
                o.dataDir = value();
            else if (arg == "--workflow")
                o.workflow = value();
            else if (arg == "--case")
                o.caseName = value();
            else if (arg == "--repeat")
                o.repeat = std::stoi(value());
            else if (arg == "--wait-idle")
                o.waitIdleS = std::stod(value());
            else if (arg == "-h" || arg == "--help")
                return usage(0);
            else
                return usage(2);
        } catch (const std::exception &e) {
            std::cerr << "carina_bench: " << e.what() << "\n";
            return usage(2);
        }
    }
    if (o.dataDir.empty())
        return usage(2);
    int ran = 0, failed = 0;
    for (const Case &c : kCases) {
        if ((o.workflow != "all" && o.workflow != c.workflow) || (o.caseName != "all" && o.caseName != c.name))
            continue;
        ++ran;
        if (o.waitIdleS > 0)
            waitIdle(o.waitIdleS);
        try {
            c.run(o, c.name);
        } catch (const std::exception &e) {
            // A missing reader or input must not hide the other rows: report it in the row.
            emitSkip(c.workflow, c.name, e.what());
            ++failed;
        }
    }
    if (!ran) {
        std::cerr << "carina_bench: no case matches --workflow " << o.workflow << " --case " << o.caseName << "\n";
        return usage(2);
    }
    return failed ? 1 : 0;
}
