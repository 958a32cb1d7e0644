// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ImageGeometry.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>

#include <cstdint>
#include <mutex>
#include <vector>

// The live side of the ground-glass search: a region is prepared once (median, values sorted),
// then every move of a range handle costs only the voxels whose value crossed the moved end plus
// one run-length pass for the pieces, so the mask follows a finger.

namespace carina::algo {

/// Which pieces of the voxels in range are kept.
struct GroundGlassKeep
{
    /// 0 (default): only the largest face-connected piece (the seed app's rule). Otherwise every
    /// piece of at least this many voxels.
    std::uint64_t minPieceVoxels = 0;
};

/// One selection of a GroundGlassSelector.
struct GroundGlassSelection
{
    std::vector<std::uint8_t> mask;  ///< box-sized, x fastest: 1 on the kept pieces
    std::uint64_t voxels = 0;        ///< voxels of the kept pieces
    std::uint64_t voxelsInRange = 0; ///< all region voxels in the range
    std::uint32_t pieces = 0;        ///< face-connected pieces in the range
    std::uint32_t piecesKept = 0;
};

/// A prepared region of a CT for repeated range selections (a histogram handle being dragged).
///
/// Construction copies the region's values (after the seed's 3 x 3 in-plane median when `smooth`
/// is on, as algo::extractGroundGlass) and sorts them: O(n) for integer images (counting sort),
/// O(n log n) for float ones; 8 bytes per region voxel. select() then toggles only the voxels
/// between the old and the new range ends and labels the pieces on runs, not voxels.
///
/// select() keeps the last range as state: it is serialised by an internal mutex, so tasks of a
/// newer-wins runner may call it from any thread (a later call waits for an earlier one).
class CARINA_CORE_EXPORT GroundGlassSelector
{
public:
    /// `regionMask`: box-sized (x fastest, non-zero = inside) or empty for the whole box.
    /// Throws std::invalid_argument for a null or multi-channel image, an empty box or one outside
    /// the image, a mask of the wrong size; TaskCanceled.
    GroundGlassSelector(const Volume &ct, const VoxelBox &box, const std::vector<std::uint8_t> &regionMask,
                        bool smooth = true, const TaskContext &context = TaskContext::none());

    const VoxelBox &box() const { return m_box; }
    Dims boxDims() const { return m_dims; }
    bool smoothed() const { return m_smooth; }
    /// Voxels inside the region (0 when the mask is all zero).
    std::uint64_t regionVoxels() const { return m_sorted.size(); }
    /// Lowest and highest (smoothed) value in the region; 0, 0 for an empty region.
    double minimum() const { return m_sorted.empty() ? 0.0 : double(m_sorted.front()); }
    double maximum() const { return m_sorted.empty() ? 0.0 : double(m_sorted.back()); }
    /// Region voxels with low < value <= high, by binary search (no selection made).
    std::uint64_t countInRange(double low, double high) const;
    /// `bins` equal bins over [minimum, maximum] of the region's values (empty for an empty region).
    std::vector<std::uint64_t> histogram(int bins) const;
    /// Otsu's threshold of the region's values over `bins` equal bins (skimage's threshold_otsu on
    /// that histogram); the minimum for a region of one value, 0 for an empty region.
    double otsu(int bins = 256) const;

    /// The region's voxels with low < value <= high and the pieces `keep` asks for. Throws
    /// std::invalid_argument for low >= high; TaskCanceled (the state stays consistent).
    GroundGlassSelection select(double low, double high, const GroundGlassKeep &keep = {},
                                const TaskContext &context = TaskContext::none());

private:
    std::size_t lowerIndex(double low) const;  ///< first sorted position with value > low
    std::size_t upperIndex(double high) const; ///< first sorted position with value > high

    VoxelBox m_box;
    Dims m_dims{0, 0, 0};
    bool m_smooth = true;
    std::vector<float> m_sorted;          ///< region values, ascending
    std::vector<std::uint32_t> m_order;   ///< box index of each sorted value
    std::mutex m_mutex;                   ///< guards the incremental state below
    std::vector<std::uint8_t> m_inRange;  ///< box-sized: 1 where the value is in the last range
    std::size_t m_first = 0, m_last = 0;  ///< sorted positions [m_first, m_last) now in m_inRange
};

} // namespace carina::algo
