// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "QuadGeometry.h"

#include <array>
#include <cstring>

namespace carina {

namespace {
constexpr int FloatsPerVertex = 8; // position, normal, texture coordinate
constexpr int Stride = FloatsPerVertex * int(sizeof(float));

Qt3DCore::QAttribute *makeAttribute(Qt3DCore::QBuffer *buffer, const QString &name, int size, int offsetFloats,
                                    Qt3DCore::QNode *parent)
{
    auto *a = new Qt3DCore::QAttribute(parent);
    a->setName(name);
    a->setAttributeType(Qt3DCore::QAttribute::VertexAttribute);
    a->setVertexBaseType(Qt3DCore::QAttribute::Float);
    a->setVertexSize(uint(size));
    a->setByteOffset(uint(offsetFloats) * sizeof(float));
    a->setByteStride(Stride);
    a->setCount(4);
    a->setBuffer(buffer);
    return a;
}
} // namespace

QuadGeometry::QuadGeometry(Qt3DCore::QNode *parent)
    : Qt3DCore::QGeometry(parent)
    , m_vertexBuffer(new Qt3DCore::QBuffer(this))
    , m_indexBuffer(new Qt3DCore::QBuffer(this))
{
    auto *position = makeAttribute(m_vertexBuffer, Qt3DCore::QAttribute::defaultPositionAttributeName(), 3, 0, this);
    addAttribute(position);
    addAttribute(makeAttribute(m_vertexBuffer, Qt3DCore::QAttribute::defaultNormalAttributeName(), 3, 3, this));
    addAttribute(makeAttribute(m_vertexBuffer, Qt3DCore::QAttribute::defaultTextureCoordinateAttributeName(), 2, 6, this));
    setBoundingVolumePositionAttribute(position);

    const std::array<quint16, 6> indices{0, 1, 2, 2, 1, 3};
    QByteArray indexData(int(sizeof(indices)), Qt::Uninitialized);
    std::memcpy(indexData.data(), indices.data(), sizeof(indices));
    m_indexBuffer->setData(indexData);
    auto *index = new Qt3DCore::QAttribute(this);
    index->setAttributeType(Qt3DCore::QAttribute::IndexAttribute);
    index->setVertexBaseType(Qt3DCore::QAttribute::UnsignedShort);
    index->setVertexSize(1);
    index->setCount(6);
    index->setBuffer(m_indexBuffer);
    addAttribute(index);
    rebuild();
}

QuadGeometry::~QuadGeometry() = default;

void QuadGeometry::setTopLeft(const QVector3D &p)
{
    if (p == m_topLeft)
        return;
    m_topLeft = p;
    rebuild();
}

void QuadGeometry::setTopRight(const QVector3D &p)
{
    if (p == m_topRight)
        return;
    m_topRight = p;
    rebuild();
}

void QuadGeometry::setBottomLeft(const QVector3D &p)
{
    if (p == m_bottomLeft)
        return;
    m_bottomLeft = p;
    rebuild();
}

void QuadGeometry::rebuild()
{
    const QVector3D bottomRight = m_topRight + m_bottomLeft - m_topLeft;
    const QVector3D normal = QVector3D::crossProduct(m_topRight - m_topLeft, m_bottomLeft - m_topLeft).normalized();
    const std::array<QVector3D, 4> corners{m_topLeft, m_topRight, m_bottomLeft, bottomRight};
    const std::array<std::array<float, 2>, 4> uv{{{0, 0}, {1, 0}, {0, 1}, {1, 1}}};
    QByteArray data(4 * Stride, Qt::Uninitialized);
    auto *f = reinterpret_cast<float *>(data.data());
    for (std::size_t i = 0; i < 4; ++i) {
        *f++ = corners[i].x();
        *f++ = corners[i].y();
        *f++ = corners[i].z();
        *f++ = normal.x();
        *f++ = normal.y();
        *f++ = normal.z();
        *f++ = uv[i][0];
        *f++ = uv[i][1];
    }
    m_vertexBuffer->setData(data);
    emit cornersChanged();
}

} // namespace carina
