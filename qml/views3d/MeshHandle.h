// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/Mesh.h>

#include <QMetaType>

#include <memory>

namespace carina {

/// A shared, read-only reference to one of the document's meshes, passed through QML as a
/// QVariant (from MeshSceneModel's `mesh` role to MeshGeometry's `mesh` property). Two handles
/// are equal when they point at the same Mesh object: a replaced mesh is a new object.
struct MeshHandle
{
    std::shared_ptr<const Mesh> mesh;

    friend bool operator==(const MeshHandle &a, const MeshHandle &b) { return a.mesh == b.mesh; }
    friend bool operator!=(const MeshHandle &a, const MeshHandle &b) { return a.mesh != b.mesh; }
};

} // namespace carina

Q_DECLARE_METATYPE(carina::MeshHandle)
