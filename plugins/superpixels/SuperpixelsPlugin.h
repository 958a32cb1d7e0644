// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ProcessingPlugin.h>

#include <QObject>

namespace carina::superpixels {

/// The "superpixels" plugin (seed 001): the panel, its controller and the `superpixels` headless
/// command. The feature lives in SuperpixelsController and the core's algo::slicSuperpixels.
class SuperpixelsPlugin final : public QObject, public ProcessingPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CARINA_PLUGIN_IID FILE "superpixels.json")
    Q_INTERFACES(carina::ProcessingPlugin)

public:
    QUrl panelUrl() const override;
    QObject *createController(Document *document, QObject *parent) override;
    std::vector<HeadlessCommand> headlessCommands() const override;
};

} // namespace carina::superpixels
