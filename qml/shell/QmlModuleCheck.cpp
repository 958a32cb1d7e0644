// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "QmlModuleCheck.h"

#include "RequiredQmlModules.h"

#include <QQmlComponent>
#include <QQmlEngine>

namespace carina {

QList<QmlModuleRequirement> requiredQmlModules()
{
    QList<QmlModuleRequirement> modules;
    for (const auto &[module, package] : kRequiredQmlModules)
        modules.append({QString::fromLatin1(module), QString::fromLatin1(package)});
    return modules;
}

QList<QmlModuleRequirement> missingQmlModules(QQmlEngine &engine, const QList<QmlModuleRequirement> &required)
{
    QList<QmlModuleRequirement> missing;
    for (const QmlModuleRequirement &requirement : required) {
        // A component that only imports the module: compiling it resolves the import (qmldir
        // and plugin) without creating anything the module defines.
        QQmlComponent probe(&engine);
        probe.setData(QStringLiteral("import QtQml\nimport %1\nQtObject {}\n").arg(requirement.module).toUtf8(),
                      QUrl(QStringLiteral("qrc:/carina/module-check/%1.qml").arg(requirement.module)));
        if (probe.isError())
            missing.append(requirement);
    }
    return missing;
}

QString missingQmlModulesMessage(const QList<QmlModuleRequirement> &missing)
{
    QStringList modules, packages;
    for (const QmlModuleRequirement &requirement : missing) {
        modules << QStringLiteral("%1 (package %2)").arg(requirement.module, requirement.package);
        if (!packages.contains(requirement.package))
            packages << requirement.package;
    }
    return QStringLiteral("Carina cannot show its window: these Qt QML modules are not installed: %1.\n"
                          "Install them with: sudo apt-get install %2")
        .arg(modules.join(QStringLiteral(", ")), packages.join(u' '));
}

} // namespace carina
