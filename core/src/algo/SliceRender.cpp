// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/SliceRender.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>

namespace carina::algo {

namespace {

// The screen directions of each plane in LPS (+x = Left, +y = Posterior, +z = Superior):
// the LPS axis each image direction follows and whether it runs toward the negative end.
struct PlaneAxes
{
    int xLps;
    bool xNegative;
    int yLps;
    bool yNegative;
    int normalLps;
};

constexpr PlaneAxes planeAxes(SlicePlane plane)
{
    switch (plane) {
    case SlicePlane::Axial: return {0, false, 1, false, 2};    // x -> Left, y (down) -> Posterior
    case SlicePlane::Coronal: return {0, false, 2, true, 1};   // x -> Left, y (down) -> Inferior
    case SlicePlane::Sagittal: return {1, false, 2, true, 0};  // x -> Posterior, y (down) -> Inferior
    }
    return {0, false, 1, false, 2};
}

// Which voxel axis follows each LPS axis. A greedy "largest component" pick can give two LPS
// axes the same voxel axis on a 45-degree oblique, so try the six permutations and keep the
// best aligned one.
std::array<int, 3> voxelAxisForLps(const Eigen::Matrix3d &direction)
{
    static constexpr std::array<std::array<int, 3>, 6> permutations{
        {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}};
    std::array<int, 3> best = permutations[0];
    double bestScore = -1.0;
    for (const auto &p : permutations) {
        // p[lps] = voxel axis; direction(lps, axis) is that axis' component along lps.
        const double score = std::abs(direction(0, p[0])) + std::abs(direction(1, p[1])) + std::abs(direction(2, p[2]));
        if (score > bestScore + 1e-12) {
            bestScore = score;
            best = p;
        }
    }
    return best;
}

inline std::uint32_t grey(std::uint8_t g)
{
    return 0xff000000u | (std::uint32_t(g) << 16) | (std::uint32_t(g) << 8) | std::uint32_t(g);
}

inline std::uint8_t windowed(double v, double low, double scale)
{
    const double g = (v - low) * scale;
    return g <= 0.0 ? 0 : g >= 255.0 ? 255 : std::uint8_t(g + 0.5);
}

// Window/level as a look-up table over every value of a 8/16-bit type. Paging through slices
// renders at the same window many times, so the table of the last window is kept per thread.
template<typename T>
const std::uint32_t *windowLut(double low, double scale)
{
    constexpr std::size_t size = std::size_t(1) << (8 * sizeof(T));
    struct Cache
    {
        std::array<std::uint32_t, size> table{};
        double low = std::nan("");
        double scale = std::nan("");
    };
    // On the heap: 256 kB of thread-local storage would not fit the static TLS block that
    // a library loaded with dlopen() may use.
    thread_local std::unique_ptr<Cache> cache;
    if (!cache)
        cache = std::make_unique<Cache>();
    if (cache->low != low || cache->scale != scale) {
        for (std::size_t i = 0; i < size; ++i) {
            // Index by the bit pattern, so int16 -1 sits at 65535.
            const T value = T(i);
            cache->table[i] = grey(windowed(double(value), low, scale));
        }
        cache->low = low;
        cache->scale = scale;
    }
    return cache->table.data();
}

template<typename T>
inline std::size_t lutIndex(T v)
{
    if constexpr (std::is_signed_v<T>)
        return std::size_t(std::make_unsigned_t<T>(v));
    else
        return std::size_t(v);
}

struct Walk
{
    const SliceMapping &map;
    std::ptrdiff_t strideX;   // elements between neighbouring image pixels (signed: flips)
    std::ptrdiff_t rowStart0; // element offset of image pixel (0, 0)
    std::ptrdiff_t strideY;   // elements between image rows
};

Walk makeWalk(const SliceMapping &m, const Dims &dims, int index, int channels)
{
    const std::array<std::ptrdiff_t, 3> stride{std::ptrdiff_t(channels), std::ptrdiff_t(channels) * dims[0],
                                               std::ptrdiff_t(channels) * dims[0] * dims[1]};
    const std::ptrdiff_t sx = stride[std::size_t(m.axisX)];
    const std::ptrdiff_t sy = stride[std::size_t(m.axisY)];
    std::ptrdiff_t start = std::ptrdiff_t(index) * stride[std::size_t(m.axisZ)];
    if (m.flipX)
        start += std::ptrdiff_t(m.width - 1) * sx;
    if (m.flipY)
        start += std::ptrdiff_t(m.height - 1) * sy;
    return Walk{m, m.flipX ? -sx : sx, start, m.flipY ? -sy : sy};
}

template<typename T>
void renderGrey(const T *data, const Walk &w, double low, double scale, std::uint32_t *out)
{
    const int width = w.map.width;
    const int height = w.map.height;
    if constexpr (sizeof(T) <= 2) {
        const std::uint32_t *lut = windowLut<T>(low, scale);
        for (int y = 0; y < height; ++y) {
            const T *src = data + w.rowStart0 + std::ptrdiff_t(y) * w.strideY;
            std::uint32_t *dst = out + std::ptrdiff_t(y) * width;
            if (w.strideX == 1) {
                for (int x = 0; x < width; ++x)
                    dst[x] = lut[lutIndex(src[x])];
            } else {
                for (int x = 0; x < width; ++x)
                    dst[x] = lut[lutIndex(src[std::ptrdiff_t(x) * w.strideX])];
            }
        }
    } else {
        const float lowF = float(low);
        const float scaleF = float(scale);
        for (int y = 0; y < height; ++y) {
            const T *src = data + w.rowStart0 + std::ptrdiff_t(y) * w.strideY;
            std::uint32_t *dst = out + std::ptrdiff_t(y) * width;
            for (int x = 0; x < width; ++x) {
                float g = (float(src[std::ptrdiff_t(x) * w.strideX]) - lowF) * scaleF;
                // NaN fails both comparisons and ends as black.
                g = g > 0.0f ? (g < 255.0f ? g + 0.5f : 255.0f) : 0.0f;
                dst[x] = grey(std::uint8_t(g));
            }
        }
    }
}

template<typename T>
void renderColour(const T *data, const Walk &w, double low, double scale, std::uint32_t *out)
{
    const int width = w.map.width;
    const int height = w.map.height;
    for (int y = 0; y < height; ++y) {
        const T *src = data + w.rowStart0 + std::ptrdiff_t(y) * w.strideY;
        std::uint32_t *dst = out + std::ptrdiff_t(y) * width;
        for (int x = 0; x < width; ++x) {
            const T *p = src + std::ptrdiff_t(x) * w.strideX;
            std::uint32_t r, g, b;
            if constexpr (std::is_same_v<T, std::uint8_t>) {
                // 8-bit colour photos are shown as they are.
                r = p[0];
                g = p[1];
                b = p[2];
            } else {
                r = windowed(double(p[0]), low, scale);
                g = windowed(double(p[1]), low, scale);
                b = windowed(double(p[2]), low, scale);
            }
            dst[x] = 0xff000000u | (b << 16) | (g << 8) | r;
        }
    }
}

inline std::uint32_t mix(std::uint32_t p, std::uint32_t keep, const std::array<std::uint32_t, 3> &t)
{
    const std::uint32_t r = ((p & 0xffu) * keep + t[0]) >> 8;
    const std::uint32_t g = (((p >> 8) & 0xffu) * keep + t[1]) >> 8;
    const std::uint32_t b = (((p >> 16) & 0xffu) * keep + t[2]) >> 8;
    return 0xff000000u | (b << 16) | (g << 8) | r;
}

void blendOverlay(const LabelOverlay &overlay, const SliceMapping &m, int index, std::uint32_t *out)
{
    const LabelVolume &labels = *overlay.labels;
    const bool outline = overlay.outline;
    const std::uint16_t highlighted = overlay.highlighted;
    // Contours are drawn opaque: their opacity is the layer's visibility, not a blend.
    const std::uint32_t layerWeight =
        std::uint32_t(std::lround(std::clamp(outline && overlay.opacity > 0.0 ? 1.0 : overlay.opacity, 0.0, 1.0) * 256.0));
    if (layerWeight == 0 && highlighted == 0)
        return;
    // Per-id colour pre-multiplied by its weight, grown on demand: superpixel layers hold
    // thousands of ids the table does not list, drawn in their default colours.
    std::vector<std::array<std::uint32_t, 3>> tint;
    std::vector<std::uint16_t> weight;
    auto grow = [&](std::size_t to) {
        const std::size_t from = tint.size();
        tint.resize(to);
        weight.resize(to);
        for (std::size_t id = from; id < to; ++id) {
            if (id == 0) {
                tint[0] = {0, 0, 0};
                weight[0] = 0;
                continue;
            }
            const LabelInfo info = labels.table().infoOrDefault(std::uint16_t(id));
            const std::uint32_t a = info.visible ? layerWeight : 0;
            weight[id] = std::uint16_t(a);
            tint[id] = {std::uint32_t(info.rgb[0]) * a, std::uint32_t(info.rgb[1]) * a, std::uint32_t(info.rgb[2]) * a};
        }
    };
    std::size_t initial = 256;
    if (!labels.table().entries().empty())
        initial = std::max<std::size_t>(initial, std::size_t(labels.table().entries().back().id) + 1);
    grow(initial);

    const Walk w = makeWalk(m, labels.dims(), index, 1);
    const std::uint16_t *data = labels.data();
    const auto at = [&](int x, int y) -> std::uint16_t {
        if (x < 0 || y < 0 || x >= m.width || y >= m.height)
            return 0xffffu; // outside the slice: a contour closes on the edge
        return data[w.rowStart0 + std::ptrdiff_t(y) * w.strideY + std::ptrdiff_t(x) * w.strideX];
    };
    const std::ptrdiff_t sx = w.strideX, sy = w.strideY;
    const int lastX = m.width - 1, lastY = m.height - 1;
    // `p` points at pixel (x, y); the slice's edge counts as another id.
    const auto onContour = [&](const std::uint16_t *p, std::uint16_t id, int x, int y) {
        return x == 0 || x == lastX || y == 0 || y == lastY || p[-sx] != id || p[sx] != id || p[-sy] != id || p[sy] != id;
    };
    const std::array<std::uint32_t, 3> green{0u * 256u, 230u * 256u, 64u * 256u};
    const std::array<std::uint32_t, 3> greenFill{0u * 64u, 230u * 64u, 64u * 64u};
    for (int y = 0; y < m.height; ++y) {
        const std::uint16_t *src = data + w.rowStart0 + std::ptrdiff_t(y) * w.strideY;
        std::uint32_t *dst = out + std::ptrdiff_t(y) * m.width;
        for (int x = 0; x < m.width; ++x) {
            const std::uint16_t id = src[std::ptrdiff_t(x) * w.strideX];
            if (highlighted) {
                if (id == highlighted) {
                    dst[x] = onContour(src + std::ptrdiff_t(x) * sx, id, x, y) ? mix(0, 0, green) : mix(dst[x], 192, greenFill);
                    continue;
                }
                // The pixel just outside the highlighted region thickens its contour.
                if (at(x - 1, y) == highlighted || at(x + 1, y) == highlighted || at(x, y - 1) == highlighted
                    || at(x, y + 1) == highlighted) {
                    dst[x] = mix(0, 0, green);
                    continue;
                }
            }
            if (id == 0)
                continue;
            if (id >= tint.size())
                grow(std::size_t(id) + 1);
            const std::uint32_t a = weight[id];
            if (a == 0)
                continue;
            if (outline && !onContour(src + std::ptrdiff_t(x) * sx, id, x, y))
                continue;
            dst[x] = mix(dst[x], 256 - a, tint[id]);
        }
    }
}

} // namespace

SliceMapping sliceMapping(const ImageGeometry &geometry, SlicePlane plane)
{
    const PlaneAxes axes = planeAxes(plane);
    const std::array<int, 3> forLps = voxelAxisForLps(geometry.direction);
    SliceMapping m;
    m.axisX = forLps[std::size_t(axes.xLps)];
    m.axisY = forLps[std::size_t(axes.yLps)];
    m.axisZ = forLps[std::size_t(axes.normalLps)];
    // Flip when the voxel axis runs against the wanted screen direction.
    const double alongX = geometry.direction(axes.xLps, m.axisX);
    const double alongY = geometry.direction(axes.yLps, m.axisY);
    m.flipX = axes.xNegative ? alongX > 0.0 : alongX < 0.0;
    m.flipY = axes.yNegative ? alongY > 0.0 : alongY < 0.0;
    m.width = geometry.dims[std::size_t(m.axisX)];
    m.height = geometry.dims[std::size_t(m.axisY)];
    m.sliceCount = geometry.dims[std::size_t(m.axisZ)];
    return m;
}

void renderSlice(const Volume &volume, SlicePlane plane, int index, double windowCenter, double windowWidth,
                 const std::vector<LabelOverlay> &overlays, SliceImage &out)
{
    if (volume.isNull())
        throw std::invalid_argument("renderSlice: no image");
    const SliceMapping m = sliceMapping(volume.geometry(), plane);
    if (index < 0 || index >= m.sliceCount)
        throw std::out_of_range("renderSlice: slice " + std::to_string(index) + " outside 0.." +
                                std::to_string(m.sliceCount - 1));
    for (const LabelOverlay &o : overlays)
        if (o.labels && o.labels->dims() != volume.dims())
            throw std::invalid_argument("renderSlice: a label overlay is not on the image's grid");

    out.width = m.width;
    out.height = m.height;
    out.pixelWidthMm = volume.geometry().spacing[m.axisX];
    out.pixelHeightMm = volume.geometry().spacing[m.axisY];
    const std::size_t pixels = std::size_t(m.width) * std::size_t(m.height);
    if (out.rgba.size() != pixels)
        out.rgba.resize(pixels);

    // Grey = (value - (center - width/2)) / width * 255, as DICOM's linear VOI function.
    const double width = std::max(windowWidth, 1e-6);
    const double low = windowCenter - 0.5 * width;
    const double scale = 255.0 / width;
    const int channels = volume.channels();
    const Walk walk = makeWalk(m, volume.dims(), index, channels);
    dispatchVoxelType(volume.type(), [&](auto t) {
        using T = decltype(t);
        const T *data = static_cast<const T *>(volume.rawData());
        if (channels >= 3)
            renderColour(data, walk, low, scale, out.rgba.data());
        else
            renderGrey(data, walk, low, scale, out.rgba.data());
    });

    for (const LabelOverlay &o : overlays)
        if (o.labels)
            blendOverlay(o, m, index, out.rgba.data());
}

} // namespace carina::algo
