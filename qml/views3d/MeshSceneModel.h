// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "MeshHandle.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QVector3D>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace carina {

class Document;

/// The document's meshes as a list model for the 3D view: one row per Mesh, in document order.
///
/// Rows are kept stable across Document::meshesChanged: a replaced, recoloured or hidden mesh
/// updates its row (so the entity and its uploaded buffers survive an opacity change), added and
/// removed meshes insert and remove rows. Also gives the scene bounds the camera fits to.
class MeshSceneModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    /// The carina::Document whose meshes are listed (not owned).
    Q_PROPERTY(QObject *document READ document WRITE setDocument NOTIFY documentChanged)
    /// Centre of the scene in LPS mm: the image box when there is an image, else the meshes' box.
    Q_PROPERTY(QVector3D center READ center NOTIFY boundsChanged)
    /// Radius of the sphere around the scene box, mm (> 0; 100 for an empty scene).
    Q_PROPERTY(float radius READ radius NOTIFY boundsChanged)
    Q_PROPERTY(int count READ rowCountProperty NOTIFY countChanged)

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        MeshRole,        ///< MeshHandle for MeshGeometry.mesh
        ColourRole,      ///< QVector3D, RGB 0..1
        OpacityRole,     ///< double 0..1
        MeshVisibleRole, ///< bool
        TransparentRole, ///< bool: opacity < 1, drawn in the sorted, blended pass
        TriangleCountRole,
    };
    Q_ENUM(Role)

    explicit MeshSceneModel(QObject *parent = nullptr);
    ~MeshSceneModel() override;

    QObject *document() const;
    void setDocument(QObject *document);
    QVector3D center() const { return m_center; }
    float radius() const { return m_radius; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Shortcuts to the document, by row (= document mesh index).
    Q_INVOKABLE void setOpacity(int row, double opacity);
    Q_INVOKABLE void setMeshVisible(int row, bool visible);

signals:
    void documentChanged();
    void boundsChanged();
    void countChanged();

private:
    struct Entry
    {
        MeshHandle handle;
        QString name;
        QVector3D colour;
        double opacity = 1.0;
        bool visible = true;
    };

    int rowCountProperty() const { return int(m_entries.size()); }
    void sync();
    void updateBounds();
    static Entry entryFor(const std::shared_ptr<const Mesh> &mesh);

    QPointer<Document> m_document;
    std::vector<Entry> m_entries;
    QVector3D m_center;
    float m_radius = 100.0f;
};

} // namespace carina
