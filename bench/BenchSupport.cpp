// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "BenchSupport.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

namespace carina::bench {

namespace {

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

} // namespace

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

Timing timeRuns(int repeat, int warmup, const std::function<void()> &run, const std::function<void()> &untimedAfterEach)
{
    for (int n = 0; n < warmup; ++n) {
        run();
        if (untimedAfterEach)
            untimedAfterEach();
    }
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
        if (untimedAfterEach)
            untimedAfterEach();
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

std::string number(double v, int digits)
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


void emitRow(const std::string &workflow, const std::string &caseName, const Timing &t, const Figures &figures)
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

Volume phantomCt(const std::string &dataDir)
{
    const io::NpyArray ct = io::readNpy(dataDir + "/ct_phantom.npy");
    requireShape(ct, "ct_phantom.npy", "<i2");
    Volume volume(VoxelType::Int16, phantomGeometry(dataDir, ct.shape));
    volume.info().units = "HU";
    volume.info().modality = "CT";
    std::memcpy(volume.rawData(), ct.bytes.data(), ct.bytes.size());
    return volume;
}

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

void requireShape(const io::NpyArray &npy, const std::string &name, const char *descr)
{
    if (npy.shape.size() != 3 || npy.descr != descr)
        throw std::runtime_error(name + ": expected a 3D " + descr + " array, got " + npy.descr);
}

// ---- workflows ------------------------------------------------------------------------------
std::vector<Case> &cases()
{
    static std::vector<Case> all;
    return all;
}

} // namespace carina::bench
