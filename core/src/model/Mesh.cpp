// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/Mesh.h>

#include <Eigen/Geometry>

#include <cmath>

namespace carina {

namespace {
Eigen::Vector3d vertexAt(const std::vector<float> &v, std::uint32_t i)
{
    return {v[3 * std::size_t(i)], v[3 * std::size_t(i) + 1], v[3 * std::size_t(i) + 2]};
}
} // namespace

double Mesh::surfaceArea() const
{
    double area = 0.0;
    for (std::size_t t = 0; t + 2 < triangles.size(); t += 3) {
        const Eigen::Vector3d a = vertexAt(vertices, triangles[t]);
        const Eigen::Vector3d b = vertexAt(vertices, triangles[t + 1]);
        const Eigen::Vector3d c = vertexAt(vertices, triangles[t + 2]);
        area += 0.5 * (b - a).cross(c - a).norm();
    }
    return area;
}

double Mesh::enclosedVolume() const
{
    double volume = 0.0;
    for (std::size_t t = 0; t + 2 < triangles.size(); t += 3) {
        const Eigen::Vector3d a = vertexAt(vertices, triangles[t]);
        const Eigen::Vector3d b = vertexAt(vertices, triangles[t + 1]);
        const Eigen::Vector3d c = vertexAt(vertices, triangles[t + 2]);
        volume += a.dot(b.cross(c)) / 6.0;
    }
    return std::fabs(volume);
}

void Mesh::computeNormals()
{
    std::vector<double> accumulated(vertices.size(), 0.0);
    for (std::size_t t = 0; t + 2 < triangles.size(); t += 3) {
        const Eigen::Vector3d a = vertexAt(vertices, triangles[t]);
        const Eigen::Vector3d b = vertexAt(vertices, triangles[t + 1]);
        const Eigen::Vector3d c = vertexAt(vertices, triangles[t + 2]);
        // The unnormalised cross product weights each face by its area.
        const Eigen::Vector3d n = (b - a).cross(c - a);
        for (int k = 0; k < 3; ++k)
            for (int axis = 0; axis < 3; ++axis)
                accumulated[3 * std::size_t(triangles[t + std::size_t(k)]) + std::size_t(axis)] += n[axis];
    }
    normals.assign(vertices.size(), 0.0f);
    for (std::size_t v = 0; v + 2 < accumulated.size(); v += 3) {
        const double len = std::sqrt(accumulated[v] * accumulated[v] + accumulated[v + 1] * accumulated[v + 1]
                                     + accumulated[v + 2] * accumulated[v + 2]);
        if (len > 0)
            for (int axis = 0; axis < 3; ++axis)
                normals[v + std::size_t(axis)] = float(accumulated[v + std::size_t(axis)] / len);
    }
}

} // namespace carina
