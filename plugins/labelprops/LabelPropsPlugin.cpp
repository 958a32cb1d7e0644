// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "LabelPropsPlugin.h"

#include "LabelPropsCommand.h"
#include "LabelPropsController.h"

namespace carina::labelprops {

QUrl LabelPropsPlugin::panelUrl() const
{
    return QUrl(QStringLiteral("qrc:/qt/qml/Carina/Plugins/LabelProps/LabelPropsPanel.qml"));
}

QObject *LabelPropsPlugin::createController(Document *document, QObject *parent)
{
    return new LabelPropsController(document, parent);
}

std::vector<HeadlessCommand> LabelPropsPlugin::headlessCommands() const
{
    return {labelPropsCommand()};
}

} // namespace carina::labelprops
