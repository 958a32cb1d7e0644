// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ProcessingPlugin.h>

#include <QStringList>

namespace carina::superpixels {

/// `carina --headless superpixels INPUT --n-segments N --compactness C [--mask-threshold T]
/// [--min-mean M] --output sp.nii.gz [--json]`: SLIC superpixels of INPUT as a label NIfTI on
/// the image's affine; prints counts and timings (one JSON object with --json). Exit 0 on success.
HeadlessCommand superpixelsCommand();
int runSuperpixelsCommand(const QStringList &arguments);

} // namespace carina::superpixels
