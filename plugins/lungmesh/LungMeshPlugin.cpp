// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "LungMeshPlugin.h"

#include "LungMeshCommand.h"
#include "LungMeshController.h"

namespace carina::lungmesh {

QUrl LungMeshPlugin::panelUrl() const
{
    return QUrl(QStringLiteral("qrc:/qt/qml/Carina/Plugins/LungMesh/LungMeshPanel.qml"));
}

QObject *LungMeshPlugin::createController(Document *document, QObject *parent)
{
    return new LungMeshController(document, parent);
}

std::vector<HeadlessCommand> LungMeshPlugin::headlessCommands() const
{
    return {lungMeshCommand()};
}

} // namespace carina::lungmesh
