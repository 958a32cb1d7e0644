// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/ProcessingPlugin.h>

namespace carina {

// Out of line so the interface's vtable and typeinfo live once, in libcarina-core.
ProcessingPlugin::~ProcessingPlugin() = default;

std::vector<HeadlessCommand> ProcessingPlugin::headlessCommands() const
{
    return {};
}

} // namespace carina
