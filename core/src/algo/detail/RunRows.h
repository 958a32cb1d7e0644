// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/TaskContext.h>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

namespace carina::algo::detail {

/// A run of set voxels along x: [x0, x1).
struct Run
{
    int x0;
    int x1;
};

/// A binary mask stored as sorted runs per row (y, z), rows in raster order. Large masks that
/// are mostly long runs (air, lungs) take a few MB instead of a voxel-sized label volume, and
/// component labelling works on runs, not voxels.
struct RunRows
{
    int ny = 0;
    int nz = 0;
    std::vector<Run> runs;
    std::vector<std::uint32_t> rowStart; ///< ny * nz + 1 offsets into runs

    std::size_t row(int y, int z) const { return std::size_t(z) * std::size_t(ny) + std::size_t(y); }
    std::uint32_t begin(int y, int z) const { return rowStart[row(y, z)]; }
    std::uint32_t end(int y, int z) const { return rowStart[row(y, z) + 1]; }
};

/// Builds RunRows from `rowRuns(y, z, std::vector<Run> &out)`, which appends the runs of one
/// row sorted along x. Slices are scanned in parallel. Throws TaskCanceled.
template<typename RowFn>
RunRows buildRunRows(int ny, int nz, const RowFn &rowRuns, const TaskContext &context)
{
    RunRows rr;
    rr.ny = ny;
    rr.nz = nz;
    rr.rowStart.assign(std::size_t(ny) * std::size_t(nz) + 1, 0);
    std::vector<std::vector<Run>> perSlice(static_cast<std::size_t>(nz));
    tbb::parallel_for(tbb::blocked_range<int>(0, nz), [&](const tbb::blocked_range<int> &range) {
        for (int z = range.begin(); z < range.end(); ++z) {
            if (context.isCanceled())
                return;
            std::vector<Run> &runs = perSlice[std::size_t(z)];
            for (int y = 0; y < ny; ++y) {
                const std::size_t before = runs.size();
                rowRuns(y, z, runs);
                rr.rowStart[rr.row(y, z) + 1] = std::uint32_t(runs.size() - before);
            }
        }
    });
    context.throwIfCanceled();
    std::partial_sum(rr.rowStart.begin(), rr.rowStart.end(), rr.rowStart.begin());
    rr.runs.resize(rr.rowStart.back());
    tbb::parallel_for(0, nz, [&](int z) {
        const std::vector<Run> &runs = perSlice[std::size_t(z)];
        std::copy(runs.begin(), runs.end(), rr.runs.begin() + rr.begin(0, z));
    });
    return rr;
}

/// Same as buildRunRows, on the calling thread (for small per-slice masks inside parallel loops).
template<typename RowFn>
RunRows buildRunRowsSerial(int ny, int nz, const RowFn &rowRuns)
{
    RunRows rr;
    rr.ny = ny;
    rr.nz = nz;
    rr.rowStart.assign(std::size_t(ny) * std::size_t(nz) + 1, 0);
    for (int z = 0; z < nz; ++z)
        for (int y = 0; y < ny; ++y) {
            rowRuns(y, z, rr.runs);
            rr.rowStart[rr.row(y, z) + 1] = std::uint32_t(rr.runs.size());
        }
    return rr;
}

/// Face-connected components of the runs (6-connectivity in 3D, 4 in 2D: scipy.ndimage.label's
/// default). Returns a component index 0..count-1 per run, numbered in raster order.
inline std::vector<std::uint32_t> labelRuns(const RunRows &rr, std::uint32_t &count)
{
    const std::size_t n = rr.runs.size();
    std::vector<std::uint32_t> parent(n);
    std::iota(parent.begin(), parent.end(), 0u);
    auto find = [&](std::uint32_t x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    };
    // The root is always the smallest run index, so roots come first in raster order.
    auto unite = [&](std::uint32_t a, std::uint32_t b) {
        a = find(a);
        b = find(b);
        if (a < b)
            parent[b] = a;
        else if (b < a)
            parent[a] = b;
    };
    auto mergeRows = [&](std::uint32_t a, std::uint32_t aEnd, std::uint32_t b, std::uint32_t bEnd) {
        while (a < aEnd && b < bEnd) {
            const Run &ra = rr.runs[a];
            const Run &rb = rr.runs[b];
            if (rb.x1 <= ra.x0) {
                ++b;
            } else if (ra.x1 <= rb.x0) {
                ++a;
            } else {
                unite(a, b);
                if (ra.x1 < rb.x1)
                    ++a;
                else
                    ++b;
            }
        }
    };
    for (int z = 0; z < rr.nz; ++z)
        for (int y = 0; y < rr.ny; ++y) {
            const std::uint32_t a = rr.begin(y, z), aEnd = rr.end(y, z);
            if (a == aEnd)
                continue;
            if (y > 0)
                mergeRows(a, aEnd, rr.begin(y - 1, z), rr.end(y - 1, z));
            if (z > 0)
                mergeRows(a, aEnd, rr.begin(y, z - 1), rr.end(y, z - 1));
        }
    std::vector<std::uint32_t> id(n);
    count = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
        const std::uint32_t root = find(i);
        id[i] = root == i ? count++ : id[root];
    }
    return id;
}

} // namespace carina::algo::detail
