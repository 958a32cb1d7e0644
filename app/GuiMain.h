// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <QString>

class QQmlApplicationEngine;
class QQuickWindow;

namespace carina {

class AppController;

/// Runs the touch shell: creates the QGuiApplication, discovers plugins, shows Main.qml and
/// opens `initialPath` (empty = the bundled sample scan, when found). Returns the exit code.
int runGui(int &argc, char **argv, const QString &initialPath);

/// The bundled sample scan: $CARINA_SAMPLE, `<app dir>/../share/carina/sample/lungpetctdx-a0002`,
/// then the source tree's data/sample; empty when none exists.
QString findBundledSample();

/// Sets the Qt Quick Controls style and palette of the shell. Call before loading QML.
void configureShellStyle();

/// Loads Main.qml into `engine` with `controller`; returns its window, or null (the QML
/// errors are printed). Shared by runGui() and the GUI smoke test.
QQuickWindow *loadShell(QQmlApplicationEngine &engine, AppController &controller);

} // namespace carina
