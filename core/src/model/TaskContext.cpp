// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/TaskContext.h>

namespace carina {

TaskContext &TaskContext::none()
{
    // Never canceled by anyone: cancel() is not called on the shared instance.
    static TaskContext context;
    return context;
}

} // namespace carina
