// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ProcessingPlugin.h>

#include <QStringList>

namespace carina::ggo {

/// `carina --headless ggo INPUT --box X0:X1,Y0:Y1,Z0:Z1 [--low HU] [--high HU] [--labels OUT.nii.gz]
/// [--mesh OUT.stl]`: the GGO in a box of voxel indices (half-open), its volume and pieces.
HeadlessCommand ggoCommand();

/// Runs the command on `arguments` (what follows the command name); figures on stdout, problems
/// on stderr; returns 0 on success, 1 on bad input.
int runGgoCommand(const QStringList &arguments);

} // namespace carina::ggo
