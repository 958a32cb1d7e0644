// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/io/AtomicFile.h>
#include <carina/io/IoError.h>
#include <carina/io/Nifti.h>

#include "io/nifti/Gzip.h"

#include <nifti/nifti2_io.h>

#include <cstring>

namespace carina::io {

using namespace detail;

namespace {

constexpr int gzipLevel = 6;

bool hasGzSuffix(const std::string &path)
{
    return path.size() >= 3 && (path.compare(path.size() - 3, 3, ".gz") == 0 || path.compare(path.size() - 3, 3, ".GZ") == 0);
}

// A NIfTI-1 header whose qform and sform both hold the grid's index -> RAS affine.
nifti_1_header makeHeader(const ImageGeometry &geometry, int datatype, int bitpix, int intent)
{
    nifti_1_header h;
    std::memset(&h, 0, sizeof h);
    h.sizeof_hdr = 348;
    h.dim[0] = 3;
    for (int i = 0; i < 3; ++i) {
        if (geometry.dims[std::size_t(i)] > 32767)
            throw std::invalid_argument("dimension above 32767");
        h.dim[i + 1] = short(geometry.dims[std::size_t(i)]);
    }
    for (int i = 4; i <= 7; ++i)
        h.dim[i] = 1;
    h.datatype = short(datatype);
    h.bitpix = short(bitpix);
    h.intent_code = short(intent);
    h.vox_offset = 352.0f;
    h.scl_slope = 1.0f;
    h.scl_inter = 0.0f;
    h.xyzt_units = NIFTI_UNITS_MM;
    std::strncpy(h.descrip, "Carina", sizeof h.descrip - 1);
    std::memcpy(h.magic, "n+1", 4);

    // NIfTI is RAS, the geometry LPS: negate the first two rows.
    Eigen::Matrix4d ras = geometry.indexToPhysicalMatrix();
    ras.row(0) *= -1.0;
    ras.row(1) *= -1.0;
    for (int c = 0; c < 4; ++c) {
        h.srow_x[c] = float(ras(0, c));
        h.srow_y[c] = float(ras(1, c));
        h.srow_z[c] = float(ras(2, c));
    }
    h.sform_code = NIFTI_XFORM_SCANNER_ANAT;
    h.qform_code = NIFTI_XFORM_SCANNER_ANAT;

    nifti_dmat44 m;
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
            m.m[r][c] = ras(r, c);
    double qb, qc, qd, qx, qy, qz, dx, dy, dz, qfac;
    nifti_dmat44_to_quatern(m, &qb, &qc, &qd, &qx, &qy, &qz, &dx, &dy, &dz, &qfac);
    h.quatern_b = float(qb);
    h.quatern_c = float(qc);
    h.quatern_d = float(qd);
    h.qoffset_x = float(qx);
    h.qoffset_y = float(qy);
    h.qoffset_z = float(qz);
    h.pixdim[0] = float(qfac);
    for (int i = 0; i < 3; ++i)
        h.pixdim[i + 1] = float(geometry.spacing[i]);
    for (int i = 4; i <= 7; ++i)
        h.pixdim[i] = 1.0f;
    return h;
}

void writeFile(const std::string &path, const ImageGeometry &geometry, int datatype, int bitpix, int intent,
               const void *voxels, std::size_t bytes)
{
    if (!isNiftiPath(path))
        throw IoError(path + ": cannot write: a NIfTI file name ends in .nii or .nii.gz");
    nifti_1_header header;
    try {
        header = makeHeader(geometry, datatype, bitpix, intent);
    } catch (const std::invalid_argument &) {
        throw IoError(path + ": cannot write: NIfTI-1 holds at most 32767 voxels along an axis");
    }
    // The header, then the 4-byte extension flag (all zero: no extensions), then the voxels.
    std::byte start[352] = {};
    std::memcpy(start, &header, sizeof header);

    AtomicFile file(path);
    const auto *data = static_cast<const std::byte *>(voxels);
    if (hasGzSuffix(path)) {
        gzipTo(file, {{start, sizeof start}, {data, bytes}}, gzipLevel);
    } else {
        file.write(start, sizeof start);
        file.write(data, bytes);
    }
    file.commit();
}

} // namespace

void writeNiftiLabels(const LabelVolume &labels, const std::string &path)
{
    if (labels.voxelCount() == 0)
        throw IoError(path + ": cannot write: the label volume is empty");
    writeFile(path, labels.geometry(), DT_UINT16, 16, NIFTI_INTENT_LABEL, labels.data(),
              labels.voxelCount() * sizeof(std::uint16_t));
}

void writeNifti(const Volume &volume, const std::string &path)
{
    if (volume.isNull())
        throw IoError(path + ": cannot write: the volume is empty");
    int datatype = 0;
    int bitpix = 0;
    if (volume.channels() == 1) {
        switch (volume.type()) {
        case VoxelType::UInt8: datatype = DT_UINT8; bitpix = 8; break;
        case VoxelType::Int16: datatype = DT_INT16; bitpix = 16; break;
        case VoxelType::UInt16: datatype = DT_UINT16; bitpix = 16; break;
        case VoxelType::Float32: datatype = DT_FLOAT32; bitpix = 32; break;
        }
    } else if (volume.type() == VoxelType::UInt8 && volume.channels() == 3) {
        datatype = DT_RGB24;
        bitpix = 24;
    } else if (volume.type() == VoxelType::UInt8 && volume.channels() == 4) {
        datatype = DT_RGBA32;
        bitpix = 32;
    } else {
        throw IoError(path + ": cannot write: NIfTI has no " + std::to_string(volume.channels()) + "-channel "
                      + voxelTypeName(volume.type()) + " voxel type");
    }
    writeFile(path, volume.geometry(), datatype, bitpix, NIFTI_INTENT_NONE, volume.rawData(), volume.byteSize());
}

} // namespace carina::io
