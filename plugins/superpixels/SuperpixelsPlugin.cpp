// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "SuperpixelsPlugin.h"

#include "SuperpixelsCommand.h"
#include "SuperpixelsController.h"

namespace carina::superpixels {

QUrl SuperpixelsPlugin::panelUrl() const
{
    return QUrl(QStringLiteral("qrc:/qt/qml/Carina/Plugins/Superpixels/SuperpixelsPanel.qml"));
}

QObject *SuperpixelsPlugin::createController(Document *document, QObject *parent)
{
    return new SuperpixelsController(document, parent);
}

std::vector<HeadlessCommand> SuperpixelsPlugin::headlessCommands() const
{
    return {superpixelsCommand()};
}

} // namespace carina::superpixels
