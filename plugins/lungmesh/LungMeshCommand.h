// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ProcessingPlugin.h>

#include <QStringList>

namespace carina::lungmesh {

/// `carina --headless lungmesh INPUT --output lungs.stl [--labels out.nii.gz] [--csv figures.csv]
/// [--smoothing N] [--triangles N]`: segments the lungs and writes the meshes, labels and figures.
HeadlessCommand lungMeshCommand();

/// Runs the command on `arguments` (what follows the command name); prints the figures on
/// stdout, problems on stderr; returns 0 on success, 1 on bad input or a refused image.
int runLungMeshCommand(const QStringList &arguments);

} // namespace carina::lungmesh
