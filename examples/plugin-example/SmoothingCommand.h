// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/ProcessingPlugin.h>

namespace example {

/// `carina --headless smooth INPUT --sigma MM --output OUT.nii.gz`
carina::HeadlessCommand smoothCommand();

} // namespace example
