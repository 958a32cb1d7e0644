// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/PluginHost.h>
#include <carina/ProcessingPlugin.h>

#include <QStringList>

#include <functional>
#include <vector>

namespace carina {

/// The commands built into the executable: `info`, `convert` and `plugins`. `plugins` asks `host` for the
/// discovered plugins when it runs, so other commands do not pay for plugin discovery.
std::vector<HeadlessCommand> builtinHeadlessCommands(std::function<const PluginHost &()> host);

/// `info FILE|FOLDER [--json]`: geometry, voxel type, value range, modality and warnings of an
/// image; never patient identity. 0 on success, 1 with a message on stderr.
int runInfoCommand(const QStringList &arguments);

/// `convert INPUT OUTPUT.nii[.gz] [--series N|UID] [--json]`: any readable input to NIfTI on its
/// affine (the DICOM series as Carina reads it: sorted, rescaled, LPS geometry written as RAS).
/// 0 on success, 1 with a message on stderr.
int runConvertCommand(const QStringList &arguments);

/// `plugins [--json] [--retry FILE]`: every plugin file found, loaded or not, with the reason.
/// `--retry` first lets a plugin that crashed a start load again. `discovered` returns the host
/// after discovery. 0 unless the arguments are wrong.
int runPluginsCommand(const std::function<const PluginHost &()> &discovered, const QStringList &arguments);

} // namespace carina
