// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/Parallel.h>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <atomic>
#include <mutex>

namespace carina {

void parallelFor(std::size_t count, const std::function<void(std::size_t, std::size_t)> &body, const TaskContext &context,
                 const ParallelProgress &progress, std::size_t grain)
{
    context.throwIfCanceled();
    if (count == 0)
        return;
    std::atomic<std::size_t> done{0};
    std::atomic<int> lastPercent{-1};
    std::mutex reporting;
    std::size_t reported = 0; // guarded by `reporting`: fractions only grow
    tbb::task_group_context group;
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, count, std::max<std::size_t>(1, grain)),
        [&](const tbb::blocked_range<std::size_t> &range) {
            if (context.isCanceled()) {
                group.cancel_group_execution(); // no new ranges; the running ones finish
                return;
            }
            body(range.begin(), range.end());
            const std::size_t finished = done.fetch_add(range.size()) + range.size();
            // At most about one report per percent: a progress bar needs no more, and a
            // report may cross threads.
            const int percent = int(100 * finished / count);
            int previous = lastPercent.load();
            if (percent <= previous || !lastPercent.compare_exchange_strong(previous, percent))
                return;
            const std::lock_guard lock(reporting);
            if (finished <= reported)
                return;
            reported = finished;
            context.progress(progress.begin + (progress.end - progress.begin) * double(finished) / double(count), progress.message);
        },
        group);
    context.throwIfCanceled();
}

} // namespace carina
