// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/PixelFeatures.h>

#include <carina/TaskContext.h>
#include <carina/Volume.h>

#include <tbb/blocked_range.h>
#include <tbb/blocked_range2d.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cmath>
#include <limits>
#include <mutex>
#include <numbers>
#include <stdexcept>

namespace carina::algo {

std::vector<double> featureSigmas(const FeatureOptions &options)
{
    validateFeatureOptions(options);
    // skimage: num_sigma = int(log2(max) - log2(min) + 1), logspace base 2 between the ends;
    // for a max that is min * 2^k this is exactly min * 2^i.
    const int n = int(std::log2(options.sigmaMax) - std::log2(options.sigmaMin) + 1.0);
    std::vector<double> sigmas;
    for (int i = 0; i < n; ++i)
        sigmas.push_back(n == 1 ? options.sigmaMin
                                : std::exp2(std::log2(options.sigmaMin) +
                                            (std::log2(options.sigmaMax) - std::log2(options.sigmaMin)) * i / (n - 1)));
    return sigmas;
}

void validateFeatureOptions(const FeatureOptions &options)
{
    if (!options.intensity && !options.edges && !options.texture)
        throw std::invalid_argument("features: pick at least one of intensity, edges and texture");
    if (!(options.sigmaMin > 0.0) || !(options.sigmaMax >= options.sigmaMin) || options.sigmaMax > 256.0)
        throw std::invalid_argument("features: sigma range must satisfy 0 < min <= max <= 256 (got " +
                                    std::to_string(options.sigmaMin) + " .. " + std::to_string(options.sigmaMax) + ")");
}

namespace {

int perSigma(const FeatureOptions &o, bool is3d)
{
    return int(o.intensity) + int(o.edges) + (o.texture ? (is3d ? 3 : 2) : 0);
}

} // namespace

int featureCount(const FeatureOptions &options, int channels, bool is3d)
{
    return channels * int(featureSigmas(options).size()) * perSigma(options, is3d);
}

std::vector<std::string> featureNames(const FeatureOptions &options, int channels, bool is3d)
{
    std::vector<std::string> names;
    for (int c = 0; c < channels; ++c) {
        for (double s : featureSigmas(options)) {
            char prefix[64];
            std::snprintf(prefix, sizeof prefix, "c%d s%g ", c, s);
            if (options.intensity)
                names.push_back(std::string(prefix) + "intensity");
            if (options.edges)
                names.push_back(std::string(prefix) + "edges");
            if (options.texture)
                for (int e = 0; e < (is3d ? 3 : 2); ++e)
                    names.push_back(std::string(prefix) + "hessian " + std::to_string(e + 1));
        }
    }
    return names;
}

namespace {

// scipy.ndimage's Gaussian: truncate 4.0, radius int(4 sigma + 0.5), normalised weights.
std::vector<float> gaussianKernel(double sigma)
{
    const int r = int(4.0 * sigma + 0.5);
    std::vector<double> w(std::size_t(r) + 1);
    double sum = 0.0;
    for (int i = 0; i <= r; ++i) {
        w[std::size_t(i)] = std::exp(-0.5 * (i * i) / (sigma * sigma));
        sum += i == 0 ? w[0] : 2.0 * w[std::size_t(i)];
    }
    std::vector<float> k(w.size());
    for (std::size_t i = 0; i < w.size(); ++i)
        k[i] = float(w[i] / sum);
    return k; // half kernel: k[0] centre, k[j] for offsets +-j
}

constexpr int kTile = 32; // lines smoothed together along y and z (vectorised across x)

// The two inner loops of the separable Gaussian, compiled for AVX2 and AVX-512 as well as the
// x86-64 baseline (the package runs on any x86-64; the loader picks the best the CPU has).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CARINA_VECTOR_CLONES __attribute__((target_clones("default", "avx2", "arch=skylake-avx512")))
#else
#define CARINA_VECTOR_CLONES
#endif

// out[i] = k0 p[i] + sum_j kj (p[i - j] + p[i + j]), i < n; p padded by r on both sides.
CARINA_VECTOR_CLONES void convolveLine(const float *p, int n, const float *k, int r, float *out)
{
    for (int i = 0; i < n; ++i)
        out[i] = k[0] * p[i];
    for (int j = 1; j <= r; ++j) {
        const float kj = k[j];
        for (int i = 0; i < n; ++i)
            out[i] += kj * (p[i - j] + p[i + j]);
    }
}

// acc[x] = k0 c[x] + sum_j kj (c[x - j * stride] + c[x + j * stride]), x < w: w lines at once.
CARINA_VECTOR_CLONES void convolveAcross(const float *c, std::size_t stride, int w, const float *k, int r, float *acc)
{
    for (int x = 0; x < w; ++x)
        acc[x] = k[0] * c[x];
    for (int j = 1; j <= r; ++j) {
        const float kj = k[j];
        const float *lo = c - std::size_t(j) * stride;
        const float *hi = c + std::size_t(j) * stride;
        for (int x = 0; x < w; ++x)
            acc[x] += kj * (lo[x] + hi[x]);
    }
}

// Smooths every row (x lines) of `vol` (nx * rows floats) in place, 'nearest' borders.
void smoothX(float *vol, int nx, std::size_t rows, const std::vector<float> &k, const TaskContext &ctx)
{
    const int r = int(k.size()) - 1;
    if (r == 0)
        return;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows, 16), [&](const tbb::blocked_range<std::size_t> &range) {
        if (ctx.isCanceled())
            return;
        std::vector<float> pad(static_cast<std::size_t>(nx + 2 * r)), out(static_cast<std::size_t>(nx));
        for (std::size_t row = range.begin(); row != range.end(); ++row) {
            float *line = vol + row * std::size_t(nx);
            std::fill(pad.begin(), pad.begin() + r, line[0]);
            std::copy(line, line + nx, pad.begin() + r);
            std::fill(pad.begin() + r + nx, pad.end(), line[nx - 1]);
            convolveLine(pad.data() + r, nx, k.data(), r, out.data());
            std::copy(out.begin(), out.end(), line);
        }
    });
}

// Smooths lines of length n and element stride `stride` (y or z lines), kTile adjacent lines
// at a time so the inner loop runs across x. `group(g, &width)` gives the offset of group g's
// first line. Writes elements [o0, o1) of each line to `out` at (i - o0) * outStride.
template<typename GroupFn>
void smoothStrided(const float *in, float *out, int n, std::size_t stride, std::size_t outStride, int o0, int o1,
                   std::size_t groups, GroupFn group, const std::vector<float> &k, const TaskContext &ctx)
{
    const int r = int(k.size()) - 1;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, groups, 4), [&](const tbb::blocked_range<std::size_t> &range) {
        if (ctx.isCanceled())
            return;
        std::vector<float> buf(std::size_t(n + 2 * r) * kTile);
        float acc[kTile];
        for (std::size_t g = range.begin(); g != range.end(); ++g) {
            int w = 0;
            const std::size_t inBase = group(g, &w);
            const std::size_t outBase = inBase;
            for (int i = -r; i < n + r; ++i) {
                const int src = std::clamp(i, 0, n - 1);
                const float *s = in + inBase + std::size_t(src) * stride;
                std::copy(s, s + w, buf.data() + std::size_t(i + r) * kTile);
            }
            for (int i = o0; i < o1; ++i) {
                convolveAcross(buf.data() + std::size_t(i + r) * kTile, kTile, w, k.data(), r, acc);
                std::copy(acc, acc + w, out + outBase + std::size_t(i - o0) * outStride);
            }
        }
    });
}

// np.gradient along a line: central differences inside, one-sided at the ends, 0 for one sample.
inline float grad(const float *f, int i, int n, std::ptrdiff_t stride)
{
    if (n < 2)
        return 0.0f;
    if (i == 0)
        return f[stride] - f[0];
    if (i == n - 1)
        return f[0] - f[-stride];
    return 0.5f * (f[stride] - f[-stride]);
}

void eigen3Descending(double a, double b, double c, double d, double e, double f, float out[3])
{
    // [[a b c] [b d e] [c e f]]: closed form for symmetric 3x3 (Smith 1961).
    const double p1 = b * b + c * c + e * e;
    const double q = (a + d + f) / 3.0;
    double l1, l2, l3;
    if (p1 <= 1e-30 * (a * a + d * d + f * f) || p1 == 0.0) {
        double v[3] = {a, d, f};
        std::sort(v, v + 3, std::greater<>());
        l1 = v[0];
        l2 = v[1];
        l3 = v[2];
    } else {
        const double p2 = (a - q) * (a - q) + (d - q) * (d - q) + (f - q) * (f - q) + 2.0 * p1;
        const double p = std::sqrt(p2 / 6.0);
        const double ba = (a - q) / p, bd = (d - q) / p, bf = (f - q) / p, bb = b / p, bc = c / p, be = e / p;
        const double det = ba * (bd * bf - be * be) - bb * (bb * bf - be * bc) + bc * (bb * be - bd * bc);
        const double rr = std::clamp(det / 2.0, -1.0, 1.0);
        // Single-precision trig is enough (the result is stored as float) and several times
        // cheaper than double acos/cos, which dominated the 3D texture features.
        const float phi = std::acos(float(rr)) / 3.0f;
        const double c = std::cos(phi), sn = std::sin(phi);
        l1 = q + 2.0 * p * c;
        // cos(phi + 2 pi / 3) = -c / 2 - sin(phi) sqrt(3) / 2
        l3 = q + 2.0 * p * (-0.5 * c - 0.8660254037844386 * sn);
        l2 = 3.0 * q - l1 - l3;
    }
    out[0] = float(l1);
    out[1] = float(l2);
    out[2] = float(l3);
}

float normaliser(VoxelType type)
{
    switch (type) {
    case VoxelType::UInt8: return 1.0f / 255.0f;
    case VoxelType::UInt16: return 1.0f / 65535.0f;
    case VoxelType::Int16: return 1.0f / 32767.0f;
    case VoxelType::Float32: return 1.0f;
    }
    return 1.0f;
}

} // namespace

FeatureStack computeFeatures(const Volume &image, const FeatureOptions &options, int z0, int z1,
                             const TaskContext &context)
{
    if (image.isNull())
        throw std::invalid_argument("features: no image");
    validateFeatureOptions(options);
    const Dims d = image.dims();
    const int nx = d[0], ny = d[1], nz = d[2];
    if (nx < 1 || ny < 1 || nz < 1)
        throw std::invalid_argument("features: empty image");
    if (z0 < 0 || z1 > nz || z0 >= z1)
        throw std::invalid_argument("features: slice range [" + std::to_string(z0) + ", " + std::to_string(z1) +
                                    ") outside the image's " + std::to_string(nz) + " slices");
    const bool is3d = nz > 1;
    const int ndim = is3d ? 3 : 2;
    const int channels = image.channels();
    const std::vector<double> sigmas = featureSigmas(options);
    const int per = perSigma(options, is3d);

    // Sigma and derivative scale per axis relative to the finest axis (1 for isotropic data).
    const Eigen::Vector3d sp = image.geometry().spacing;
    const double finest = is3d ? sp.minCoeff() : std::min(sp[0], sp[1]);
    const double ratio[3] = {finest / sp[0], finest / sp[1], is3d ? finest / sp[2] : 1.0};

    int maxRz = 0;
    if (is3d)
        for (double s : sigmas)
            maxRz = std::max(maxRz, int(4.0 * s * ratio[2] + 0.5));
    // Slab read: every slice whose value reaches the smoothed slices [g0, g1) we need; the
    // Hessian's second z difference needs the smoothed image two slices beyond the output.
    const int g0 = std::max(0, z0 - 2), g1 = std::min(nz, z1 + 2);
    const int s0 = std::max(0, g0 - maxRz), s1 = std::min(nz, g1 + maxRz);
    const std::size_t sliceN = std::size_t(nx) * std::size_t(ny);
    const std::size_t slabN = sliceN * std::size_t(s1 - s0);

    FeatureStack stack;
    stack.dims = d;
    stack.z0 = z0;
    stack.z1 = z1;
    stack.count = channels * int(sigmas.size()) * per;
    stack.data.resize(std::size_t(stack.count) * stack.planeStride());

    const int tasks = channels * int(sigmas.size());
    std::atomic<int> done{0};
    std::mutex progressMutex;
    std::vector<std::vector<float>> sources(static_cast<std::size_t>(channels));
    for (int c = 0; c < channels; ++c) {
        std::vector<float> &src = sources[std::size_t(c)];
        src.resize(slabN);
        const float scale = normaliser(image.type());
        dispatchVoxelType(image.type(), [&](auto tag) {
            using T = decltype(tag);
            const T *v = image.data<T>() + sliceN * std::size_t(s0) * std::size_t(channels);
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, slabN, 1 << 16), [&](const tbb::blocked_range<std::size_t> &r) {
                for (std::size_t i = r.begin(); i != r.end(); ++i)
                    src[i] = float(v[i * std::size_t(channels) + std::size_t(c)]) * scale;
            });
        });
    }

    tbb::parallel_for(0, tasks, [&](int task) {
        if (context.isCanceled())
            return;
        const int c = task / int(sigmas.size());
        const int si = task % int(sigmas.size());
        const double sigma = sigmas[std::size_t(si)];
        std::vector<float> work = sources[std::size_t(c)];
        const std::size_t rows = std::size_t(ny) * std::size_t(s1 - s0);
        smoothX(work.data(), nx, rows, gaussianKernel(sigma * ratio[0]), context);
        // y lines: groups of kTile adjacent x within one slice.
        const std::size_t xTiles = (std::size_t(nx) + kTile - 1) / kTile;
        {
            std::vector<float> ky = gaussianKernel(sigma * ratio[1]);
            if (ky.size() > 1) {
                std::vector<float> out(work.size());
                smoothStrided(work.data(), out.data(), ny, std::size_t(nx), std::size_t(nx), 0, ny, xTiles * std::size_t(s1 - s0),
                              [&](std::size_t g, int *w) {
                                  const std::size_t z = g / xTiles, x = (g % xTiles) * kTile;
                                  *w = int(std::min<std::size_t>(kTile, std::size_t(nx) - x));
                                  return z * sliceN + x;
                              },
                              ky, context);
                work.swap(out);
            }
        }
        // z lines: groups of kTile adjacent x within one row; only slices [g0, g1) are kept.
        std::vector<float> gauss;
        if (is3d) {
            gauss.resize(sliceN * std::size_t(g1 - g0));
            std::vector<float> kz = gaussianKernel(sigma * ratio[2]);
            smoothStrided(work.data(), gauss.data(), s1 - s0, sliceN, sliceN, g0 - s0, g1 - s0, xTiles * std::size_t(ny),
                          [&](std::size_t g, int *w) {
                              const std::size_t y = g / xTiles, x = (g % xTiles) * kTile;
                              *w = int(std::min<std::size_t>(kTile, std::size_t(nx) - x));
                              return y * std::size_t(nx) + x;
                          },
                          kz, context);
        } else {
            gauss.swap(work);
        }
        if (context.isCanceled())
            return;

        auto G = [&](int x, int y, int z) -> const float * {
            return gauss.data() + (std::size_t(z - g0) * std::size_t(ny) + std::size_t(y)) * std::size_t(nx) + std::size_t(x);
        };
        // First z derivative (np.gradient) for slices [z0 - 1, z1 + 1) within the volume, for H_zz.
        const int d0 = std::max(0, z0 - 1), d1 = std::min(nz, z1 + 1);
        std::vector<float> gz;
        if (is3d && options.texture) {
            gz.resize(sliceN * std::size_t(d1 - d0));
            tbb::parallel_for(d0, d1, [&](int z) {
                for (int y = 0; y < ny; ++y)
                    for (int x = 0; x < nx; ++x)
                        gz[(std::size_t(z - d0) * ny + y) * nx + x] =
                            float(ratio[2]) * grad(G(x, y, z), z, nz, std::ptrdiff_t(sliceN));
            });
        }
        const int first = (c * int(sigmas.size()) + si) * per;
        const std::size_t planeStride = stack.planeStride();
        const float rx = float(ratio[0]), ry = float(ratio[1]), rz = float(ratio[2]);
        tbb::parallel_for(tbb::blocked_range2d<int>(z0, z1, 1, 0, ny, 16), [&](const tbb::blocked_range2d<int> &r) {
            if (context.isCanceled())
                return;
            const std::size_t rowN = static_cast<std::size_t>(nx);
            std::vector<float> gxRow(rowN), gyRow(rowN), gyUp(rowN), gyDown(rowN);
            for (int z = r.rows().begin(); z != r.rows().end(); ++z) {
                for (int y = r.cols().begin(); y != r.cols().end(); ++y) {
                    const std::size_t outRow = (std::size_t(z - z0) * ny + y) * nx;
                    int f = first;
                    const float *row = G(0, y, z);
                    if (options.intensity) {
                        std::copy(row, row + nx, stack.data.begin() + std::ptrdiff_t(std::size_t(f) * planeStride + outRow));
                        ++f;
                    }
                    const int ym = std::max(y - 1, 0), yp = std::min(y + 1, ny - 1);
                    if (options.edges) {
                        float *out = stack.data.data() + std::size_t(f) * planeStride + outRow;
                        // Sobel: [1 0 -1] along the axis, [1 2 1] / 4 across ('reflect' = clamp for +-1).
                        if (!is3d) {
                            const float *a = G(0, ym, z), *b = row, *cc = G(0, yp, z);
                            for (int x = 0; x < nx; ++x) {
                                const int xm = std::max(x - 1, 0), xp = std::min(x + 1, nx - 1);
                                const float ex = 0.25f * ((a[xp] - a[xm]) + 2.0f * (b[xp] - b[xm]) + (cc[xp] - cc[xm])) * rx;
                                const float ey = 0.25f * ((cc[xm] - a[xm]) + 2.0f * (cc[x] - a[x]) + (cc[xp] - a[xp])) * ry;
                                out[x] = std::sqrt((ex * ex + ey * ey) / 2.0f);
                            }
                        } else {
                            const int zm = std::max(z - 1, 0), zp = std::min(z + 1, nz - 1);
                            const float *p[3][3]; // [dz][dy]
                            const int zs[3] = {zm, z, zp}, ys[3] = {ym, y, yp};
                            for (int i = 0; i < 3; ++i)
                                for (int j = 0; j < 3; ++j)
                                    p[i][j] = G(0, ys[j], zs[i]);
                            const float w[3] = {0.25f, 0.5f, 0.25f};
                            for (int x = 0; x < nx; ++x) {
                                const int xm = std::max(x - 1, 0), xp = std::min(x + 1, nx - 1);
                                float ex = 0, ey = 0, ez = 0;
                                for (int i = 0; i < 3; ++i)
                                    for (int j = 0; j < 3; ++j)
                                        ex += w[i] * w[j] * (p[i][j][xp] - p[i][j][xm]);
                                for (int i = 0; i < 3; ++i) {
                                    const float *lo = p[i][0], *hi = p[i][2];
                                    ey += w[i] * (0.25f * (hi[xm] - lo[xm]) + 0.5f * (hi[x] - lo[x]) + 0.25f * (hi[xp] - lo[xp]));
                                }
                                for (int j = 0; j < 3; ++j) {
                                    const float *lo = p[0][j], *hi = p[2][j];
                                    ez += w[j] * (0.25f * (hi[xm] - lo[xm]) + 0.5f * (hi[x] - lo[x]) + 0.25f * (hi[xp] - lo[xp]));
                                }
                                ex *= rx;
                                ey *= ry;
                                ez *= rz;
                                out[x] = std::sqrt((ex * ex + ey * ey + ez * ez) / 3.0f);
                            }
                        }
                        ++f;
                    }
                    if (!options.texture)
                        continue;
                    // gx, gy on this row; gy on the rows above and below for d_y(gy).
                    auto gyOf = [&](int yy, std::vector<float> &dst) {
                        for (int x = 0; x < nx; ++x)
                            dst[std::size_t(x)] = ry * grad(G(x, yy, z), yy, ny, std::ptrdiff_t(nx));
                    };
                    for (int x = 0; x < nx; ++x)
                        gxRow[std::size_t(x)] = rx * grad(row + x, x, nx, 1);
                    gyOf(y, gyRow);
                    if (ny > 1) {
                        gyOf(y == 0 ? 0 : y - 1, gyDown);
                        gyOf(y == ny - 1 ? ny - 1 : y + 1, gyUp);
                    }
                    float *outs[3];
                    for (int e = 0; e < ndim; ++e)
                        outs[e] = stack.data.data() + std::size_t(f + e) * planeStride + outRow;
                    // d_y(gy) with np.gradient's ends: forward/backward difference of gy.
                    auto dyy = [&](int x) -> float {
                        if (ny < 2)
                            return 0.0f;
                        if (y == 0)
                            return ry * (gyUp[std::size_t(x)] - gyRow[std::size_t(x)]);
                        if (y == ny - 1)
                            return ry * (gyRow[std::size_t(x)] - gyDown[std::size_t(x)]);
                        return ry * 0.5f * (gyUp[std::size_t(x)] - gyDown[std::size_t(x)]);
                    };
                    if (!is3d) {
                        for (int x = 0; x < nx; ++x) {
                            const float a = dyy(x);                                     // H_yy
                            const float b = rx * grad(gyRow.data() + x, x, nx, 1);      // d_x(gy)
                            const float cc = rx * grad(gxRow.data() + x, x, nx, 1);     // H_xx
                            const float mid = 0.5f * (a + cc);
                            const float disc = 0.5f * std::sqrt(4.0f * b * b + (a - cc) * (a - cc));
                            outs[0][x] = mid + disc;
                            outs[1][x] = mid - disc;
                        }
                    } else {
                        const float *gzRow = gz.data() + (std::size_t(z - d0) * ny + y) * nx;
                        const float *gzUpS = z + 1 < nz ? gzRow + sliceN : gzRow;
                        const float *gzDownS = z > 0 ? gzRow - sliceN : gzRow;
                        const std::ptrdiff_t rowStep = std::ptrdiff_t(nx);
                        for (int x = 0; x < nx; ++x) {
                            float hzz;
                            if (z == 0)
                                hzz = gzUpS[x] - gzRow[x];
                            else if (z == nz - 1)
                                hzz = gzRow[x] - gzDownS[x];
                            else
                                hzz = 0.5f * (gzUpS[x] - gzDownS[x]);
                            hzz *= rz;
                            const float hzy = ry * grad(gzRow + x, y, ny, rowStep);
                            const float hzx = rx * grad(gzRow + x, x, nx, 1);
                            const float hyy = dyy(x);
                            const float hyx = rx * grad(gyRow.data() + x, x, nx, 1);
                            const float hxx = rx * grad(gxRow.data() + x, x, nx, 1);
                            float ev[3];
                            eigen3Descending(hzz, hzy, hzx, hyy, hyx, hxx, ev);
                            outs[0][x] = ev[0];
                            outs[1][x] = ev[1];
                            outs[2][x] = ev[2];
                        }
                    }
                }
            }
        });
        const int finished = ++done;
        std::lock_guard lock(progressMutex);
        context.progress(double(finished) / tasks, "features");
    });
    context.throwIfCanceled();
    return stack;
}

} // namespace carina::algo
