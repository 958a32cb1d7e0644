// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "IntensityPlugin.h"

#include "IntensityCommand.h"
#include "IntensityController.h"

namespace carina::intensity {

QUrl IntensityPlugin::panelUrl() const
{
    return QUrl(QStringLiteral("qrc:/qt/qml/Carina/Plugins/Intensity/IntensityPanel.qml"));
}

QObject *IntensityPlugin::createController(Document *document, QObject *parent)
{
    return new IntensityController(document, parent);
}

std::vector<HeadlessCommand> IntensityPlugin::headlessCommands() const
{
    return {intensityCommand()};
}

} // namespace carina::intensity
