// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/ShapeInterpolation.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace carina::algo {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// Squared distance transform of one line in place (Felzenszwalb & Huttenlocher 2012): f holds 0
// on the sites and +inf elsewhere (or the previous pass's squared distances); `step` is the
// spacing along the line.
void distanceLine(float *f, int n, std::size_t stride, double step, std::vector<double> &d, std::vector<int> &v,
                  std::vector<double> &z)
{
    d.resize(std::size_t(n));
    v.resize(std::size_t(n));
    z.resize(std::size_t(n) + 1);
    const double s2 = step * step;
    int k = -1;
    for (int q = 0; q < n; ++q) {
        const double fq = f[std::size_t(q) * stride];
        if (!std::isfinite(fq))
            continue;
        double s = 0.0;
        while (k >= 0) {
            const int p = v[std::size_t(k)];
            const double fp = f[std::size_t(p) * stride];
            // Where the parabolas from p and q meet (in index units).
            s = ((fq + s2 * q * q) - (fp + s2 * p * p)) / (2.0 * s2 * (q - p));
            if (s > z[std::size_t(k)])
                break;
            --k;
        }
        ++k;
        v[std::size_t(k)] = q;
        z[std::size_t(k)] = k == 0 ? -std::numeric_limits<double>::infinity() : s;
        z[std::size_t(k) + 1] = std::numeric_limits<double>::infinity();
    }
    if (k < 0)
        return; // no site on this line: stays +inf
    int j = 0;
    for (int q = 0; q < n; ++q) {
        while (z[std::size_t(j) + 1] < q)
            ++j;
        const int p = v[std::size_t(j)];
        d[std::size_t(q)] = s2 * double(q - p) * double(q - p) + f[std::size_t(p) * stride];
    }
    for (int q = 0; q < n; ++q)
        f[std::size_t(q) * stride] = float(d[std::size_t(q)]);
}

// Squared distance of every pixel to the nearest pixel where `site` is true.
template<typename Site>
std::vector<float> squaredDistance(int width, int height, double sx, double sy, const Site &site)
{
    std::vector<float> f(std::size_t(width) * std::size_t(height));
    for (std::size_t i = 0; i < f.size(); ++i)
        f[i] = site(i) ? 0.f : kInf;
    std::vector<double> d, z;
    std::vector<int> v;
    for (int y = 0; y < height; ++y)
        distanceLine(f.data() + std::size_t(y) * std::size_t(width), width, 1, sx, d, v, z);
    for (int x = 0; x < width; ++x)
        distanceLine(f.data() + x, height, std::size_t(width), sy, d, v, z);
    return f;
}

} // namespace

std::vector<float> signedDistance2d(const std::vector<std::uint8_t> &mask, int width, int height, double spacingX, double spacingY)
{
    if (width <= 0 || height <= 0 || mask.size() != std::size_t(width) * std::size_t(height))
        throw std::invalid_argument("signed distance: the mask is not width x height");
    if (!(spacingX > 0.0) || !(spacingY > 0.0))
        throw std::invalid_argument("signed distance: the spacing must be positive");
    const std::vector<float> toInside = squaredDistance(width, height, spacingX, spacingY, [&](std::size_t i) { return mask[i] != 0; });
    const std::vector<float> toOutside = squaredDistance(width, height, spacingX, spacingY, [&](std::size_t i) { return mask[i] == 0; });
    // The boundary lies half a pixel from the pixels on either side of it.
    const float half = float(0.5 * std::min(spacingX, spacingY));
    std::vector<float> out(mask.size());
    for (std::size_t i = 0; i < mask.size(); ++i)
        out[i] = mask[i] ? (std::isfinite(toOutside[i]) ? -(std::sqrt(toOutside[i]) - half) : -kInf)
                         : (std::isfinite(toInside[i]) ? std::sqrt(toInside[i]) - half : kInf);
    return out;
}

std::vector<std::uint8_t> interpolateOutlines(std::vector<SliceOutline> outlines, int width, int height, double spacingX,
                                              double spacingY)
{
    if (outlines.empty())
        throw std::invalid_argument("interpolation needs at least one outline");
    const std::size_t plane = std::size_t(width) * std::size_t(height);
    for (const SliceOutline &o : outlines)
        if (o.mask.size() != plane)
            throw std::invalid_argument("the outline on slice " + std::to_string(o.slice) + " is not width x height");
    std::sort(outlines.begin(), outlines.end(), [](const SliceOutline &a, const SliceOutline &b) { return a.slice < b.slice; });
    for (std::size_t i = 1; i < outlines.size(); ++i)
        if (outlines[i].slice == outlines[i - 1].slice)
            throw std::invalid_argument("two outlines on slice " + std::to_string(outlines[i].slice));
    const int first = outlines.front().slice, last = outlines.back().slice;
    std::vector<std::uint8_t> solid(plane * std::size_t(last - first + 1), 0);
    for (const SliceOutline &o : outlines)
        for (std::size_t p = 0; p < plane; ++p)
            solid[std::size_t(o.slice - first) * plane + p] = o.mask[p] != 0;
    // Distances on the plane padded by one outside pixel: an outline that fills its plane (or
    // touches an edge) still has an outside to measure from.
    const int pw = width + 2, ph = height + 2;
    const auto distances = [&](const std::vector<std::uint8_t> &mask) {
        std::vector<std::uint8_t> padded(std::size_t(pw) * std::size_t(ph), 0);
        for (int y = 0; y < height; ++y)
            std::copy_n(mask.data() + std::size_t(y) * std::size_t(width), width, padded.data() + std::size_t(y + 1) * std::size_t(pw) + 1);
        const std::vector<float> all = signedDistance2d(padded, pw, ph, spacingX, spacingY);
        std::vector<float> inner(plane);
        for (int y = 0; y < height; ++y)
            std::copy_n(all.data() + std::size_t(y + 1) * std::size_t(pw) + 1, width, inner.data() + std::size_t(y) * std::size_t(width));
        return inner;
    };
    std::vector<float> below = distances(outlines.front().mask);
    for (std::size_t i = 1; i < outlines.size(); ++i) {
        std::vector<float> above = distances(outlines[i].mask);
        const int a = outlines[i - 1].slice, b = outlines[i].slice;
        for (int s = a + 1; s < b; ++s) {
            const float t = float(s - a) / float(b - a);
            std::uint8_t *out = solid.data() + std::size_t(s - first) * plane;
            for (std::size_t p = 0; p < plane; ++p) {
                const float d0 = below[p], d1 = above[p];
                // An empty outline (+inf) shrinks the other one to nothing: outside everywhere between.
                const float blend = std::isfinite(d0) && std::isfinite(d1) ? (1.f - t) * d0 + t * d1 : std::max(d0, d1);
                out[p] = blend <= 0.f;
            }
        }
        below = std::move(above);
    }
    return solid;
}

} // namespace carina::algo
