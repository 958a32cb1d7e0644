// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/TaskContext.h>

#include <cstddef>
#include <functional>
#include <string>

namespace carina {

/// Where a parallelFor() reports its progress within its task: from `begin` to `end` of the
/// task's 0..1 range, with an optional message.
struct ParallelProgress
{
    double begin = 0.0;
    double end = 1.0;
    std::string message;
};

/// Runs `body(first, last)` over the half-open ranges that together cover [0, count) exactly
/// once, on all cores (oneTBB inside the library: plugins need no TBB of their own).
///
/// Typical use: one call per slice or row range of a volume. Each range is at least `grain`
/// items (use a grain that is a few milliseconds of work). Between ranges `context` is checked:
/// after a cancel no new range starts and parallelFor throws TaskCanceled once the running ones
/// end. Progress goes to `context` as ranges finish. An exception thrown by `body` stops the
/// loop and is rethrown here (the first one, when several threads throw).
///
/// @code
/// carina::parallelFor(std::size_t(d[2]), [&](std::size_t k0, std::size_t k1) {
///     for (std::size_t k = k0; k < k1; ++k)
///         smoothSlice(k);
/// }, context, {0.0, 0.5, "Smoothing"});
/// @endcode
CARINA_CORE_EXPORT void parallelFor(std::size_t count, const std::function<void(std::size_t first, std::size_t last)> &body,
                                    const TaskContext &context = TaskContext::none(), const ParallelProgress &progress = {},
                                    std::size_t grain = 1);

} // namespace carina
