// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ImageGeometry.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace carina {

class LabelVolume;

/// Net change of one label's voxel count by an edit.
struct LabelCountChange
{
    std::uint16_t label = 0;
    std::int64_t voxels = 0; ///< positive: the label gained voxels
};

/// The voxels one label edit changed, with their old and new values.
///
/// An edit writes through the patch (assign()), so the label volume is updated at once (live
/// drawing) while the patch remembers what it overwrote. finish() packs the changes into runs
/// along the fastest axis: undo memory grows with what the edit touched, never with the volume.
/// A 512x512x300 layer is 150 MB; a brush stroke that changes 5000 voxels costs about 20 kB.
class CARINA_CORE_EXPORT LabelPatch
{
public:
    LabelPatch() = default;

    /// Sets voxel `linear` of `labels` to `value` and records the change (no-op if equal).
    /// Voxels may be assigned in any order and more than once; the first old and the last new
    /// value count.
    void assign(LabelVolume &labels, std::size_t linear, std::uint16_t value);
    /// assign() for (i, j, k); ignores voxels outside the grid so callers may clip lazily.
    void assign(LabelVolume &labels, int i, int j, int k, std::uint16_t value);

    /// Packs the recorded changes into runs. Call once after the last assign().
    void finish(const Dims &dims);

    bool isEmpty() const { return m_runs.empty() && m_pending.empty(); }
    /// Voxels whose value changed.
    std::size_t changedVoxels() const;
    /// Bytes this patch holds (for the undo memory benchmark).
    std::size_t memoryBytes() const;
    /// Smallest box holding every changed voxel (valid after finish()).
    const VoxelBox &bounds() const { return m_bounds; }

    /// Writes the old values back / the new values again (after finish()).
    void revert(LabelVolume &labels) const;
    void apply(LabelVolume &labels) const;
    /// Abandons an edit in progress (before finish()): writes the old values back and empties
    /// the patch, as if nothing had been assigned.
    void discard(LabelVolume &labels);

    /// Net voxel count change per label, sorted by label, zero changes left out. Valid before
    /// and after finish(); costs one pass over the recorded changes, so label statistics follow
    /// an edit without a pass over the volume.
    std::vector<LabelCountChange> countChanges() const;

private:
    struct Pending
    {
        std::uint64_t linear;
        std::uint16_t before;
        std::uint16_t after;
    };
    struct Run
    {
        std::uint64_t start;  ///< linear index of the first voxel
        std::uint32_t length; ///< voxels
        std::uint32_t offset; ///< into m_before / m_after
    };
    std::vector<Pending> m_pending;
    std::vector<Run> m_runs;
    std::vector<std::uint16_t> m_before;
    std::vector<std::uint16_t> m_after;
    VoxelBox m_bounds;
};

} // namespace carina
