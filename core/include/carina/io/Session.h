// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ImageGeometry.h>
#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>

#include <QByteArray>
#include <QJsonObject>

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace carina::io {

/// The version this build writes; readers accept 1..sessionFormatVersion.
inline constexpr int sessionFormatVersion = 1;

/// Which image a session was made on. The session never holds the image's voxels.
struct CARINA_CORE_EXPORT SessionImage
{
    std::string path;        ///< file or folder as loaded; empty in an anonymised session
    std::string fingerprint; ///< imageFingerprint() of the loaded volume
    std::string description; ///< series description; empty in an anonymised session
    std::string modality;
    /// ImageInfo::lengthUnit ("um" after the user gave a micrograph its pixel size); empty = as read
    std::string lengthUnit;
    ImageGeometry geometry;  ///< the grid every layer is on
};

/// A layer's voxels run-length coded as the format stores them (before compression), with its
/// table. Encoding reads the layer once and is several times faster than copying it, so a
/// caller can take this snapshot on the UI thread and compress and write on another.
struct CARINA_CORE_EXPORT EncodedLabels
{
    QByteArray runs;          ///< (uint16 label, uint32 length) pairs, little-endian
    std::size_t runCount = 0;
    Dims dims{0, 0, 0};
    LabelTable table;
};

/// Run-length codes `labels` (see EncodedLabels).
CARINA_CORE_EXPORT EncodedLabels encodeLabels(const LabelVolume &labels, const TaskContext &context = TaskContext::none());

/// A label layer with its display settings.
struct CARINA_CORE_EXPORT SessionLayer
{
    std::string name;
    double opacity = 0.5;
    bool visible = true;
    /// Voxels and label table, on SessionImage::geometry. Always set by the reader; a writer may
    /// leave it null and give `encoded` instead.
    std::shared_ptr<LabelVolume> labels;
    std::optional<EncodedLabels> encoded; ///< when set, written instead of encoding `labels`
};

/// Everything needed to pick up the work where it was left: see docs/session-format.md.
struct CARINA_CORE_EXPORT Session
{
    SessionImage image;
    std::vector<SessionLayer> layers;
    std::vector<std::shared_ptr<Mesh>> meshes;
    std::array<double, 3> cursor{0.0, 0.0, 0.0}; ///< LPS mm
    double windowCenter = 40.0;
    double windowWidth = 400.0;
    /// Plugin id -> {property name: value} of each open plugin controller (JSON scalars/strings).
    QJsonObject plugins;
    bool anonymised = false;
};

/// Bounds on what a reader allocates for a session, so a small hostile file cannot ask for
/// gigabytes. The defaults admit any image the app can open.
struct CARINA_CORE_EXPORT SessionLimits
{
    std::size_t maxVoxels = std::size_t(1) << 31; ///< voxels of the image grid
    std::size_t maxMeshVertices = std::size_t(1) << 28;
    std::size_t maxFileBytes = std::size_t(1) << 31;
};

/// A content fingerprint of an image (voxel type, channels, dims and every voxel byte): two
/// volumes with the same fingerprint hold the same data. Takes about a second per GB.
CARINA_CORE_EXPORT std::string imageFingerprint(const Volume &volume, const TaskContext &context = TaskContext::none());

/// The session as the bytes of a `.carina` file (UTF-8 JSON; voxels and meshes compressed and
/// base64-encoded inside it). Throws IoError when a layer is not on the image's grid.
CARINA_CORE_EXPORT QByteArray serialiseSession(const Session &session, const TaskContext &context = TaskContext::none());

/// Parses `.carina` bytes. `name` names the file in messages. Throws IoError ("<name>: ...")
/// on anything malformed, truncated, of a newer version or beyond `limits`; never crashes.
CARINA_CORE_EXPORT Session parseSession(const QByteArray &bytes, const std::string &name,
                                        const SessionLimits &limits = {},
                                        const TaskContext &context = TaskContext::none());

/// serialiseSession() written through an AtomicFile (temporary file in the folder + rename).
/// Throws IoError naming the file ("cannot write: ...") and leaves any previous file intact.
CARINA_CORE_EXPORT void writeSession(const Session &session, const std::string &path,
                                     const TaskContext &context = TaskContext::none());

/// Reads and parses a `.carina` file. Throws IoError naming the file.
CARINA_CORE_EXPORT Session readSession(const std::string &path, const SessionLimits &limits = {},
                                       const TaskContext &context = TaskContext::none());

/// What in the session could identify the patient, one line each ("image location: /data/DOE_J");
/// empty when nothing does. Images carry no DICOM identity (ImageInfo has no patient name, ID or
/// birth date), but folder names of DICOM exports and series descriptions often do.
CARINA_CORE_EXPORT std::vector<std::string> identifyingFields(const Session &session);

/// Removes what identifyingFields() lists; the fingerprint stays, so the image is still checked
/// when the user picks it on open.
CARINA_CORE_EXPORT void anonymise(Session &session);

} // namespace carina::io
