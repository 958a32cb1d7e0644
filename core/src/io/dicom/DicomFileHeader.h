// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <string>
#include <vector>

namespace carina::io::detail {

/// Which file a descriptor was open on when it was scanned: the application compares it with the
/// file it opens later, so a file swapped (for a FIFO, a larger file, another patient's) after
/// the scan is refused instead of read. Filled in by the application, never by a worker.
struct DicomFileIdentity
{
    unsigned long long device = 0;
    unsigned long long inode = 0;
    long long size = -1; ///< -1: unknown (not opened by the application)
    long long mtimeNs = 0;
    bool operator==(const DicomFileIdentity &) const = default;
};

/// What the worker's header pass learns about one file: enough to group, sort and decode it.
/// Deliberately holds no patient identity.
struct DicomFileHeader
{
    std::string seriesUid;
    std::string modality;
    std::string description;     ///< SeriesDescription, UTF-8
    std::string transferSyntax;
    std::string photometric;     ///< "MONOCHROME2", "RGB", ...
    int rows = 0;
    int columns = 0;
    int frames = 1;
    int samplesPerPixel = 1;
    int bitsAllocated = 16;
    int bitsStored = 16;
    int pixelRepresentation = 0; ///< 1 = signed
    bool floatPixels = false;    ///< Float / Double Float Pixel Data
    bool hasOrientation = false;
    double orientation[6] = {1, 0, 0, 0, 1, 0}; ///< row cosine, column cosine (LPS)
    /// LPS position of each frame's first voxel (3 per frame); empty when the file has none.
    std::vector<double> framePositions;
    bool hasPixelSpacing = false;
    double rowSpacing = 1.0;     ///< PixelSpacing[0]: between rows, i.e. along y
    double columnSpacing = 1.0;  ///< PixelSpacing[1]: between columns, i.e. along x
    double sliceThickness = 0.0;
    double slope = 1.0;
    double intercept = 0.0;
    long long instanceNumber = 0;
    /// Byte offset of uncompressed little-endian pixel data in the file, -1 when it must go
    /// through GDCM's decoder (compressed, big endian, deflated, ...).
    long long pixelOffset = -1;
    /// Not part of the record: the application's own fstat of the file it sent.
    DicomFileIdentity identity;

    std::string toRecord() const;
    static DicomFileHeader fromRecord(const std::string &line);
    /// Parses a record a worker sent, trusting none of it: a worker that GDCM's bugs let a
    /// crafted file take over could send anything. Throws DicomFileError naming the first value
    /// out of range (size, frames, pixel type, positions, the pixel data's place within the
    /// `fileBytes` the application saw; -1: unknown) or a declared image larger than
    /// `memoryBytes`.
    static DicomFileHeader fromWorkerRecord(const std::string &line, long long fileBytes, unsigned long long memoryBytes);
};

/// One decode job for a worker: the frames of one file and the slices they go to.
struct DicomDecodeTask
{
    std::string file;
    DicomFileHeader header;     ///< as scanned; the worker checks the file still matches
    std::vector<int> frames;    ///< frame index in the file ...
    std::vector<int> slices;    ///< ... and destination slice in the volume
    std::string outputType;     ///< "i16", "f32", "u8", "u16"
    int channels = 1;
    long long sliceBytes = 0;
    long long volumeBytes = 0;  ///< size of the shared memory sent along with the task

    std::string toRecord() const;
    static DicomDecodeTask fromRecord(const std::string &line);
};

} // namespace carina::io::detail
