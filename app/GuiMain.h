// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <QGuiApplication>
#include <QPointer>
#include <QString>

class QQmlApplicationEngine;
class QQuickWindow;

namespace carina {

class AppController;

/// The shell's QGuiApplication: an exception that escapes while Qt delivers an event (a
/// plugin's slot on its task's QFutureWatcher, a timer, a queued call) is caught here, reported
/// through the AppController with the plugin's name, and the event loop carries on. The events
/// in question unwind only through QtCore, which is built with exception support; calls from
/// QML are caught earlier, in front of the QML engine (guardPluginObject()).
class ShellApplication : public QGuiApplication
{
public:
    ShellApplication(int &argc, char **argv) : QGuiApplication(argc, argv) {}
    /// Where caught exceptions are reported; without one they are printed on stderr.
    void setController(AppController *controller);
    bool notify(QObject *receiver, QEvent *event) override;

private:
    QPointer<QObject> m_controller; // an AppController; QPointer needs only QObject here
};

/// Runs the touch shell: creates the QGuiApplication, discovers plugins, shows Main.qml and
/// opens `initialPath` (empty = the bundled sample scan, when found). Returns the exit code.
int runGui(int &argc, char **argv, const QString &initialPath, const QString &pixelSize = {});

/// The bundled sample scan: $CARINA_SAMPLE, `<app dir>/../share/carina/sample/lungpetctdx-a0002`,
/// then the source tree's data/sample; empty when none exists.
QString findBundledSample();

/// Sets the Qt Quick Controls style and palette of the shell. Call before loading QML.
void configureShellStyle();

/// Loads Main.qml into `engine` with `controller`; returns its window, or null (the QML
/// errors are printed). Shared by runGui() and the GUI smoke test.
QQuickWindow *loadShell(QQmlApplicationEngine &engine, AppController &controller);

} // namespace carina
