// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "SmoothingPlugin.h"

#include "SmoothingCommand.h"
#include "SmoothingController.h"

namespace example {

QUrl SmoothingPlugin::panelUrl() const
{
    // The QML module's URI (Example.Smoothing) as a path below qrc:/qt/qml.
    return QUrl(QStringLiteral("qrc:/qt/qml/Example/Smoothing/SmoothingPanel.qml"));
}

QObject *SmoothingPlugin::createController(carina::Document *document, QObject *parent)
{
    return new SmoothingController(document, parent);
}

std::vector<carina::HeadlessCommand> SmoothingPlugin::headlessCommands() const
{
    return {smoothCommand()};
}

} // namespace example
