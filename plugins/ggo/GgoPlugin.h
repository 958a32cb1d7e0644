// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ProcessingPlugin.h>

#include <QObject>

namespace carina::ggo {

/// The "ggo" plugin (seed 000): hands out the GGO panel, its controller and the `ggo` headless
/// command. The feature lives in GgoController, runGgo and core's algo::extractGroundGlass.
class GgoPlugin final : public QObject, public ProcessingPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CARINA_PLUGIN_IID FILE "ggo.json")
    Q_INTERFACES(carina::ProcessingPlugin)

public:
    QUrl panelUrl() const override;
    QObject *createController(Document *document, QObject *parent) override;
    std::vector<HeadlessCommand> headlessCommands() const override;
};

} // namespace carina::ggo
