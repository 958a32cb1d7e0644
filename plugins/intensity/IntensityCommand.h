// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ProcessingPlugin.h>

#include <QStringList>

namespace carina::intensity {

/// `carina --headless intensity FILE [--bins N] [--json]`: histogram and statistics of an image.
HeadlessCommand intensityCommand();

/// Runs the command on `arguments` (what follows the command name); prints the result on
/// stdout, problems on stderr; returns 0 on success, 1 on bad input.
int runIntensityCommand(const QStringList &arguments);

} // namespace carina::intensity
