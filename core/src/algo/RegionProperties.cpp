// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/RegionProperties.h>

#include <carina/PixelSize.h>

#include <carina/algo/MarchingCubes.h>
#include <carina/io/AtomicFile.h>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace carina::algo {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Integer sums keep the moments exact: central moments come from n*Sab - Sa*Sb in 128 bits,
// so thin or large regions lose nothing to cancellation.
struct Accumulator
{
    std::uint64_t count = 0;
    Dims lo{std::numeric_limits<int>::max(), std::numeric_limits<int>::max(), std::numeric_limits<int>::max()};
    Dims hi{-1, -1, -1};
    std::array<std::int64_t, 3> s{0, 0, 0};
    std::array<std::int64_t, 6> ss{0, 0, 0, 0, 0, 0}; // xx yy zz xy xz yz
    double intensitySum = 0.0;
    double intensityMin = std::numeric_limits<double>::infinity();
    double intensityMax = -std::numeric_limits<double>::infinity();
};

double centralMoment(const Accumulator &a, int sabIndex, int i, int j)
{
    const __int128 n = __int128(a.count);
    const __int128 num = n * __int128(a.ss[std::size_t(sabIndex)]) - __int128(a.s[std::size_t(i)]) * __int128(a.s[std::size_t(j)]);
    return double(num) / double(a.count); // = sum (a - mean_a)(b - mean_b)
}

// Runs of one label along x are folded in at once: count, x sums and the bounding box in closed
// form, only the intensities pixel by pixel.
template<typename T>
void accumulate(const std::uint32_t *labels, const Dims &d, const T *intensity, std::vector<Accumulator> &acc,
                const TaskContext &context)
{
    std::size_t rowStart = 0;
    for (int z = 0; z < d[2]; ++z) {
        context.throwIfCanceled();
        context.progress(0.4 * z / std::max(1, d[2]), "Measuring regions");
        for (int y = 0; y < d[1]; ++y, rowStart += std::size_t(d[0])) {
            const std::uint32_t *row = labels + rowStart;
            for (int x = 0; x < d[0];) {
                const std::uint32_t l = row[x];
                if (!l) {
                    ++x;
                    continue;
                }
                const int x0 = x;
                while (x < d[0] && row[x] == l)
                    ++x;
                const std::int64_t n = x - x0, first = x0, last = x - 1;
                // sum of x and x^2 over [first, last]
                const std::int64_t sx = (first + last) * n / 2;
                const auto squares = [](std::int64_t k) { return k * (k + 1) * (2 * k + 1) / 6; };
                const std::int64_t sxx = squares(last) - (first > 0 ? squares(first - 1) : 0);
                Accumulator &a = acc[l];
                a.count += std::uint64_t(n);
                a.lo[0] = std::min(a.lo[0], x0);
                a.lo[1] = std::min(a.lo[1], y);
                a.lo[2] = std::min(a.lo[2], z);
                a.hi[0] = std::max(a.hi[0], x - 1);
                a.hi[1] = std::max(a.hi[1], y);
                a.hi[2] = std::max(a.hi[2], z);
                a.s[0] += sx;
                a.s[1] += n * y;
                a.s[2] += n * z;
                a.ss[0] += sxx;
                a.ss[1] += n * y * y;
                a.ss[2] += n * z * z;
                a.ss[3] += sx * y;
                a.ss[4] += sx * z;
                a.ss[5] += n * y * z;
                if constexpr (!std::is_void_v<T>) {
                    const T *v = intensity + rowStart;
                    double sum = 0.0, lo = a.intensityMin, hi = a.intensityMax;
                    for (int i = x0; i < x; ++i) {
                        const double value = double(v[i]);
                        sum += value;
                        lo = std::min(lo, value);
                        hi = std::max(hi, value);
                    }
                    a.intensitySum += sum;
                    a.intensityMin = lo;
                    a.intensityMax = hi;
                }
            }
        }
    }
}

// The region's bounding box as a 0/1 mask padded by one background voxel on every side
// (only in x and y for a 2D image), so neighbour look-ups need no bounds checks.
struct Crop
{
    Dims dims{0, 0, 0};
    Dims origin{0, 0, 0}; // index of crop voxel (0,0,0) in the image
    std::vector<std::uint8_t> mask;
    std::size_t at(int x, int y, int z) const
    {
        return (std::size_t(z) * std::size_t(dims[1]) + std::size_t(y)) * std::size_t(dims[0]) + std::size_t(x);
    }
};

Crop cropRegion(const std::uint32_t *labels, const Dims &d, const RegionProperties &r, bool is3d)
{
    Crop c;
    const int pz = is3d ? 1 : 0;
    c.origin = {r.bboxMin[0] - 1, r.bboxMin[1] - 1, r.bboxMin[2] - pz};
    c.dims = {r.bboxMax[0] - r.bboxMin[0] + 2, r.bboxMax[1] - r.bboxMin[1] + 2, r.bboxMax[2] - r.bboxMin[2] + 2 * pz};
    c.mask.assign(std::size_t(c.dims[0]) * std::size_t(c.dims[1]) * std::size_t(c.dims[2]), 0);
    for (int z = r.bboxMin[2]; z < r.bboxMax[2]; ++z)
        for (int y = r.bboxMin[1]; y < r.bboxMax[1]; ++y) {
            const std::uint32_t *row = labels + (std::size_t(z) * std::size_t(d[1]) + std::size_t(y)) * std::size_t(d[0]);
            std::uint8_t *out = c.mask.data() + c.at(r.bboxMin[0] - c.origin[0], y - c.origin[1], z - c.origin[2]);
            for (int x = r.bboxMin[0]; x < r.bboxMax[0]; ++x)
                out[x - r.bboxMin[0]] = row[x] == r.label ? 1 : 0;
        }
    return c;
}

// skimage.measure.perimeter(image, 4): border pixels (those an erosion by the 4-neighbour cross
// removes) weighted by how their border neighbours run: straight 1, diagonal sqrt(2), corner
// (1 + sqrt(2)) / 2. The configuration code 1 + 2 * (4-neighbours) + 10 * (diagonals) indexes
// skimage's weight table.
double perimeter2d(const Crop &c)
{
    const int w = c.dims[0], h = c.dims[1];
    std::vector<std::uint8_t> border(c.mask.size(), 0);
    for (int y = 1; y < h - 1; ++y)
        for (int x = 1; x < w - 1; ++x) {
            const std::size_t i = std::size_t(y) * std::size_t(w) + std::size_t(x);
            if (c.mask[i] && !(c.mask[i - 1] && c.mask[i + 1] && c.mask[i - std::size_t(w)] && c.mask[i + std::size_t(w)]))
                border[i] = 1;
        }
    std::array<std::uint64_t, 50> histogram{};
    for (int y = 1; y < h - 1; ++y)
        for (int x = 1; x < w - 1; ++x) {
            const std::size_t i = std::size_t(y) * std::size_t(w) + std::size_t(x);
            if (!border[i])
                continue;
            const std::size_t W = std::size_t(w);
            const int code = 1 + 2 * (border[i - 1] + border[i + 1] + border[i - W] + border[i + W])
                             + 10 * (border[i - W - 1] + border[i - W + 1] + border[i + W - 1] + border[i + W + 1]);
            ++histogram[std::size_t(code)];
        }
    std::array<double, 50> weights{};
    for (int k : {5, 7, 15, 17, 25, 27})
        weights[std::size_t(k)] = 1.0;
    weights[21] = weights[33] = std::sqrt(2.0);
    weights[13] = weights[23] = (1.0 + std::sqrt(2.0)) / 2.0;
    double total = 0.0;
    for (std::size_t k = 0; k < 50; ++k)
        total += double(histogram[k]) * weights[k];
    return total;
}

// skimage.measure.euler_number(image, connectivity=ndim): Ohser et al.'s coefficients of the
// 2x2 (2x2x2) configurations over the padded image; the configuration codes follow skimage's
// `ndi.convolve` with its `config` kernel, which reads the current voxel (1) and its
// predecessors along y (2), x (4), both (8), and the same one slice back (16, 32, 64, 128).
int eulerNumber(const Crop &c, bool is3d)
{
    static constexpr int coefs2d8[16] = {0, 0, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0, 0, 0, -1, 0};
    static constexpr int coefs3d26[256] = {
        0, 1, 1, 0, 1, 0, -2, -1, 1, -2, 0, -1, 0, -1, -1, 0, 1, 0, -2, -1, -2, -1, -1, -2,
        -6, -3, -3, -2, -3, -2, 0, -1, 1, -2, 0, -1, -6, -3, -3, -2, -2, -1, -1, -2, -3, 0, -2, -1,
        0, -1, -1, 0, -3, -2, 0, -1, -3, 0, -2, -1, 0, 1, 1, 0, 1, -2, -6, -3, 0, -1, -3, -2,
        -2, -1, -3, 0, -1, -2, -2, -1, 0, -1, -3, -2, -1, 0, 0, -1, -3, 0, 0, 1, -2, -1, 1, 0,
        -2, -1, -3, 0, -3, 0, 0, 1, -1, 4, 0, 3, 0, 3, 1, 2, -1, -2, -2, -1, -2, -1, 1,
        0, 0, 3, 1, 2, 1, 2, 2, 1, 1, -6, -2, -3, -2, -3, -1, 0, 0, -3, -1, -2, -1, -2, -2, -1,
        -2, -3, -1, 0, -1, 0, 4, 3, -3, 0, 0, 1, 0, 1, 3, 2, 0, -3, -1, -2, -3, 0, 0, 1,
        -1, 0, 0, -1, -2, 1, -1, 0, -1, -2, -2, -1, 0, 1, 3, 2, -2, 1, -1, 0, 1, 2, 2, 1,
        0, -3, -3, 0, -1, -2, 0, 1, -1, 0, -2, 1, 0, -1, -1, 0, -1, -2, 0, 1, -2, -1, 3, 2,
        -2, 1, 1, 2, -1, 0, 2, 1, -1, 0, -2, 1, -2, 1, 1, 2, -2, 3, -1, 2, -1, 2, 0, 1,
        0, -1, -1, 0, -1, 0, 2, 1, -1, 2, 0, 1, 0, 1, 1, 0};
    const auto m = [&](int x, int y, int z) { return int(c.mask[c.at(x, y, z)]); };
    long long sum = 0;
    if (!is3d) {
        for (int y = 1; y < c.dims[1]; ++y)
            for (int x = 1; x < c.dims[0]; ++x) {
                const int code = m(x, y, 0) + 2 * m(x, y - 1, 0) + 4 * m(x - 1, y, 0) + 8 * m(x - 1, y - 1, 0);
                sum += coefs2d8[code];
            }
        return int(sum);
    }
    for (int z = 1; z < c.dims[2]; ++z)
        for (int y = 1; y < c.dims[1]; ++y)
            for (int x = 1; x < c.dims[0]; ++x) {
                const int code = m(x, y, z) + 2 * m(x, y - 1, z) + 4 * m(x - 1, y, z) + 8 * m(x - 1, y - 1, z)
                                 + 16 * m(x, y, z - 1) + 32 * m(x, y - 1, z - 1) + 64 * m(x - 1, y, z - 1)
                                 + 128 * m(x - 1, y - 1, z - 1);
                sum += coefs3d26[code];
            }
    return int(0.125 * double(sum)); // skimage: int(0.125 * coefs @ h), truncated
}

// Area of skimage's convex_hull_image: the hull of the midpoints of the pixels' edges
// (centre +- 0.5 along each axis), then the pixel centres inside it or on it. Coordinates are
// doubled so the hull is exact in integers. Points are (row, column), so the monotone chain's
// two halves are monotone in the row and each pixel row crosses each half once.
std::uint64_t convexArea2d(const Crop &c)
{
    struct P { long long u, v; }; // u = 2 * row, v = 2 * column
    std::vector<P> pts;
    for (int y = 1; y < c.dims[1] - 1; ++y) {
        int first = -1, last = -1;
        for (int x = 1; x < c.dims[0] - 1; ++x)
            if (c.mask[c.at(x, y, 0)]) {
                if (first < 0)
                    first = x;
                last = x;
            }
        if (first < 0)
            continue;
        for (int x : {first, last}) {
            pts.push_back({2LL * y, 2LL * x - 1});
            pts.push_back({2LL * y, 2LL * x + 1});
            pts.push_back({2LL * y - 1, 2LL * x});
            pts.push_back({2LL * y + 1, 2LL * x});
        }
    }
    std::sort(pts.begin(), pts.end(), [](const P &a, const P &b) { return a.u < b.u || (a.u == b.u && a.v < b.v); });
    pts.erase(std::unique(pts.begin(), pts.end(), [](const P &a, const P &b) { return a.u == b.u && a.v == b.v; }),
              pts.end());
    const auto cross = [](const P &o, const P &a, const P &b) { return (a.u - o.u) * (b.v - o.v) - (a.v - o.v) * (b.u - o.u); };
    std::vector<P> lower, upper;
    for (const P &p : pts) {
        while (lower.size() >= 2 && cross(lower[lower.size() - 2], lower.back(), p) <= 0)
            lower.pop_back();
        lower.push_back(p);
    }
    for (auto it = pts.rbegin(); it != pts.rend(); ++it) {
        while (upper.size() >= 2 && cross(upper[upper.size() - 2], upper.back(), *it) <= 0)
            upper.pop_back();
        upper.push_back(*it);
    }
    std::reverse(upper.begin(), upper.end()); // both chains now run from the first row to the last
    // Column where a chain crosses row u (strictly inside the hull's row range: the extreme
    // vertices lie on odd half-rows, pixel rows on even ones).
    const auto crossing = [](const std::vector<P> &chain, std::size_t &i, long long u) {
        while (i + 2 < chain.size() && chain[i + 1].u < u)
            ++i;
        const P &a = chain[i], &b = chain[i + 1];
        if (b.u == a.u)
            return double(a.v);
        return double(a.v) + double(u - a.u) * double(b.v - a.v) / double(b.u - a.u);
    };
    std::uint64_t inside = 0;
    std::size_t li = 0, ui = 0;
    for (int y = 1; y < c.dims[1] - 1; ++y) {
        const long long u = 2LL * y;
        if (u <= pts.front().u || u >= pts.back().u)
            continue;
        const double v1 = crossing(lower, li, u), v2 = crossing(upper, ui, u);
        const double vl = std::min(v1, v2), vr = std::max(v1, v2);
        // pixel centres v = 2x with vl <= v <= vr
        const long long from = (long long)std::ceil((vl - 1e-9) / 2.0);
        const long long to = (long long)std::floor((vr + 1e-9) / 2.0);
        if (to >= from)
            inside += std::uint64_t(to - from + 1);
    }
    return inside;
}

double surfaceArea3d(const Crop &c, const Eigen::Vector3d &spacing)
{
    ImageGeometry g;
    g.dims = c.dims;
    g.spacing = spacing;
    Volume v(VoxelType::UInt8, g);
    std::copy(c.mask.begin(), c.mask.end(), v.data<std::uint8_t>());
    MarchingCubesOptions options;
    options.computeNormals = false;
    return marchingCubes(v, options).surfaceArea();
}

std::string formatNumber(double v)
{
    if (std::isnan(v))
        return "nan";
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, result.ptr);
}

} // namespace

std::vector<std::string> RegionTable::availableColumns() const
{
    // Physical columns carry their unit in the name (area_mm2, area_um2); an image without a
    // pixel size ("px") has only the pixel columns in 2D, where mm would be a made-up unit.
    const bool metric = millimetresPer(lengthUnit) > 0.0;
    const bool mm = !metric || lengthUnit == "mm";
    const bool physical2d = metric || dimensionality == 3;
    const std::string u = mm ? std::string("mm") : lengthUnit;
    std::vector<std::string> columns{"label", "area"};
    for (int i = 0; i < 2 * dimensionality; ++i)
        columns.push_back("bbox-" + std::to_string(i));
    for (int i = 0; i < dimensionality; ++i)
        columns.push_back("centroid-" + std::to_string(i));
    if (physical2d)
        for (int i = 0; i < dimensionality; ++i)
            columns.push_back("centroid_" + u + "-" + std::to_string(i));
    if (dimensionality == 2 && metric)
        columns.push_back("area_" + u + "2");
    if (dimensionality == 2) {
        columns.insert(columns.end(), {"perimeter", "eccentricity", "orientation", "euler_number",
                                       "equivalent_diameter", "solidity"});
        if (!mm)
            columns.insert(columns.end(), {"perimeter_" + u, "equivalent_diameter_" + u});
    } else {
        columns.insert(columns.end(), {"euler_number", "equivalent_diameter"});
        if (mm)
            columns.insert(columns.end(), {"volume_ml", "surface_area_mm2"});
        else
            columns.insert(columns.end(), {"volume_" + u + "3", "surface_area_" + u + "2"});
        columns.push_back("sphericity");
    }
    if (hasIntensity)
        columns.insert(columns.end(), {"mean_intensity", "min_intensity", "max_intensity"});
    return columns;
}

RegionTable computeRegionProperties(const std::uint32_t *labels, const ImageGeometry &geometry,
                                    const Volume *intensity, const RegionPropertiesOptions &options,
                                    const TaskContext &context)
{
    const Dims &d = geometry.dims;
    if (d[0] <= 0 || d[1] <= 0 || d[2] <= 0 || !labels)
        throw std::invalid_argument("computeRegionProperties: empty label image");
    if (intensity && !intensity->isNull()) {
        if (intensity->dims() != d)
            throw std::invalid_argument("computeRegionProperties: the intensity image's dims differ from the labels'");
        if (intensity->channels() != 1)
            throw std::invalid_argument("computeRegionProperties: the intensity image must have one channel");
    } else {
        intensity = nullptr;
    }
    RegionTable table;
    table.dimensionality = d[2] == 1 ? 2 : 3;
    table.geometry = geometry;
    table.hasIntensity = intensity != nullptr;
    if (intensity)
        table.lengthUnit = lengthUnitOf(*intensity);
    const bool is3d = table.dimensionality == 3;

    const std::size_t n = geometry.voxelCount();
    std::uint32_t maxLabel = 0;
    for (std::size_t i = 0; i < n; ++i)
        maxLabel = std::max(maxLabel, labels[i]);
    std::vector<Accumulator> acc(std::size_t(maxLabel) + 1);
    if (intensity)
        dispatchVoxelType(intensity->type(), [&](auto tag) {
            using T = decltype(tag);
            accumulate<T>(labels, d, intensity->data<T>(), acc, context);
        });
    else
        accumulate<void>(labels, d, nullptr, acc, context);

    for (std::uint32_t l = 1; l <= maxLabel; ++l) {
        const Accumulator &a = acc[l];
        if (!a.count)
            continue;
        RegionProperties r;
        r.label = l;
        r.area = a.count;
        const double count = double(a.count);
        for (int k = 0; k < 3; ++k) {
            r.bboxMin[std::size_t(k)] = a.lo[std::size_t(k)];
            r.bboxMax[std::size_t(k)] = a.hi[std::size_t(k)] + 1;
            r.centroid[std::size_t(k)] = double(a.s[std::size_t(k)]) / count;
        }
        const int ndim = table.dimensionality;
        r.equivalentDiameter = std::pow(2.0 * ndim * count / std::numbers::pi, 1.0 / ndim);
        r.meanIntensity = intensity ? a.intensitySum / count : kNaN;
        r.minIntensity = intensity ? a.intensityMin : kNaN;
        r.maxIntensity = intensity ? a.intensityMax : kNaN;
        if (!is3d) {
            // skimage's inertia tensor in (row, col) order: [[mu_cc, -mu_rc], [-mu_rc, mu_rr]] / mu0
            const double a11 = centralMoment(a, 0, 0, 0) / count;
            const double c22 = centralMoment(a, 1, 1, 1) / count;
            const double b12 = -(centralMoment(a, 3, 0, 1) / count);
            const double mean = (a11 + c22) / 2.0, half = (a11 - c22) / 2.0;
            const double root = std::sqrt(half * half + b12 * b12);
            const double l1 = std::max(mean + root, 0.0), l2 = std::max(mean - root, 0.0);
            r.eccentricity = l1 == 0.0 ? 0.0 : std::sqrt(1.0 - l2 / l1);
            // skimage's own rule for a == c. Its float moments hit a == c exactly only by luck
            // of rounding (BLAS summation order), and otherwise give atan2's limit -sign(b) pi/4:
            // regions with exactly equal second moments may differ from skimage by the sign.
            if (a11 - c22 == 0.0)
                r.orientation = b12 < 0 ? -std::numbers::pi / 4.0 : std::numbers::pi / 4.0;
            else
                r.orientation = 0.5 * std::atan2(-2.0 * b12, c22 - a11);
            r.volumeMl = r.surfaceAreaMm2 = r.sphericity = kNaN;
        } else {
            r.perimeter = r.eccentricity = r.orientation = r.solidity = kNaN;
            r.volumeMl = count * geometry.voxelVolumeMl();
        }
        table.regions.push_back(r);
    }
    context.progress(0.4, "Measuring region shapes");

    const bool needCrop = options.euler || (!is3d && (options.perimeter || options.convexHull)) || (is3d && options.surface);
    if (needCrop) {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, table.regions.size()), [&](const tbb::blocked_range<std::size_t> &range) {
            for (std::size_t i = range.begin(); i != range.end(); ++i) {
                context.throwIfCanceled();
                RegionProperties &r = table.regions[i];
                const Crop crop = cropRegion(labels, d, r, is3d);
                r.eulerNumber = options.euler ? eulerNumber(crop, is3d) : 0;
                if (!is3d) {
                    r.perimeter = options.perimeter ? perimeter2d(crop) : kNaN;
                    r.solidity = options.convexHull ? double(r.area) / double(convexArea2d(crop)) : kNaN;
                } else if (options.surface) {
                    r.surfaceAreaMm2 = surfaceArea3d(crop, geometry.spacing);
                    const double volumeMm3 = double(r.area) * geometry.spacing.prod();
                    r.sphericity = std::cbrt(std::numbers::pi) * std::pow(6.0 * volumeMm3, 2.0 / 3.0) / r.surfaceAreaMm2;
                } else {
                    r.surfaceAreaMm2 = r.sphericity = kNaN;
                }
            }
        });
    }
    context.progress(1.0, "Measuring regions");
    return table;
}

RegionTable computeRegionProperties(const ComponentLabels &components, const Volume *intensity,
                                    const RegionPropertiesOptions &options, const TaskContext &context)
{
    ImageGeometry geometry;
    if (intensity && !intensity->isNull())
        geometry = intensity->geometry();
    geometry.dims = components.dims;
    if (components.labels.size() != geometry.voxelCount())
        throw std::invalid_argument("computeRegionProperties: the component labels do not match their dims");
    return computeRegionProperties(components.labels.data(), geometry, intensity, options, context);
}

RegionTable computeRegionProperties(const LabelVolume &labels, const Volume *intensity,
                                    const RegionPropertiesOptions &options, const TaskContext &context)
{
    std::vector<std::uint32_t> wide(labels.data(), labels.data() + labels.voxelCount());
    return computeRegionProperties(wide.data(), labels.geometry(), intensity, options, context);
}

void writeCsv(const RegionTable &table, const std::string &path, const std::vector<std::string> &columns)
{
    const std::vector<std::string> available = table.availableColumns();
    const std::vector<std::string> &chosen = columns.empty() ? available : columns;
    for (const std::string &c : chosen)
        if (std::find(available.begin(), available.end(), c) == available.end())
            throw std::invalid_argument("writeCsv(" + path + "): unknown or unavailable column \"" + c + "\"");
    const auto value = [&](const RegionProperties &r, const std::string &c) -> std::string {
        const double v = regionValue(table, r, c);
        // Integer columns print as integers, as numpy's int64 columns do.
        if (c == "label" || c == "area" || c == "euler_number" || c.rfind("bbox-", 0) == 0)
            return std::to_string(static_cast<long long>(v));
        return formatNumber(v);
    };
    std::string text;
    for (std::size_t i = 0; i < chosen.size(); ++i)
        text += (i ? "," : "") + chosen[i];
    text += '\n';
    for (const RegionProperties &r : table.regions) {
        for (std::size_t i = 0; i < chosen.size(); ++i)
            text += (i ? "," : "") + value(r, chosen[i]);
        text += '\n';
    }
    io::writeFileAtomically(path, text.data(), text.size());
}

double regionValue(const RegionTable &table, const RegionProperties &r, const std::string &c)
{
    const int ndim = table.dimensionality;
    // skimage's array axis a is Carina's index axis ndim - 1 - a ((row, col) = (y, x)).
    if (c == "label") return double(r.label);
    if (c == "area") return double(r.area);
    if (c.rfind("bbox-", 0) == 0 && c.size() == 6) {
        const int k = c[5] - '0';
        if (k >= 0 && k < 2 * ndim) {
            const int axis = ndim - 1 - (k % ndim);
            return double(k < ndim ? r.bboxMin[std::size_t(axis)] : r.bboxMax[std::size_t(axis)]);
        }
    }
    if (c.rfind("centroid-", 0) == 0 && c.size() == 10) {
        const int k = c[9] - '0';
        if (k >= 0 && k < ndim)
            return r.centroid[std::size_t(ndim - 1 - k)];
    }
    // Physical columns: the centroid as a point, lengths, areas and volumes in the table's unit.
    const double perUnit = millimetresPer(table.lengthUnit);
    const std::string u = perUnit > 0.0 ? table.lengthUnit : std::string("mm");
    const double toUnit = perUnit > 0.0 ? 1.0 / perUnit : 1.0;
    const auto &sp = table.geometry.spacing;
    const std::string centroidPrefix = "centroid_" + u + "-";
    if (c.rfind(centroidPrefix, 0) == 0 && c.size() == centroidPrefix.size() + 1) {
        const int k = c.back() - '0';
        if (k >= 0 && k < ndim)
            return table.geometry.indexToPhysical(Eigen::Vector3d(r.centroid[0], r.centroid[1], r.centroid[2]))[k] * toUnit;
    }
    if (c == "area_" + u + "2" && ndim == 2) return double(r.area) * (sp[0] * toUnit) * (sp[1] * toUnit);
    if (u != "mm" && ndim == 2) {
        // An isotropic pixel (what a pixel size gives) scales lengths by its side.
        const double side = std::sqrt(sp[0] * sp[1]) * toUnit;
        if (c == "perimeter_" + u) return r.perimeter * side;
        if (c == "equivalent_diameter_" + u) return r.equivalentDiameter * side;
    }
    if (u != "mm" && ndim == 3) {
        if (c == "volume_" + u + "3") return r.volumeMl * 1000.0 * toUnit * toUnit * toUnit;
        if (c == "surface_area_" + u + "2") return r.surfaceAreaMm2 * toUnit * toUnit;
    }
    if (c == "perimeter") return r.perimeter;
    if (c == "eccentricity") return r.eccentricity;
    if (c == "orientation") return r.orientation;
    if (c == "euler_number") return double(r.eulerNumber);
    if (c == "equivalent_diameter") return r.equivalentDiameter;
    if (c == "solidity") return r.solidity;
    if (c == "volume_ml") return r.volumeMl;
    if (c == "surface_area_mm2") return r.surfaceAreaMm2;
    if (c == "sphericity") return r.sphericity;
    if (c == "mean_intensity") return r.meanIntensity;
    if (c == "min_intensity") return r.minIntensity;
    if (c == "max_intensity") return r.maxIntensity;
    throw std::invalid_argument("regionValue: unknown column \"" + c + "\"");
}

} // namespace carina::algo
