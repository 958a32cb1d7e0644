// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/edit/LabelPatch.h>

#include <carina/LabelVolume.h>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace carina {

void LabelPatch::assign(LabelVolume &labels, std::size_t linear, std::uint16_t value)
{
    std::uint16_t &voxel = labels.data()[linear];
    if (voxel == value)
        return;
    m_pending.push_back({linear, voxel, value});
    voxel = value;
}

void LabelPatch::assign(LabelVolume &labels, int i, int j, int k, std::uint16_t value)
{
    const Dims &d = labels.dims();
    if (i < 0 || j < 0 || k < 0 || i >= d[0] || j >= d[1] || k >= d[2])
        return;
    assign(labels, labels.geometry().linearIndex(i, j, k), value);
}

void LabelPatch::finish(const Dims &dims)
{
    if (m_pending.empty())
        return;
    if (!m_runs.empty())
        throw std::logic_error("LabelPatch::finish called twice");
    // Stable sort keeps assignment order among equal indices: first `before`, last `after` win.
    std::stable_sort(m_pending.begin(), m_pending.end(),
                     [](const Pending &a, const Pending &b) { return a.linear < b.linear; });
    const std::uint64_t nx = std::uint64_t(dims[0]);
    const std::uint64_t nxy = nx * std::uint64_t(dims[1]);
    Dims lo{dims[0], dims[1], dims[2]};
    Dims hi{-1, -1, -1};
    for (std::size_t a = 0; a < m_pending.size();) {
        std::size_t b = a;
        while (b + 1 < m_pending.size() && m_pending[b + 1].linear == m_pending[a].linear)
            ++b;
        const Pending &first = m_pending[a];
        const std::uint16_t after = m_pending[b].after;
        a = b + 1;
        if (first.before == after)
            continue; // painted and erased again within one edit
        const bool extends = !m_runs.empty() && m_runs.back().start + m_runs.back().length == first.linear
                             && first.linear % nx != 0;
        if (extends) {
            ++m_runs.back().length;
        } else {
            m_runs.push_back({first.linear, 1, std::uint32_t(m_before.size())});
        }
        m_before.push_back(first.before);
        m_after.push_back(after);
        const int i = int(first.linear % nx);
        const int j = int((first.linear / nx) % std::uint64_t(dims[1]));
        const int k = int(first.linear / nxy);
        lo = {std::min(lo[0], i), std::min(lo[1], j), std::min(lo[2], k)};
        hi = {std::max(hi[0], i), std::max(hi[1], j), std::max(hi[2], k)};
    }
    m_pending.clear();
    m_pending.shrink_to_fit();
    m_runs.shrink_to_fit();
    m_before.shrink_to_fit();
    m_after.shrink_to_fit();
    if (!m_runs.empty())
        m_bounds = {lo, {hi[0] + 1, hi[1] + 1, hi[2] + 1}};
}

std::size_t LabelPatch::changedVoxels() const
{
    return m_before.size() + m_pending.size();
}

std::size_t LabelPatch::memoryBytes() const
{
    return sizeof(*this) + m_pending.capacity() * sizeof(Pending) + m_runs.capacity() * sizeof(Run)
           + (m_before.capacity() + m_after.capacity()) * sizeof(std::uint16_t);
}

void LabelPatch::revert(LabelVolume &labels) const
{
    std::uint16_t *data = labels.data();
    for (const Run &run : m_runs)
        std::copy_n(m_before.begin() + run.offset, run.length, data + run.start);
}

void LabelPatch::apply(LabelVolume &labels) const
{
    std::uint16_t *data = labels.data();
    for (const Run &run : m_runs)
        std::copy_n(m_after.begin() + run.offset, run.length, data + run.start);
}

void LabelPatch::discard(LabelVolume &labels)
{
    if (!m_runs.empty())
        throw std::logic_error("LabelPatch::discard after finish; use revert");
    // Newest first: a voxel assigned twice ends with its value from before the first assign.
    std::uint16_t *data = labels.data();
    for (auto it = m_pending.rbegin(); it != m_pending.rend(); ++it)
        data[it->linear] = it->before;
    m_pending.clear();
    m_pending.shrink_to_fit();
}

std::vector<LabelCountChange> LabelPatch::countChanges() const
{
    // Each pending entry is one transition before -> after of a voxel; repeated transitions of
    // a voxel telescope, so summing all of them gives the net change.
    std::map<std::uint16_t, std::int64_t> net;
    for (const Pending &p : m_pending) {
        --net[p.before];
        ++net[p.after];
    }
    for (std::size_t n = 0; n < m_before.size(); ++n) {
        --net[m_before[n]];
        ++net[m_after[n]];
    }
    std::vector<LabelCountChange> changes;
    for (const auto &[label, voxels] : net)
        if (voxels != 0)
            changes.push_back({label, voxels});
    return changes;
}

} // namespace carina
