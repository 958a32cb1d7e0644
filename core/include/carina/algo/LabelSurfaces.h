// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/TaskContext.h>

#include <vector>

namespace carina::algo {

/// One closed surface per label present in `labels` (marching cubes of that label on its box
/// padded by one voxel), in LPS mm, named and coloured from the layer's table, in label order.
/// Labels with no voxel give no mesh. Throws TaskCanceled.
CARINA_CORE_EXPORT std::vector<Mesh> labelSurfaces(const LabelVolume &labels, const TaskContext &context = TaskContext::none());

} // namespace carina::algo
