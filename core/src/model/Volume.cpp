// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/Volume.h>

#include "model/VoxelMemory.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>

namespace carina {

std::size_t voxelTypeSize(VoxelType type)
{
    return dispatchVoxelType(type, [](auto t) { return sizeof(t); });
}

const char *voxelTypeName(VoxelType type)
{
    switch (type) {
    case VoxelType::UInt8: return "uint8";
    case VoxelType::Int16: return "int16";
    case VoxelType::UInt16: return "uint16";
    case VoxelType::Float32: return "float32";
    }
    return "unknown";
}

namespace {
void checkShape(const ImageGeometry &geometry, int channels)
{
    for (int d : geometry.dims)
        if (d <= 0)
            throw std::invalid_argument("volume dimensions must be positive");
    if (channels < 1 || channels > 4)
        throw std::invalid_argument("a volume has 1 to 4 channels");
}
} // namespace

Volume::Volume(VoxelType type, const ImageGeometry &geometry, int channels)
    : m_type(type), m_channels(channels), m_geometry(geometry)
{
    checkShape(geometry, channels);
    m_owner = detail::allocateVoxelMemory(byteSize());
    m_data = m_owner.get();
}

Volume::Volume(VoxelType type, const ImageGeometry &geometry, int channels, std::shared_ptr<void> owner, void *data)
    : m_type(type), m_channels(channels), m_geometry(geometry), m_owner(std::move(owner)), m_data(data)
{
    checkShape(geometry, channels);
    if (!m_data)
        throw std::invalid_argument("volume data must not be null");
}

void Volume::setGeometry(const ImageGeometry &geometry)
{
    if (geometry.dims != m_geometry.dims)
        throw std::invalid_argument("setGeometry cannot change the dimensions");
    m_geometry = geometry;
}

double Volume::valueAt(int i, int j, int k, int channel) const
{
    if (!m_geometry.contains(i, j, k) || channel < 0 || channel >= m_channels)
        return std::numeric_limits<double>::quiet_NaN();
    const std::size_t index = m_geometry.linearIndex(i, j, k) * std::size_t(m_channels) + std::size_t(channel);
    return dispatchVoxelType(m_type, [&](auto t) {
        return double(static_cast<const decltype(t) *>(m_data)[index]);
    });
}

std::pair<double, double> Volume::valueRange() const
{
    if (isNull())
        return {0.0, 0.0};
    return dispatchVoxelType(m_type, [&](auto t) {
        using T = decltype(t);
        const T *p = static_cast<const T *>(m_data);
        const std::size_t n = voxelCount() * std::size_t(m_channels);
        T lo = std::numeric_limits<T>::max();
        T hi = std::numeric_limits<T>::lowest();
        for (std::size_t i = 0; i < n; ++i) {
            lo = std::min(lo, p[i]);
            hi = std::max(hi, p[i]);
        }
        return std::pair<double, double>(double(lo), double(hi));
    });
}

Volume Volume::clone() const
{
    if (isNull())
        return {};
    Volume copy(m_type, m_geometry, m_channels);
    std::memcpy(copy.m_data, m_data, byteSize());
    copy.m_info = m_info;
    return copy;
}

} // namespace carina
