// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/io/MeshWriter.h>

#include <carina/io/AtomicFile.h>
#include <carina/io/IoError.h>

#include <Eigen/Geometry>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

namespace carina::io {

namespace {

static_assert(std::endian::native == std::endian::little, "the binary mesh writers assume a little-endian host");

// Buffered writes: an STL of a million triangles is 50 MB of 50-byte records.
class Output
{
public:
    explicit Output(const std::string &path) : m_file(path) { m_buffer.reserve(1 << 20); }
    void bytes(const void *data, std::size_t size)
    {
        const auto *p = static_cast<const char *>(data);
        m_buffer.insert(m_buffer.end(), p, p + size);
        if (m_buffer.size() >= (1 << 20))
            flush();
    }
    template<typename T> void value(T v) { bytes(&v, sizeof v); }
    void text(const std::string &s) { bytes(s.data(), s.size()); }
    void commit()
    {
        flush();
        m_file.commit();
    }

private:
    void flush()
    {
        if (!m_buffer.empty())
            m_file.write(m_buffer.data(), m_buffer.size());
        m_buffer.clear();
    }
    AtomicFile m_file;
    std::string m_buffer;
};

std::size_t totalTriangles(const std::vector<const Mesh *> &meshes, const std::string &path)
{
    std::size_t total = 0;
    for (const Mesh *mesh : meshes) {
        if (!mesh)
            continue;
        if (mesh->triangles.size() % 3 != 0 || mesh->vertices.size() % 3 != 0)
            throw IoError(path + ": cannot write mesh '" + mesh->name + "': its arrays are not whole triangles");
        for (std::uint32_t index : mesh->triangles)
            if (std::size_t(index) >= mesh->vertexCount())
                throw IoError(path + ": cannot write mesh '" + mesh->name + "': a triangle points past its vertices");
        total += mesh->triangleCount();
    }
    return total;
}

std::string names(const std::vector<const Mesh *> &meshes)
{
    std::string text;
    for (const Mesh *mesh : meshes) {
        if (!mesh)
            continue;
        if (!text.empty())
            text += ", ";
        text += mesh->name.empty() ? std::string("mesh") : mesh->name;
    }
    return text;
}

Eigen::Vector3f corner(const Mesh &mesh, std::uint32_t v)
{
    return Eigen::Vector3f(mesh.vertices[3 * std::size_t(v)], mesh.vertices[3 * std::size_t(v) + 1],
                           mesh.vertices[3 * std::size_t(v) + 2]);
}

std::uint8_t byteOf(float channel)
{
    return std::uint8_t(std::lround(std::clamp(channel, 0.0f, 1.0f) * 255.0f));
}

// OBJ names may not hold spaces in some readers; keep them readable anyway.
std::string objName(const Mesh &mesh)
{
    std::string name = mesh.name.empty() ? std::string("mesh") : mesh.name;
    std::replace_if(name.begin(), name.end(), [](unsigned char c) { return std::isspace(c) != 0; }, '_');
    return name;
}

} // namespace

MeshFormat meshFormatForPath(const std::string &path)
{
    const std::size_t dot = path.find_last_of('.');
    std::string ext = dot == std::string::npos ? std::string() : path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (ext == "stl")
        return MeshFormat::Stl;
    if (ext == "obj")
        return MeshFormat::Obj;
    if (ext == "ply")
        return MeshFormat::Ply;
    throw IoError(path + ": unknown mesh format; use a .stl, .obj or .ply file name");
}

void writeStl(const std::vector<const Mesh *> &meshes, const std::string &path)
{
    const std::size_t total = totalTriangles(meshes, path);
    if (total > std::numeric_limits<std::uint32_t>::max())
        throw IoError(path + ": too many triangles for STL (" + std::to_string(total) + ")");
    Output out(path);
    // The header must not start with "solid": readers would take the file for ASCII STL.
    char header[80] = {};
    const std::string title = "Carina mesh, LPS mm: " + names(meshes);
    std::memcpy(header, title.data(), std::min<std::size_t>(title.size(), sizeof header));
    out.bytes(header, sizeof header);
    out.value(std::uint32_t(total));
    for (const Mesh *mesh : meshes) {
        if (!mesh)
            continue;
        for (std::size_t t = 0; t < mesh->triangleCount(); ++t) {
            const Eigen::Vector3f a = corner(*mesh, mesh->triangles[3 * t]);
            const Eigen::Vector3f b = corner(*mesh, mesh->triangles[3 * t + 1]);
            const Eigen::Vector3f c = corner(*mesh, mesh->triangles[3 * t + 2]);
            const Eigen::Vector3f n = (b - a).cross(c - a).normalized();
            float record[12];
            for (int k = 0; k < 3; ++k) {
                record[k] = std::isfinite(n[k]) ? n[k] : 0.0f;
                record[3 + k] = a[k];
                record[6 + k] = b[k];
                record[9 + k] = c[k];
            }
            out.bytes(record, sizeof record);
            out.value(std::uint16_t(0));
        }
    }
    out.commit();
}

void writeObj(const std::vector<const Mesh *> &meshes, const std::string &path)
{
    totalTriangles(meshes, path);
    Output out(path);
    out.text("# Carina mesh, LPS millimetres: " + names(meshes) + "\n");
    std::size_t base = 1; // OBJ indices are 1-based and global across objects
    char line[128];
    for (const Mesh *mesh : meshes) {
        if (!mesh)
            continue;
        out.text("o " + objName(*mesh) + "\n");
        const bool withNormals = mesh->normals.size() == mesh->vertices.size();
        for (std::size_t v = 0; v < mesh->vertexCount(); ++v) {
            const int n = std::snprintf(line, sizeof line, "v %.6g %.6g %.6g\n", double(mesh->vertices[3 * v]),
                                        double(mesh->vertices[3 * v + 1]), double(mesh->vertices[3 * v + 2]));
            out.bytes(line, std::size_t(n));
        }
        if (withNormals)
            for (std::size_t v = 0; v < mesh->vertexCount(); ++v) {
                const int n = std::snprintf(line, sizeof line, "vn %.5g %.5g %.5g\n", double(mesh->normals[3 * v]),
                                            double(mesh->normals[3 * v + 1]), double(mesh->normals[3 * v + 2]));
                out.bytes(line, std::size_t(n));
            }
        for (std::size_t t = 0; t < mesh->triangleCount(); ++t) {
            const std::size_t a = base + mesh->triangles[3 * t], b = base + mesh->triangles[3 * t + 1],
                              c = base + mesh->triangles[3 * t + 2];
            const int n = withNormals ? std::snprintf(line, sizeof line, "f %zu//%zu %zu//%zu %zu//%zu\n", a, a, b, b, c, c)
                                      : std::snprintf(line, sizeof line, "f %zu %zu %zu\n", a, b, c);
            out.bytes(line, std::size_t(n));
        }
        base += mesh->vertexCount();
    }
    out.commit();
}

void writePly(const std::vector<const Mesh *> &meshes, const std::string &path)
{
    const std::size_t triangles = totalTriangles(meshes, path);
    std::size_t vertices = 0;
    for (const Mesh *mesh : meshes)
        if (mesh)
            vertices += mesh->vertexCount();
    if (vertices > std::size_t(std::numeric_limits<std::int32_t>::max()))
        throw IoError(path + ": too many vertices for PLY (" + std::to_string(vertices) + ")");
    Output out(path);
    out.text("ply\nformat binary_little_endian 1.0\ncomment Carina mesh, LPS millimetres: " + names(meshes)
             + "\nelement vertex " + std::to_string(vertices)
             + "\nproperty float x\nproperty float y\nproperty float z\nproperty float nx\nproperty float ny\nproperty float nz\n"
               "property uchar red\nproperty uchar green\nproperty uchar blue\nelement face "
             + std::to_string(triangles) + "\nproperty list uchar int vertex_indices\nend_header\n");
    for (const Mesh *mesh : meshes) {
        if (!mesh)
            continue;
        const bool withNormals = mesh->normals.size() == mesh->vertices.size();
        const std::uint8_t rgb[3] = {byteOf(mesh->colour[0]), byteOf(mesh->colour[1]), byteOf(mesh->colour[2])};
        for (std::size_t v = 0; v < mesh->vertexCount(); ++v) {
            float record[6] = {mesh->vertices[3 * v], mesh->vertices[3 * v + 1], mesh->vertices[3 * v + 2], 0, 0, 0};
            if (withNormals)
                std::memcpy(record + 3, &mesh->normals[3 * v], 3 * sizeof(float));
            out.bytes(record, sizeof record);
            out.bytes(rgb, sizeof rgb);
        }
    }
    std::int32_t base = 0;
    for (const Mesh *mesh : meshes) {
        if (!mesh)
            continue;
        for (std::size_t t = 0; t < mesh->triangleCount(); ++t) {
            out.value(std::uint8_t(3));
            for (int k = 0; k < 3; ++k)
                out.value(std::int32_t(base + std::int32_t(mesh->triangles[3 * t + std::size_t(k)])));
        }
        base += std::int32_t(mesh->vertexCount());
    }
    out.commit();
}

void writeMeshes(const std::vector<const Mesh *> &meshes, const std::string &path)
{
    switch (meshFormatForPath(path)) {
    case MeshFormat::Stl: return writeStl(meshes, path);
    case MeshFormat::Obj: return writeObj(meshes, path);
    case MeshFormat::Ply: return writePly(meshes, path);
    }
}

} // namespace carina::io
