// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/GroundGlass.h>

#include <carina/algo/ConnectedComponents.h>

#include <tbb/parallel_for.h>

#include <algorithm>
#include <stdexcept>

namespace carina::algo {

namespace {

template<typename T>
inline void order(T &a, T &b)
{
    const T low = std::min(a, b);
    b = std::max(a, b);
    a = low;
}

// Median of nine by a fixed 19-exchange network (Paeth's): branch-free min/max, so the row loop
// below vectorises, which sorting each neighbourhood would not.
template<typename T>
inline T median9(T p0, T p1, T p2, T p3, T p4, T p5, T p6, T p7, T p8)
{
    order(p1, p2); order(p4, p5); order(p7, p8);
    order(p0, p1); order(p3, p4); order(p6, p7);
    order(p1, p2); order(p4, p5); order(p7, p8);
    order(p0, p3); order(p5, p8); order(p4, p7);
    order(p3, p6); order(p1, p4); order(p2, p5);
    order(p4, p7); order(p4, p2); order(p6, p4);
    order(p4, p2);
    return p4;
}

// One output row from its three input rows (the caller repeats the edge rows).
template<typename T>
void medianRow(const T *a, const T *r, const T *b, int width, T *out)
{
    const auto at = [&](int x) {
        const int l = std::max(x - 1, 0), c = x, h = std::min(x + 1, width - 1);
        return median9(a[l], a[c], a[h], r[l], r[c], r[h], b[l], b[c], b[h]);
    };
    out[0] = at(0);
    for (int x = 1; x < width - 1; ++x) // the hot loop: no clamping inside
        out[x] = median9(a[x - 1], a[x], a[x + 1], r[x - 1], r[x], r[x + 1], b[x - 1], b[x], b[x + 1]);
    if (width > 1)
        out[width - 1] = at(width - 1);
}

void checkBox(const Volume &image, const VoxelBox &box)
{
    if (image.isNull() || image.channels() != 1)
        throw std::invalid_argument("the median needs a single-channel image");
    if (box.isEmpty())
        throw std::invalid_argument("the region is empty");
    for (int a = 0; a < 3; ++a)
        if (box.begin[a] < 0 || box.end[a] > image.dims()[a])
            throw std::invalid_argument("the region reaches outside the image");
}

template<typename T>
void medianBox(const Volume &image, const VoxelBox &box, Volume &out, const TaskContext &context)
{
    const Dims d = out.dims();
    const T *in = image.data<T>();
    T *o = out.data<T>();
    const std::size_t plane = std::size_t(d[0]) * std::size_t(d[1]);
    tbb::parallel_for(0, d[2], [&](int z) {
        if (context.isCanceled())
            return;
        const int k = box.begin[2] + z;
        const auto row = [&](int y) { // row y of the box, clamped to the box (mode 'nearest')
            y = std::clamp(y, 0, d[1] - 1);
            return in + image.geometry().linearIndex(box.begin[0], box.begin[1] + y, k);
        };
        for (int y = 0; y < d[1]; ++y)
            medianRow(row(y - 1), row(y), row(y + 1), d[0], o + std::size_t(z) * plane + std::size_t(y) * std::size_t(d[0]));
    });
    context.throwIfCanceled();
}

Volume boxVolume(const Volume &image, const VoxelBox &box)
{
    ImageGeometry g = image.geometry();
    g.dims = {box.end[0] - box.begin[0], box.end[1] - box.begin[1], box.end[2] - box.begin[2]};
    g.origin = image.geometry().indexToPhysical(Eigen::Vector3d(box.begin[0], box.begin[1], box.begin[2]));
    Volume out(image.type(), g);
    out.info() = image.info();
    return out;
}

Volume cropBox(const Volume &image, const VoxelBox &box)
{
    Volume out = boxVolume(image, box);
    const Dims d = out.dims();
    dispatchVoxelType(image.type(), [&](auto tag) {
        using T = decltype(tag);
        T *o = out.data<T>();
        for (int z = 0; z < d[2]; ++z)
            for (int y = 0; y < d[1]; ++y) {
                const T *src = image.data<T>() + image.geometry().linearIndex(box.begin[0], box.begin[1] + y, box.begin[2] + z);
                std::copy(src, src + d[0], o + (std::size_t(z) * std::size_t(d[1]) + std::size_t(y)) * std::size_t(d[0]));
            }
    });
    return out;
}

} // namespace

Volume medianFilterInPlane3x3(const Volume &image, const VoxelBox &box, const TaskContext &context)
{
    checkBox(image, box);
    Volume out = boxVolume(image, box);
    dispatchVoxelType(image.type(), [&](auto tag) { medianBox<decltype(tag)>(image, box, out, context); });
    return out;
}

GroundGlassResult extractGroundGlass(const Volume &ct, const VoxelBox &box, const std::vector<std::uint8_t> &inPlaneMask,
                                     const GroundGlassOptions &options, const TaskContext &context)
{
    checkBox(ct, box);
    if (!(options.lowHu < options.highHu))
        throw std::invalid_argument("the HU range is empty: the low end must be below the high end");
    const Dims d{box.end[0] - box.begin[0], box.end[1] - box.begin[1], box.end[2] - box.begin[2]};
    const std::size_t plane = std::size_t(d[0]) * std::size_t(d[1]);
    if (!inPlaneMask.empty() && inPlaneMask.size() != plane)
        throw std::invalid_argument("the in-plane region does not match the box");

    const Volume values = options.smooth ? medianFilterInPlane3x3(ct, box, context) : cropBox(ct, box);
    context.throwIfCanceled();

    GroundGlassResult result;
    result.box = box;
    std::vector<std::uint8_t> inRange(plane * std::size_t(d[2]), 0);
    dispatchVoxelType(ct.type(), [&](auto tag) {
        using T = decltype(tag);
        const T *v = values.data<T>();
        // Compared in double: HU bounds with fractions (or beyond the type's range) mean what they say.
        tbb::parallel_for(0, d[2], [&](int z) {
            for (std::size_t p = 0; p < plane; ++p) {
                const std::size_t n = std::size_t(z) * plane + p;
                const double hu = double(v[n]);
                inRange[n] = (inPlaneMask.empty() || inPlaneMask[p]) && hu > options.lowHu && hu <= options.highHu;
            }
        });
    });
    context.throwIfCanceled();
    const ComponentLabels pieces = labelConnectedComponents(inRange.data(), d, Connectivity::Faces, context);
    result.pieces = pieces.count;
    for (std::uint32_t c = 1; c <= pieces.count; ++c)
        result.voxelsInRange += pieces.sizes[c];
    if (pieces.count == 0) {
        result.mask.assign(inRange.size(), 0);
        return result;
    }
    result.mask = largestComponents(pieces, 1);
    result.voxels = *std::max_element(pieces.sizes.begin() + 1, pieces.sizes.end());
    return result;
}

} // namespace carina::algo
