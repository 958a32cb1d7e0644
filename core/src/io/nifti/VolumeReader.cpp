// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/io/DicomSeries.h>
#include <carina/io/ImageFile.h>
#include <carina/io/IoError.h>
#include <carina/io/Nifti.h>
#include <carina/io/VolumeReader.h>

#include "io/nifti/ByteBuffer.h"
#include "io/nifti/Gzip.h"
#include "io/nifti/NiftiHeader.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace carina::io {

using namespace detail;

namespace {

LoadResult readDicom(const std::string &path, const ReadOptions &options, const TaskContext &context)
{
    const DicomScan scan = scanDicom(path, context);
    if (scan.series.empty())
        throw IoError(path + ": no readable DICOM images");
    const DicomSeriesInfo *chosen = &scan.series.front();
    if (!options.seriesInstanceUid.empty()) {
        const auto it = std::find_if(scan.series.begin(), scan.series.end(), [&](const DicomSeriesInfo &s) {
            return s.seriesInstanceUid == options.seriesInstanceUid;
        });
        if (it == scan.series.end())
            throw IoError(path + ": no DICOM series with UID " + options.seriesInstanceUid);
        chosen = &*it;
    } else {
        // scanDicom sorts largest first; choose by slice count explicitly all the same.
        for (const DicomSeriesInfo &s : scan.series)
            if (s.frameCount > chosen->frameCount)
                chosen = &s;
    }
    LoadResult result = loadDicomSeries(*chosen, context);
    std::vector<std::string> warnings;
    warnings = scanProblemWarnings(scan.problems);
    if (options.seriesInstanceUid.empty() && scan.series.size() > 1)
        warnings.push_back("the folder holds " + std::to_string(scan.series.size()) + " series; loaded the largest ("
                           + std::to_string(chosen->frameCount) + " slices"
                           + (chosen->description.empty() ? std::string() : ", " + chosen->description) + ")");
    result.warnings.insert(result.warnings.begin(), warnings.begin(), warnings.end());
    return result;
}

bool startsWith(const std::vector<std::byte> &bytes, std::size_t offset, const char *magic, std::size_t length)
{
    return bytes.size() >= offset + length && std::memcmp(bytes.data() + offset, magic, length) == 0;
}

enum class Kind { Dicom, Nifti, Image, Zip, Pdf, GzipOther, Unknown };

Kind sniff(const std::string &path, const std::vector<std::byte> &head)
{
    if (startsWith(head, 128, "DICM", 4))
        return Kind::Dicom;
    if (niftiMagic(head.data(), head.size()).version != 0)
        return Kind::Nifti;
    if (isGzip(head.data(), head.size())) {
        // Look inside: a .nii.gz renamed to .gz, or any gzip that is not NIfTI.
        std::vector<std::byte> inner;
        try {
            // A header compresses to well under 64 KB; the rest of the file is not needed here.
            const std::vector<std::byte> start = readFilePrefix(path, std::size_t(64) << 10);
            inner = gunzipPrefix(start.data(), start.size(), niftiHeaderBytes, path);
        } catch (const IoError &) {
            return isNiftiPath(path) ? Kind::Nifti : Kind::GzipOther;
        }
        return niftiMagic(inner.data(), inner.size()).version != 0 || isNiftiPath(path) ? Kind::Nifti
                                                                                       : Kind::GzipOther;
    }
    if (startsWith(head, 0, "\x89PNG\r\n\x1a\n", 8) || startsWith(head, 0, "\xff\xd8\xff", 3)
        || startsWith(head, 0, "II*\0", 4) || startsWith(head, 0, "MM\0*", 4))
        return Kind::Image;
    if (startsWith(head, 0, "PK\x03\x04", 4) || startsWith(head, 0, "PK\x05\x06", 4))
        return Kind::Zip;
    if (startsWith(head, 0, "%PDF", 4))
        return Kind::Pdf;
    if (looksLikeDicom(path))
        return Kind::Dicom;
    return Kind::Unknown;
}

} // namespace

LoadResult readVolume(const std::string &path, const ReadOptions &options, const TaskContext &context)
{
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::status(path, error);
    if (!std::filesystem::exists(status))
        throw IoError(path + ": no such file or folder");

    LoadResult result;
    if (std::filesystem::is_directory(status)) {
        result = readDicom(path, options, context);
    } else {
        if (fileSize(path) == 0)
            throw IoError(path + ": the file is empty");
        // Enough for a NIfTI-2 header and the DICOM preamble.
        const std::vector<std::byte> head = readFilePrefix(path, niftiHeaderBytes);
        switch (sniff(path, head)) {
        case Kind::Dicom: result = readDicom(path, options, context); break;
        case Kind::Nifti: result = readNifti(path, context); break;
        case Kind::Image: result = readImageFile(path); break;
        case Kind::Zip: throw IoError(path + ": this is a ZIP archive; unpack it and open the folder");
        case Kind::Pdf: throw IoError(path + ": this is a PDF document, not an image");
        case Kind::GzipOther: throw IoError(path + ": a gzip-compressed file that is not NIfTI");
        case Kind::Unknown:
            throw IoError(path + ": not a supported image format (DICOM, NIfTI, PNG, JPEG, TIFF)");
        }
    }
    result.volume.info().sourcePath = path;
    return result;
}

} // namespace carina::io
