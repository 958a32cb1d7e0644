// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ProcessingPlugin.h>

#include <QObject>

namespace carina::labelprops {

/// The "labelprops" plugin: the region-properties panel, its controller and the `labelprops`
/// headless command. The feature lives in LabelPropsController and the core's region algorithms.
class LabelPropsPlugin final : public QObject, public ProcessingPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CARINA_PLUGIN_IID FILE "labelprops.json")
    Q_INTERFACES(carina::ProcessingPlugin)

public:
    QUrl panelUrl() const override;
    QObject *createController(Document *document, QObject *parent) override;
    std::vector<HeadlessCommand> headlessCommands() const override;
};

} // namespace carina::labelprops
