// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/dicom/DicomVolumePlan.h"

#include <carina/io/IoError.h>

#include <Eigen/Geometry>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

namespace carina::io::detail {

namespace {

std::string fileName(const std::string &path)
{
    return std::filesystem::path(path).filename().string();
}

/// "102.5", "5.0", "0.63": millimetres as a reader wants them.
std::string mm(double v)
{
    char buffer[32];
    const bool tenths = std::abs(v * 10 - std::round(v * 10)) < 1e-6;
    std::snprintf(buffer, sizeof buffer, tenths ? "%.1f" : "%.2f", v);
    return buffer;
}

const char *planeName(const Eigen::Vector3d &normal)
{
    Eigen::Index axis = 0;
    const double largest = normal.cwiseAbs().maxCoeff(&axis);
    if (largest < 0.9)
        return "oblique";
    return axis == 2 ? "axial" : axis == 1 ? "coronal" : "sagittal";
}

struct Frame
{
    std::size_t file;
    int frame;
    Eigen::Vector3d position;
    bool hasPosition;
    long long instance;
    double along = 0.0; ///< position projected on the slice normal
};

bool isIntegral(double v)
{
    return std::abs(v) < 1e9 && std::abs(v - std::round(v)) < 1e-9;
}

const char *outputTypeName(VoxelType type)
{
    switch (type) {
    case VoxelType::UInt8: return "u8";
    case VoxelType::UInt16: return "u16";
    case VoxelType::Float32: return "f32";
    case VoxelType::Int16: return "i16";
    }
    return "i16";
}

} // namespace

DicomVolumePlan planDicomVolume(const std::vector<std::string> &files, const std::vector<DicomFileHeader> &headers)
{
    if (files.empty() || files.size() != headers.size())
        throw IoError("no DICOM files to load");
    const std::string source = files.size() == 1 ? files[0] : std::filesystem::path(files[0]).parent_path().string();
    const DicomFileHeader &first = headers[0];
    DicomVolumePlan plan;

    // Everything must be one grid of one pixel kind.
    for (std::size_t i = 1; i < headers.size(); ++i) {
        const DicomFileHeader &h = headers[i];
        if (h.rows != first.rows || h.columns != first.columns)
            throw IoError(source + ": the series mixes image sizes: " + std::to_string(first.columns) + " x "
                          + std::to_string(first.rows) + " (" + fileName(files[0]) + ") and " + std::to_string(h.columns) + " x "
                          + std::to_string(h.rows) + " (" + fileName(files[i]) + ")");
        const bool colour = h.samplesPerPixel > 1 || h.photometric == "PALETTE COLOR";
        const bool firstColour = first.samplesPerPixel > 1 || first.photometric == "PALETTE COLOR";
        if (colour != firstColour)
            throw IoError(source + ": the series mixes colour (" + fileName(files[colour ? i : 0]) + ") and greyscale ("
                          + fileName(files[colour ? 0 : i]) + ") images");
    }

    std::size_t orientedFile = headers.size();
    for (std::size_t i = 0; i < headers.size() && orientedFile == headers.size(); ++i)
        if (headers[i].hasOrientation)
            orientedFile = i;
    Eigen::Vector3d row(1, 0, 0), column(0, 1, 0);
    if (orientedFile < headers.size()) {
        const double *o = headers[orientedFile].orientation;
        row = Eigen::Vector3d(o[0], o[1], o[2]);
        column = Eigen::Vector3d(o[3], o[4], o[5]);
        if (row.norm() < 1e-6 || column.norm() < 1e-6 || row.normalized().cross(column.normalized()).norm() < 1e-3) {
            plan.warnings.push_back(fileName(files[orientedFile]) + ": invalid ImageOrientationPatient: axial orientation assumed");
            row = Eigen::Vector3d(1, 0, 0);
            column = Eigen::Vector3d(0, 1, 0);
        }
        row.normalize();
        column = (column - column.dot(row) * row).normalized();
        for (std::size_t i = 0; i < headers.size(); ++i) {
            if (!headers[i].hasOrientation)
                continue;
            const double *p = headers[i].orientation;
            const Eigen::Vector3d r = Eigen::Vector3d(p[0], p[1], p[2]).normalized();
            const Eigen::Vector3d c = Eigen::Vector3d(p[3], p[4], p[5]).normalized();
            if ((r - row).norm() > 1e-3 || (c - column).norm() > 1e-3)
                throw IoError(source + ": the series mixes slice orientations (" + planeName(row.cross(column)) + " in "
                              + fileName(files[orientedFile]) + ", " + planeName(r.cross(c)) + " in " + fileName(files[i])
                              + "): it holds more than one volume, e.g. localizers");
        }
    }
    const Eigen::Vector3d normal = row.cross(column).normalized();

    std::vector<Frame> frames;
    std::size_t withPosition = 0;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        const DicomFileHeader &h = headers[i];
        const bool positioned = h.framePositions.size() == std::size_t(h.frames) * 3;
        for (int f = 0; f < h.frames; ++f) {
            Frame frame{i, f, Eigen::Vector3d::Zero(), positioned, h.instanceNumber};
            if (positioned) {
                frame.position = Eigen::Vector3d(h.framePositions[std::size_t(f) * 3], h.framePositions[std::size_t(f) * 3 + 1],
                                                 h.framePositions[std::size_t(f) * 3 + 2]);
                frame.along = frame.position.dot(normal);
                ++withPosition;
            }
            frames.push_back(frame);
        }
    }

    double thickness = 0.0;
    for (const DicomFileHeader &h : headers)
        thickness = std::max(thickness, h.sliceThickness);
    double dz = 0.0;

    if (withPosition == frames.size()) {
        std::stable_sort(frames.begin(), frames.end(), [](const Frame &a, const Frame &b) {
            if (a.along != b.along)
                return a.along < b.along;
            return a.instance < b.instance;
        });
        // Several images at one position: echoes, phases or repeated acquisitions in one series.
        std::vector<Frame> unique;
        for (const Frame &f : frames)
            if (unique.empty() || std::abs(f.along - unique.back().along) > 1e-3)
                unique.push_back(f);
        if (unique.size() != frames.size()) {
            plan.warnings.push_back(std::to_string(frames.size() - unique.size()) + " of " + std::to_string(frames.size())
                                    + " images repeat a slice position (several echoes, time points or acquisitions in one series?): "
                                      "kept the first image at each position");
            frames = std::move(unique);
        }
        if (frames.size() > 1) {
            std::vector<double> steps;
            for (std::size_t i = 1; i < frames.size(); ++i)
                steps.push_back(frames[i].along - frames[i - 1].along);
            std::vector<double> sorted = steps;
            std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(sorted.size() / 2), sorted.end());
            dz = sorted[sorted.size() / 2];
            int irregular = 0;
            for (std::size_t i = 0; i < steps.size(); ++i) {
                if (std::abs(steps[i] - dz) <= std::max(0.05 * dz, 0.01))
                    continue;
                if (++irregular > 5)
                    continue;
                const double ratio = steps[i] / dz;
                const long long whole = std::llround(ratio);
                const std::string where = " between z=" + mm(frames[i].along) + " and z=" + mm(frames[i + 1].along) + " mm (expected "
                    + mm(dz) + " mm)";
                if (whole >= 2 && std::abs(ratio - double(whole)) < 0.1)
                    plan.warnings.push_back("slice gap of " + mm(steps[i]) + " mm" + where + ": " + std::to_string(whole - 1)
                                            + (whole == 2 ? " slice" : " slices") + " missing?");
                else
                    plan.warnings.push_back("non-uniform slice spacing: " + mm(steps[i]) + " mm" + where);
            }
            if (irregular > 5)
                plan.warnings.push_back("... and " + std::to_string(irregular - 5) + " more irregular slice steps");
            if (irregular > 0)
                plan.warnings.push_back("the volume uses a uniform " + mm(dz) + " mm slice spacing, so slices after a gap sit off "
                                        "their true position");
            const Eigen::Vector3d drift = frames.back().position - frames.front().position;
            const Eigen::Vector3d sideways = drift - drift.dot(normal) * normal;
            if (sideways.norm() > 0.5)
                plan.warnings.push_back("slice positions shift " + mm(sideways.norm())
                                        + " mm sideways across the series (gantry tilt?): the volume does not correct it");
        }
    } else {
        // Without positions the only order is the instance number.
        std::stable_sort(frames.begin(), frames.end(), [&](const Frame &a, const Frame &b) {
            if (a.instance != b.instance)
                return a.instance < b.instance;
            if (a.file != b.file)
                return files[a.file] < files[b.file];
            return a.frame < b.frame;
        });
        const Eigen::Vector3d start = withPosition > 0
            ? std::find_if(frames.begin(), frames.end(), [](const Frame &f) { return f.hasPosition; })->position
            : Eigen::Vector3d::Zero();
        dz = thickness > 0 ? thickness : 1.0;
        for (std::size_t i = 0; i < frames.size(); ++i)
            frames[i].position = start + double(i) * dz * normal;
        if (frames.size() > 1)
            plan.warnings.push_back(std::to_string(frames.size() - withPosition) + " of " + std::to_string(frames.size())
                                    + " images have no ImagePositionPatient: slices ordered by InstanceNumber, " + mm(dz)
                                    + " mm apart assumed");
    }
    if (frames.size() == 1 || dz <= 1e-6)
        dz = thickness > 0 ? thickness : 1.0;

    bool spacingKnown = false;
    for (const DicomFileHeader &h : headers)
        spacingKnown |= h.hasPixelSpacing;
    if (!spacingKnown)
        plan.warnings.push_back("no PixelSpacing in the files: 1 mm pixels assumed");
    const DicomFileHeader &spaced = *std::find_if(headers.begin(), headers.end(), [&](const DicomFileHeader &h) {
        return h.hasPixelSpacing || !spacingKnown;
    });

    plan.geometry.dims = {first.columns, first.rows, int(frames.size())};
    // PixelSpacing is [between rows, between columns]: the column spacing runs along x.
    plan.geometry.spacing = Eigen::Vector3d(spaced.columnSpacing, spaced.rowSpacing, dz);
    plan.geometry.origin = frames.front().position;
    plan.geometry.direction.col(0) = row;
    plan.geometry.direction.col(1) = column;
    plan.geometry.direction.col(2) = normal;
    plan.slices.reserve(frames.size());
    for (const Frame &f : frames)
        plan.slices.push_back({f.file, f.frame});

    if (first.samplesPerPixel > 1 || first.photometric == "PALETTE COLOR") {
        if (first.samplesPerPixel != 1 && first.samplesPerPixel != 3)
            throw IoError(source + ": " + std::to_string(first.samplesPerPixel) + " samples per pixel are not supported");
        plan.channels = 3;
        plan.type = first.bitsAllocated > 8 && first.photometric != "PALETTE COLOR" ? VoxelType::UInt16 : VoxelType::UInt8;
        return plan;
    }
    // int16 when every rescaled value is an exact int16, float otherwise.
    bool integral = true;
    bool provenInt16 = true;
    for (const DicomFileHeader &h : headers) {
        if (h.floatPixels || !isIntegral(h.slope) || !isIntegral(h.intercept) || h.bitsAllocated > 32) {
            integral = false;
            break;
        }
        const int bits = std::clamp(h.bitsStored, 1, 32);
        const double low = h.pixelRepresentation == 1 ? -std::ldexp(1.0, bits - 1) : 0.0;
        const double high = h.pixelRepresentation == 1 ? std::ldexp(1.0, bits - 1) - 1 : std::ldexp(1.0, bits) - 1;
        const double a = low * h.slope + h.intercept, b = high * h.slope + h.intercept;
        if (std::min(a, b) < -32768.0 || std::max(a, b) > 32767.0 || h.bitsStored > h.bitsAllocated)
            provenInt16 = false;
    }
    plan.type = integral ? VoxelType::Int16 : VoxelType::Float32;
    plan.int16Unproven = integral && !provenInt16;
    return plan;
}

std::vector<DicomDecodeTask> planDecodeTasks(const DicomVolumePlan &plan, VoxelType type, const std::vector<std::string> &files,
                                             const std::vector<DicomFileHeader> &headers, std::size_t volumeBytes)
{
    const std::size_t sliceBytes = std::size_t(plan.geometry.dims[0]) * std::size_t(plan.geometry.dims[1])
        * std::size_t(plan.channels) * voxelTypeSize(type);
    // One task per file; big uncompressed multi-frame files are split so all workers share them
    // (a compressed file is decoded whole by GDCM, so it stays one task).
    std::map<std::size_t, std::vector<std::pair<int, int>>> byFile; // file -> (frame, slice)
    for (std::size_t k = 0; k < plan.slices.size(); ++k)
        byFile[plan.slices[k].file].push_back({plan.slices[k].frame, int(k)});
    std::vector<DicomDecodeTask> tasks;
    constexpr std::size_t chunk = 16;
    for (auto &[file, pairs] : byFile) {
        const bool splittable = headers[file].pixelOffset >= 0;
        for (std::size_t begin = 0; begin < pairs.size(); begin += splittable ? chunk : pairs.size()) {
            DicomDecodeTask t;
            t.file = files[file];
            t.header = headers[file];
            t.header.framePositions.clear(); // the worker does not need them; keeps the line short
            const std::size_t end = splittable ? std::min(pairs.size(), begin + chunk) : pairs.size();
            for (std::size_t i = begin; i < end; ++i) {
                t.frames.push_back(pairs[i].first);
                t.slices.push_back(pairs[i].second);
            }
            t.outputType = outputTypeName(type);
            t.channels = plan.channels;
            t.sliceBytes = (long long)sliceBytes;
            t.volumeBytes = (long long)volumeBytes;
            tasks.push_back(std::move(t));
        }
    }
    return tasks;
}

} // namespace carina::io::detail
