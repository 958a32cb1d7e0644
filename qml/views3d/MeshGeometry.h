// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "MeshHandle.h"

#include <Qt3DCore/QAttribute>
#include <Qt3DCore/QBuffer>
#include <Qt3DCore/QGeometry>
#include <QVariant>
#include <QtQml/qqmlregistration.h>

namespace carina {

/// Qt3D geometry of one carina::Mesh: interleaved position + normal (float, LPS mm) and
/// uint32 indices. The GPU buffers are packed on a worker thread, so a million-triangle mesh
/// does not stall the UI; the previous geometry stays on screen until the new one is ready.
class MeshGeometry : public Qt3DCore::QGeometry
{
    Q_OBJECT
    QML_ELEMENT
    /// A MeshHandle (from MeshSceneModel's `mesh` role). Setting another Mesh object re-uploads.
    Q_PROPERTY(QVariant mesh READ mesh WRITE setMesh NOTIFY meshChanged)
    /// True once buffers of the current mesh are uploaded and it has at least one triangle.
    Q_PROPERTY(bool ready READ isReady NOTIFY uploaded)
    /// True while a newer mesh is being packed off the UI thread.
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
    Q_PROPERTY(int vertexCount READ vertexCount NOTIFY uploaded)
    Q_PROPERTY(int triangleCount READ triangleCount NOTIFY uploaded)

public:
    explicit MeshGeometry(Qt3DCore::QNode *parent = nullptr);
    ~MeshGeometry() override;

    QVariant mesh() const { return QVariant::fromValue(m_handle); }
    void setMesh(const QVariant &mesh);
    bool isReady() const { return m_triangleCount > 0; }
    bool isLoading() const { return m_loading; }
    int vertexCount() const { return m_vertexCount; }
    int triangleCount() const { return m_triangleCount; }

    /// The packed GPU data of a mesh (public for the benchmark and the tests).
    struct Packed
    {
        QByteArray vertices; ///< 6 floats per vertex: position xyz, normal xyz
        QByteArray indices;  ///< uint32, three per triangle; triangles with bad indices dropped
        int vertexCount = 0;
        int triangleCount = 0;
    };
    /// Packs `mesh` (computing normals when it has none). Thread-safe: reads only.
    static Packed pack(const Mesh &mesh);

signals:
    void meshChanged();
    void uploaded();
    void loadingChanged();

private:
    void apply(Packed packed);
    void setLoading(bool loading);

    MeshHandle m_handle;
    quint64 m_generation = 0;
    bool m_loading = false;
    int m_vertexCount = 0;
    int m_triangleCount = 0;
    Qt3DCore::QBuffer *m_vertexBuffer;
    Qt3DCore::QBuffer *m_indexBuffer;
    Qt3DCore::QAttribute *m_position;
    Qt3DCore::QAttribute *m_normal;
    Qt3DCore::QAttribute *m_index;
};

} // namespace carina
