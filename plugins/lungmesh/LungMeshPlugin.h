// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ProcessingPlugin.h>

#include <QObject>

namespace carina::lungmesh {

/// The "lungmesh" plugin: hands out the lung mesh panel, its controller and the `lungmesh`
/// headless command. The feature lives in LungMeshController, runLungMesh and core's
/// algo::segmentLungs / marchingCubes / taubinSmooth / decimateMesh.
class LungMeshPlugin final : public QObject, public ProcessingPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CARINA_PLUGIN_IID FILE "lungmesh.json")
    Q_INTERFACES(carina::ProcessingPlugin)

public:
    QUrl panelUrl() const override;
    QObject *createController(Document *document, QObject *parent) override;
    std::vector<HeadlessCommand> headlessCommands() const override;
};

} // namespace carina::lungmesh
