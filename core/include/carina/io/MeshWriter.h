// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/Mesh.h>

#include <string>
#include <vector>

namespace carina::io {

/// The mesh file formats Carina writes.
enum class MeshFormat { Stl, Obj, Ply };

/// The format named by the file's extension (.stl, .obj, .ply, any case). Throws IoError naming
/// the file for any other extension.
CARINA_CORE_EXPORT MeshFormat meshFormatForPath(const std::string &path);

/// Binary STL: 80-byte header ("Carina mesh, LPS mm: <names>"), triangle count, then per triangle
/// its face normal and three corners as little-endian float32; the meshes are merged (STL has no
/// parts).
CARINA_CORE_EXPORT void writeStl(const std::vector<const Mesh *> &meshes, const std::string &path);
/// Wavefront OBJ, one object ("o <name>") per mesh, with vertex normals when the mesh has them.
CARINA_CORE_EXPORT void writeObj(const std::vector<const Mesh *> &meshes, const std::string &path);
/// Binary little-endian PLY: float x y z nx ny nz and uchar red green blue (the mesh's colour) per
/// vertex, uchar/int vertex-index lists per face; the meshes are merged.
CARINA_CORE_EXPORT void writePly(const std::vector<const Mesh *> &meshes, const std::string &path);
/// Writes in the format of the path's extension. Every writer goes through AtomicFile: the file
/// is complete or not there. Coordinates are LPS millimetres. Throws IoError.
CARINA_CORE_EXPORT void writeMeshes(const std::vector<const Mesh *> &meshes, const std::string &path);

} // namespace carina::io
