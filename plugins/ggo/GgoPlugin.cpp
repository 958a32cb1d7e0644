// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "GgoPlugin.h"

#include "GgoCommand.h"
#include "GgoController.h"

namespace carina::ggo {

QUrl GgoPlugin::panelUrl() const
{
    return QUrl(QStringLiteral("qrc:/qt/qml/Carina/Plugins/Ggo/GgoPanel.qml"));
}

QObject *GgoPlugin::createController(Document *document, QObject *parent)
{
    return new GgoController(document, parent);
}

std::vector<HeadlessCommand> GgoPlugin::headlessCommands() const
{
    return {ggoCommand()};
}

} // namespace carina::ggo
