// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/ConnectedComponents.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace carina::algo {

namespace {

struct Run
{
    int begin; // first x, inclusive
    int end;   // last x, inclusive
};

// Union-find over run ids. The root of a set is always its smallest run id, so the set's root
// is the run that appears first in raster order: numbering roots in order of appearance gives
// scikit-image's labels without a sort.
class DisjointRuns
{
public:
    std::uint32_t add()
    {
        m_parent.push_back(std::uint32_t(m_parent.size()));
        return m_parent.back();
    }
    std::uint32_t find(std::uint32_t x)
    {
        while (m_parent[x] != x) {
            m_parent[x] = m_parent[m_parent[x]];
            x = m_parent[x];
        }
        return x;
    }
    void unite(std::uint32_t a, std::uint32_t b)
    {
        a = find(a);
        b = find(b);
        if (a == b)
            return;
        if (a < b)
            m_parent[b] = a;
        else
            m_parent[a] = b;
    }
    std::size_t size() const { return m_parent.size(); }

private:
    std::vector<std::uint32_t> m_parent;
};

struct NeighbourRow
{
    int dy;
    int dz;
    int reach; // 1: diagonal neighbours along x touch; 0: only overlapping x
};

std::vector<NeighbourRow> neighbourRows(Connectivity connectivity, bool is2d)
{
    // Rows already visited (raster order) that can touch the current row, with how far along x
    // they reach. A neighbour offset (dx, dy, dz) belongs to the connectivity when its number of
    // non-zero components is <= the connectivity rank.
    const int rank = is2d ? std::min(int(connectivity), 2) : int(connectivity);
    std::vector<NeighbourRow> rows;
    auto consider = [&](int dy, int dz) {
        const int fixed = (dy != 0) + (dz != 0);
        if (fixed > rank)
            return;
        rows.push_back({dy, dz, fixed + 1 <= rank ? 1 : 0});
    };
    consider(-1, 0);
    if (!is2d) {
        consider(0, -1);
        consider(-1, -1);
        consider(1, -1);
    }
    return rows;
}

} // namespace

ComponentLabels labelConnectedComponents(const std::uint8_t *mask, const Dims &dims, Connectivity connectivity,
                                         const TaskContext &context)
{
    for (int d : dims)
        if (d <= 0)
            throw std::invalid_argument("labelConnectedComponents: dimensions must be positive");
    const int nx = dims[0], ny = dims[1], nz = dims[2];
    const std::size_t rowCount = std::size_t(ny) * std::size_t(nz);

    // Pass 1: runs of each row, united with touching runs of the already visited rows.
    std::vector<Run> runs;
    std::vector<std::uint32_t> rowStart(rowCount + 1, 0);
    DisjointRuns sets;
    const auto rows = neighbourRows(connectivity, nz == 1);

    for (int z = 0; z < nz; ++z) {
        if ((z & 15) == 0) {
            context.throwIfCanceled();
            context.progress(0.8 * double(z) / double(nz));
        }
        for (int y = 0; y < ny; ++y) {
            const std::size_t row = std::size_t(z) * std::size_t(ny) + std::size_t(y);
            rowStart[row] = std::uint32_t(runs.size());
            const std::uint8_t *line = mask + row * std::size_t(nx);
            for (int x = 0; x < nx;) {
                if (!line[x]) {
                    ++x;
                    continue;
                }
                const int begin = x;
                while (x < nx && line[x])
                    ++x;
                runs.push_back({begin, x - 1});
                sets.add();
            }
            const std::uint32_t first = rowStart[row];
            const std::uint32_t last = std::uint32_t(runs.size());
            if (first == last)
                continue;
            for (const NeighbourRow &n : rows) {
                const int ny2 = y + n.dy, nz2 = z + n.dz;
                if (ny2 < 0 || ny2 >= ny || nz2 < 0)
                    continue;
                const std::size_t other = std::size_t(nz2) * std::size_t(ny) + std::size_t(ny2);
                std::uint32_t a = first;
                std::uint32_t b = rowStart[other];
                const std::uint32_t bEnd = rowStart[other + 1];
                // Both run lists are sorted along x: a merge walk finds every touching pair.
                while (a < last && b < bEnd) {
                    const Run &ra = runs[a];
                    const Run &rb = runs[b];
                    if (rb.end + n.reach < ra.begin) {
                        ++b;
                    } else if (ra.end + n.reach < rb.begin) {
                        ++a;
                    } else {
                        sets.unite(a, b);
                        // Advance the run that ends first; the other may touch the next one too.
                        if (ra.end < rb.end)
                            ++a;
                        else
                            ++b;
                    }
                }
            }
            rowStart[row + 1] = last;
        }
    }
    rowStart[rowCount] = std::uint32_t(runs.size());

    // Pass 2: number the sets in order of first appearance and paint the runs.
    ComponentLabels result;
    result.dims = dims;
    result.labels.assign(std::size_t(nx) * rowCount, 0);
    std::vector<std::uint32_t> labelOfRoot(sets.size(), 0);
    result.sizes.push_back(0);
    for (std::size_t row = 0; row < rowCount; ++row) {
        if ((row & 4095) == 0) {
            context.throwIfCanceled();
            context.progress(0.8 + 0.2 * double(row) / double(rowCount));
        }
        std::uint32_t *line = result.labels.data() + row * std::size_t(nx);
        for (std::uint32_t r = rowStart[row]; r < rowStart[row + 1]; ++r) {
            const std::uint32_t root = sets.find(r);
            if (!labelOfRoot[root]) {
                labelOfRoot[root] = ++result.count;
                result.sizes.push_back(0);
            }
            const std::uint32_t label = labelOfRoot[root];
            std::fill(line + runs[r].begin, line + runs[r].end + 1, label);
            result.sizes[label] += std::uint64_t(runs[r].end - runs[r].begin + 1);
        }
    }
    result.sizes[0] = std::uint64_t(result.labels.size()) - std::accumulate(result.sizes.begin() + 1, result.sizes.end(), std::uint64_t(0));
    context.progress(1.0);
    return result;
}

void removeSmallComponents(ComponentLabels &components, std::uint64_t minSize)
{
    if (minSize <= 1 || components.count == 0)
        return;
    std::vector<std::uint32_t> renumber(std::size_t(components.count) + 1, 0);
    std::vector<std::uint64_t> sizes{0};
    std::uint32_t next = 0;
    for (std::uint32_t l = 1; l <= components.count; ++l)
        if (components.sizes[l] >= minSize) {
            renumber[l] = ++next;
            sizes.push_back(components.sizes[l]);
        }
    if (next == components.count)
        return;
    for (std::uint32_t &l : components.labels)
        l = renumber[l];
    sizes[0] = std::uint64_t(components.labels.size()) - std::accumulate(sizes.begin() + 1, sizes.end(), std::uint64_t(0));
    components.sizes = std::move(sizes);
    components.count = next;
}

std::vector<std::uint8_t> largestComponents(const ComponentLabels &components, int keep)
{
    std::vector<std::uint32_t> order(components.count);
    std::iota(order.begin(), order.end(), 1u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return components.sizes[a] > components.sizes[b];
    });
    std::vector<std::uint8_t> rank(std::size_t(components.count) + 1, 0);
    for (int i = 0; i < keep && i < int(order.size()); ++i)
        rank[order[std::size_t(i)]] = std::uint8_t(i + 1);
    std::vector<std::uint8_t> out(components.labels.size());
    std::transform(components.labels.begin(), components.labels.end(), out.begin(),
                   [&](std::uint32_t label) { return rank[label]; });
    return out;
}

} // namespace carina::algo
