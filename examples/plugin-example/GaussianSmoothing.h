// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/TaskContext.h>
#include <carina/Volume.h>

namespace example {

/// Gaussian smoothing with a standard deviation of `sigmaMm` millimetres along every axis
/// (converted to voxels per axis, so anisotropic scans blur isotropically in the patient).
/// Returns a float32 volume on the same grid; the first channel only. Throws TaskCanceled.
carina::Volume smoothGaussian(const carina::Volume &input, double sigmaMm,
                              const carina::TaskContext &context = carina::TaskContext::none());

} // namespace example
