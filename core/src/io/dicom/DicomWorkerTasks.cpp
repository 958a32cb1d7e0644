// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors

// What carina-dicom-worker does with one file: the header pass and the decode pass, on plain
// data. Only the worker runs this against real input (GDCM may abort the process); the
// in-process fuzz target (fuzz/fuzz_dicom_worker.cpp) links it for coverage.

#include "io/dicom/DicomWorkerTasks.h"
#include "io/dicom/DicomRecord.h"

#include <gdcmDataSet.h>
#include <gdcmFile.h>
#include <gdcmImage.h>
#include <gdcmImageApplyLookupTable.h>
#include <gdcmImageChangePhotometricInterpretation.h>
#include <gdcmImageChangePlanarConfiguration.h>
#include <gdcmImageHelper.h>
#include <gdcmImageReader.h>
#include <gdcmReader.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmTrace.h>
#include <gdcmTransferSyntax.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <ext/stdio_filebuf.h>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>
#include <vector>

namespace carina::io::detail {

namespace {

using Failure = DicomFileError;

// ---- header pass -------------------------------------------------------------------------

std::string trimmed(std::string s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0'))
        s.pop_back();
    std::size_t b = 0;
    while (b < s.size() && s[b] == ' ')
        ++b;
    return s.substr(b);
}

std::string stringValue(const gdcm::DataSet &ds, const gdcm::Tag &tag)
{
    if (!ds.FindDataElement(tag))
        return {};
    const gdcm::DataElement &de = ds.GetDataElement(tag);
    const gdcm::ByteValue *bv = de.GetByteValue();
    if (!bv || !bv->GetPointer())
        return {};
    return trimmed(std::string(bv->GetPointer(), bv->GetLength()));
}

std::vector<double> numberValues(const gdcm::DataSet &ds, const gdcm::Tag &tag)
{
    std::vector<double> values;
    const std::string s = stringValue(ds, tag);
    const char *p = s.c_str();
    while (*p) {
        char *end = nullptr;
        const double v = std::strtod(p, &end);
        if (end == p)
            break;
        if (std::isfinite(v))
            values.push_back(v);
        p = end;
        while (*p == ' ')
            ++p;
        if (*p == '\\')
            ++p;
    }
    return values;
}

const gdcm::DataSet *firstItem(const gdcm::DataSet &ds, const gdcm::Tag &sequence)
{
    if (!ds.FindDataElement(sequence))
        return nullptr;
    gdcm::SmartPointer<gdcm::SequenceOfItems> sq = ds.GetDataElement(sequence).GetValueAsSQ();
    if (!sq || sq->GetNumberOfItems() < 1)
        return nullptr;
    return &sq->GetItem(1).GetNestedDataSet();
}

const gdcm::Tag kSharedGroups(0x5200, 0x9229);
const gdcm::Tag kPerFrameGroups(0x5200, 0x9230);

/// A value from the top level, else from the shared, else from the first per-frame functional
/// group (enhanced multi-frame objects keep geometry there).
std::vector<double> functionalValue(const gdcm::DataSet &ds, const gdcm::Tag &group, const gdcm::Tag &tag)
{
    std::vector<double> v = numberValues(ds, tag);
    if (!v.empty())
        return v;
    for (const gdcm::Tag &groups : {kSharedGroups, kPerFrameGroups}) {
        if (const gdcm::DataSet *fg = firstItem(ds, groups))
            if (const gdcm::DataSet *item = firstItem(*fg, group)) {
                v = numberValues(*item, tag);
                if (!v.empty())
                    return v;
            }
    }
    return v;
}

std::string toUtf8(const std::string &text, const std::string &charset)
{
    const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return (unsigned char)c < 0x80; });
    if (ascii || charset.find("ISO_IR 192") != std::string::npos)
        return text;
    std::string out;
    if (charset.find("ISO_IR 100") != std::string::npos) { // Latin-1 maps 1:1 onto U+0000..U+00FF
        for (unsigned char c : text) {
            if (c < 0x80) {
                out += char(c);
            } else {
                out += char(0xC0 | (c >> 6));
                out += char(0x80 | (c & 0x3F));
            }
        }
        return out;
    }
    for (unsigned char c : text)
        out += c < 0x80 ? char(c) : '?';
    return out;
}

/// An input stream over a descriptor the worker was given (it opens no paths itself).
/// The stream reads a duplicate, so `fd` stays the caller's to close.
class FdStream
{
public:
    explicit FdStream(int fd) : m_buffer(duplicate(fd), std::ios::in | std::ios::binary, 65536), m_stream(&m_buffer) {}
    std::istream &stream() { return m_stream; }

private:
    static int duplicate(int fd)
    {
        const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (copy < 0)
            throw Failure(std::string("cannot read the file: ") + std::strerror(errno));
        ::lseek(copy, 0, SEEK_SET);
        return copy;
    }
    __gnu_cxx::stdio_filebuf<char> m_buffer;
    std::istream m_stream;
};

/// Opens `path` read-only and non-blocking (a FIFO must not hang the caller); throws unless it
/// is a regular file.
int openRegular(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        throw Failure(std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Failure("not a regular file");
    }
    return fd;
}

struct FdCloser
{
    int fd;
    ~FdCloser() { ::close(fd); }
};

DicomFileHeader scanFile(int fd)
{
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw Failure(std::string("cannot read the file: ") + std::strerror(errno));
    FdStream stream(fd);
    std::istream &is = stream.stream();
    // Checked here rather than by the application, which would open every file once more.
    unsigned char magic[2] = {};
    is.read(reinterpret_cast<char *>(magic), 2);
    if (is.gcount() == 0)
        throw Failure("empty file");
    if (is.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        throw Failure("gzip-compressed, not DICOM as it is (decompress it first)");
    is.clear();
    is.seekg(0);
    const gdcm::Tag floatData(0x7fe0, 0x0008), doubleData(0x7fe0, 0x0009), pixelData(0x7fe0, 0x0010);
    // Stop at the pixel data: the scan must not read megabytes it does not need. GDCM leaves the
    // stream right after the header (tag, VR, length) of the element it stops at; it seeks past
    // other skipped elements, so the rare float images take a second parse to find theirs.
    std::unique_ptr<gdcm::Reader> reader;
    long long valueOffset = -1;
    std::uint32_t valueLength = 0;
    int pixelTag = 0;
    bool bigEndianTag = false;
    for (const gdcm::Tag &stopAt : {pixelData, floatData, doubleData}) {
        is.clear();
        is.seekg(0);
        reader = std::make_unique<gdcm::Reader>();
        reader->SetStream(is);
        if (!reader->ReadUpToTag(stopAt, {floatData, doubleData, pixelData}))
            throw Failure("not a DICOM file (or too damaged to parse)");
        if (!is.good())
            continue; // no such element: the whole file was read
        // The 8 or 12 bytes before the position say which element it is and how long.
        const std::streamoff pos = is.tellg();
        unsigned char head[12] = {};
        if (pos >= 12) {
            is.seekg(pos - 12);
            is.read(reinterpret_cast<char *>(head), 12);
        }
        if (!is.good())
            continue;
        auto le16 = [&](int o) { return head[o] | (head[o + 1] << 8); };
        auto be16 = [&](int o) { return (head[o] << 8) | head[o + 1]; };
        auto le32 = [&](int o) { return std::uint32_t(le16(o)) | (std::uint32_t(le16(o + 2)) << 16); };
        const int wanted = stopAt.GetElement();
        auto isWanted = [&](int group, int element) { return group == 0x7fe0 && element == wanted; };
        if (isWanted(le16(0), le16(2)) && head[6] == 0 && head[7] == 0) { // explicit VR, 4-byte length
            valueOffset = pos;
            valueLength = le32(8);
        } else if (isWanted(le16(4), le16(6))) { // implicit VR
            valueOffset = pos;
            valueLength = le32(8);
        } else if (isWanted(be16(0), be16(2)) || isWanted(be16(4), be16(6))) {
            bigEndianTag = true;
        } else if (reader->GetFile().GetHeader().GetDataSetTransferSyntax() != gdcm::TransferSyntax::DeflatedExplicitVRLittleEndian) {
            continue;
        }
        pixelTag = wanted; // (deflated data: found, but the position is in the inflated stream)
        break;
    }

    const gdcm::File &file = reader->GetFile();
    const gdcm::DataSet &ds = file.GetDataSet();
    if (pixelTag == 0)
        throw Failure("holds no image (no Pixel Data element)");

    DicomFileHeader h;
    h.seriesUid = stringValue(ds, gdcm::Tag(0x0020, 0x000e));
    h.modality = stringValue(ds, gdcm::Tag(0x0008, 0x0060));
    h.description = toUtf8(stringValue(ds, gdcm::Tag(0x0008, 0x103e)), stringValue(ds, gdcm::Tag(0x0008, 0x0005)));
    const gdcm::TransferSyntax &ts = file.GetHeader().GetDataSetTransferSyntax();
    if (const char *tsName = ts.GetString())
        h.transferSyntax = tsName;

    const std::vector<unsigned int> dims = gdcm::ImageHelper::GetDimensionsValue(file);
    if (dims.size() < 2)
        throw Failure("no image size (Rows/Columns)");
    h.columns = int(dims[0]);
    h.rows = int(dims[1]);
    h.frames = dims.size() > 2 ? int(std::max(1u, dims[2])) : 1;
    if (h.frames > 65536)
        throw Failure("implausible number of frames: " + std::to_string(h.frames));
    if (h.rows <= 0 || h.columns <= 0 || h.rows > 65535 || h.columns > 65535)
        throw Failure("invalid image size " + std::to_string(h.columns) + " x " + std::to_string(h.rows));
    const gdcm::PixelFormat pf = gdcm::ImageHelper::GetPixelFormatValue(file);
    h.samplesPerPixel = pf.GetSamplesPerPixel();
    h.bitsAllocated = pf.GetBitsAllocated();
    h.bitsStored = pf.GetBitsStored();
    h.pixelRepresentation = pf.GetPixelRepresentation();
    h.floatPixels = pixelTag != 0x10;
    if (h.floatPixels)
        h.bitsAllocated = h.bitsStored = pixelTag == 8 ? 32 : 64;
    if (const char *pi = gdcm::PhotometricInterpretation::GetPIString(gdcm::ImageHelper::GetPhotometricInterpretationValue(file)))
        h.photometric = trimmed(pi);

    const std::vector<double> rescale = gdcm::ImageHelper::GetRescaleInterceptSlopeValue(file);
    if (rescale.size() == 2 && std::isfinite(rescale[0]) && std::isfinite(rescale[1]) && rescale[1] != 0.0) {
        h.intercept = rescale[0];
        h.slope = rescale[1];
    }

    const gdcm::Tag planeOrientation(0x0020, 0x9116), planePosition(0x0020, 0x9113), pixelMeasures(0x0028, 0x9110);
    const std::vector<double> iop = functionalValue(ds, planeOrientation, gdcm::Tag(0x0020, 0x0037));
    if (iop.size() == 6) {
        h.hasOrientation = true;
        std::copy(iop.begin(), iop.end(), h.orientation);
    }
    std::vector<double> ps = functionalValue(ds, pixelMeasures, gdcm::Tag(0x0028, 0x0030));
    if (ps.size() < 2)
        ps = numberValues(ds, gdcm::Tag(0x0018, 0x1164)); // ImagerPixelSpacing (projection images)
    if (ps.size() >= 2 && ps[0] > 0 && ps[1] > 0) {
        h.hasPixelSpacing = true;
        h.rowSpacing = ps[0];
        h.columnSpacing = ps[1];
    }
    const std::vector<double> thickness = functionalValue(ds, pixelMeasures, gdcm::Tag(0x0018, 0x0050));
    if (!thickness.empty() && thickness[0] > 0)
        h.sliceThickness = thickness[0];
    const std::vector<double> instance = numberValues(ds, gdcm::Tag(0x0020, 0x0013));
    if (!instance.empty())
        h.instanceNumber = static_cast<long long>(instance[0]);

    if (h.frames == 1) {
        std::vector<double> ipp = functionalValue(ds, planePosition, gdcm::Tag(0x0020, 0x0032));
        if (ipp.size() == 3)
            h.framePositions = ipp;
    } else {
        // Enhanced multi-frame: each frame's position is in its own functional group item.
        if (ds.FindDataElement(kPerFrameGroups)) {
            gdcm::SmartPointer<gdcm::SequenceOfItems> sq = ds.GetDataElement(kPerFrameGroups).GetValueAsSQ();
            if (sq && sq->GetNumberOfItems() == std::size_t(h.frames)) {
                for (std::size_t i = 1; i <= sq->GetNumberOfItems(); ++i) {
                    const gdcm::DataSet *item = firstItem(sq->GetItem(i).GetNestedDataSet(), planePosition);
                    const std::vector<double> p = item ? numberValues(*item, gdcm::Tag(0x0020, 0x0032)) : std::vector<double>{};
                    if (p.size() != 3) {
                        h.framePositions.clear();
                        break;
                    }
                    h.framePositions.insert(h.framePositions.end(), p.begin(), p.end());
                }
            }
        }
        if (h.framePositions.empty()) {
            // Classic multi-frame (NM, RT dose, ...): GDCM knows the origin and frame spacing.
            const std::vector<double> origin = gdcm::ImageHelper::GetOriginValue(file);
            const std::vector<double> spacing = gdcm::ImageHelper::GetSpacingValue(file);
            if (origin.size() == 3 && spacing.size() == 3) {
                const double *r = h.orientation, *c = h.orientation + 3;
                const double n[3] = {r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]};
                const double dz = spacing[2] > 0 ? spacing[2] : 1.0;
                for (int f = 0; f < h.frames; ++f)
                    for (int a = 0; a < 3; ++a)
                        h.framePositions.push_back(origin[std::size_t(a)] + f * dz * n[a]);
            }
        }
    }

    // Uncompressed little-endian pixels are read straight from the file by the decode pass.
    const bool littleNative = !bigEndianTag && !ts.IsEncapsulated() && ts.GetSwapCode() == gdcm::SwapCode::LittleEndian
        && ts != gdcm::TransferSyntax::DeflatedExplicitVRLittleEndian;
    const long long expected = (long long)h.rows * h.columns * h.frames * h.samplesPerPixel * (h.bitsAllocated / 8);
    if (littleNative && valueOffset > 0 && valueLength != 0xffffffffu && h.bitsAllocated % 8 == 0) {
        if ((long long)valueLength < expected)
            throw Failure("pixel data too short: " + std::to_string(valueLength) + " bytes for " + std::to_string(expected)
                          + " expected from its size and type");
        if (st.st_size < valueOffset + expected)
            throw Failure("truncated: the file ends " + std::to_string(st.st_size - valueOffset) + " bytes into "
                          + std::to_string(expected) + " bytes of pixel data");
        if (h.samplesPerPixel == 1)
            h.pixelOffset = valueOffset;
    }
    return h;
}

// ---- decode pass -------------------------------------------------------------------------

bool decodeWithGdcm(const DicomDecodeTask &task, int fd, DicomSliceSink &writer)
{
    FdStream stream(fd);
    gdcm::ImageReader reader;
    reader.SetStream(stream.stream());
    if (!reader.Read())
        throw Failure("GDCM cannot read the image");
    gdcm::Image image = reader.GetImage();
    const DicomFileHeader &h = task.header;
    if (int(image.GetColumns()) != h.columns || int(image.GetRows()) != h.rows)
        throw Failure("image size changed since the header pass");
    const int frames = image.GetNumberOfDimensions() > 2 ? int(image.GetDimension(2)) : 1;
    // The decode buffer below is as large as the frames GDCM found: no more than were scanned,
    // which the application checked against the series and the machine's memory.
    if (frames > std::max(h.frames, 1))
        throw Failure("declares " + std::to_string(frames) + " frames, " + std::to_string(h.frames) + " when it was scanned");

    if (task.channels == 3) {
        // Colour: bring every variant to interleaved RGB.
        if (image.GetPhotometricInterpretation() == gdcm::PhotometricInterpretation::PALETTE_COLOR) {
            gdcm::ImageApplyLookupTable lut;
            lut.SetInput(image);
            if (!lut.Apply())
                throw Failure("GDCM cannot apply the palette colour lookup table");
            image = lut.GetOutput();
        }
        const gdcm::PhotometricInterpretation pi = image.GetPhotometricInterpretation();
        if (pi == gdcm::PhotometricInterpretation::YBR_FULL || pi == gdcm::PhotometricInterpretation::YBR_FULL_422) {
            gdcm::ImageChangePhotometricInterpretation change;
            change.SetInput(image);
            change.SetPhotometricInterpretation(gdcm::PhotometricInterpretation::RGB);
            if (change.Change())
                image = change.GetOutput();
        }
        if (image.GetPlanarConfiguration() != 0) {
            gdcm::ImageChangePlanarConfiguration planar;
            planar.SetInput(image);
            planar.SetPlanarConfiguration(0);
            if (!planar.Change())
                throw Failure("GDCM cannot convert planar colour data");
            image = planar.GetOutput();
        }
    }

    std::vector<char> buffer(image.GetBufferLength());
    if (buffer.empty() || !image.GetBuffer(buffer.data()))
        throw Failure("GDCM cannot decode the pixel data (transfer syntax " + h.transferSyntax + ")");
    const gdcm::PixelFormat pf = image.GetPixelFormat();
    const std::size_t pixels = std::size_t(h.rows) * std::size_t(h.columns);
    const int bitsAllocated = pf.GetBitsAllocated();
    const int samples = pf.GetSamplesPerPixel();
    if (samples != task.channels)
        throw Failure("decoded " + std::to_string(samples) + " samples per pixel, expected " + std::to_string(task.channels));
    if (bitsAllocated == 1 && samples == 1) {
        // Binary images (segmentations): one bit per pixel, least significant bit first, frames
        // packed back to back without padding.
        if (buffer.size() * 8 < pixels * std::size_t(frames))
            throw Failure("decoded bitmap has an unexpected size (" + std::to_string(buffer.size()) + " bytes)");
        std::vector<std::uint8_t> bits(pixels);
        const auto *packed = reinterpret_cast<const std::uint8_t *>(buffer.data());
        bool fits = true;
        for (std::size_t i = 0; i < task.frames.size(); ++i) {
            if (task.frames[i] < 0 || task.frames[i] >= frames)
                throw Failure("frame " + std::to_string(task.frames[i] + 1) + " missing from the decoded data");
            const std::size_t first = std::size_t(task.frames[i]) * pixels;
            for (std::size_t p = 0; p < pixels; ++p)
                bits[p] = (packed[(first + p) >> 3] >> ((first + p) & 7)) & 1;
            fits &= convertDicomPixels(reinterpret_cast<const char *>(bits.data()), pixels, 8, false, false,
                                       rescaleOf(h, 8, 8, false), task.outputType, writer.buffer(task.slices[i]));
            writer.write(task.slices[i]);
        }
        return fits;
    }
    const std::size_t frameBytes = pixels * std::size_t(samples) * std::size_t(bitsAllocated / 8);
    if (bitsAllocated % 8 != 0 || buffer.size() < frameBytes * std::size_t(frames))
        throw Failure("decoded pixel data has an unexpected size (" + std::to_string(buffer.size()) + " bytes)");

    bool fits = true;
    for (std::size_t i = 0; i < task.frames.size(); ++i) {
        if (task.frames[i] < 0 || task.frames[i] >= frames)
            throw Failure("frame " + std::to_string(task.frames[i] + 1) + " missing from the decoded data");
        const char *in = buffer.data() + std::size_t(task.frames[i]) * frameBytes;
        char *out = writer.buffer(task.slices[i]);
        if (task.channels == 3) {
            const int outBytes = task.outputType == "u8" ? 1 : 2;
            const std::size_t values = pixels * 3;
            if (outBytes * 8 == bitsAllocated) {
                std::memcpy(out, in, frameBytes);
            } else if (outBytes == 1 && bitsAllocated == 16) { // 16-bit palette lookup tables
                const auto *src = reinterpret_cast<const std::uint16_t *>(in);
                auto *dst = reinterpret_cast<std::uint8_t *>(out);
                for (std::size_t v = 0; v < values; ++v)
                    dst[v] = std::uint8_t(src[v] >> 8);
            } else if (outBytes == 2 && bitsAllocated == 8) {
                const auto *src = reinterpret_cast<const std::uint8_t *>(in);
                auto *dst = reinterpret_cast<std::uint16_t *>(out);
                for (std::size_t v = 0; v < values; ++v)
                    dst[v] = std::uint16_t(src[v] * 257);
            } else {
                throw Failure("colour data with " + std::to_string(bitsAllocated) + " bits per sample is not supported");
            }
            writer.write(task.slices[i]);
            continue;
        }
        const bool isSigned = pf.GetPixelRepresentation() == 1;
        const bool isFloat = pf.GetScalarType() == gdcm::PixelFormat::FLOAT32 || pf.GetScalarType() == gdcm::PixelFormat::FLOAT64;
        const DicomRescale r = rescaleOf(h, bitsAllocated, pf.GetBitsStored(), isSigned);
        fits &= convertDicomPixels(in, pixels, bitsAllocated, isSigned, isFloat, r, task.outputType, out);
        writer.write(task.slices[i]);
    }
    return fits;
}

bool decodeTask(const DicomDecodeTask &task, int fd, DicomSliceSink &out)
{
    if (task.frames.size() != task.slices.size() || task.frames.empty())
        throw Failure("internal: malformed decode task");
    if (isPlainPixelTask(task))
        return readPlainPixels(task, fd, out);
    return decodeWithGdcm(task, fd, out);
}

} // namespace

DicomFileHeader scanDicomFile(int fd)
{
    return scanFile(fd);
}

DicomFileHeader scanDicomFile(const std::string &path)
{
    const FdCloser file{openRegular(path)};
    return scanFile(file.fd);
}

bool decodeDicomTask(const DicomDecodeTask &task, int fd, DicomSliceSink &out)
{
    return decodeTask(task, fd, out);
}

bool decodeDicomTask(const DicomDecodeTask &task, DicomSliceSink &out)
{
    const FdCloser file{openRegular(task.file)};
    return decodeTask(task, file.fd, out);
}

} // namespace carina::io::detail
