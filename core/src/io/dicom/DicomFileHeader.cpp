// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/dicom/DicomFileHeader.h"

#include "io/dicom/DicomPixels.h"
#include "io/dicom/DicomRecord.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace carina::io::detail {

namespace {

void writeHeader(RecordWriter &w, const DicomFileHeader &h)
{
    w.add("uid", h.seriesUid);
    w.add("mod", h.modality);
    w.add("desc", h.description);
    w.add("ts", h.transferSyntax);
    w.add("pi", h.photometric);
    w.add("rows", h.rows);
    w.add("cols", h.columns);
    w.add("frames", h.frames);
    w.add("spp", h.samplesPerPixel);
    w.add("ba", h.bitsAllocated);
    w.add("bs", h.bitsStored);
    w.add("pr", h.pixelRepresentation);
    w.add("float", h.floatPixels ? 1 : 0);
    if (h.hasOrientation)
        w.add("iop", std::vector<double>(h.orientation, h.orientation + 6));
    if (!h.framePositions.empty())
        w.add("ipp", h.framePositions);
    if (h.hasPixelSpacing)
        w.add("ps", std::vector<double>{h.rowSpacing, h.columnSpacing});
    w.add("thick", h.sliceThickness);
    w.add("slope", h.slope);
    w.add("icpt", h.intercept);
    w.add("inst", h.instanceNumber);
    w.add("poff", h.pixelOffset);
}

DicomFileHeader readHeader(const RecordReader &r)
{
    DicomFileHeader h;
    h.seriesUid = r.text("uid");
    h.modality = r.text("mod");
    h.description = r.text("desc");
    h.transferSyntax = r.text("ts");
    h.photometric = r.text("pi");
    h.rows = int(r.integer("rows"));
    h.columns = int(r.integer("cols"));
    h.frames = int(r.integer("frames", 1));
    h.samplesPerPixel = int(r.integer("spp", 1));
    h.bitsAllocated = int(r.integer("ba", 16));
    h.bitsStored = int(r.integer("bs", 16));
    h.pixelRepresentation = int(r.integer("pr"));
    h.floatPixels = r.integer("float") != 0;
    const std::vector<double> iop = r.numbers("iop");
    if (iop.size() == 6) {
        h.hasOrientation = true;
        for (int i = 0; i < 6; ++i)
            h.orientation[i] = iop[std::size_t(i)];
    }
    h.framePositions = r.numbers("ipp");
    const std::vector<double> ps = r.numbers("ps");
    if (ps.size() == 2) {
        h.hasPixelSpacing = true;
        h.rowSpacing = ps[0];
        h.columnSpacing = ps[1];
    }
    h.sliceThickness = r.number("thick");
    h.slope = r.number("slope", 1.0);
    h.intercept = r.number("icpt");
    h.instanceNumber = r.integer("inst");
    h.pixelOffset = r.integer("poff", -1);
    return h;
}

std::vector<double> toDoubles(const std::vector<int> &values)
{
    return {values.begin(), values.end()};
}

std::vector<int> toInts(const std::vector<double> &values)
{
    std::vector<int> out;
    out.reserve(values.size());
    for (double v : values)
        out.push_back(int(v));
    return out;
}

} // namespace

std::string DicomFileHeader::toRecord() const
{
    RecordWriter w;
    writeHeader(w, *this);
    return w.line();
}

DicomFileHeader DicomFileHeader::fromRecord(const std::string &line)
{
    return readHeader(RecordReader(line));
}

DicomFileHeader DicomFileHeader::fromWorkerRecord(const std::string &line, long long fileBytes, unsigned long long memoryBytes)
{
    const RecordReader r(line);
    auto bad = [](const std::string &what) { throw DicomFileError("the DICOM worker sent an invalid header: " + what); };
    // Integers are checked before they are narrowed to int.
    auto integer = [&](const char *key, long long lo, long long hi, long long fallback, const char *name) {
        const long long v = r.integer(key, fallback);
        if (v < lo || v > hi)
            bad(std::string(name) + " " + std::to_string(v));
        return v;
    };
    integer("rows", 1, 65535, 0, "rows");
    integer("cols", 1, 65535, 0, "columns");
    integer("frames", 1, 65536, 1, "frame count");
    // Wider than what decodes (the decoder names unsupported kinds); narrow enough for int.
    integer("spp", 1, 4, 1, "samples per pixel");
    integer("ba", 1, 64, 16, "bits allocated");
    integer("bs", 0, 64, 16, "bits stored");
    integer("pr", 0, 1, 0, "pixel representation");
    DicomFileHeader h = readHeader(r);
    if (h.floatPixels && h.bitsAllocated != 32 && h.bitsAllocated != 64)
        bad("float pixels of " + std::to_string(h.bitsAllocated) + " bits");
    auto finite = [](const std::vector<double> &v) { return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); }); };
    if (!finite(h.framePositions) || (!h.framePositions.empty() && h.framePositions.size() != 3 * std::size_t(h.frames)))
        bad(std::to_string(h.framePositions.size()) + " position values for " + std::to_string(h.frames) + " frames");
    if (!finite(std::vector<double>(h.orientation, h.orientation + 6)) || !std::isfinite(h.slope) || h.slope == 0.0
        || !std::isfinite(h.intercept) || !std::isfinite(h.sliceThickness) || h.sliceThickness < 0)
        bad("a non-finite orientation, rescale or thickness");
    if (!(h.rowSpacing > 0 && h.columnSpacing > 0 && std::isfinite(h.rowSpacing) && std::isfinite(h.columnSpacing)))
        bad("pixel spacing " + std::to_string(h.rowSpacing) + " x " + std::to_string(h.columnSpacing));
    const double frameBytes = double(h.rows) * double(h.columns) * double(h.samplesPerPixel) * double(std::max(h.bitsAllocated / 8, 1));
    const double declared = frameBytes * double(h.frames);
    if (h.pixelOffset < -1 || (h.pixelOffset >= 0 && fileBytes >= 0 && double(h.pixelOffset) + declared > double(fileBytes)))
        bad("pixel data at byte " + std::to_string(h.pixelOffset) + " of a " + std::to_string(fileBytes) + "-byte file");
    // What the file declares must fit the machine before anyone allocates it: a 50 KB JPEG file
    // may declare 65535 x 65535 pixels in thousands of frames.
    if (declared > double(memoryBytes)) {
        char text[160];
        std::snprintf(text, sizeof text, "declares %d x %d x %d frames (%.*f GB of pixels), more than this machine's memory (%.1f GB)",
                      h.columns, h.rows, h.frames, declared >= 1e11 ? 0 : 1, declared / 1e9, double(memoryBytes) / 1e9);
        throw DicomFileError(text);
    }
    return h;
}

std::string DicomDecodeTask::toRecord() const
{
    RecordWriter w;
    w.add("file", file);
    writeHeader(w, header);
    w.add("fr", toDoubles(frames));
    w.add("sl", toDoubles(slices));
    w.add("out", outputType);
    w.add("ch", channels);
    w.add("sbytes", sliceBytes);
    w.add("vbytes", volumeBytes);
    return w.line();
}

DicomDecodeTask DicomDecodeTask::fromRecord(const std::string &line)
{
    const RecordReader r(line);
    DicomDecodeTask t;
    t.file = r.text("file");
    t.header = readHeader(r);
    t.frames = toInts(r.numbers("fr"));
    t.slices = toInts(r.numbers("sl"));
    t.outputType = r.text("out");
    t.channels = int(r.integer("ch", 1));
    t.sliceBytes = r.integer("sbytes");
    t.volumeBytes = r.integer("vbytes");
    return t;
}

} // namespace carina::io::detail
