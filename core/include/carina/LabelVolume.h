// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ImageGeometry.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace carina {

/// One entry of a label table. Label 0 is background and never listed.
struct CARINA_CORE_EXPORT LabelInfo
{
    std::uint16_t id = 0;
    std::string name;
    std::array<std::uint8_t, 3> rgb{255, 0, 0};
    bool visible = true;
};

/// The labels of a layer, kept sorted by id.
class CARINA_CORE_EXPORT LabelTable
{
public:
    const std::vector<LabelInfo> &entries() const { return m_entries; }
    /// Adds or replaces the entry with info.id (which must be > 0).
    void set(const LabelInfo &info);
    void remove(std::uint16_t id);
    std::optional<LabelInfo> find(std::uint16_t id) const;
    /// A colour-blind-safe colour for `id` (Okabe-Ito first, then well-spread hues).
    static std::array<std::uint8_t, 3> defaultColour(std::uint16_t id);
    /// Entry for `id`, or a default one ("Label N", defaultColour) when the table has none.
    LabelInfo infoOrDefault(std::uint16_t id) const;

private:
    std::vector<LabelInfo> m_entries;
};

/// uint16 labels on an image's grid (0 = background) plus their table.
class CARINA_CORE_EXPORT LabelVolume
{
public:
    LabelVolume() = default;
    /// All background. The voxels come from the same memory as image volumes: zeroed pages
    /// straight from the kernel (huge pages for large grids), so a new layer costs no fill pass.
    explicit LabelVolume(const ImageGeometry &geometry);
    /// Copies are deep: each layer owns its voxels (undo and tasks rely on it).
    LabelVolume(const LabelVolume &other);
    LabelVolume &operator=(const LabelVolume &other);
    LabelVolume(LabelVolume &&other) noexcept;
    LabelVolume &operator=(LabelVolume &&other) noexcept;

    const ImageGeometry &geometry() const { return m_geometry; }
    /// Moves the labels onto `geometry` (a new pixel size, say); the dims must stay, else
    /// std::invalid_argument.
    void setGeometry(const ImageGeometry &geometry);
    const Dims &dims() const { return m_geometry.dims; }
    std::uint16_t *data() { return m_labels; }
    const std::uint16_t *data() const { return m_labels; }
    std::uint16_t at(int i, int j, int k) const { return m_labels[m_geometry.linearIndex(i, j, k)]; }
    void set(int i, int j, int k, std::uint16_t label) { m_labels[m_geometry.linearIndex(i, j, k)] = label; }
    std::size_t voxelCount() const { return m_count; }

    LabelTable &table() { return m_table; }
    const LabelTable &table() const { return m_table; }

    /// Voxel count per label id (index = id), sized to the largest id present + 1.
    std::vector<std::size_t> histogram() const;

private:
    ImageGeometry m_geometry;
    std::shared_ptr<void> m_memory; // owns m_labels; never shared between two LabelVolumes
    std::uint16_t *m_labels = nullptr;
    std::size_t m_count = 0;
    LabelTable m_table;
};

} // namespace carina
