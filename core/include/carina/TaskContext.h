// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>

#include <atomic>
#include <functional>
#include <stdexcept>
#include <string>

namespace carina {

/// Thrown by TaskContext::throwIfCanceled(); tasks let it propagate to their runner.
class CARINA_CORE_EXPORT TaskCanceled : public std::runtime_error
{
public:
    TaskCanceled() : std::runtime_error("canceled") {}
};

/// The small handle every long algorithm takes: report progress, honour cancel.
///
/// Thread-safe: the algorithm calls progress()/throwIfCanceled() from its worker thread(s),
/// the UI calls cancel() from the UI thread. The progress callback runs on the calling thread.
class CARINA_CORE_EXPORT TaskContext
{
public:
    using ProgressCallback = std::function<void(double fraction, const std::string &message)>;

    TaskContext() = default;
    explicit TaskContext(ProgressCallback callback) : m_callback(std::move(callback)) {}

    /// fraction 0..1 of the whole task; message may be empty (keeps the last one).
    void progress(double fraction, const std::string &message = {}) const
    {
        if (m_callback)
            m_callback(fraction, message);
    }
    void cancel() { m_canceled.store(true, std::memory_order_relaxed); }
    bool isCanceled() const { return m_canceled.load(std::memory_order_relaxed); }
    void throwIfCanceled() const
    {
        if (isCanceled())
            throw TaskCanceled();
    }
    /// A context that ignores progress and is never canceled, for tests and headless calls.
    static TaskContext &none();

private:
    ProgressCallback m_callback;
    std::atomic<bool> m_canceled{false};
};

/// Maps progress of a sub-step onto [begin, end] of its parent's range and shares its cancel.
class CARINA_CORE_EXPORT SubTask
{
public:
    SubTask(const TaskContext &parent, double begin, double end) : m_parent(parent), m_begin(begin), m_end(end) {}
    void progress(double fraction, const std::string &message = {}) const
    {
        m_parent.progress(m_begin + (m_end - m_begin) * fraction, message);
    }
    void throwIfCanceled() const { m_parent.throwIfCanceled(); }
    bool isCanceled() const { return m_parent.isCanceled(); }

private:
    const TaskContext &m_parent;
    double m_begin;
    double m_end;
};

} // namespace carina
