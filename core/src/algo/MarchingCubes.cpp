// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/MarchingCubes.h>

#include "algo/detail/MarchingCubesTables.h"

#include <Eigen/LU>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <type_traits>
#include <vector>

// Slab-parallel marching cubes with flying-edges style row trimming and counted edge ids.
//
// 1. Every grid row (j,k) along x is scanned once for the first and last x edge the surface crosses
//    (`RowTrim`); outside that range the row is constant. Four rows bound a row of cubes, so cubes
//    outside the union of their ranges are skipped without reading a voxel unless the rows' constant
//    sides differ there.
// 2. The cube layers are cut into z slabs processed in parallel. A slab walks its layers in order,
//    creating the vertices of each row's crossed edges just ahead of the cube row that uses them.
//    A row's crossed edges get consecutive ids, so a cube finds its edges' ids from the row bases
//    plus the crossings counted so far along the walk: no per-edge cache, no hashing, no per-cube
//    allocation. The vertices of a slab's top plane belong to the next slab, which creates them
//    first and in the same order: the slab refers to them by rank (tagged `kForeign`) and the merge
//    turns ranks into global ids. The result does not depend on the number of threads.
// 3. Normals are the negated, linearly interpolated central-difference gradient at the edge ends,
//    taken to LPS through the direction and spacing (as scikit-image and VTK do); where it vanishes
//    (one-voxel-thin structures in binary masks) the edge direction from the inside to the outside
//    end is used instead.

namespace carina::algo {

namespace {

using detail::MarchingCubesTables;
using detail::marchingCubesTables;

constexpr std::uint32_t kForeign = 0x80000000u;

/// Crossed x edges of a grid row lie in [first, last); voxels <= first share the side `left`,
/// voxels >= last the side `right`. A row without crossings has first = nx, last = 0.
struct RowTrim
{
    std::int32_t first;
    std::int32_t last;
    bool left;
    bool right;
};

/// Inside = value >= iso. Integer volumes compare against ceil(iso) in their own type.
template<typename T>
struct ThresholdRule
{
    T threshold{};
    double iso = 0.5;

    bool inside(T v) const { return v >= threshold; }
    float fraction(T a, T b) const
    {
        const double t = (iso - double(a)) / (double(b) - double(a));
        return float(std::clamp(t, 0.0, 1.0));
    }
    float value(T v) const { return float(v); }
};

/// Inside = the label (or any label when `label` is 0); the surface passes half-way along edges.
struct LabelRule
{
    std::uint16_t label = 0;

    bool inside(std::uint16_t v) const { return label == 0 ? v != 0 : v == label; }
    float fraction(std::uint16_t, std::uint16_t) const { return 0.5f; }
    float value(std::uint16_t v) const { return inside(v) ? 1.0f : 0.0f; }
};

/// Append-only array of a trivial type whose growth check is cheap enough to inline into the hot
/// loops. Grows with realloc: large blocks are remapped by the kernel instead of copied and zeroed.
template<typename V>
class Buffer
{
    static_assert(std::is_trivially_copyable_v<V>);

public:
    Buffer() = default;
    Buffer(const Buffer &) = delete;
    Buffer &operator=(const Buffer &) = delete;
    ~Buffer() { std::free(m_data); }

    V *append(std::size_t n)
    {
        if (m_size + n > m_capacity) {
            const std::size_t capacity = std::max(2 * m_capacity, m_size + n + 4096);
            V *grown = static_cast<V *>(std::realloc(m_data, capacity * sizeof(V)));
            if (!grown)
                throw std::bad_alloc();
            m_data = grown;
            m_capacity = capacity;
        }
        V *p = m_data + m_size;
        m_size += n;
        return p;
    }
    const V *data() const { return m_data; }
    std::size_t size() const { return m_size; }

private:
    V *m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

struct SlabMesh
{
    Buffer<float> vertices;
    Buffer<float> normals;
    Buffer<std::uint32_t> triangles;
};

template<typename T, typename Rule>
class Extractor
{
public:
    Extractor(const T *data, const ImageGeometry &geometry, const Rule &rule, bool normals)
        : m_data(data), m_nx(geometry.dims[0]), m_ny(geometry.dims[1]), m_nz(geometry.dims[2]), m_rule(rule),
          m_normals(normals)
    {
        const Eigen::Matrix3d m = geometry.direction * geometry.spacing.asDiagonal();
        const Eigen::Matrix3d g = geometry.direction * geometry.spacing.cwiseInverse().asDiagonal();
        m_mirrored = m.determinant() < 0.0;
        for (int r = 0; r < 3; ++r) {
            m_origin[r] = geometry.origin[r];
            for (int c = 0; c < 3; ++c) {
                m_indexToLps[r][c] = m(r, c);
                m_gradientToLps[r][c] = g(r, c);
                m_axisLps[c][r] = geometry.direction(r, c);
            }
        }
    }

    Mesh run(const TaskContext &context)
    {
        Mesh mesh;
        if (m_nx < 2 || m_ny < 2 || m_nz < 2)
            return mesh;
        computeTrims();
        context.throwIfCanceled();

        const int layers = m_nz - 1;
        const int threads = std::max(1, tbb::this_task_arena::max_concurrency());
        // Several slabs per thread balance uneven surfaces; each slab re-counts one plane.
        const int slabCount = std::clamp(layers / 4, 1, 8 * threads);
        std::vector<SlabMesh> slabs{std::size_t(slabCount)};
        std::atomic<int> finished{0};
        std::mutex progressMutex;
        tbb::parallel_for(0, slabCount, 1, [&](int s) {
            context.throwIfCanceled();
            const int k0 = int(std::int64_t(layers) * s / slabCount);
            const int k1 = int(std::int64_t(layers) * (s + 1) / slabCount);
            extractSlab(k0, k1, s + 1 == slabCount, slabs[std::size_t(s)], context);
            const int done = ++finished;
            // Progress comes from worker threads; one report at a time keeps callbacks simple
            // (a skipped one is made up by the next, and by the final report).
            std::unique_lock lock(progressMutex, std::try_to_lock);
            if (lock.owns_lock())
                context.progress(double(done) / slabCount, "Extracting surface");
        });
        context.throwIfCanceled();
        merge(slabs, mesh);
        context.progress(1.0, "Extracting surface");
        return mesh;
    }

private:
    const T *row(int j, int k) const { return m_data + (std::size_t(k) * std::size_t(m_ny) + std::size_t(j)) * std::size_t(m_nx); }
    const RowTrim &trim(int j, int k) const { return m_trims[std::size_t(k) * std::size_t(m_ny) + std::size_t(j)]; }

    static constexpr int kBlock = 64;
    static constexpr int kSkip = 16;

    /// Inside voxels among N: a branch-free sum the compiler vectorises.
    template<int N = kBlock>
    int countInside(const T *p) const
    {
        unsigned count = 0;
        for (int t = 0; t < N; ++t)
            count += m_rule.inside(p[t]) ? 1u : 0u;
        return int(count);
    }

    RowTrim trimRow(const T *r) const
    {
        const int nx = m_nx;
        const bool left = m_rule.inside(r[0]);
        // Most rows of a mask never change side: test whole blocks first.
        int i = 1;
        for (; i + kBlock <= nx; i += kBlock)
            if (countInside(r + i) != (left ? kBlock : 0))
                break;
        while (i < nx && m_rule.inside(r[i]) == left)
            ++i;
        if (i == nx)
            return {nx, 0, left, left};
        const int first = i - 1;
        const bool right = m_rule.inside(r[nx - 1]);
        int e = nx - 2;
        for (; e - kBlock >= first; e -= kBlock)
            if (countInside(r + e - kBlock + 1) != (right ? kBlock : 0))
                break;
        while (m_rule.inside(r[e]) == right)
            --e;
        return {first, e + 1, left, right};
    }

    void computeTrims()
    {
        m_trims.resize(std::size_t(m_ny) * std::size_t(m_nz));
        tbb::parallel_for(0, m_nz, [&](int k) {
            for (int j = 0; j < m_ny; ++j)
                m_trims[std::size_t(k) * std::size_t(m_ny) + std::size_t(j)] = trimRow(row(j, k));
        });
    }

    /// Central differences (one-sided at the border) in index units.
    void gradient(int i, int j, int k, float g[3]) const
    {
        const std::size_t sx = 1, sy = std::size_t(m_nx), sz = std::size_t(m_nx) * std::size_t(m_ny);
        const T *p = m_data + std::size_t(k) * sz + std::size_t(j) * sy + std::size_t(i);
        auto diff = [&](int idx, int n, std::size_t stride) {
            if (idx == 0)
                return m_rule.value(p[stride]) - m_rule.value(p[0]);
            if (idx == n - 1)
                return m_rule.value(p[0]) - m_rule.value(p[-std::ptrdiff_t(stride)]);
            return 0.5f * (m_rule.value(p[stride]) - m_rule.value(p[-std::ptrdiff_t(stride)]));
        };
        g[0] = diff(i, m_nx, sx);
        g[1] = diff(j, m_ny, sy);
        g[2] = diff(k, m_nz, sz);
    }

    /// Appends the vertex on the edge from voxel (i,j,k) one step along `axis`.
    void addVertex(int i, int j, int k, int axis, T a, T b, SlabMesh &out) const
    {
        const float t = m_rule.fraction(a, b);
        double index[3] = {double(i), double(j), double(k)};
        index[axis] += double(t);
        float *position = out.vertices.append(3);
        for (int r = 0; r < 3; ++r)
            position[r] = float(m_origin[r] + m_indexToLps[r][0] * index[0] + m_indexToLps[r][1] * index[1]
                                + m_indexToLps[r][2] * index[2]);
        if (!m_normals)
            return;
        float g0[3], g1[3];
        gradient(i, j, k, g0);
        gradient(i + (axis == 0), j + (axis == 1), k + (axis == 2), g1);
        double n[3];
        double length2 = 0.0;
        for (int r = 0; r < 3; ++r) {
            double v = 0.0;
            for (int c = 0; c < 3; ++c)
                v -= m_gradientToLps[r][c] * double((1.0f - t) * g0[c] + t * g1[c]);
            n[r] = v;
            length2 += v * v;
        }
        float *normal = out.normals.append(3);
        if (length2 > 1e-20) {
            const double inv = 1.0 / std::sqrt(length2);
            for (int r = 0; r < 3; ++r)
                normal[r] = float(n[r] * inv);
        } else {
            const double sign = m_rule.inside(a) ? 1.0 : -1.0;
            for (int r = 0; r < 3; ++r)
                normal[r] = float(sign * m_axisLps[axis][r]);
        }
    }

    /// Creates the vertices of the crossed edges between row (j,k) and the next row along `axis`
    /// (1: row j+1, 2: plane k+1), or only counts them on a foreign plane. Their ids are
    /// consecutive in x order, starting from the returned one.
    std::uint32_t pairEdges(int j, int k, int axis, std::uint32_t &counter, bool foreign, SlabMesh &out) const
    {
        const std::uint32_t base = foreign ? (kForeign | counter) : counter;
        const int j1 = j + (axis == 1), k1 = k + (axis == 2);
        const RowTrim &ta = trim(j, k), &tb = trim(j1, k1);
        int begin, end;
        const int first = std::min(ta.first, tb.first), last = std::max(ta.last, tb.last);
        if (first > last) {
            begin = ta.left != tb.left ? 0 : m_nx;
            end = m_nx;
        } else {
            begin = ta.left != tb.left ? 0 : first;
            end = ta.right != tb.right ? m_nx : last + 1;
        }
        const T *ra = row(j, k), *rb = row(j1, k1);
        for (int i = begin; i < end; ++i) {
            if (m_rule.inside(ra[i]) == m_rule.inside(rb[i]))
                continue;
            ++counter;
            if (!foreign)
                addVertex(i, j, k, axis, ra[i], rb[i], out);
        }
        return base;
    }

    /// The same for the crossed x edges of row (j,k).
    std::uint32_t xEdges(int j, int k, std::uint32_t &counter, bool foreign, SlabMesh &out) const
    {
        const std::uint32_t base = foreign ? (kForeign | counter) : counter;
        const RowTrim &t = trim(j, k);
        const T *r = row(j, k);
        if (t.first >= t.last)
            return base;
        bool prev = m_rule.inside(r[t.first]);
        for (int i = t.first; i < t.last; ++i) {
            const bool nextSide = m_rule.inside(r[i + 1]);
            if (nextSide != prev) {
                ++counter;
                if (!foreign)
                    addVertex(i, j, k, 0, r[i], r[i + 1], out);
            }
            prev = nextSide;
        }
        return base;
    }

    /// A slab's vertex order: its bottom plane k0 first (row by row: the row's x edges, then the y
    /// edges to the next row); then per layer k, interleaved with the cube rows, plane k+1 in the
    /// same order and the z edges below it. The top plane of all but the last slab only gets
    /// ranks: the next slab creates it first, so rank r there is that slab's vertex r.
    ///
    /// No per-edge id cache: each row's crossed edges have consecutive ids from a base, and the walk
    /// along a row of cubes counts the crossings it passes (the cube's corner bits say which edges
    /// are crossed), as flying edges does. The walk starts at or before the first crossing of each
    /// of its rows (see the trims), so every count starts at zero.
    void extractSlab(int k0, int k1, bool lastSlab, SlabMesh &out, const TaskContext &context) const
    {
        const MarchingCubesTables &tables = marchingCubesTables();
        const std::size_t ny = std::size_t(m_ny);
        // Id bases: x edges per row and y edges per row pair, for planes k and k+1 (by parity);
        // z edges per row of the current layer.
        std::vector<std::uint32_t> xBase[2] = {std::vector<std::uint32_t>(ny), std::vector<std::uint32_t>(ny)};
        std::vector<std::uint32_t> yBase[2] = {std::vector<std::uint32_t>(ny), std::vector<std::uint32_t>(ny)};
        std::vector<std::uint32_t> zBase(ny);
        std::uint32_t own = 0, foreignCount = 0;
        for (int j = 0; j < m_ny; ++j) {
            xBase[k0 & 1][std::size_t(j)] = xEdges(j, k0, own, false, out);
            if (j + 1 < m_ny)
                yBase[k0 & 1][std::size_t(j)] = pairEdges(j, k0, 1, own, false, out);
        }
        for (int k = k0; k < k1; ++k) {
            context.throwIfCanceled();
            const bool topForeign = k + 1 == k1 && !lastSlab;
            std::uint32_t &topCounter = topForeign ? foreignCount : own;
            const std::vector<std::uint32_t> &xa = xBase[k & 1], &ya = yBase[k & 1];
            std::vector<std::uint32_t> &xb = xBase[(k + 1) & 1], &yb = yBase[(k + 1) & 1];
            xb[0] = xEdges(0, k + 1, topCounter, topForeign, out);
            zBase[0] = pairEdges(0, k, 2, own, false, out);
            for (int j = 0; j + 1 < m_ny; ++j) {
                const std::size_t j0 = std::size_t(j), j1 = j0 + 1;
                yb[j0] = pairEdges(j, k + 1, 1, topCounter, topForeign, out);
                xb[j1] = xEdges(j + 1, k + 1, topCounter, topForeign, out);
                zBase[j1] = pairEdges(j + 1, k, 2, own, false, out);

                const RowTrim *t[4] = {&trim(j, k), &trim(j + 1, k), &trim(j, k + 1), &trim(j + 1, k + 1)};
                int first = m_nx, last = 0;
                bool leftDiffers = false, rightDiffers = false;
                for (const RowTrim *r : t) {
                    first = std::min(first, r->first);
                    last = std::max(last, r->last);
                    leftDiffers |= r->left != t[0]->left;
                    rightDiffers |= r->right != t[0]->right;
                }
                int begin, end; // cubes [begin, end)
                if (first > last) {
                    begin = 0;
                    end = leftDiffers ? m_nx - 1 : 0;
                } else {
                    begin = leftDiffers ? 0 : first;
                    end = rightDiffers ? m_nx - 1 : last;
                }
                if (begin >= end)
                    continue;
                const T *r0 = row(j, k), *r1 = row(j + 1, k), *r2 = row(j, k + 1), *r3 = row(j + 1, k + 1);
                auto face = [&](int i) {
                    return unsigned(m_rule.inside(r0[i])) | unsigned(m_rule.inside(r1[i])) << 1
                           | unsigned(m_rule.inside(r2[i])) << 2 | unsigned(m_rule.inside(r3[i])) << 3;
                };
                // Next id per row of edges: x in rows r0..r3, y in planes k and k+1, z in rows j, j+1.
                std::uint32_t x0 = xa[j0], x1 = xa[j1], x2 = xb[j0], x3 = xb[j1];
                std::uint32_t yk = ya[j0], yk1 = yb[j0], zj = zBase[j0], zj1 = zBase[j1];
                // Inside a lung or between the lungs, whole runs of cubes are empty: test kSkip
                // cubes at once (vectorised) and only retry kSkip cubes after a failed test.
                auto uniformAhead = [&](int i, bool inside) {
                    const int expected = inside ? kSkip : 0;
                    return countInside<kSkip>(r0 + i) == expected && countInside<kSkip>(r1 + i) == expected
                           && countInside<kSkip>(r2 + i) == expected && countInside<kSkip>(r3 + i) == expected;
                };
                unsigned left = face(begin);
                int retryAt = begin;
                for (int i = begin; i < end;) {
                    if ((left == 0 || left == 15) && i >= retryAt && i + kSkip <= end) {
                        if (uniformAhead(i + 1, left != 0)) {
                            i += kSkip;
                            continue;
                        }
                        retryAt = i + kSkip;
                    }
                    const unsigned right = face(i + 1);
                    const unsigned c = tables.caseFromFaces[left | right << 4];
                    ++i;
                    if (c == 0 || c == 255) {
                        left = right;
                        continue;
                    }
                    // Crossings on the x = i face: y edges (rows differ in j), z edges (differ in k).
                    const unsigned ykCross = (left ^ left >> 1) & 1u, yk1Cross = (left >> 2 ^ left >> 3) & 1u;
                    const unsigned zjCross = (left ^ left >> 2) & 1u, zj1Cross = (left >> 1 ^ left >> 3) & 1u;
                    const std::uint32_t id[12] = {x0, yk + ykCross, x1, yk, x2, yk1 + yk1Cross, x3, yk1,
                                                  zj, zj + zjCross, zj1 + zj1Cross, zj1};
                    const int n = 3 * tables.triangleCount[c];
                    const std::uint8_t *edges = tables.triangleEdges[c].data();
                    std::uint32_t *dst = out.triangles.append(std::size_t(n));
                    for (int e = 0; e < n; ++e)
                        dst[e] = id[edges[e]];
                    const unsigned xCross = left ^ right;
                    x0 += xCross & 1u;
                    x1 += xCross >> 1 & 1u;
                    x2 += xCross >> 2 & 1u;
                    x3 += xCross >> 3 & 1u;
                    yk += ykCross;
                    yk1 += yk1Cross;
                    zj += zjCross;
                    zj1 += zj1Cross;
                    left = right;
                }
            }
        }
    }

    void merge(std::vector<SlabMesh> &slabs, Mesh &mesh) const
    {
        std::vector<std::size_t> vertexOffset(slabs.size() + 1, 0), triangleOffset(slabs.size() + 1, 0);
        for (std::size_t s = 0; s < slabs.size(); ++s) {
            vertexOffset[s + 1] = vertexOffset[s] + slabs[s].vertices.size() / 3;
            triangleOffset[s + 1] = triangleOffset[s] + slabs[s].triangles.size();
        }
        if (vertexOffset.back() > std::numeric_limits<std::uint32_t>::max())
            throw std::length_error("marchingCubes: the surface has more than 2^32 vertices");
        mesh.vertices.resize(3 * vertexOffset.back());
        if (m_normals)
            mesh.normals.resize(3 * vertexOffset.back());
        mesh.triangles.resize(triangleOffset.back());
        tbb::parallel_for(std::size_t(0), slabs.size(), [&](std::size_t s) {
            SlabMesh &slab = slabs[s];
            std::copy_n(slab.vertices.data(), slab.vertices.size(), mesh.vertices.data() + 3 * vertexOffset[s]);
            if (m_normals)
                std::copy_n(slab.normals.data(), slab.normals.size(), mesh.normals.data() + 3 * vertexOffset[s]);
            const std::uint32_t ownBase = std::uint32_t(vertexOffset[s]);
            const std::uint32_t nextBase = std::uint32_t(vertexOffset[s + 1]);
            std::uint32_t *dst = mesh.triangles.data() + triangleOffset[s];
            const std::uint32_t *ids = slab.triangles.data();
            for (std::size_t t = 0; t < slab.triangles.size(); ++t) {
                const std::uint32_t id = ids[t];
                *dst++ = (id & kForeign) ? nextBase + (id & ~kForeign) : ownBase + id;
            }
            // A left-handed grid (an odd number of flipped axes) mirrors the index-space winding.
            if (m_mirrored)
                for (std::size_t t = triangleOffset[s]; t < triangleOffset[s + 1]; t += 3)
                    std::swap(mesh.triangles[t + 1], mesh.triangles[t + 2]);
        });
    }

    const T *m_data;
    int m_nx, m_ny, m_nz;
    Rule m_rule;
    bool m_normals;
    bool m_mirrored = false;
    double m_origin[3];
    double m_indexToLps[3][3];
    double m_gradientToLps[3][3];
    double m_axisLps[3][3]; ///< [axis][lps component]
    std::vector<RowTrim> m_trims;
};

/// Every `step`-th sample of the first channel as a contiguous grid, with the matching geometry.
template<typename T>
std::vector<T> subsample(const T *data, const ImageGeometry &geometry, int channels, int step, ImageGeometry &out)
{
    out = geometry;
    for (int a = 0; a < 3; ++a)
        out.dims[a] = (geometry.dims[a] - 1) / step + 1;
    out.spacing = geometry.spacing * double(step);
    std::vector<T> result(out.voxelCount());
    tbb::parallel_for(0, out.dims[2], [&](int k) {
        T *dst = result.data() + std::size_t(k) * std::size_t(out.dims[1]) * std::size_t(out.dims[0]);
        for (int j = 0; j < out.dims[1]; ++j)
            for (int i = 0; i < out.dims[0]; ++i)
                *dst++ = data[geometry.linearIndex(i * step, j * step, k * step) * std::size_t(channels)];
    });
    return result;
}

template<typename T, typename Rule>
Mesh extract(const T *data, const ImageGeometry &geometry, int channels, const Rule &rule,
             const MarchingCubesOptions &options, const TaskContext &context)
{
    if (options.step < 1)
        throw std::invalid_argument("marchingCubes: step must be 1 or more, got " + std::to_string(options.step));
    if (options.step == 1 && channels == 1)
        return Extractor<T, Rule>(data, geometry, rule, options.computeNormals).run(context);
    ImageGeometry coarse;
    const std::vector<T> samples = subsample(data, geometry, channels, options.step, coarse);
    return Extractor<T, Rule>(samples.data(), coarse, rule, options.computeNormals).run(context);
}

} // namespace

Mesh marchingCubes(const Volume &volume, const MarchingCubesOptions &options, const TaskContext &context)
{
    if (!std::isfinite(options.isoValue))
        throw std::invalid_argument("marchingCubes: the iso value must be a finite number");
    if (volume.isNull())
        return {};
    return dispatchVoxelType(volume.type(), [&](auto tag) -> Mesh {
        using T = decltype(tag);
        ThresholdRule<T> rule;
        rule.iso = options.isoValue;
        if constexpr (std::is_integral_v<T>) {
            const double threshold = std::ceil(options.isoValue);
            // No voxel can be inside (or outside) the iso-surface: there is no surface.
            if (threshold > double(std::numeric_limits<T>::max()) || threshold <= double(std::numeric_limits<T>::min()))
                return Mesh{};
            rule.threshold = T(threshold);
        } else {
            rule.threshold = T(options.isoValue);
        }
        return extract(static_cast<const T *>(volume.rawData()), volume.geometry(), volume.channels(), rule, options,
                       context);
    });
}

Mesh marchingCubesLabel(const LabelVolume &labels, std::uint16_t label, const MarchingCubesOptions &options,
                        const TaskContext &context)
{
    if (labels.voxelCount() == 0)
        return {};
    Mesh mesh = extract(labels.data(), labels.geometry(), 1, LabelRule{label}, options, context);
    if (label != 0) {
        const LabelInfo info = labels.table().infoOrDefault(label);
        mesh.name = info.name;
        for (int c = 0; c < 3; ++c)
            mesh.colour[std::size_t(c)] = float(info.rgb[std::size_t(c)]) / 255.0f;
    }
    return mesh;
}

} // namespace carina::algo
