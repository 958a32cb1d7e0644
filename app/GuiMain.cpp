// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "GuiMain.h"

#include "AppController.h"

#include <carina/PluginHost.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>

// The shell is a static QML module: its plugin must be pulled in explicitly.
Q_IMPORT_QML_PLUGIN(Carina_ShellPlugin)

namespace carina {

QString findBundledSample()
{
    QStringList candidates;
    const QString fromEnv = qEnvironmentVariable("CARINA_SAMPLE");
    if (!fromEnv.isEmpty())
        candidates << fromEnv;
    if (QCoreApplication::instance())
        candidates << QCoreApplication::applicationDirPath() + QStringLiteral("/../share/carina/sample/lungpetctdx-a0002");
#ifdef CARINA_SOURCE_DIR
    candidates << QStringLiteral(CARINA_SOURCE_DIR "/data/sample/lungpetctdx-a0002");
#endif
    for (const QString &candidate : candidates)
        if (QFileInfo::exists(candidate))
            return QDir::cleanPath(QFileInfo(candidate).absoluteFilePath());
    return {};
}

void configureShellStyle()
{
    // Material in its dark theme: large touch targets and a low-glare palette for reading
    // rooms. The user's own QT_QUICK_CONTROLS_* settings still win.
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(QStringLiteral("Material"));
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_MATERIAL_THEME"))
        qputenv("QT_QUICK_CONTROLS_MATERIAL_THEME", "Dark");
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_MATERIAL_ACCENT"))
        qputenv("QT_QUICK_CONTROLS_MATERIAL_ACCENT", "#4aa3df");
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_MATERIAL_BACKGROUND"))
        qputenv("QT_QUICK_CONTROLS_MATERIAL_BACKGROUND", "#171a1f");
}

QQuickWindow *loadShell(QQmlApplicationEngine &engine, AppController &controller)
{
    // Qt 6.4 has no loadFromModule(), nor the module resource path among its import paths.
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.setInitialProperties({{QStringLiteral("controller"), QVariant::fromValue(&controller)}});
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Carina/Shell/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return nullptr;
    return qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
}

int runGui(int &argc, char **argv, const QString &initialPath)
{
    QCoreApplication::setOrganizationName(QStringLiteral("Carina"));
    QCoreApplication::setApplicationName(QStringLiteral("Carina"));
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Carina"));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.carina.Carina"));
    configureShellStyle();

    PluginHost host;
    host.discover();

    AppController controller(&host);
    QQmlApplicationEngine engine;
    if (!loadShell(engine, controller)) {
        std::fprintf(stderr, "carina: the user interface failed to load (see the QML errors above)\n");
        return 1;
    }

    const QString path = initialPath.isEmpty() ? findBundledSample() : initialPath;
    if (!path.isEmpty())
        controller.openPath(path);
    return app.exec();
}

} // namespace carina
