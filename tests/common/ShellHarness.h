// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "AppController.h"
#include "GuiMain.h"

#include <carina/PluginHost.h>

#include <QDir>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>

namespace carina::test {

/// Keeps autosaves and settings in `home/<name>` instead of the user's folders: a layer or a
/// region a GUI test makes must not greet the next start with "did not close normally". Call it
/// before the shell is made, with a name of its own per run.
inline void useTestFolders(const QTemporaryDir &home, const QString &name)
{
    qputenv("XDG_DATA_HOME", home.filePath(name + QStringLiteral("/data")).toUtf8());
    qputenv("XDG_CONFIG_HOME", home.filePath(name + QStringLiteral("/config")).toUtf8());
}

/// The shell as the app starts it: the build tree's plugins, the controller, Main.qml in a window
/// of the given size. start() returns false and sets error() instead of failing the test (QVERIFY
/// returns only from the function it is written in).
class ShellHarness
{
public:
    ShellHarness() : m_controller(&m_host) {}

    [[nodiscard]] bool start(QSize size)
    {
        m_window = loadShell(m_engine, m_controller);
        if (!m_window)
            return fail(QStringLiteral("Main.qml did not load"));
        m_window->resize(size);
        if (!QTest::qWaitForWindowExposed(m_window))
            return fail(QStringLiteral("the window was never exposed"));
        return true;
    }

    /// Opens `path` and waits for the image (two minutes at most).
    [[nodiscard]] bool open(const QString &path)
    {
        m_controller.openPath(path);
        const bool opened = QTest::qWaitFor([this] { return !m_controller.busy() && m_controller.document()->hasImage(); }, 120000);
        if (!m_controller.lastError().isEmpty())
            return fail(m_controller.lastError());
        return opened || fail(QStringLiteral("%1 did not open within two minutes").arg(path));
    }

    AppController &controller() { return m_controller; }
    QQuickWindow *window() const { return m_window; }
    const QString &error() const { return m_error; }

private:
    bool fail(const QString &error)
    {
        m_error = error;
        return false;
    }

    struct Discovered : PluginHost
    {
        Discovered() { discover(); } // lib/carina/plugins beside bin/, as the app finds them
    } m_host;
    AppController m_controller;
    QQmlApplicationEngine m_engine;
    QQuickWindow *m_window = nullptr;
    QString m_error;
};

} // namespace carina::test
