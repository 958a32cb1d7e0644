// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/edit/Rasterize.h>

#include <carina/LabelVolume.h>
#include <carina/edit/DrawnShape.h>
#include <carina/edit/LabelPatch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace carina::edit {

namespace {

// A slice as a 2D pixel grid: pixel (a, b) is voxel axisX = a, axisY = b, axisZ = slice.
// Continuous pixel coordinates have pixel centres at integers (the voxel index convention).
struct Frame
{
    const ImageGeometry *geometry = nullptr;
    algo::SliceMapping mapping;
    int slice = 0;
    double sx = 1.0; ///< mm per pixel along a
    double sy = 1.0; ///< along b

    Frame(const ImageGeometry &g, algo::SlicePlane plane, int sliceIndex)
        : geometry(&g), mapping(algo::sliceMapping(g, plane)), slice(sliceIndex)
    {
        if (slice < 0 || slice >= mapping.sliceCount)
            throw std::invalid_argument("rasterize: slice " + std::to_string(slice) + " is outside 0.."
                                        + std::to_string(mapping.sliceCount - 1));
        sx = g.spacing[mapping.axisX];
        sy = g.spacing[mapping.axisY];
    }
    Eigen::Vector2d project(const Eigen::Vector3d &lps) const
    {
        const Eigen::Vector3d index = geometry->physicalToIndex(lps);
        return {index[mapping.axisX], index[mapping.axisY]};
    }
    std::size_t linear(int a, int b) const
    {
        Dims ijk{};
        ijk[std::size_t(mapping.axisX)] = a;
        ijk[std::size_t(mapping.axisY)] = b;
        ijk[std::size_t(mapping.axisZ)] = slice;
        return geometry->linearIndex(ijk[0], ijk[1], ijk[2]);
    }
    // Collects pixels row by row; sorting afterwards makes the order the grid's.
    void finish(VoxelList &out) const { std::sort(out.begin(), out.end()); }
};

// Squared distance from p to the segment a-b.
double segmentDistance2(const Eigen::Vector2d &p, const Eigen::Vector2d &a, const Eigen::Vector2d &b)
{
    const Eigen::Vector2d ab = b - a;
    const double len2 = ab.squaredNorm();
    const double t = len2 > 0.0 ? std::clamp((p - a).dot(ab) / len2, 0.0, 1.0) : 0.0;
    return (a + t * ab - p).squaredNorm();
}

double segmentDistance2(const Eigen::Vector3d &p, const Eigen::Vector3d &a, const Eigen::Vector3d &b)
{
    const Eigen::Vector3d ab = b - a;
    const double len2 = ab.squaredNorm();
    const double t = len2 > 0.0 ? std::clamp((p - a).dot(ab) / len2, 0.0, 1.0) : 0.0;
    return (a + t * ab - p).squaredNorm();
}

// A hair of slack so a voxel exactly at the radius counts whatever the rounding of the mm maths.
constexpr double kEdgeSlack = 1e-9;

} // namespace

VoxelList rasterizePolygon(const ImageGeometry &geometry, algo::SlicePlane plane, int slice,
                           const std::vector<Eigen::Vector3d> &lps)
{
    const Frame f(geometry, plane, slice);
    VoxelList out;
    if (lps.size() < 3)
        return out;
    std::vector<Eigen::Vector2d> p;
    p.reserve(lps.size());
    for (const Eigen::Vector3d &q : lps)
        p.push_back(f.project(q));
    double vMin = p[0].y(), vMax = p[0].y();
    for (const Eigen::Vector2d &q : p) {
        vMin = std::min(vMin, q.y());
        vMax = std::max(vMax, q.y());
    }
    const int bBegin = std::max(0, int(std::ceil(vMin)));
    const int bEnd = std::min(f.mapping.height - 1, int(std::floor(vMax)));
    struct Crossing
    {
        double u;
        int winding;
    };
    std::vector<Crossing> crossings;
    // Scanline fill through pixel centres. An edge counts on a row when the row lies in
    // [lower end, upper end): vertices on a row are not counted twice and horizontal edges not
    // at all, the usual half-open rule.
    for (int b = bBegin; b <= bEnd; ++b) {
        crossings.clear();
        const double v = double(b);
        for (std::size_t n = 0; n < p.size(); ++n) {
            const Eigen::Vector2d &a0 = p[n];
            const Eigen::Vector2d &a1 = p[(n + 1) % p.size()];
            if (a0.y() <= v && v < a1.y())
                crossings.push_back({a0.x() + (v - a0.y()) * (a1.x() - a0.x()) / (a1.y() - a0.y()), +1});
            else if (a1.y() <= v && v < a0.y())
                crossings.push_back({a0.x() + (v - a0.y()) * (a1.x() - a0.x()) / (a1.y() - a0.y()), -1});
        }
        std::sort(crossings.begin(), crossings.end(), [](const Crossing &x, const Crossing &y) { return x.u < y.u; });
        int winding = 0;
        for (std::size_t n = 0; n + 1 < crossings.size(); ++n) {
            winding += crossings[n].winding;
            if (winding == 0)
                continue;
            // Centres a with u_n <= a < u_{n+1}.
            const int aBegin = std::max(0, int(std::ceil(crossings[n].u)));
            const int aEnd = std::min(f.mapping.width, int(std::ceil(crossings[n + 1].u)));
            for (int a = aBegin; a < aEnd; ++a)
                out.push_back(f.linear(a, b));
        }
    }
    f.finish(out);
    return out;
}

VoxelList rasterizeRectangle(const ImageGeometry &geometry, algo::SlicePlane plane, int slice,
                             const Eigen::Vector3d &a, const Eigen::Vector3d &b)
{
    const Frame f(geometry, plane, slice);
    const Eigen::Vector2d pa = f.project(a);
    const Eigen::Vector2d pb = f.project(b);
    const double eps = 1e-9;
    const int a0 = std::max(0, int(std::ceil(std::min(pa.x(), pb.x()) - eps)));
    const int a1 = std::min(f.mapping.width - 1, int(std::floor(std::max(pa.x(), pb.x()) + eps)));
    const int b0 = std::max(0, int(std::ceil(std::min(pa.y(), pb.y()) - eps)));
    const int b1 = std::min(f.mapping.height - 1, int(std::floor(std::max(pa.y(), pb.y()) + eps)));
    VoxelList out;
    if (a1 < a0 || b1 < b0)
        return out;
    out.reserve(std::size_t(a1 - a0 + 1) * std::size_t(b1 - b0 + 1));
    for (int y = b0; y <= b1; ++y)
        for (int x = a0; x <= a1; ++x)
            out.push_back(f.linear(x, y));
    f.finish(out);
    return out;
}

VoxelList rasterizePolyline(const ImageGeometry &geometry, algo::SlicePlane plane, int slice,
                            const std::vector<Eigen::Vector3d> &lps, double widthMm)
{
    const Frame f(geometry, plane, slice);
    VoxelList out;
    const double r = 0.5 * widthMm;
    if (lps.empty() || !(r > 0.0))
        return out;
    // Work in mm on the slice so the distance is physical however anisotropic the pixels.
    std::vector<Eigen::Vector2d> p;
    p.reserve(lps.size());
    for (const Eigen::Vector3d &q : lps) {
        const Eigen::Vector2d px = f.project(q);
        p.emplace_back(px.x() * f.sx, px.y() * f.sy);
    }
    if (p.size() == 1)
        p.push_back(p.front());
    Eigen::Vector2d lo = p[0], hi = p[0];
    for (const Eigen::Vector2d &q : p) {
        lo = lo.cwiseMin(q);
        hi = hi.cwiseMax(q);
    }
    const int a0 = std::max(0, int(std::ceil((lo.x() - r) / f.sx)));
    const int a1 = std::min(f.mapping.width - 1, int(std::floor((hi.x() + r) / f.sx)));
    const int b0 = std::max(0, int(std::ceil((lo.y() - r) / f.sy)));
    const int b1 = std::min(f.mapping.height - 1, int(std::floor((hi.y() + r) / f.sy)));
    if (a1 < a0 || b1 < b0)
        return out;
    // A mask over the path's box: each segment marks the pixels of its own box that lie within
    // r of it, so a long path costs its segments' boxes, not the box's area times segments.
    const int w = a1 - a0 + 1;
    const int h = b1 - b0 + 1;
    std::vector<std::uint8_t> mask(std::size_t(w) * std::size_t(h), 0);
    const double r2 = r * r * (1.0 + kEdgeSlack);
    for (std::size_t n = 0; n + 1 < p.size(); ++n) {
        const Eigen::Vector2d &s0 = p[n];
        const Eigen::Vector2d &s1 = p[n + 1];
        const int x0 = std::max(a0, int(std::ceil((std::min(s0.x(), s1.x()) - r) / f.sx)));
        const int x1 = std::min(a1, int(std::floor((std::max(s0.x(), s1.x()) + r) / f.sx)));
        const int y0 = std::max(b0, int(std::ceil((std::min(s0.y(), s1.y()) - r) / f.sy)));
        const int y1 = std::min(b1, int(std::floor((std::max(s0.y(), s1.y()) + r) / f.sy)));
        for (int y = y0; y <= y1; ++y) {
            std::uint8_t *row = mask.data() + std::size_t(y - b0) * std::size_t(w);
            for (int x = x0; x <= x1; ++x)
                if (!row[x - a0] && segmentDistance2({x * f.sx, y * f.sy}, s0, s1) <= r2)
                    row[x - a0] = 1;
        }
    }
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            if (mask[std::size_t(y) * std::size_t(w) + std::size_t(x)])
                out.push_back(f.linear(a0 + x, b0 + y));
    f.finish(out);
    return out;
}

VoxelList rasterizeDisc(const ImageGeometry &geometry, algo::SlicePlane plane, int slice,
                        const Eigen::Vector3d &centre, double radiusMm)
{
    return rasterizePolyline(geometry, plane, slice, {centre}, 2.0 * radiusMm);
}

VoxelList rasterizeCapsule(const ImageGeometry &geometry, const Eigen::Vector3d &a, const Eigen::Vector3d &b,
                           double radiusMm)
{
    VoxelList out;
    if (!(radiusMm > 0.0))
        return out;
    // In index space scaled by the spacing, distances are physical (the direction is orthonormal).
    const Eigen::Vector3d &s = geometry.spacing;
    const Eigen::Vector3d pa = geometry.physicalToIndex(a).cwiseProduct(s);
    const Eigen::Vector3d pb = geometry.physicalToIndex(b).cwiseProduct(s);
    const Eigen::Vector3d lo = pa.cwiseMin(pb).array() - radiusMm;
    const Eigen::Vector3d hi = pa.cwiseMax(pb).array() + radiusMm;
    Dims begin{}, end{};
    for (std::size_t axis = 0; axis < 3; ++axis) {
        begin[axis] = std::max(0, int(std::ceil(lo[int(axis)] / s[int(axis)])));
        end[axis] = std::min(geometry.dims[axis] - 1, int(std::floor(hi[int(axis)] / s[int(axis)])));
        if (end[axis] < begin[axis])
            return out;
    }
    const double r2 = radiusMm * radiusMm * (1.0 + kEdgeSlack);
    // Memory order: the result comes out sorted.
    for (int k = begin[2]; k <= end[2]; ++k)
        for (int j = begin[1]; j <= end[1]; ++j)
            for (int i = begin[0]; i <= end[0]; ++i)
                if (segmentDistance2(Eigen::Vector3d(i * s.x(), j * s.y(), k * s.z()), pa, pb) <= r2)
                    out.push_back(geometry.linearIndex(i, j, k));
    return out;
}

VoxelList rasterizeSphere(const ImageGeometry &geometry, const Eigen::Vector3d &centre, double radiusMm)
{
    return rasterizeCapsule(geometry, centre, centre, radiusMm);
}

VoxelList mergeVoxels(const VoxelList &a, const VoxelList &b)
{
    VoxelList out;
    out.reserve(a.size() + b.size());
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

VoxelBox voxelBounds(const ImageGeometry &geometry, const VoxelList &voxels)
{
    if (voxels.empty())
        return {};
    const std::size_t nx = std::size_t(geometry.dims[0]);
    const std::size_t ny = std::size_t(geometry.dims[1]);
    Dims lo{geometry.dims[0], geometry.dims[1], geometry.dims[2]};
    Dims hi{-1, -1, -1};
    for (const std::size_t n : voxels) {
        const Dims ijk{int(n % nx), int((n / nx) % ny), int(n / (nx * ny))};
        for (std::size_t axis = 0; axis < 3; ++axis) {
            lo[axis] = std::min(lo[axis], ijk[axis]);
            hi[axis] = std::max(hi[axis], ijk[axis]);
        }
    }
    return {lo, {hi[0] + 1, hi[1] + 1, hi[2] + 1}};
}

std::size_t paintVoxels(LabelVolume &labels, LabelPatch &patch, const VoxelList &voxels, std::uint16_t label)
{
    const std::size_t count = labels.voxelCount();
    const std::uint16_t *data = labels.data();
    std::size_t changed = 0;
    for (const std::size_t n : voxels) {
        if (n >= count)
            throw std::out_of_range("paintVoxels: voxel " + std::to_string(n) + " outside the label volume");
        if (data[n] != label) {
            patch.assign(labels, n, label);
            ++changed;
        }
    }
    return changed;
}

} // namespace carina::edit

namespace carina {

std::vector<std::size_t> rasterizeShape(const ImageGeometry &geometry, const DrawnShape &shape)
{
    using Kind = DrawnShape::Kind;
    switch (shape.kind) {
    case Kind::Lasso:
        return edit::rasterizePolygon(geometry, shape.plane, shape.slice, shape.points);
    case Kind::Rectangle:
        if (shape.points.size() < 2)
            return {};
        return edit::rasterizeRectangle(geometry, shape.plane, shape.slice, shape.points.front(), shape.points.back());
    case Kind::Squiggle:
        return edit::rasterizePolyline(geometry, shape.plane, shape.slice, shape.points, shape.widthMm);
    case Kind::Brush:
    case Kind::Eraser:
        if (!shape.sphere)
            return edit::rasterizePolyline(geometry, shape.plane, shape.slice, shape.points, shape.widthMm);
        {
            edit::VoxelList voxels;
            const double r = 0.5 * shape.widthMm;
            for (std::size_t n = 0; n < shape.points.size(); ++n)
                voxels = edit::mergeVoxels(voxels, edit::rasterizeCapsule(geometry, shape.points[n],
                                                                          shape.points[n + 1 < shape.points.size() ? n + 1 : n], r));
            return voxels;
        }
    }
    return {};
}

} // namespace carina
