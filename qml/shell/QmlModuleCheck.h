// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <QList>
#include <QString>

class QQmlEngine;

namespace carina {

/// A QML module the shell loads at run time and the Debian package that installs it.
struct QmlModuleRequirement
{
    QString module;
    QString package;
};

/// The modules of packaging/qml-modules.txt, compiled in.
QList<QmlModuleRequirement> requiredQmlModules();

/// The entries of `required` that `engine` cannot import. Qt resolves a QML import only when a
/// file using it loads, and some imports are Qt's own (its non-native file dialog needs
/// Qt.labs.folderlistmodel): without this check a missing package shows up as a crash the
/// first time a dialog opens instead of a message at start-up.
QList<QmlModuleRequirement> missingQmlModules(QQmlEngine &engine, const QList<QmlModuleRequirement> &required);

/// What to tell the user about `missing`: the modules, their packages and the install command.
QString missingQmlModulesMessage(const QList<QmlModuleRequirement> &missing);

} // namespace carina
