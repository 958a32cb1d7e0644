// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "MeshSceneModel.h"

#include <carina/Document.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace carina {

MeshSceneModel::MeshSceneModel(QObject *parent) : QAbstractListModel(parent) {}

MeshSceneModel::~MeshSceneModel() = default;

QObject *MeshSceneModel::document() const
{
    return m_document.data();
}

void MeshSceneModel::setDocument(QObject *document)
{
    auto *doc = qobject_cast<Document *>(document);
    if (document && !doc)
        qWarning("MeshSceneModel: document is a %s, not a carina::Document", document->metaObject()->className());
    if (doc == m_document)
        return;
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = doc;
    if (m_document) {
        connect(m_document, &Document::meshesChanged, this, &MeshSceneModel::sync);
        connect(m_document, &Document::imageChanged, this, &MeshSceneModel::updateBounds);
        connect(m_document, &QObject::destroyed, this, [this] {
            m_document = nullptr;
            sync();
        });
    }
    sync();
    emit documentChanged();
}

MeshSceneModel::Entry MeshSceneModel::entryFor(const std::shared_ptr<const Mesh> &mesh)
{
    Entry e;
    e.handle.mesh = mesh;
    e.name = QString::fromStdString(mesh->name);
    e.colour = QVector3D(mesh->colour[0], mesh->colour[1], mesh->colour[2]);
    e.opacity = std::clamp(double(mesh->opacity), 0.0, 1.0);
    e.visible = mesh->visible;
    return e;
}

void MeshSceneModel::sync()
{
    std::vector<Entry> fresh;
    if (m_document) {
        fresh.reserve(std::size_t(m_document->meshCount()));
        for (int i = 0; i < m_document->meshCount(); ++i)
            if (auto mesh = m_document->mesh(i))
                fresh.push_back(entryFor(mesh));
    }
    const int oldCount = int(m_entries.size());
    auto inFresh = [&](const QString &name) {
        return std::any_of(fresh.begin(), fresh.end(), [&](const Entry &e) { return e.name == name; });
    };

    // Names are unique in a Document (setMesh replaces by name), and it keeps its order, so
    // removing the vanished names and inserting the new ones aligns the rows with `fresh`.
    for (int row = int(m_entries.size()) - 1; row >= 0; --row) {
        if (!inFresh(m_entries[std::size_t(row)].name)) {
            beginRemoveRows({}, row, row);
            m_entries.erase(m_entries.begin() + row);
            endRemoveRows();
        }
    }
    for (int row = 0; row < int(fresh.size()); ++row) {
        const Entry &want = fresh[std::size_t(row)];
        if (row < int(m_entries.size()) && m_entries[std::size_t(row)].name == want.name) {
            Entry &have = m_entries[std::size_t(row)];
            QList<int> roles;
            if (have.handle != want.handle)
                roles << MeshRole << TriangleCountRole;
            if (have.colour != want.colour)
                roles << ColourRole;
            if (have.opacity != want.opacity)
                roles << OpacityRole << TransparentRole;
            if (have.visible != want.visible)
                roles << MeshVisibleRole;
            if (!roles.isEmpty()) {
                have = want;
                emit dataChanged(index(row), index(row), roles);
            }
            continue;
        }
        const auto it = std::find_if(m_entries.begin() + row, m_entries.end(),
                                     [&](const Entry &e) { return e.name == want.name; });
        if (it != m_entries.end()) {
            // A reordered document (rare): move the row rather than rebuilding its geometry.
            const int from = int(it - m_entries.begin());
            beginMoveRows({}, from, from, {}, row);
            Entry moved = std::move(*it);
            m_entries.erase(it);
            m_entries.insert(m_entries.begin() + row, std::move(moved));
            endMoveRows();
            --row; // compare the moved row's content on the next pass
            continue;
        }
        beginInsertRows({}, row, row);
        m_entries.insert(m_entries.begin() + row, want);
        endInsertRows();
    }
    if (oldCount != int(m_entries.size()))
        emit countChanged();
    updateBounds();
}

void MeshSceneModel::updateBounds()
{
    Eigen::Vector3d lo = Eigen::Vector3d::Constant(std::numeric_limits<double>::max());
    Eigen::Vector3d hi = -lo;
    bool any = false;
    if (m_document && m_document->hasImage()) {
        // The outer faces of the voxel grid (centres at integers, faces at -0.5 and n-0.5).
        const ImageGeometry &g = m_document->image().geometry();
        for (int c = 0; c < 8; ++c) {
            const Eigen::Vector3d index((c & 1) ? g.dims[0] - 0.5 : -0.5, (c & 2) ? g.dims[1] - 0.5 : -0.5,
                                        (c & 4) ? g.dims[2] - 0.5 : -0.5);
            const Eigen::Vector3d p = g.indexToPhysical(index);
            lo = lo.cwiseMin(p);
            hi = hi.cwiseMax(p);
        }
        any = true;
    } else {
        for (const Entry &e : m_entries) {
            const auto &v = e.handle.mesh->vertices;
            for (std::size_t i = 0; i + 2 < v.size(); i += 3) {
                const Eigen::Vector3d p(v[i], v[i + 1], v[i + 2]);
                if (!p.allFinite())
                    continue;
                lo = lo.cwiseMin(p);
                hi = hi.cwiseMax(p);
                any = true;
            }
        }
    }
    QVector3D center;
    float radius = 100.0f;
    if (any) {
        const Eigen::Vector3d c = 0.5 * (lo + hi);
        center = QVector3D(float(c.x()), float(c.y()), float(c.z()));
        radius = std::max(1.0f, float(0.5 * (hi - lo).norm()));
    }
    if (center != m_center || radius != m_radius) {
        m_center = center;
        m_radius = radius;
        emit boundsChanged();
    }
}

int MeshSceneModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant MeshSceneModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= int(m_entries.size()))
        return {};
    const Entry &e = m_entries[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return e.name;
    case MeshRole: return QVariant::fromValue(e.handle);
    case ColourRole: return e.colour;
    case OpacityRole: return e.opacity;
    case MeshVisibleRole: return e.visible;
    case TransparentRole: return e.opacity < 0.999;
    case TriangleCountRole: return qulonglong(e.handle.mesh->triangleCount());
    default: return {};
    }
}

QHash<int, QByteArray> MeshSceneModel::roleNames() const
{
    return {{NameRole, "name"},
            {MeshRole, "mesh"},
            {ColourRole, "colour"},
            {OpacityRole, "opacity"},
            {MeshVisibleRole, "meshVisible"},
            {TransparentRole, "transparent"},
            {TriangleCountRole, "triangleCount"}};
}

void MeshSceneModel::setOpacity(int row, double opacity)
{
    if (m_document)
        m_document->setMeshOpacity(row, opacity);
}

void MeshSceneModel::setMeshVisible(int row, bool visible)
{
    if (m_document)
        m_document->setMeshVisible(row, visible);
}

} // namespace carina
