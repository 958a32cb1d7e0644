// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/dicom/DicomFileHeader.h"

#include "io/dicom/DicomRecord.h"

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
