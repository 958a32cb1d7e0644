// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// What every benchmark case shares: options, timing with the anchors' CPU accounting, the JSON
// row format, the phantom's inputs, and the case registry. A workflow's cases live in their own
// bench/cases_<workflow>.cpp and register themselves with CARINA_BENCH_CASE.
#pragma once

#include <carina/io/Npy.h>

#include <carina/ImageGeometry.h>
#include <carina/Volume.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace carina::bench {

struct Options
{
    std::string dataDir;
    std::string workflow = "all";
    std::string caseName = "all";
    int repeat = 0; ///< 0: the workflow's default
    double waitIdleS = 0.0;
};

struct Timing
{
    std::vector<double> times;
    std::vector<double> cpu; ///< this process's CPU seconds per run (all threads)
    double foreignFrac = 0.0;
};

/// Waits until other processes use less than 10% of the CPUs, at most `maxS` seconds.
void waitIdle(double maxS);
/// `warmup` untimed runs, then `repeat` timed ones; `untimedAfterEach` (when set) runs after
/// every run, outside the clock.
Timing timeRuns(int repeat, int warmup, const std::function<void()> &run, const std::function<void()> &untimedAfterEach = {});
double median(std::vector<double> v);

/// JSON helpers for figures.
std::string number(double v, int digits = 6);
std::string quoted(const std::string &s);

/// Figures as (key, JSON value) in output order.
using Figures = std::vector<std::pair<std::string, std::string>>;

/// One JSON line per case, the anchors' format (bench/table.py reads both).
void emitRow(const std::string &workflow, const std::string &caseName, const Timing &t, const Figures &figures);
void emitSkip(const std::string &workflow, const std::string &caseName, const std::string &why);

std::string readText(const std::string &path);
/// A numeric list value of ct_phantom_meta.json, e.g. "spacing_zyx".
std::vector<double> metaList(const std::string &dataDir, const std::string &key);
/// The phantom's grid: x fastest, LPS as the anchors' README describes (identity direction).
ImageGeometry phantomGeometry(const std::string &dataDir, const std::vector<int> &shapeZyx);
void requireShape(const io::NpyArray &npy, const std::string &name, const char *descr);
/// ct_phantom.npy as an int16 CT volume in HU on the phantom's grid.
Volume phantomCt(const std::string &dataDir);

using CaseFunction = void (*)(const Options &, const std::string &caseName);
struct Case
{
    std::string workflow;
    std::string name;
    CaseFunction run;
};
/// Every registered case, in registration order within a file.
std::vector<Case> &cases();
struct CaseRegistrar
{
    CaseRegistrar(const char *workflow, const char *name, CaseFunction run) { cases().push_back({workflow, name, run}); }
};

} // namespace carina::bench

#define CARINA_BENCH_CONCAT2(a, b) a##b
#define CARINA_BENCH_CONCAT(a, b) CARINA_BENCH_CONCAT2(a, b)
/// Registers `function` as case NAME of workflow WORKFLOW (in a bench/cases_*.cpp file).
#define CARINA_BENCH_CASE(workflow, name, function) \
    static const ::carina::bench::CaseRegistrar CARINA_BENCH_CONCAT(carinaBenchCase, __LINE__)(workflow, name, function)
