// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "TrainablePlugin.h"

#include "TrainableCommand.h"
#include "TrainableController.h"

namespace carina::trainable {

QUrl TrainablePlugin::panelUrl() const
{
    return QUrl(QStringLiteral("qrc:/qt/qml/Carina/Plugins/Trainable/TrainablePanel.qml"));
}

QObject *TrainablePlugin::createController(Document *document, QObject *parent)
{
    return new TrainableController(document, parent);
}

std::vector<HeadlessCommand> TrainablePlugin::headlessCommands() const
{
    return {trainCommand(), applyCommand()};
}

} // namespace carina::trainable
