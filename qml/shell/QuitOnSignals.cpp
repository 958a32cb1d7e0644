// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "QuitOnSignals.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>

#include <sys/socket.h>
#include <unistd.h>

namespace carina {

namespace {

// A signal handler may only do async-signal-safe things: it writes one byte into a socket the
// event loop watches (the self-pipe pattern), and the quit happens on the Qt thread.
int g_pipe[2] = {-1, -1};

void onSignal(int signal)
{
    const unsigned char byte = static_cast<unsigned char>(signal);
    [[maybe_unused]] const ssize_t n = ::write(g_pipe[0], &byte, 1);
}

void setHandler(void (*handler)(int))
{
    struct sigaction action = {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

} // namespace

QuitOnSignals::QuitOnSignals(std::function<void()> beforeQuit, QObject *parent)
    : QObject(parent), m_beforeQuit(std::move(beforeQuit))
{
    if (g_pipe[0] >= 0 || ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_pipe) != 0) {
        std::fputs("carina: cannot watch SIGTERM/SIGINT; they will end the app without saving\n", stderr);
        return;
    }
    m_notifier = new QSocketNotifier(g_pipe[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        unsigned char byte = 0;
        [[maybe_unused]] const ssize_t n = ::read(g_pipe[1], &byte, 1);
        quitNow();
    });
    setHandler(&onSignal);
}

QuitOnSignals::~QuitOnSignals()
{
    if (!m_notifier)
        return;
    setHandler(SIG_DFL);
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
}

void QuitOnSignals::quitNow()
{
    if (m_quitting)
        return;
    m_quitting = true;
    // Whoever insists (a second signal) gets the default action: the process ends at once.
    setHandler(SIG_DFL);
    if (m_beforeQuit)
        m_beforeQuit();
    // exit(), not quit(): Qt 6's quit() first asks every window to close, and the shell's
    // window refuses while a dialog would ask about unsaved work. A logout cannot wait for an
    // answer; the work is already in the autosave.
    QCoreApplication::exit(0);
}

} // namespace carina
