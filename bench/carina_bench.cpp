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
#include "BenchSupport.h"

#include <carina/ProcessMemory.h>

#include <iostream>
#include <stdexcept>
#include <string>

using namespace carina::bench;

namespace {

int usage(int code)
{
    std::cerr << "usage: carina_bench --data DIR [--workflow W] [--case C] [--repeat N] [--wait-idle S]\n"
                 "cases (workflow case):\n";
    for (const Case &c : cases())
        std::cerr << "  " << c.workflow << " " << c.name << "\n";
    return code;
}

} // namespace

int main(int argc, char **argv)
{
    // The heap behaves as in the app (app/main.cpp), so the timings and the memory row are the app's.
    carina::applyProcessMemoryPolicy();
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
    for (const Case &c : cases()) {
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
