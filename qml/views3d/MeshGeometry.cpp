// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "MeshGeometry.h"

#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <cstring>

namespace carina {

namespace {
constexpr int FloatsPerVertex = 6;
constexpr int Stride = FloatsPerVertex * int(sizeof(float));
} // namespace

MeshGeometry::MeshGeometry(Qt3DCore::QNode *parent)
    : Qt3DCore::QGeometry(parent)
    , m_vertexBuffer(new Qt3DCore::QBuffer(this))
    , m_indexBuffer(new Qt3DCore::QBuffer(this))
    , m_position(new Qt3DCore::QAttribute(this))
    , m_normal(new Qt3DCore::QAttribute(this))
    , m_index(new Qt3DCore::QAttribute(this))
{
    m_position->setName(Qt3DCore::QAttribute::defaultPositionAttributeName());
    m_position->setAttributeType(Qt3DCore::QAttribute::VertexAttribute);
    m_position->setVertexBaseType(Qt3DCore::QAttribute::Float);
    m_position->setVertexSize(3);
    m_position->setByteOffset(0);
    m_position->setByteStride(Stride);
    m_position->setBuffer(m_vertexBuffer);

    m_normal->setName(Qt3DCore::QAttribute::defaultNormalAttributeName());
    m_normal->setAttributeType(Qt3DCore::QAttribute::VertexAttribute);
    m_normal->setVertexBaseType(Qt3DCore::QAttribute::Float);
    m_normal->setVertexSize(3);
    m_normal->setByteOffset(3 * sizeof(float));
    m_normal->setByteStride(Stride);
    m_normal->setBuffer(m_vertexBuffer);

    m_index->setAttributeType(Qt3DCore::QAttribute::IndexAttribute);
    m_index->setVertexBaseType(Qt3DCore::QAttribute::UnsignedInt);
    m_index->setVertexSize(1);
    m_index->setBuffer(m_indexBuffer);

    // A buffer without data makes the renderer warn each frame: start with one zero triangle
    // (drawn by nobody, all counts stay 0 until a mesh arrives).
    m_vertexBuffer->setData(QByteArray(Stride, '\0'));
    m_indexBuffer->setData(QByteArray(3 * sizeof(std::uint32_t), '\0'));

    addAttribute(m_position);
    addAttribute(m_normal);
    addAttribute(m_index);
    setBoundingVolumePositionAttribute(m_position);
}

MeshGeometry::~MeshGeometry() = default;

void MeshGeometry::setMesh(const QVariant &mesh)
{
    const MeshHandle handle = mesh.value<MeshHandle>();
    if (handle == m_handle)
        return;
    m_handle = handle;
    emit meshChanged();

    const quint64 generation = ++m_generation;
    if (!handle.mesh) {
        apply({});
        setLoading(false);
        return;
    }
    setLoading(true);
    // The continuation runs on this object's thread and is dropped if the geometry is gone;
    // a newer mesh set meanwhile makes the generation stale and its result is discarded.
    QtConcurrent::run([mesh = handle.mesh] { return pack(*mesh); })
        .then(this, [this, generation](Packed packed) {
            if (generation != m_generation)
                return;
            apply(std::move(packed));
            setLoading(false);
        });
}

MeshGeometry::Packed MeshGeometry::pack(const Mesh &source)
{
    Packed out;
    const std::size_t vertexCount = source.vertexCount();
    if (vertexCount == 0 || source.triangles.empty() || vertexCount > std::size_t(INT32_MAX / FloatsPerVertex))
        return out;

    // Meshes without (or with inconsistent) normals get area-weighted ones on this thread.
    Mesh withNormals;
    const Mesh *mesh = &source;
    if (source.normals.size() != source.vertices.size()) {
        withNormals.vertices = source.vertices;
        withNormals.triangles.reserve(source.triangles.size());
        for (std::size_t i = 0; i + 2 < source.triangles.size(); i += 3) {
            const std::uint32_t *t = source.triangles.data() + i;
            if (t[0] < vertexCount && t[1] < vertexCount && t[2] < vertexCount)
                withNormals.triangles.insert(withNormals.triangles.end(), t, t + 3);
        }
        withNormals.computeNormals();
        mesh = &withNormals;
    }

    out.vertices.resize(qsizetype(vertexCount) * Stride);
    auto *v = reinterpret_cast<float *>(out.vertices.data());
    const float *p = mesh->vertices.data();
    const float *n = mesh->normals.data();
    for (std::size_t i = 0; i < vertexCount; ++i) {
        v[0] = p[0];
        v[1] = p[1];
        v[2] = p[2];
        v[3] = n[0];
        v[4] = n[1];
        v[5] = n[2];
        v += FloatsPerVertex;
        p += 3;
        n += 3;
    }

    // An index past the vertex array would make the GPU read out of bounds: drop such triangles.
    const std::size_t triangleCount = mesh->triangleCount();
    out.indices.resize(qsizetype(triangleCount * 3 * sizeof(std::uint32_t)));
    auto *dst = reinterpret_cast<std::uint32_t *>(out.indices.data());
    const std::uint32_t *t = mesh->triangles.data();
    std::size_t kept = 0;
    for (std::size_t i = 0; i < triangleCount; ++i, t += 3) {
        if (t[0] >= vertexCount || t[1] >= vertexCount || t[2] >= vertexCount)
            continue;
        std::memcpy(dst + 3 * kept, t, 3 * sizeof(std::uint32_t));
        ++kept;
    }
    out.indices.resize(qsizetype(kept * 3 * sizeof(std::uint32_t)));
    out.vertexCount = int(vertexCount);
    out.triangleCount = int(std::min<std::size_t>(kept, INT32_MAX / 3));
    return out;
}

void MeshGeometry::apply(Packed packed)
{
    if (packed.triangleCount == 0) {
        packed.vertices = QByteArray(Stride, '\0');
        packed.indices = QByteArray(3 * sizeof(std::uint32_t), '\0');
        packed.vertexCount = 0;
    }
    // All changes land in the same frame, so the renderer never sees new counts with old data.
    m_vertexBuffer->setData(packed.vertices);
    m_indexBuffer->setData(packed.indices);
    m_position->setCount(uint(packed.vertexCount));
    m_normal->setCount(uint(packed.vertexCount));
    m_index->setCount(uint(packed.triangleCount) * 3u);
    m_vertexCount = packed.vertexCount;
    m_triangleCount = packed.triangleCount;
    emit uploaded();
}

void MeshGeometry::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged();
}

} // namespace carina
