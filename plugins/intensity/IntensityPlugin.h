// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ProcessingPlugin.h>

#include <QObject>

namespace carina::intensity {

/// The "intensity" plugin: hands out the histogram panel, its controller and the
/// `intensity` headless command. The feature lives in IntensityController and algo::computeHistogram.
class IntensityPlugin final : public QObject, public ProcessingPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CARINA_PLUGIN_IID FILE "intensity.json")
    Q_INTERFACES(carina::ProcessingPlugin)

public:
    QUrl panelUrl() const override;
    QObject *createController(Document *document, QObject *parent) override;
    std::vector<HeadlessCommand> headlessCommands() const override;
};

} // namespace carina::intensity
