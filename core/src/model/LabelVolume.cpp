// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/LabelVolume.h>

#include "VoxelMemory.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <span>
#include <stdexcept>
#include <utility>

namespace carina {

void LabelTable::set(const LabelInfo &info)
{
    if (info.id == 0)
        throw std::invalid_argument("label 0 is the background and has no table entry");
    auto it = std::lower_bound(m_entries.begin(), m_entries.end(), info.id,
                               [](const LabelInfo &e, std::uint16_t id) { return e.id < id; });
    if (it != m_entries.end() && it->id == info.id)
        *it = info;
    else
        m_entries.insert(it, info);
}

void LabelTable::remove(std::uint16_t id)
{
    std::erase_if(m_entries, [id](const LabelInfo &e) { return e.id == id; });
}

std::optional<LabelInfo> LabelTable::find(std::uint16_t id) const
{
    auto it = std::lower_bound(m_entries.begin(), m_entries.end(), id,
                               [](const LabelInfo &e, std::uint16_t v) { return e.id < v; });
    if (it != m_entries.end() && it->id == id)
        return *it;
    return std::nullopt;
}

std::array<std::uint8_t, 3> LabelTable::defaultColour(std::uint16_t id)
{
    // Okabe & Ito (2008): distinguishable under the common colour-vision deficiencies.
    static constexpr std::array<std::array<std::uint8_t, 3>, 7> okabeIto{{
        {230, 159, 0}, {86, 180, 233}, {0, 158, 115}, {240, 228, 66}, {0, 114, 178}, {213, 94, 0}, {204, 121, 167}}};
    if (id == 0)
        return {0, 0, 0};
    if (id <= okabeIto.size())
        return okabeIto[id - 1];
    // Beyond the palette: golden-angle hues, alternating lightness, so neighbours differ.
    const double hue = std::fmod(double(id) * 137.50776, 360.0) / 60.0;
    const double value = (id % 2) ? 0.95 : 0.75;
    const double saturation = 0.65;
    const double c = value * saturation;
    const double x = c * (1.0 - std::fabs(std::fmod(hue, 2.0) - 1.0));
    double r = 0, g = 0, b = 0;
    switch (int(hue)) {
    case 0: r = c, g = x; break;
    case 1: r = x, g = c; break;
    case 2: g = c, b = x; break;
    case 3: g = x, b = c; break;
    case 4: r = x, b = c; break;
    default: r = c, b = x; break;
    }
    const double m = value - c;
    auto to8 = [m](double v) { return std::uint8_t(std::lround((v + m) * 255.0)); };
    return {to8(r), to8(g), to8(b)};
}

LabelInfo LabelTable::infoOrDefault(std::uint16_t id) const
{
    if (auto info = find(id))
        return *info;
    return LabelInfo{id, "Label " + std::to_string(id), defaultColour(id), true};
}

LabelVolume::LabelVolume(const ImageGeometry &geometry) : m_geometry(geometry)
{
    for (int d : geometry.dims)
        if (d <= 0)
            throw std::invalid_argument("label volume dimensions must be positive");
    m_count = geometry.voxelCount();
    m_memory = detail::allocateVoxelMemory(m_count * sizeof(std::uint16_t));
    m_labels = static_cast<std::uint16_t *>(m_memory.get());
}

LabelVolume::LabelVolume(const LabelVolume &other) : m_geometry(other.m_geometry), m_count(other.m_count), m_table(other.m_table)
{
    if (other.m_labels) {
        m_memory = detail::allocateVoxelMemory(m_count * sizeof(std::uint16_t));
        m_labels = static_cast<std::uint16_t *>(m_memory.get());
        std::memcpy(m_labels, other.m_labels, m_count * sizeof(std::uint16_t));
    }
}

LabelVolume &LabelVolume::operator=(const LabelVolume &other)
{
    if (this != &other) {
        LabelVolume copy(other);
        *this = std::move(copy);
    }
    return *this;
}

LabelVolume::LabelVolume(LabelVolume &&other) noexcept
    : m_geometry(std::move(other.m_geometry)), m_memory(std::move(other.m_memory)), m_labels(std::exchange(other.m_labels, nullptr)),
      m_count(std::exchange(other.m_count, 0)), m_table(std::move(other.m_table))
{
}

LabelVolume &LabelVolume::operator=(LabelVolume &&other) noexcept
{
    if (this != &other) {
        m_geometry = std::move(other.m_geometry);
        m_memory = std::move(other.m_memory);
        m_labels = std::exchange(other.m_labels, nullptr);
        m_count = std::exchange(other.m_count, 0);
        m_table = std::move(other.m_table);
    }
    return *this;
}

void LabelVolume::setGeometry(const ImageGeometry &geometry)
{
    if (geometry.dims != m_geometry.dims)
        throw std::invalid_argument("a label volume keeps its dimensions when its geometry changes");
    m_geometry = geometry;
}

std::vector<std::size_t> LabelVolume::histogram() const
{
    std::vector<std::size_t> counts(65536, 0);
    std::uint16_t largest = 0;
    for (const std::uint16_t v : std::span(m_labels, m_count)) {
        ++counts[v];
        largest = std::max(largest, v);
    }
    counts.resize(std::size_t(largest) + 1);
    return counts;
}

} // namespace carina
