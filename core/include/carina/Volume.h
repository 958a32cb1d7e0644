// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ImageGeometry.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace carina {

/// The voxel types an image volume may hold.
enum class VoxelType : std::uint8_t { UInt8, Int16, UInt16, Float32 };

CARINA_CORE_EXPORT std::size_t voxelTypeSize(VoxelType type);
CARINA_CORE_EXPORT const char *voxelTypeName(VoxelType type);

template<typename T> constexpr VoxelType voxelTypeOf();
template<> constexpr VoxelType voxelTypeOf<std::uint8_t>() { return VoxelType::UInt8; }
template<> constexpr VoxelType voxelTypeOf<std::int16_t>() { return VoxelType::Int16; }
template<> constexpr VoxelType voxelTypeOf<std::uint16_t>() { return VoxelType::UInt16; }
template<> constexpr VoxelType voxelTypeOf<float>() { return VoxelType::Float32; }

/// Calls `f(T{})` with T the C++ type of `type`, so generic code is written once.
template<typename F>
decltype(auto) dispatchVoxelType(VoxelType type, F &&f)
{
    switch (type) {
    case VoxelType::UInt8: return f(std::uint8_t{});
    case VoxelType::Int16: return f(std::int16_t{});
    case VoxelType::UInt16: return f(std::uint16_t{});
    case VoxelType::Float32: return f(float{});
    }
    throw std::logic_error("unknown voxel type");
}

/// What the values of an image mean; lets plugins refuse inputs they cannot handle.
struct CARINA_CORE_EXPORT ImageInfo
{
    std::string modality;          ///< DICOM modality ("CT", "MR", ...) or empty when unknown
    std::string units;             ///< "HU" for rescaled CT, empty when unknown
    std::string sourcePath;        ///< file or folder it was read from
    std::string description;       ///< series description, free text, never patient identity
    /// Unit lengths are shown and reported in ("mm", "um", "nm"; carina/PixelSize.h); "px" for a
    /// 2D image file that does not say its pixel size (its spacing is then 1 per pixel); empty = mm.
    std::string lengthUnit;
};

/// A typed voxel grid with 1..4 interleaved channels (RGB(A) images have 3 or 4), x fastest.
///
/// The buffer is shared between copies of a Volume: copying is cheap and does not duplicate
/// voxels. Use `clone()` for a deep copy. A 2D image is a volume with dims[2] == 1.
class CARINA_CORE_EXPORT Volume
{
public:
    Volume() = default;
    /// Allocates a zero-filled grid. Throws std::bad_alloc / std::invalid_argument on bad dims.
    Volume(VoxelType type, const ImageGeometry &geometry, int channels = 1);
    /// Wraps memory owned by `owner` (for example a shared-memory mapping) without copying.
    Volume(VoxelType type, const ImageGeometry &geometry, int channels, std::shared_ptr<void> owner, void *data);

    bool isNull() const { return !m_data; }
    VoxelType type() const { return m_type; }
    int channels() const { return m_channels; }
    const ImageGeometry &geometry() const { return m_geometry; }
    /// Geometry may change (a resampled origin, say), the dims may not.
    void setGeometry(const ImageGeometry &geometry);
    const Dims &dims() const { return m_geometry.dims; }
    std::size_t voxelCount() const { return m_geometry.voxelCount(); }
    std::size_t byteSize() const { return voxelCount() * std::size_t(m_channels) * voxelTypeSize(m_type); }

    ImageInfo &info() { return m_info; }
    const ImageInfo &info() const { return m_info; }

    void *rawData() { return m_data; }
    const void *rawData() const { return m_data; }
    template<typename T> T *data()
    {
        checkType<T>();
        return static_cast<T *>(m_data);
    }
    template<typename T> const T *data() const
    {
        checkType<T>();
        return static_cast<const T *>(m_data);
    }
    /// Value of one voxel as double (slow path for probes and tests, not for loops).
    double valueAt(int i, int j, int k, int channel = 0) const;
    /// Smallest and largest value over all voxels and channels (computed on each call).
    std::pair<double, double> valueRange() const;
    /// Deep copy with its own buffer.
    Volume clone() const;

private:
    template<typename T> void checkType() const
    {
        if (voxelTypeOf<std::remove_const_t<T>>() != m_type)
            throw std::logic_error("Volume::data<T>() with the wrong voxel type");
    }

    VoxelType m_type = VoxelType::UInt8;
    int m_channels = 1;
    ImageGeometry m_geometry;
    ImageInfo m_info;
    std::shared_ptr<void> m_owner;
    void *m_data = nullptr;
};

} // namespace carina
