// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ProcessingPlugin.h>

#include <QObject>

namespace example {

/// The plugin class: small and final. It hands out the panel, the controller and the command.
class SmoothingPlugin final : public QObject, public carina::ProcessingPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CARINA_PLUGIN_IID FILE "smoothing.json")
    Q_INTERFACES(carina::ProcessingPlugin)

public:
    QUrl panelUrl() const override;
    QObject *createController(carina::Document *document, QObject *parent) override;
    std::vector<carina::HeadlessCommand> headlessCommands() const override;
};

} // namespace example
