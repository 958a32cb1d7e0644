// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ProcessingPlugin.h>
#include <carina/Volume.h>

#include <string>

namespace carina::labelprops {

/// `carina --headless labelprops INPUT [--threshold otsu|VALUE] [--dark] [--connectivity N]
/// [--min-size N] --csv FILE [--columns a,b,...] [--labels FILE.nii.gz|.png]`
HeadlessCommand labelPropsCommand();
int runLabelPropsCommand(const QStringList &arguments);

/// Reads an image for the command: a .npy array (2D (rows, cols) or 3D (z, y, x), uint8, int16,
/// uint16 or float32, unit spacing) or anything io::readVolume reads. Throws with the file's name.
Volume readInputImage(const std::string &path);

} // namespace carina::labelprops
