// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <Qt3DCore/QAttribute>
#include <Qt3DCore/QBuffer>
#include <Qt3DCore/QGeometry>
#include <QVector3D>
#include <QtQml/qqmlregistration.h>

namespace carina {

/// A textured parallelogram spanned by three corners (the fourth is implied), for the slice
/// planes in the 3D view. Texture coordinate (0, 0) is the top-left corner, where a QImage's
/// first row lands in a QPaintedTextureImage; (1, 1) the bottom-right.
class QuadGeometry : public Qt3DCore::QGeometry
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QVector3D topLeft READ topLeft WRITE setTopLeft NOTIFY cornersChanged)
    Q_PROPERTY(QVector3D topRight READ topRight WRITE setTopRight NOTIFY cornersChanged)
    Q_PROPERTY(QVector3D bottomLeft READ bottomLeft WRITE setBottomLeft NOTIFY cornersChanged)

public:
    explicit QuadGeometry(Qt3DCore::QNode *parent = nullptr);
    ~QuadGeometry() override;

    QVector3D topLeft() const { return m_topLeft; }
    QVector3D topRight() const { return m_topRight; }
    QVector3D bottomLeft() const { return m_bottomLeft; }
    void setTopLeft(const QVector3D &p);
    void setTopRight(const QVector3D &p);
    void setBottomLeft(const QVector3D &p);

signals:
    void cornersChanged();

private:
    void rebuild();

    QVector3D m_topLeft{0, 0, 0};
    QVector3D m_topRight{1, 0, 0};
    QVector3D m_bottomLeft{0, 1, 0};
    Qt3DCore::QBuffer *m_vertexBuffer;
    Qt3DCore::QBuffer *m_indexBuffer;
};

} // namespace carina
