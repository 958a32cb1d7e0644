// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/Superpixels.h>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace carina::algo {

namespace {

constexpr std::uint32_t kUnassigned = 0x7fffffffu;
constexpr std::uint32_t kFinal = 0x80000000u;

struct Center
{
    float pos[3];
    float value[4];
};

// One seed grid: per axis the first voxel, the step and the number of seeds.
struct SeedGrid
{
    std::array<int, 3> start{0, 0, 0};
    std::array<int, 3> step{1, 1, 1};
    /// Over a mask the steps are fractional (seed i at start + round(i * fraction)), so the
    /// count inside the mask can be tuned finely; 0 = use `step`.
    std::array<double, 3> fraction{0, 0, 0};
};

// scikit-image's util.regular_grid, in millimetres so that anisotropic voxels get cubic cells:
// equal steps (extent / n)^(1/ndim), except that axes shorter than the step get one seed and
// the others share the remaining count.
SeedGrid regularGrid(const std::array<double, 3> &extentMm, const std::array<double, 3> &spacing, const Dims &dims, double n)
{
    std::array<int, 3> order{0, 1, 2};
    std::sort(order.begin(), order.end(), [&](int a, int b) { return extentMm[a] < extentMm[b]; });
    std::array<double, 3> sorted{extentMm[order[0]], extentMm[order[1]], extentMm[order[2]]};
    const double space = sorted[0] * sorted[1] * sorted[2];
    std::array<double, 3> steps;
    steps.fill(std::cbrt(space / n));
    if (sorted[0] < steps[0] || sorted[1] < steps[1] || sorted[2] < steps[2]) {
        for (int d = 0; d < 3; ++d) {
            steps[d] = sorted[d];
            double rest = 1.0;
            for (int e = d + 1; e < 3; ++e)
                rest *= sorted[e];
            const int left = 2 - d;
            for (int e = d + 1; e < 3; ++e)
                steps[e] = left > 0 ? std::pow(rest / n, 1.0 / left) : 0.0;
            bool fits = true;
            for (int e = 0; e < 3; ++e)
                fits = fits && sorted[e] >= steps[e];
            if (fits)
                break;
        }
    }
    SeedGrid g;
    for (int d = 0; d < 3; ++d) {
        const int axis = order[d];
        const double stepMm = steps[d];
        g.start[axis] = std::clamp(int(std::floor(stepMm / 2.0 / spacing[axis])), 0, dims[axis] - 1);
        g.step[axis] = std::max(1, int(std::lround(stepMm / spacing[axis])));
    }
    return g;
}

template<typename T>
void readRow(const T *row, int nx, int channels, float *out)
{
    for (int c = 0; c < channels; ++c)
        for (int x = 0; x < nx; ++x)
            out[std::size_t(c) * nx + x] = float(row[std::size_t(x) * channels + c]);
}

// The row of voxels (y, z) as planar floats, whatever the voxel type.
void readRow(const Volume &image, int y, int z, float *out)
{
    const Dims &d = image.dims();
    const std::size_t offset = (std::size_t(z) * d[1] + y) * std::size_t(d[0]) * image.channels();
    dispatchVoxelType(image.type(), [&](auto t) {
        using T = decltype(t);
        readRow(image.data<T>() + offset, d[0], image.channels(), out);
    });
}

// One centre's sweep over its x range of a grey row: keeps, per voxel, the closest centre so
// far. Branch-free on restrict pointers so that it vectorises: this loop is most of SLIC's time.
void assignGrey(const float *__restrict v, float *__restrict best, std::uint32_t *__restrict lab, int xa, int xb, float px,
                float cv, float dyz, float spx, float w, std::uint32_t id)
{
    // A counted loop with arithmetic selects: GCC's vectoriser rejects the bounds-checked
    // x <= xb form and the conditional store ("control flow in loop").
    const float *vv = v + xa;
    float *bb = best + xa;
    std::uint32_t *ll = lab + xa;
    const int n = xb - xa + 1;
    const float dx0 = (float(xa) - px) * spx;
    for (int i = 0; i < n; ++i) {
        const float dx = dx0 + float(i) * spx, di = vv[i] - cv;
        const float dist = dyz + dx * dx + w * di * di;
        const float b = bb[i];
        const std::uint32_t closer = -std::uint32_t(dist < b);
        bb[i] = dist < b ? dist : b;
        ll[i] = (ll[i] & ~closer) | (id & closer);
    }
}

struct Accumulator
{
    std::vector<double> sums; // per centre: x, y, z, count, channels...
    std::vector<float> row;
    std::vector<float> best;
    std::vector<std::uint32_t> label;
    std::vector<std::uint32_t> candidates;
    std::size_t changed = 0;
};

// Makes every superpixel one connected piece, in place: scikit-image's
// _enforce_label_connectivity_cython (pieces in raster order, breadth-first up to maxSize voxels,
// pieces under minSize merged into the last labelled neighbour of their first voxel). Finished
// voxels carry kFinal so the original labels of the others stay readable without a copy.
std::uint32_t enforceConnectivity(std::vector<std::uint32_t> &labels, const Dims &d, std::size_t minSize, std::size_t maxSize,
                                  const TaskContext &context, double p0, double p1)
{
    const std::int64_t sx = 1, sy = d[0], sz = std::int64_t(d[0]) * d[1];
    std::vector<std::array<int, 3>> queue; // coordinates: no divisions to find a voxel's neighbours
    queue.reserve(std::max<std::size_t>(maxSize, 1));
    std::uint32_t next = 1;
    for (int z = 0; z < d[2]; ++z) {
        if ((z & 7) == 0) {
            context.throwIfCanceled();
            context.progress(p0 + (p1 - p0) * z / d[2]);
        }
        for (int y = 0; y < d[1]; ++y) {
            for (int x = 0; x < d[0]; ++x) {
                const std::int64_t i = z * sz + y * sy + x;
                const std::uint32_t original = labels[i];
                if ((original & kFinal) || original == 0)
                    continue;
                std::uint32_t adjacent = 0;
                if (x > 0 && (labels[i - sx] & kFinal))
                    adjacent = labels[i - sx];
                if (y > 0 && (labels[i - sy] & kFinal))
                    adjacent = labels[i - sy];
                if (z > 0 && (labels[i - sz] & kFinal))
                    adjacent = labels[i - sz];
                if (x + 1 < d[0] && (labels[i + sx] & kFinal))
                    adjacent = labels[i + sx];
                if (y + 1 < d[1] && (labels[i + sy] & kFinal))
                    adjacent = labels[i + sy];
                if (z + 1 < d[2] && (labels[i + sz] & kFinal))
                    adjacent = labels[i + sz];
                const std::uint32_t mine = next | kFinal;
                queue.clear();
                queue.push_back({x, y, z});
                labels[i] = mine;
                for (std::size_t head = 0; head < queue.size() && queue.size() < maxSize; ++head) {
                    const auto [vx, vy, vz] = queue[head];
                    const std::int64_t v = vz * sz + vy * sy + vx;
                    auto visit = [&](std::int64_t n, int nx, int ny, int nz) {
                        if (labels[n] == original && queue.size() < maxSize) {
                            labels[n] = mine;
                            queue.push_back({nx, ny, nz});
                        }
                    };
                    if (vx > 0)
                        visit(v - sx, vx - 1, vy, vz);
                    if (vx + 1 < d[0])
                        visit(v + sx, vx + 1, vy, vz);
                    if (vy > 0)
                        visit(v - sy, vx, vy - 1, vz);
                    if (vy + 1 < d[1])
                        visit(v + sy, vx, vy + 1, vz);
                    if (vz > 0)
                        visit(v - sz, vx, vy, vz - 1);
                    if (vz + 1 < d[2])
                        visit(v + sz, vx, vy, vz + 1);
                }
                if (queue.size() < minSize && adjacent != 0) {
                    for (const auto &[vx, vy, vz] : queue)
                        labels[vz * sz + vy * sy + vx] = adjacent;
                } else {
                    ++next;
                    if (next >= kUnassigned)
                        throw std::runtime_error("superpixels: more than 2^31 pieces");
                }
            }
        }
    }
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, labels.size(), 1 << 16), [&](const tbb::blocked_range<std::size_t> &r) {
        for (std::size_t i = r.begin(); i < r.end(); ++i)
            labels[i] &= ~kFinal;
    });
    return next - 1;
}

} // namespace

SuperpixelMap slicSuperpixels(const Volume &image, const SlicOptions &options, const std::uint8_t *mask, const TaskContext &context)
{
    if (image.isNull() || image.voxelCount() == 0)
        throw std::invalid_argument("superpixels: the image is empty");
    if (!(options.compactness > 0.0) || !std::isfinite(options.compactness))
        throw std::invalid_argument("superpixels: compactness must be > 0");
    if (options.nSegments < 1)
        throw std::invalid_argument("superpixels: the number of superpixels must be at least 1");
    if (options.maxIterations < 1)
        throw std::invalid_argument("superpixels: at least one iteration is needed");
    const Dims d = image.dims();
    const int channels = image.channels();
    const std::size_t voxels = image.voxelCount();

    // The box of the mask (or the whole image) and the voxels it selects.
    Dims lo = d, hi{-1, -1, -1};
    std::size_t inside = voxels;
    if (mask) {
        inside = 0;
        for (int z = 0; z < d[2]; ++z)
            for (int y = 0; y < d[1]; ++y) {
                const std::uint8_t *m = mask + (std::size_t(z) * d[1] + y) * d[0];
                int first = -1, last = -1;
                for (int x = 0; x < d[0]; ++x)
                    if (m[x]) {
                        if (first < 0)
                            first = x;
                        last = x;
                        ++inside;
                    }
                if (first >= 0) {
                    lo = {std::min(lo[0], first), std::min(lo[1], y), std::min(lo[2], z)};
                    hi = {std::max(hi[0], last), std::max(hi[1], y), std::max(hi[2], z)};
                }
            }
        if (inside == 0)
            throw std::invalid_argument("superpixels: the mask selects no voxel");
    } else {
        lo = {0, 0, 0};
        hi = {d[0] - 1, d[1] - 1, d[2] - 1};
    }
    if (std::size_t(options.nSegments) > inside)
        throw std::invalid_argument("superpixels: " + std::to_string(options.nSegments) + " superpixels asked for but only "
                                    + std::to_string(inside) + " voxels to partition");

    std::array<double, 3> spacing{1.0, 1.0, 1.0};
    if (options.useSpacing)
        for (int a = 0; a < 3; ++a)
            spacing[a] = image.geometry().spacing[a] > 0 ? image.geometry().spacing[a] : 1.0;

    // Seeds: the regular grid over the image, or over the mask's box keeping the grid points in
    // the mask, with the cell size tuned so that about nSegments of them fall inside.
    std::vector<Center> centers;
    SeedGrid grid;
    auto placeSeeds = [&](const SeedGrid &g, std::vector<Center> *out) {
        std::array<std::vector<int>, 3> axis;
        for (int a = 0; a < 3; ++a)
            for (int i = 0;; ++i) {
                const int p = lo[a] + g.start[a] + (g.fraction[a] > 0 ? int(std::lround(i * g.fraction[a])) : i * g.step[a]);
                if (p > hi[a])
                    break;
                axis[a].push_back(p);
            }
        std::size_t count = 0;
        for (int z : axis[2])
            for (int y : axis[1])
                for (int x : axis[0]) {
                    if (mask && !mask[(std::size_t(z) * d[1] + y) * d[0] + x])
                        continue;
                    ++count;
                    if (out)
                        out->push_back(Center{{float(x), float(y), float(z)}, {0, 0, 0, 0}});
                }
        return count;
    };
    const Dims box{hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1};
    std::array<double, 3> extent;
    for (int a = 0; a < 3; ++a)
        extent[a] = box[a] * spacing[a];
    if (!mask) {
        grid = regularGrid(extent, spacing, box, double(options.nSegments));
    } else {
        // Cubic cells of a fractional size over the mask's box, the size corrected a few times
        // by the cube root of found/asked seeds: counts then land within a few % of nSegments.
        double cellMm = std::cbrt(double(inside) * spacing[0] * spacing[1] * spacing[2] / options.nSegments);
        auto gridOf = [&](double c) {
            SeedGrid g;
            for (int a = 0; a < 3; ++a) {
                const double stepVox = std::max(1.0, c / spacing[a]);
                g.fraction[a] = stepVox;
                g.step[a] = std::max(1, int(std::lround(stepVox)));
                g.start[a] = std::min(box[a] - 1, int(stepVox / 2.0));
            }
            return g;
        };
        SeedGrid best = gridOf(cellMm);
        std::size_t bestCount = placeSeeds(best, nullptr);
        for (int iter = 0; iter < 12 && bestCount != std::size_t(options.nSegments); ++iter) {
            const SeedGrid g = gridOf(cellMm);
            const std::size_t count = placeSeeds(g, nullptr);
            const auto err = [&](std::size_t c) { return std::abs(double(c) - options.nSegments); };
            if (err(count) < err(bestCount)) {
                best = g;
                bestCount = count;
            }
            cellMm *= count > 0 ? std::cbrt(double(count) / options.nSegments) : 0.5;
        }
        grid = best;
    }
    placeSeeds(grid, &centers);
    if (centers.empty()) {
        for (std::size_t i = 0; i < voxels; ++i)
            if (mask[i]) {
                centers.push_back(Center{{float(i % d[0]), float((i / d[0]) % d[1]), float(i / (std::size_t(d[0]) * d[1]))}, {0, 0, 0, 0}});
                break;
            }
    }
    const std::size_t k = centers.size();

    // Intensities rescaled to 0..1 over the image's range, as scikit-image does, weighed
    // against space: D = w * |dI|^2 + |dx_mm|^2 with w = S^2 / (range * compactness)^2.
    const auto [minValue, maxValue] = image.valueRange();
    double stepMm = 0.0;
    for (int a = 0; a < 3; ++a)
        if (box[a] > 1)
            stepMm = std::max(stepMm, (grid.fraction[a] > 0 ? grid.fraction[a] : double(grid.step[a])) * spacing[a]);
    if (stepMm <= 0.0)
        stepMm = 1.0;
    const double range = maxValue - minValue;
    const float w = range > 0 ? float(stepMm * stepMm / (range * range * options.compactness * options.compactness)) : 0.0f;
    std::array<int, 3> radius;
    for (int a = 0; a < 3; ++a)
        radius[a] = std::max(1, int(std::ceil(options.searchRadius * stepMm / spacing[a])));
    const float spx = float(spacing[0]), spy = float(spacing[1]), spz = float(spacing[2]);

    // Initial centre intensities: the voxel under each seed.
    for (Center &c : centers) {
        for (int ch = 0; ch < channels; ++ch)
            c.value[ch] = float(image.valueAt(int(c.pos[0]), int(c.pos[1]), int(c.pos[2]), ch));
    }

    SuperpixelMap result;
    result.dims = d;
    result.seeds = std::uint32_t(k);
    result.labels.assign(voxels, kUnassigned);
    if (mask)
        for (std::size_t i = 0; i < voxels; ++i)
            if (!mask[i])
                result.labels[i] = 0;

    // Centres bucketed by (y, z) cell of the seed grid, so a row finds its candidates quickly.
    const int cellY = std::max(1, grid.step[1]), cellZ = std::max(1, grid.step[2]);
    const int nCellY = d[1] / cellY + 1, nCellZ = d[2] / cellZ + 1;
    std::vector<std::uint32_t> bucketStart(std::size_t(nCellY) * nCellZ + 1);
    std::vector<std::uint32_t> bucketItems(k);
    auto cellOf = [&](const Center &c) {
        const int cy = std::clamp(int(c.pos[1]) / cellY, 0, nCellY - 1);
        const int cz = std::clamp(int(c.pos[2]) / cellZ, 0, nCellZ - 1);
        return std::size_t(cz) * nCellY + cy;
    };

    const std::size_t stride = 4 + std::size_t(channels);
    tbb::enumerable_thread_specific<Accumulator> locals([&] {
        Accumulator a;
        a.sums.assign(k * stride, 0.0);
        a.row.resize(std::size_t(d[0]) * channels);
        a.best.resize(d[0]);
        a.label.resize(d[0]);
        return a;
    });
    std::atomic<bool> stop{false};
    const double loopShare = options.enforceConnectivity ? 0.85 : 0.95;
    for (int iteration = 0; iteration < options.maxIterations; ++iteration) {
        context.throwIfCanceled();
        context.progress(loopShare * iteration / options.maxIterations, "superpixels: iteration " + std::to_string(iteration + 1));
        std::fill(bucketStart.begin(), bucketStart.end(), 0u);
        for (const Center &c : centers)
            ++bucketStart[cellOf(c) + 1];
        for (std::size_t b = 1; b < bucketStart.size(); ++b)
            bucketStart[b] += bucketStart[b - 1];
        {
            std::vector<std::uint32_t> fill(bucketStart.begin(), bucketStart.end() - 1);
            for (std::size_t i = 0; i < k; ++i)
                bucketItems[fill[cellOf(centers[i])]++] = std::uint32_t(i);
        }
        for (Accumulator &a : locals) {
            std::fill(a.sums.begin(), a.sums.end(), 0.0);
            a.changed = 0;
        }
        const int rows = box[1] * box[2];
        tbb::parallel_for(tbb::blocked_range<int>(0, rows, 8), [&](const tbb::blocked_range<int> &r) {
            if (stop.load(std::memory_order_relaxed) || context.isCanceled()) {
                stop = true;
                return;
            }
            Accumulator &a = locals.local();
            for (int row = r.begin(); row < r.end(); ++row) {
                const int y = lo[1] + row % box[1];
                const int z = lo[2] + row / box[1];
                std::uint32_t *out = result.labels.data() + (std::size_t(z) * d[1] + y) * d[0];
                const std::uint8_t *m = mask ? mask + (std::size_t(z) * d[1] + y) * d[0] : nullptr;
                int x0 = lo[0], x1 = hi[0];
                if (m) {
                    while (x0 <= x1 && !m[x0])
                        ++x0;
                    while (x1 >= x0 && !m[x1])
                        --x1;
                    if (x0 > x1)
                        continue;
                }
                readRow(image, y, z, a.row.data());
                std::fill(a.best.begin() + x0, a.best.begin() + x1 + 1, std::numeric_limits<float>::infinity());
                // Candidates: centres whose box covers this row.
                a.candidates.clear();
                const int by0 = std::clamp((y - radius[1]) / cellY, 0, nCellY - 1), by1 = std::clamp((y + radius[1]) / cellY, 0, nCellY - 1);
                const int bz0 = std::clamp((z - radius[2]) / cellZ, 0, nCellZ - 1), bz1 = std::clamp((z + radius[2]) / cellZ, 0, nCellZ - 1);
                for (int bz = std::max(0, bz0); bz <= bz1; ++bz)
                    for (int by = std::max(0, by0); by <= by1; ++by) {
                        const std::size_t b = std::size_t(bz) * nCellY + by;
                        for (std::uint32_t j = bucketStart[b]; j < bucketStart[b + 1]; ++j) {
                            const Center &c = centers[bucketItems[j]];
                            if (std::abs(int(c.pos[1] + 0.5f) - y) <= radius[1] && std::abs(int(c.pos[2] + 0.5f) - z) <= radius[2])
                                a.candidates.push_back(bucketItems[j]);
                        }
                    }
                for (std::uint32_t ci : a.candidates) {
                    const Center &c = centers[ci];
                    const float dy = (float(y) - c.pos[1]) * spy, dz = (float(z) - c.pos[2]) * spz;
                    const float dyz = dy * dy + dz * dz;
                    const int cx = int(c.pos[0] + 0.5f); // positions are >= 0
                    const int xa = std::max(x0, cx - radius[0]), xb = std::min(x1, cx + radius[0]);
                    float *best = a.best.data();
                    std::uint32_t *lab = a.label.data();
                    if (channels == 1) {
                        assignGrey(a.row.data(), best, lab, xa, xb, c.pos[0], c.value[0], dyz, spx, w, ci + 1);
                    } else {
                        for (int x = xa; x <= xb; ++x) {
                            const float dx = (float(x) - c.pos[0]) * spx;
                            float di2 = 0.0f;
                            for (int ch = 0; ch < channels; ++ch) {
                                const float di = a.row[std::size_t(ch) * d[0] + x] - c.value[ch];
                                di2 += di * di;
                            }
                            const float dist = dyz + dx * dx + w * di2;
                            if (dist < best[x]) {
                                best[x] = dist;
                                lab[x] = ci + 1;
                            }
                        }
                    }
                }
                // Write the row's labels and add its voxels to their centres' sums, one run of
                // equal labels at a time (labels come in long runs; scattered adds are slow).
                std::uint32_t runLabel = kUnassigned;
                double runX = 0.0, runN = 0.0;
                std::array<double, 4> runV{0, 0, 0, 0};
                auto flush = [&] {
                    if (runLabel != kUnassigned && runN > 0) {
                        double *s = a.sums.data() + std::size_t(runLabel - 1) * stride;
                        s[0] += runX;
                        s[1] += runN * y;
                        s[2] += runN * z;
                        s[3] += runN;
                        for (int ch = 0; ch < channels; ++ch)
                            s[4 + ch] += runV[ch];
                    }
                    runX = runN = 0.0;
                    runV = {0, 0, 0, 0};
                };
                for (int x = x0; x <= x1; ++x) {
                    if (m && !m[x])
                        continue;
                    std::uint32_t l = out[x];
                    if (a.best[x] < std::numeric_limits<float>::infinity() && a.label[x] != l) {
                        l = a.label[x];
                        out[x] = l;
                        ++a.changed;
                    }
                    if (l != runLabel) {
                        flush();
                        runLabel = l;
                    }
                    runX += x;
                    runN += 1.0;
                    for (int ch = 0; ch < channels; ++ch)
                        runV[ch] += a.row[std::size_t(ch) * d[0] + x];
                }
                flush();
            }
        });
        if (stop)
            throw TaskCanceled();
        // New centres: the means of their voxels; an empty centre stays where it was.
        std::size_t changed = 0;
        for (const Accumulator &a : locals)
            changed += a.changed;
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, k, 256), [&](const tbb::blocked_range<std::size_t> &r) {
            std::vector<double> s(stride);
            for (std::size_t i = r.begin(); i < r.end(); ++i) {
                std::fill(s.begin(), s.end(), 0.0);
                for (const Accumulator &a : locals)
                    for (std::size_t j = 0; j < stride; ++j)
                        s[j] += a.sums[i * stride + j];
                if (s[3] <= 0)
                    continue;
                for (int a = 0; a < 3; ++a)
                    centers[i].pos[a] = float(s[a] / s[3]);
                for (int ch = 0; ch < channels; ++ch)
                    centers[i].value[ch] = float(s[4 + ch] / s[3]);
            }
        });
        result.iterations = iteration + 1;
        if (changed == 0)
            break;
    }

    if (options.enforceConnectivity) {
        const double segmentSize = double(inside) / double(mask ? k : std::size_t(options.nSegments));
        const std::size_t minSize = std::size_t(options.minSizeFactor * segmentSize);
        const std::size_t maxSize = std::max<std::size_t>(1, std::size_t(options.maxSizeFactor * segmentSize));
        result.count = enforceConnectivity(result.labels, d, minSize, maxSize, context, loopShare, 1.0);
    } else {
        // Labels are centre numbers: renumber the ones in use 1..count, in centre order.
        std::vector<std::uint32_t> lut(k + 2, 0);
        for (std::uint32_t l : result.labels)
            if (l != 0 && l != kUnassigned)
                lut[l] = 1;
        std::uint32_t next = 0;
        for (std::size_t i = 1; i <= k; ++i)
            if (lut[i])
                lut[i] = ++next;
        for (std::uint32_t &l : result.labels)
            l = (l == 0 || l == kUnassigned) ? 0 : lut[l];
        result.count = next;
    }
    context.progress(1.0);
    return result;
}

std::vector<double> superpixelMeans(const SuperpixelMap &map, const Volume &image)
{
    if (image.voxelCount() != map.labels.size())
        throw std::invalid_argument("superpixels: the map and the image have different sizes");
    const int channels = image.channels();
    const Dims &d = image.dims();
    struct Sums
    {
        std::vector<double> sum, count;
        std::vector<float> row;
    };
    tbb::enumerable_thread_specific<Sums> locals([&] {
        return Sums{std::vector<double>(map.count + 1, 0.0), std::vector<double>(map.count + 1, 0.0), std::vector<float>(std::size_t(d[0]) * channels)};
    });
    tbb::parallel_for(tbb::blocked_range<int>(0, d[1] * d[2], 16), [&](const tbb::blocked_range<int> &r) {
        Sums &s = locals.local();
        for (int row = r.begin(); row < r.end(); ++row) {
            readRow(image, row % d[1], row / d[1], s.row.data());
            const std::uint32_t *l = map.labels.data() + std::size_t(row) * d[0];
            for (int x = 0; x < d[0]; ++x) {
                double v = 0.0;
                for (int ch = 0; ch < channels; ++ch)
                    v += s.row[std::size_t(ch) * d[0] + x];
                const std::uint32_t label = std::min(l[x], map.count);
                s.sum[label] += v / channels;
                s.count[label] += 1.0;
            }
        }
    });
    std::vector<double> sum(map.count + 1, 0.0), count(map.count + 1, 0.0);
    for (const Sums &s : locals)
        for (std::size_t i = 0; i <= map.count; ++i) {
            sum[i] += s.sum[i];
            count[i] += s.count[i];
        }
    for (std::size_t i = 0; i <= map.count; ++i)
        sum[i] = count[i] > 0 ? sum[i] / count[i] : 0.0;
    return sum;
}

std::uint32_t dropDarkSuperpixels(SuperpixelMap &map, const Volume &image, double minMean)
{
    const std::vector<double> means = superpixelMeans(map, image);
    std::vector<std::uint32_t> lut(map.count + 1, 0);
    std::uint32_t kept = 0;
    for (std::size_t i = 1; i <= map.count; ++i)
        if (means[i] > minMean)
            lut[i] = ++kept;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, map.labels.size(), 1 << 16), [&](const tbb::blocked_range<std::size_t> &r) {
        for (std::size_t i = r.begin(); i < r.end(); ++i)
            map.labels[i] = map.labels[i] <= map.count ? lut[map.labels[i]] : 0;
    });
    map.count = kept;
    return kept;
}

std::vector<std::uint8_t> superpixelBoundaries(const std::uint32_t *labels, const Dims &d)
{
    const std::size_t sy = d[0], sz = std::size_t(d[0]) * d[1];
    std::vector<std::uint8_t> out(sz * d[2], 0);
    // Each voxel looks at all six neighbours and writes only itself, so rows run in parallel
    // without two threads writing one byte.
    tbb::parallel_for(tbb::blocked_range<int>(0, d[1] * d[2], 16), [&](const tbb::blocked_range<int> &r) {
        for (int row = r.begin(); row < r.end(); ++row) {
            const int y = row % d[1], z = row / d[1];
            const std::size_t base = std::size_t(row) * sy;
            const std::uint32_t *l = labels + base;
            std::uint8_t *o = out.data() + base;
            for (int x = 0; x < d[0]; ++x) {
                const std::uint32_t v = l[x];
                bool b = (x > 0 && l[x - 1] != v) || (x + 1 < d[0] && l[x + 1] != v);
                b = b || (y > 0 && l[x - std::ptrdiff_t(sy)] != v) || (y + 1 < d[1] && l[x + sy] != v);
                b = b || (z > 0 && l[x - std::ptrdiff_t(sz)] != v) || (z + 1 < d[2] && l[x + sz] != v);
                o[x] = b;
            }
        }
    });
    return out;
}

} // namespace carina::algo
