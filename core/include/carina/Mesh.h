// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace carina {

/// A triangle mesh in patient LPS millimetres, ready to upload to the GPU.
struct CARINA_CORE_EXPORT Mesh
{
    std::string name;
    std::vector<float> vertices;      ///< x, y, z per vertex (LPS mm)
    std::vector<float> normals;       ///< unit normal per vertex, same layout; may be empty
    std::vector<std::uint32_t> triangles; ///< three vertex indices per triangle, counter-clockwise seen from outside
    std::array<float, 3> colour{0.9f, 0.6f, 0.5f}; ///< linear RGB 0..1
    float opacity = 1.0f;             ///< 0 transparent .. 1 opaque
    bool visible = true;

    std::size_t vertexCount() const { return vertices.size() / 3; }
    std::size_t triangleCount() const { return triangles.size() / 3; }
    /// Sum of triangle areas in mm^2.
    double surfaceArea() const;
    /// Enclosed volume in mm^3 (divergence theorem; meaningful for closed meshes).
    double enclosedVolume() const;
    /// Recomputes area-weighted vertex normals.
    void computeNormals();
};

} // namespace carina
