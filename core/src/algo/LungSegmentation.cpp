// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/LungSegmentation.h>

#include "algo/detail/RunRows.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <climits>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace carina::algo {

namespace {

using detail::Run;
using detail::RunRows;

// Work values in the mask before the final labels are painted.
constexpr std::uint16_t kCandidate = kLungCandidate; // internal air
constexpr std::uint16_t kAirway = 3;                 // grown airway (removed later in step 2)

std::string nameOf(const Volume &ct)
{
    return ct.info().sourcePath.empty() ? std::string("the image") : ct.info().sourcePath;
}

[[noreturn]] void refuse(const Volume &ct, const std::string &why)
{
    throw std::invalid_argument("lung segmentation of " + nameOf(ct) + ": " + why);
}

void validate(const Volume &ct, const LungSegmentationOptions &options)
{
    if (ct.isNull())
        throw std::invalid_argument("lung segmentation: the image is empty");
    if (ct.channels() != 1)
        refuse(ct, "needs a grey-level CT, got " + std::to_string(ct.channels()) + " channels");
    const std::string &modality = ct.info().modality;
    if (!modality.empty() && modality != "CT")
        refuse(ct, "is a" + std::string(modality == "MR" ? "n " : " ") + modality
                       + " image; lung segmentation needs a chest CT in Hounsfield units");
    const Dims &d = ct.dims();
    if (d[2] == 1 && !options.allowSingleSlice)
        refuse(ct, "is a single slice; lung segmentation and the lung mesh need a 3D chest CT series of at least 10 "
                   "axial slices");
    if (d[2] > 1 && d[2] < 10)
        refuse(ct, "needs a 3D chest CT of at least 10 axial slices, got " + std::to_string(d[2]));
    if (d[0] < 16 || d[1] < 16)
        refuse(ct, "slices of " + std::to_string(d[0]) + " x " + std::to_string(d[1]) + " voxels are too small");
    const std::string &units = ct.info().units;
    if (!units.empty() && units != "HU")
        refuse(ct, "holds values in '" + units + "', not Hounsfield units; lung segmentation needs a CT in HU");
    if (units != "HU") {
        // Readers that did not know the units still give HU for CT; MR, PET or photographs do
        // not go far below zero.
        const double lowest = ct.valueRange().first;
        if (lowest > -500.0)
            refuse(ct, "needs a CT in Hounsfield units (units '" + units + "', modality '" + ct.info().modality
                           + "', lowest value " + std::to_string(int(std::lround(lowest)))
                           + "; air should be near -1000)");
    }
    // The slice-wise steps assume axial slices with i along the patient's left-right axis.
    const Eigen::Matrix3d &dir = ct.geometry().direction;
    Eigen::Index rowI = 0, rowK = 0;
    dir.col(0).cwiseAbs().maxCoeff(&rowI);
    dir.col(2).cwiseAbs().maxCoeff(&rowK);
    if (rowI != 0 || rowK != 2) {
        const auto code = ct.geometry().orientationCode();
        refuse(ct, std::string("needs axial slices with columns along left-right; orientation is ") + code[0] + code[1]
                       + code[2] + " (reformat to axial first)");
    }
}

// Runs of voxels below `threshold`, read straight from the CT.
template<typename T>
RunRows runsBelow(const Volume &ct, double threshold, const TaskContext &context)
{
    const T *data = ct.data<T>();
    const int nx = ct.dims()[0], ny = ct.dims()[1], nz = ct.dims()[2];
    using Cmp = std::conditional_t<std::is_integral_v<T>, int, float>;
    Cmp limit;
    if constexpr (std::is_integral_v<T>)
        limit = Cmp(std::clamp(std::ceil(threshold), double(INT_MIN / 2), double(INT_MAX / 2)));
    else
        limit = Cmp(threshold);
    return detail::buildRunRows(
        ny, nz,
        [&](int y, int z, std::vector<Run> &out) {
            const T *row = data + (std::size_t(z) * std::size_t(ny) + std::size_t(y)) * std::size_t(nx);
            for (int x = 0; x < nx;) {
                if (!(Cmp(row[x]) < limit)) {
                    ++x;
                    continue;
                }
                const int begin = x;
                while (x < nx && Cmp(row[x]) < limit)
                    ++x;
                out.push_back({begin, x});
            }
        },
        context);
}

// Face-connected region growing of voxels that are candidates and below the airway threshold,
// from the seeds; marks them kAirway. Returns the voxel count and fills the bounding box.
template<typename T>
std::size_t growAirway(const Volume &ct, double threshold, std::uint16_t *work, const std::vector<std::size_t> &seeds,
                       std::array<int, 6> &box)
{
    const T *data = ct.data<T>();
    const int nx = ct.dims()[0], ny = ct.dims()[1], nz = ct.dims()[2];
    const std::size_t sx = 1, sy = std::size_t(nx), sz = std::size_t(nx) * std::size_t(ny);
    auto accept = [&](std::size_t i) { return work[i] == kCandidate && double(data[i]) < threshold; };
    std::vector<std::size_t> queue;
    for (std::size_t s : seeds)
        if (accept(s)) {
            work[s] = kAirway;
            queue.push_back(s);
        }
    box = {INT_MAX, INT_MIN, INT_MAX, INT_MIN, INT_MAX, INT_MIN};
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const std::size_t i = queue[head];
        const int x = int(i % sy), y = int((i / sy) % std::size_t(ny)), z = int(i / sz);
        box = {std::min(box[0], x), std::max(box[1], x), std::min(box[2], y), std::max(box[3], y),
               std::min(box[4], z), std::max(box[5], z)};
        auto visit = [&](std::size_t j) {
            if (accept(j)) {
                work[j] = kAirway;
                queue.push_back(j);
            }
        };
        if (x > 0)
            visit(i - sx);
        if (x + 1 < nx)
            visit(i + sx);
        if (y > 0)
            visit(i - sy);
        if (y + 1 < ny)
            visit(i + sy);
        if (z > 0)
            visit(i - sz);
        if (z + 1 < nz)
            visit(i + sz);
    }
    return queue.size();
}

// One step of binary dilation (grow = true) or erosion with the 6-neighbour cross inside a box;
// outside the box counts as background (scipy's border_value = 0).
std::vector<std::uint8_t> morphStep(const std::vector<std::uint8_t> &src, int bx, int by, int bz, bool grow)
{
    std::vector<std::uint8_t> dst(src.size());
    const std::size_t sy = std::size_t(bx), sz = std::size_t(bx) * std::size_t(by);
    tbb::parallel_for(0, bz, [&](int z) {
        for (int y = 0; y < by; ++y)
            for (int x = 0; x < bx; ++x) {
                const std::size_t i = std::size_t(z) * sz + std::size_t(y) * sy + std::size_t(x);
                const std::uint8_t n[6] = {x > 0 ? src[i - 1] : std::uint8_t(0),
                                           x + 1 < bx ? src[i + 1] : std::uint8_t(0),
                                           y > 0 ? src[i - sy] : std::uint8_t(0),
                                           y + 1 < by ? src[i + sy] : std::uint8_t(0),
                                           z > 0 ? src[i - sz] : std::uint8_t(0),
                                           z + 1 < bz ? src[i + sz] : std::uint8_t(0)};
                std::uint8_t v = src[i];
                for (std::uint8_t m : n)
                    v = grow ? std::uint8_t(v | m) : std::uint8_t(v & m);
                dst[i] = v;
            }
    });
    return dst;
}

struct SliceComponent
{
    int x0 = INT_MAX;
    int x1 = INT_MIN; // exclusive
    double voxels = 0;
    double sumX = 0;
};

// Fills the holes of `label` in one slice: background (anything but `label`) regions of the
// label's bounding box that do not touch the box border. Only unlabelled voxels are painted.
// `within` (x0, x1, y0, y1, inclusive) bounds where the label may be. Returns the voxels painted.
std::size_t fillHolesInSlice(std::uint16_t *slice, int nx, const std::array<int, 4> &within, std::uint16_t label)
{
    int x0 = INT_MAX, x1 = INT_MIN, y0 = INT_MAX, y1 = INT_MIN;
    for (int y = within[2]; y <= within[3]; ++y) {
        const std::uint16_t *row = slice + std::size_t(y) * std::size_t(nx);
        const std::uint16_t *first = std::find(row + within[0], row + within[1] + 1, label);
        if (first == row + within[1] + 1)
            continue;
        int last = within[1];
        while (row[last] != label)
            --last;
        x0 = std::min(x0, int(first - row));
        x1 = std::max(x1, last + 1);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y + 1);
    }
    if (y0 == INT_MAX || x1 - x0 < 3 || y1 - y0 < 3)
        return 0;
    const RunRows background = detail::buildRunRowsSerial(y1 - y0, 1, [&](int y, int, std::vector<Run> &out) {
        const std::uint16_t *row = slice + std::size_t(y + y0) * std::size_t(nx);
        for (int x = x0; x < x1;) {
            if (row[x] == label) {
                ++x;
                continue;
            }
            const int begin = x;
            while (x < x1 && row[x] != label)
                ++x;
            out.push_back({begin, x});
        }
    });
    std::uint32_t count = 0;
    const std::vector<std::uint32_t> comp = detail::labelRuns(background, count);
    std::vector<std::uint8_t> touchesBorder(count, 0);
    for (int y = 0; y < background.ny; ++y)
        for (std::uint32_t r = background.begin(y, 0); r < background.end(y, 0); ++r)
            if (y == 0 || y == background.ny - 1 || background.runs[r].x0 == x0 || background.runs[r].x1 == x1)
                touchesBorder[comp[r]] = 1;
    std::size_t painted = 0;
    for (int y = 0; y < background.ny; ++y) {
        std::uint16_t *row = slice + std::size_t(y + y0) * std::size_t(nx);
        for (std::uint32_t r = background.begin(y, 0); r < background.end(y, 0); ++r) {
            if (touchesBorder[comp[r]])
                continue;
            for (int x = background.runs[r].x0; x < background.runs[r].x1; ++x)
                if (row[x] == 0) {
                    row[x] = label;
                    ++painted;
                }
        }
    }
    return painted;
}

// The steps report progress onto [begin, end] of the caller's bar: 0..1 when called on their
// own, their share of segmentLungs' bar from there.
struct StepProgress
{
    const TaskContext &context;
    double begin = 0.0;
    double end = 1.0;
    void operator()(double fraction, const std::string &message = {}) const
    {
        context.progress(begin + (end - begin) * fraction, message);
    }
};

// The mask's box clipped to its grid, as inclusive x0, x1, y0, y1, z0, z1.
std::array<int, 6> inclusiveBox(const LungMask &lungs)
{
    const Dims &d = lungs.mask.dims();
    std::array<int, 6> box{};
    for (std::size_t a = 0; a < 3; ++a) {
        // Clamped first: an empty box may hold INT_MIN, which minus one would overflow.
        box[2 * a] = std::clamp(lungs.box.begin[a], 0, d[a]);
        box[2 * a + 1] = std::clamp(lungs.box.end[a], 0, d[a]) - 1;
    }
    return box;
}

bool hasWork(const LungMask &lungs)
{
    const std::array<int, 6> box = inclusiveBox(lungs);
    return lungs.mask.voxelCount() != 0 && box[0] <= box[1] && box[2] <= box[3] && box[4] <= box[5];
}

// Runs of kCandidate voxels of one row inside the inclusive x range of `box`.
void candidateRuns(const std::uint16_t *row, const std::array<int, 6> &box, std::vector<Run> &out)
{
    for (int x = box[0]; x <= box[1];) {
        if (row[x] != kCandidate) {
            ++x;
            continue;
        }
        const int begin = x;
        while (x <= box[1] && row[x] == kCandidate)
            ++x;
        out.push_back({begin, x});
    }
}

LungMask findInternalAirStep(const Volume &ct, const LungSegmentationOptions &options, const TaskContext &context,
                             const StepProgress &progress)
{
    const ImageGeometry &geometry = ct.geometry();
    const int nx = geometry.dims[0], ny = geometry.dims[1], nz = geometry.dims[2];
    const std::size_t sliceSize = std::size_t(nx) * std::size_t(ny);

    // Air, and which of it is outside the body: 3D components touching the x/y faces. The z faces
    // do not count: the trachea leaves through the top slice.
    progress(0.0, "Finding air");
    const RunRows air = dispatchVoxelType(ct.type(), [&](auto tag) {
        return runsBelow<decltype(tag)>(ct, options.airThresholdHu, context);
    });
    context.throwIfCanceled();
    std::uint32_t airCount = 0;
    const std::vector<std::uint32_t> airComp = detail::labelRuns(air, airCount);
    std::vector<std::uint8_t> outside(airCount, 0);
    for (int z = 0; z < nz; ++z)
        for (int y = 0; y < ny; ++y)
            for (std::uint32_t r = air.begin(y, z); r < air.end(y, z); ++r)
                if (y == 0 || y == ny - 1 || air.runs[r].x0 == 0 || air.runs[r].x1 == nx)
                    outside[airComp[r]] = 1;
    progress(0.625, "Finding the body");

    // Body midline from the columns that hold anything but outside air, and the box of the
    // internal air.
    int bodyX0 = INT_MAX, bodyX1 = INT_MIN;
    std::array<int, 6> cand = {INT_MAX, INT_MIN, INT_MAX, INT_MIN, INT_MAX, INT_MIN}; // inclusive x, y, z
    std::size_t candVoxels = 0;
    for (int z = 0; z < nz; ++z)
        for (int y = 0; y < ny; ++y) {
            const std::uint32_t a = air.begin(y, z), e = air.end(y, z);
            int lo = 0, hi = nx - 1;
            if (a < e && air.runs[a].x0 == 0 && outside[airComp[a]])
                lo = air.runs[a].x1;
            if (a < e && air.runs[e - 1].x1 == nx && outside[airComp[e - 1]])
                hi = air.runs[e - 1].x0 - 1;
            if (lo <= hi) {
                bodyX0 = std::min(bodyX0, lo);
                bodyX1 = std::max(bodyX1, hi);
            }
            for (std::uint32_t r = a; r < e; ++r)
                if (!outside[airComp[r]]) {
                    cand = {std::min(cand[0], air.runs[r].x0), std::max(cand[1], air.runs[r].x1 - 1),
                            std::min(cand[2], y), std::max(cand[3], y), std::min(cand[4], z), std::max(cand[5], z)};
                    candVoxels += std::size_t(air.runs[r].x1 - air.runs[r].x0);
                }
        }
    LungMask lungs;
    if (candVoxels == 0 || bodyX0 > bodyX1)
        return lungs;
    lungs.midlineX = 0.5 * (bodyX0 + bodyX1);
    lungs.internalAirVoxels = candVoxels;
    lungs.box = {{cand[0], cand[2], cand[4]}, {cand[1] + 1, cand[3] + 1, cand[5] + 1}};
    lungs.mask = LabelVolume(geometry);
    std::uint16_t *work = lungs.mask.data();
    tbb::parallel_for(cand[4], cand[5] + 1, [&](int z) {
        for (int y = cand[2]; y <= cand[3]; ++y) {
            std::uint16_t *row = work + std::size_t(z) * sliceSize + std::size_t(y) * std::size_t(nx);
            for (std::uint32_t r = air.begin(y, z); r < air.end(y, z); ++r)
                if (!outside[airComp[r]])
                    std::fill(row + air.runs[r].x0, row + air.runs[r].x1, kCandidate);
        }
    });
    context.throwIfCanceled();
    return lungs;
}

AirwayRemoval removeAirwayStep(const Volume &ct, LungMask &lungs, const LungSegmentationOptions &options,
                               const TaskContext &context, const StepProgress &progress)
{
    progress(0.0, "Removing the airway");
    AirwayRemoval out;
    if (!hasWork(lungs))
        return out;
    const ImageGeometry &geometry = ct.geometry();
    if (lungs.mask.dims() != geometry.dims)
        throw std::invalid_argument("removeAirway: the lung mask is not on the CT's grid");
    const int nx = geometry.dims[0], ny = geometry.dims[1], nz = geometry.dims[2];
    const std::size_t sliceSize = std::size_t(nx) * std::size_t(ny);
    const std::array<int, 6> cand = inclusiveBox(lungs);
    const double xMid = lungs.midlineX;
    const std::size_t candVoxels = lungs.internalAirVoxels;
    std::uint16_t *work = lungs.mask.data();

    // In the most superior slice with internal air, the 2D component nearest the midline is the
    // trachea; its lumen is grown in 3D below the airway threshold.
    const bool headAtHighK = geometry.direction(2, 2) >= 0.0;
    const int zTop = headAtHighK ? cand[5] : cand[4];
    const RunRows top = detail::buildRunRowsSerial(ny, 1, [&](int y, int, std::vector<Run> &runs) {
        if (y >= cand[2] && y <= cand[3])
            candidateRuns(work + std::size_t(zTop) * sliceSize + std::size_t(y) * std::size_t(nx), cand, runs);
    });
    std::uint32_t count = 0;
    const std::vector<std::uint32_t> comp = detail::labelRuns(top, count);
    std::vector<SliceComponent> parts(count);
    for (std::size_t r = 0; r < top.runs.size(); ++r) {
        const Run &run = top.runs[r];
        const double len = run.x1 - run.x0;
        parts[comp[r]].voxels += len;
        parts[comp[r]].sumX += len * (run.x0 + run.x1 - 1) * 0.5;
    }
    if (nz == 1) {
        // One slice: no 3D growth. The trachea or the main bronchi are small air regions near
        // the midline; lung is larger or off-centre. Below the carina there may be none.
        const double sx = geometry.spacing.x(), pixelMm2 = geometry.spacing.x() * geometry.spacing.y();
        std::vector<std::uint8_t> airway(count, 0);
        for (std::uint32_t c = 0; c < count; ++c) {
            const double distanceMm = std::abs(parts[c].sumX / parts[c].voxels - xMid) * sx;
            if (parts[c].voxels * pixelMm2 <= options.tracheaMaxAreaMm2 && distanceMm <= 30.0) {
                airway[c] = 1;
                out.voxels += std::size_t(parts[c].voxels);
            }
        }
        for (int y = 0; y < ny; ++y)
            for (std::uint32_t r = top.begin(y, 0); r < top.end(y, 0); ++r)
                if (airway[comp[r]]) {
                    std::uint16_t *row = work + std::size_t(y) * std::size_t(nx);
                    std::fill(row + top.runs[r].x0, row + top.runs[r].x1, std::uint16_t(0));
                }
        return out;
    }

    std::uint32_t trachea = 0;
    double best = std::numeric_limits<double>::max();
    for (std::uint32_t c = 0; c < count; ++c) {
        const double distance = std::abs(parts[c].sumX / parts[c].voxels - xMid);
        if (distance < best) {
            best = distance;
            trachea = c;
        }
    }
    std::vector<std::size_t> seeds;
    for (int y = 0; y < ny; ++y)
        for (std::uint32_t r = top.begin(y, 0); r < top.end(y, 0); ++r)
            if (comp[r] == trachea)
                for (int x = top.runs[r].x0; x < top.runs[r].x1; ++x)
                    seeds.push_back(std::size_t(zTop) * sliceSize + std::size_t(y) * std::size_t(nx) + std::size_t(x));
    std::array<int, 6> box{};
    auto grow = [&](double threshold, std::array<int, 6> &grownBox) {
        return dispatchVoxelType(ct.type(), [&](auto tag) {
            return growAirway<decltype(tag)>(ct, threshold, work, seeds, grownBox);
        });
    };
    auto undo = [&](const std::array<int, 6> &grownBox) {
        for (int z = std::max(grownBox[4], 0); z <= grownBox[5]; ++z) {
            std::uint16_t *slice = work + std::size_t(z) * sliceSize;
            std::replace(slice, slice + sliceSize, kAirway, kCandidate);
        }
    };
    double threshold = options.airwayThresholdHu;
    out.voxels = grow(threshold, box);
    // A lumen blurred by a smooth kernel or noise hardly grows at the first threshold: raise it
    // step by step while the airway stays smaller than an airway tree can be (a larger region has
    // flooded the lung).
    const double voxelMl = geometry.voxelVolumeMl();
    while (double(out.voxels) * voxelMl < options.airwayMinMl
           && threshold + options.airwayThresholdStepHu <= options.airwayMaxThresholdHu) {
        context.throwIfCanceled();
        undo(box);
        std::array<int, 6> nextBox{};
        const std::size_t next = grow(threshold + options.airwayThresholdStepHu, nextBox);
        if (double(next) * voxelMl > options.airwayMaxMl || next > candVoxels / 4) {
            undo(nextBox);
            out.voxels = grow(threshold, box);
            break;
        }
        threshold += options.airwayThresholdStepHu;
        out.voxels = next;
        box = nextBox;
    }
    out.thresholdHu = threshold;
    context.throwIfCanceled();

    if (out.voxels == 0) {
        out.warnings.push_back("no airway lumen found in the top slice: the trachea and bronchi may be "
                               "included in the lungs");
    } else if (out.voxels > candVoxels / 4) {
        // The lumen leaked into the parenchyma (emphysema, very low dose noise): removing it would
        // remove lung.
        out.warnings.push_back("the airway region grew into the lungs; it was kept in the lung masks");
        tbb::parallel_for(box[4], box[5] + 1, [&](int z) {
            std::uint16_t *slice = work + std::size_t(z) * sliceSize;
            std::replace(slice, slice + sliceSize, kAirway, kCandidate);
        });
    } else {
        // Closed then dilated in a padded box, as the reference does, then removed.
        const int pad = 2 + std::max(options.airwayDilationVoxels, 0);
        const int x0 = std::max(box[0] - pad, 0), x1 = std::min(box[1] + pad + 1, nx);
        const int y0 = std::max(box[2] - pad, 0), y1 = std::min(box[3] + pad + 1, ny);
        const int z0 = std::max(box[4] - pad, 0), z1 = std::min(box[5] + pad + 1, nz);
        const int bx = x1 - x0, by = y1 - y0, bz = z1 - z0;
        auto at = [&](int x, int y, int z) {
            return std::size_t(z + z0) * sliceSize + std::size_t(y + y0) * std::size_t(nx) + std::size_t(x + x0);
        };
        std::vector<std::uint8_t> mask(std::size_t(bx) * std::size_t(by) * std::size_t(bz));
        for (int z = 0; z < bz; ++z)
            for (int y = 0; y < by; ++y)
                for (int x = 0; x < bx; ++x)
                    mask[(std::size_t(z) * by + y) * bx + x] = work[at(x, y, z)] == kAirway;
        mask = morphStep(morphStep(mask, bx, by, bz, true), bx, by, bz, false);
        for (int i = 0; i < options.airwayDilationVoxels; ++i)
            mask = morphStep(mask, bx, by, bz, true);
        tbb::parallel_for(0, bz, [&](int z) {
            for (int y = 0; y < by; ++y)
                for (int x = 0; x < bx; ++x) {
                    std::uint16_t &v = work[at(x, y, z)];
                    if (mask[(std::size_t(z) * by + y) * bx + x])
                        v = 0;
                    else if (v == kAirway)
                        v = kCandidate;
                }
        });
    }
    return out;
}

LungComponents keepLungComponentsStep(LungMask &lungs, const LungSegmentationOptions &options, const TaskContext &context,
                                      const StepProgress &progress)
{
    progress(0.0, "Separating the lungs");
    LungComponents out;
    if (!hasWork(lungs))
        return out;
    const ImageGeometry &geometry = lungs.mask.geometry();
    const int nx = geometry.dims[0], ny = geometry.dims[1], nz = geometry.dims[2];
    const std::size_t sliceSize = std::size_t(nx) * std::size_t(ny);
    const std::array<int, 6> cand = inclusiveBox(lungs);
    std::uint16_t *work = lungs.mask.data();

    const RunRows runs = detail::buildRunRows(
        ny, nz,
        [&](int y, int z, std::vector<Run> &rowRuns) {
            if (z < cand[4] || z > cand[5] || y < cand[2] || y > cand[3])
                return;
            candidateRuns(work + std::size_t(z) * sliceSize + std::size_t(y) * std::size_t(nx), cand, rowRuns);
        },
        context);
    std::uint32_t count = 0;
    const std::vector<std::uint32_t> comp = detail::labelRuns(runs, count);
    out.found = count;
    if (count == 0)
        return out;
    std::vector<std::uint64_t> sizes(count, 0);
    for (std::size_t r = 0; r < runs.runs.size(); ++r)
        sizes[comp[r]] += std::uint64_t(runs.runs[r].x1 - runs.runs[r].x0);
    std::uint32_t first = 0, second = UINT32_MAX;
    for (std::uint32_t c = 1; c < count; ++c) {
        if (sizes[c] > sizes[first]) {
            second = first;
            first = c;
        } else if (second == UINT32_MAX || sizes[c] > sizes[second]) {
            second = c;
        }
    }
    std::vector<std::uint8_t> keep(count, 0);
    keep[first] = 1;
    out.secondLung = second != UINT32_MAX && double(sizes[second]) >= options.secondLungMinFraction * double(sizes[first]);
    if (out.secondLung)
        keep[second] = 1;
    if (nz == 1) {
        // In one slice disease (consolidation, dense ground glass) cuts a lung into pieces that a
        // series would connect through its neighbours: keep every sizeable piece.
        for (std::uint32_t c = 0; c < count; ++c)
            if (double(sizes[c]) >= options.singleSliceMinPieceFraction * double(sizes[first]))
                keep[c] = 1;
    }
    out.kept = std::uint32_t(std::count(keep.begin(), keep.end(), std::uint8_t(1)));
    tbb::parallel_for(cand[4], cand[5] + 1, [&](int z) {
        for (int y = cand[2]; y <= cand[3]; ++y) {
            std::uint16_t *row = work + std::size_t(z) * sliceSize + std::size_t(y) * std::size_t(nx);
            for (std::uint32_t r = runs.begin(y, z); r < runs.end(y, z); ++r)
                if (!keep[comp[r]])
                    std::fill(row + runs.runs[r].x0, row + runs.runs[r].x1, std::uint16_t(0));
        }
    });
    return out;
}

LungSides splitAndFillLungsStep(LungMask &lungs, const LungSegmentationOptions &options, const TaskContext &context,
                                const StepProgress &progress)
{
    LungSides out;
    if (!hasWork(lungs))
        return out;
    const ImageGeometry &geometry = lungs.mask.geometry();
    const int nx = geometry.dims[0], ny = geometry.dims[1];
    const std::size_t sliceSize = std::size_t(nx) * std::size_t(ny);
    const std::array<int, 6> cand = inclusiveBox(lungs);
    const double xMid = lungs.midlineX;
    std::uint16_t *work = lungs.mask.data();

    // Patient right is towards -x in LPS.
    const bool indexTowardsLeft = geometry.direction(0, 0) >= 0.0;
    const std::uint16_t lowSide = indexTowardsLeft ? kRightLungLabel : kLeftLungLabel;
    const std::uint16_t highSide = indexTowardsLeft ? kLeftLungLabel : kRightLungLabel;
    const double sx = geometry.spacing.x();
    const int search = std::max(1, int(std::lround(options.midlineSearchMm / sx)));
    const int margin = std::max(1, int(std::lround(options.midlineMarginMm / sx)));
    const int lo = int(std::max(xMid - search, 0.0)), hi = int(std::min(xMid + search, double(nx - 1)));
    std::atomic<int> splitSlices{0};
    std::atomic<int> done{0};
    std::atomic<std::size_t> rightVoxels{0}, leftVoxels{0};
    tbb::parallel_for(cand[4], cand[5] + 1, [&](int z) {
        if (context.isCanceled())
            return;
        std::uint16_t *slice = work + std::size_t(z) * sliceSize;
        const RunRows kept = detail::buildRunRowsSerial(ny, 1, [&](int y, int, std::vector<Run> &runs) {
            if (y >= cand[2] && y <= cand[3])
                candidateRuns(slice + std::size_t(y) * std::size_t(nx), cand, runs);
        });
        if (!kept.runs.empty()) {
            std::uint32_t count = 0;
            const std::vector<std::uint32_t> comp = detail::labelRuns(kept, count);
            std::vector<SliceComponent> parts(count);
            for (std::size_t r = 0; r < kept.runs.size(); ++r) {
                const Run &run = kept.runs[r];
                SliceComponent &p = parts[comp[r]];
                const double len = run.x1 - run.x0;
                p.x0 = std::min(p.x0, run.x0);
                p.x1 = std::max(p.x1, run.x1);
                p.voxels += len;
                p.sumX += len * (run.x0 + run.x1 - 1) * 0.5;
            }
            // Per component: the last column of the low side (everything at x <= cut is low).
            std::vector<int> cut(count);
            bool splitHere = false;
            std::vector<int> columns;
            for (std::uint32_t c = 0; c < count; ++c) {
                const SliceComponent &p = parts[c];
                if (p.x0 < xMid - margin && p.x1 > xMid + margin) {
                    columns.assign(std::size_t(p.x1 - p.x0), 0);
                    for (std::size_t r = 0; r < kept.runs.size(); ++r)
                        if (comp[r] == c)
                            for (int x = kept.runs[r].x0; x < kept.runs[r].x1; ++x)
                                ++columns[std::size_t(x - p.x0)];
                    const int a = std::max(lo - p.x0, 0), b = std::min(hi - p.x0, p.x1 - p.x0 - 1);
                    int at = a;
                    for (int i = a + 1; i <= b; ++i)
                        if (columns[std::size_t(i)] < columns[std::size_t(at)])
                            at = i;
                    cut[c] = a <= b ? p.x0 + at : int(std::floor(xMid));
                    splitHere = true;
                } else {
                    cut[c] = p.sumX / p.voxels < xMid ? INT_MAX : INT_MIN;
                }
            }
            if (splitHere)
                ++splitSlices;
            // Counted as painted: the runs cover every candidate, hole filling paints only zeros.
            std::array<std::size_t, 3> voxels{0, 0, 0};
            for (int y = 0; y < ny; ++y) {
                std::uint16_t *row = slice + std::size_t(y) * std::size_t(nx);
                for (std::uint32_t r = kept.begin(y, 0); r < kept.end(y, 0); ++r) {
                    const Run &run = kept.runs[r];
                    const int c = cut[comp[r]];
                    const int split = std::clamp(c == INT_MAX ? run.x1 : c == INT_MIN ? run.x0 : c + 1, run.x0, run.x1);
                    std::fill(row + run.x0, row + split, lowSide);
                    std::fill(row + split, row + run.x1, highSide);
                    voxels[lowSide] += std::size_t(split - run.x0);
                    voxels[highSide] += std::size_t(run.x1 - split);
                }
            }
            if (options.fillHoles) {
                // Hole filling stays inside each lung's slice box, so the internal-air box holds all.
                const std::array<int, 4> within = {cand[0], cand[1], cand[2], cand[3]};
                voxels[kRightLungLabel] += fillHolesInSlice(slice, nx, within, kRightLungLabel);
                voxels[kLeftLungLabel] += fillHolesInSlice(slice, nx, within, kLeftLungLabel);
            }
            rightVoxels += voxels[kRightLungLabel];
            leftVoxels += voxels[kLeftLungLabel];
        }
        const int d = ++done;
        if (d % 16 == 0)
            progress(double(d) / double(cand[5] - cand[4] + 1));
    });
    context.throwIfCanceled();
    out.splitSlices = splitSlices.load();
    out.rightVoxels = rightVoxels.load();
    out.leftVoxels = leftVoxels.load();
    return out;
}

} // namespace

LungMask findInternalAir(const Volume &ct, const LungSegmentationOptions &options, const TaskContext &context)
{
    if (ct.isNull() || ct.channels() != 1)
        throw std::invalid_argument("findInternalAir: needs a single-channel CT");
    return findInternalAirStep(ct, options, context, {context});
}

AirwayRemoval removeAirway(const Volume &ct, LungMask &lungs, const LungSegmentationOptions &options, const TaskContext &context)
{
    return removeAirwayStep(ct, lungs, options, context, {context});
}

LungComponents keepLungComponents(LungMask &lungs, const LungSegmentationOptions &options, const TaskContext &context)
{
    return keepLungComponentsStep(lungs, options, context, {context});
}

LungSides splitAndFillLungs(LungMask &lungs, const LungSegmentationOptions &options, const TaskContext &context)
{
    return splitAndFillLungsStep(lungs, options, context, {context});
}

LungSegmentationResult segmentLungs(const Volume &ct, const LungSegmentationOptions &options, const TaskContext &context)
{
    validate(ct, options);
    const std::string noLungs = "no air-filled lung region found: is this a chest CT?";
    LungSegmentationResult result;

    // 1. Air inside the body, the body's midline; the mask becomes the labels.
    LungMask lungs = findInternalAirStep(ct, options, context, {context, 0.0, 0.4});
    if (lungs.internalAirVoxels == 0)
        refuse(ct, noLungs);

    // 2. The airway, grown from the trachea in the most superior slice.
    AirwayRemoval airway = removeAirwayStep(ct, lungs, options, context, {context, 0.4, 0.55});
    result.airwayVoxels = airway.voxels;
    result.airwayThresholdHu = airway.thresholdHu;
    result.warnings = std::move(airway.warnings);
    context.throwIfCanceled();

    // 3. The two largest 3D components of what is left.
    const LungComponents components = keepLungComponentsStep(lungs, options, context, {context, 0.55, 0.6});
    if (components.found == 0)
        refuse(ct, noLungs);
    if (!components.secondLung)
        result.warnings.push_back("the two lungs form one connected air region: they were separated slice by slice near the midline");

    // 4. Left/right per slice, then holes per lung.
    const LungSides sides = splitAndFillLungsStep(lungs, options, context, {context, 0.6, 0.95});
    result.splitSlices = sides.splitSlices;
    const double voxelMl = ct.geometry().voxelVolumeMl();
    result.rightVolumeMl = double(sides.rightVoxels) * voxelMl;
    result.leftVolumeMl = double(sides.leftVoxels) * voxelMl;
    if (sides.rightVoxels + sides.leftVoxels == 0)
        refuse(ct, noLungs);

    const int nz = ct.dims()[2];
    for (const auto &[volume, name] : {std::pair{result.rightVolumeMl, "right"}, std::pair{result.leftVolumeMl, "left"}}) {
        if (volume == 0.0)
            result.warnings.push_back(std::string("no ") + name + " lung found");
        else if (nz > 1 && (volume < 300.0 || volume > 5000.0))
            result.warnings.push_back(std::string("the ") + name + " lung measures " + std::to_string(int(std::lround(volume)))
                                      + " mL, outside the usual 300-5000 mL: check the segmentation");
    }
    if (result.splitSlices > 0)
        result.warnings.push_back("the lungs touch on " + std::to_string(result.splitSlices)
                                  + " slices; they were cut at the thinnest column near the midline");

    result.labels = std::move(lungs.mask);
    result.labels.table().set({kRightLungLabel, "Right lung", LabelTable::defaultColour(kRightLungLabel), true});
    result.labels.table().set({kLeftLungLabel, "Left lung", LabelTable::defaultColour(kLeftLungLabel), true});
    context.progress(1.0, "Lungs segmented");
    return result;
}

} // namespace carina::algo
