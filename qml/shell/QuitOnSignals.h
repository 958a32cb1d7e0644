// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <QObject>

#include <functional>

class QSocketNotifier;

namespace carina {

/// Turns SIGTERM (what a desktop session sends at logout, or `kill`) and SIGINT (Ctrl+C in the
/// terminal) into a normal quit: `beforeQuit` runs on the Qt thread (the session closes cleanly:
/// autosave flushed, lock released) and the event loop ends. A second signal while quitting
/// ends the process as the default action would. One instance per process.
class QuitOnSignals : public QObject
{
    Q_OBJECT
public:
    explicit QuitOnSignals(std::function<void()> beforeQuit, QObject *parent = nullptr);
    ~QuitOnSignals() override;

private:
    void quitNow();

    std::function<void()> m_beforeQuit;
    QSocketNotifier *m_notifier = nullptr;
    bool m_quitting = false;
};

} // namespace carina
