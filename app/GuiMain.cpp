// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "GuiMain.h"

#include "AppController.h"
#include "QmlModuleCheck.h"
#include "QuitOnSignals.h"

#include <carina/Document.h>
#include <carina/PluginHost.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSaveFile>
#include <QThread>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>
#include <functional>
#include <memory>

// The shell is a static QML module: its plugin must be pulled in explicitly.
Q_IMPORT_QML_PLUGIN(Carina_ShellPlugin)
Q_IMPORT_QML_PLUGIN(Carina_ControlsPlugin)

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

void ShellApplication::setController(AppController *controller)
{
    m_controller = controller;
}

bool ShellApplication::notify(QObject *receiver, QEvent *event)
{
    try {
        return QGuiApplication::notify(receiver, event);
    } catch (...) {
        const QString message = currentExceptionMessage();
        if (auto *controller = static_cast<AppController *>(m_controller.data())) {
            controller->reportException(receiver, message);
        } else {
            std::fprintf(stderr, "carina: an exception escaped while delivering an event to a %s: %s\n",
                         receiver ? receiver->metaObject()->className() : "null object", qUtf8Printable(message));
        }
        return false;
    }
}

namespace {

QQuickItem *findNamedItem(QQuickItem *root, const QString &name)
{
    if (!root || root->objectName() == name)
        return root;
    for (QQuickItem *child : root->childItems())
        if (QQuickItem *found = findNamedItem(child, name))
            return found;
    return nullptr;
}

// Runs the event loop until `condition` holds or `timeoutMs` passes; false on the timeout.
bool processEventsUntil(const std::function<bool()> &condition, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

// Opens and cancels each Qt Quick dialog (FileDialog, FolderDialog, ...) below `root`, as a user
// who changes their mind would. A dialog whose implementation cannot load takes the process down
// in Qt 6.4, so the report is only written if every one survived.
void exerciseDialogsBelow(QObject *root, const QString &where, QJsonArray &out)
{
    if (!root)
        return;
    for (QObject *dialog : root->findChildren<QObject *>()) {
        if (!dialog->inherits("QQuickAbstractDialog"))
            continue;
        const auto visible = [dialog] { return dialog->property("visible").toBool(); };
        QMetaObject::invokeMethod(dialog, "open");
        const bool opened = processEventsUntil(visible, 10000);
        QMetaObject::invokeMethod(dialog, "reject");
        const bool closed = processEventsUntil([&] { return !visible(); }, 10000);
        out.append(QJsonObject{{QStringLiteral("where"), where},
                               {QStringLiteral("title"), dialog->property("title").toString()},
                               {QStringLiteral("opened"), opened},
                               {QStringLiteral("closed"), closed}});
    }
}

// The shell's dialogs, then those of each loaded plugin's panel (opened in turn).
QJsonArray exerciseEveryDialog(QQuickWindow *window, AppController *controller)
{
    QJsonArray results;
    exerciseDialogsBelow(window, QStringLiteral("shell"), results);
    const PluginListModel *model = controller->plugins();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row);
        if (!model->data(index, PluginListModel::LoadedRole).toBool())
            continue;
        const QString id = model->data(index, PluginListModel::IdRole).toString();
        QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, id),
                                  Q_ARG(QVariant, model->data(index, PluginListModel::NameRole)));
        QQuickItem *panel = nullptr;
        processEventsUntil([&] {
            const QQuickItem *loader = findNamedItem(window->contentItem(), QStringLiteral("pluginPanelLoader"));
            panel = loader ? loader->property("item").value<QQuickItem *>() : nullptr;
            return panel && QUrl(loader->property("source").toUrl()) == controller->panelUrlFor(id);
        }, 10000);
        exerciseDialogsBelow(panel, id, results);
    }
    return results;
}

// $CARINA_STARTUP_REPORT=FILE.json: once the window is shown and the first load is over, write
// what the user would see (window, image, the plugin tiles) to FILE.json and a screenshot to
// FILE.png, then quit. How the desktop-entry test checks a start from the menu.
void reportStartupWhenReady(QQuickWindow *window, AppController *controller, const QString &reportPath)
{
    auto *timer = new QTimer(window);
    auto *clock = new QElapsedTimer;
    clock->start();
    QObject::connect(timer, &QTimer::timeout, window, [=] {
        const bool timedOut = clock->elapsed() > 180000;
        if (!timedOut && (!window->isExposed() || controller->busy()))
            return;
        timer->stop();
        delete clock;
        // $CARINA_STARTUP_OPEN_PLUGIN=ID also opens that plugin's panel, as a tap on its tile does.
        const QString openPlugin = qEnvironmentVariable("CARINA_STARTUP_OPEN_PLUGIN");
        if (!openPlugin.isEmpty())
            QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, openPlugin), Q_ARG(QVariant, openPlugin));
        // Give the views (and the panel's drawer) a moment to draw.
        QTimer::singleShot(openPlugin.isEmpty() ? 800 : 2000, window, [=] {
            QJsonArray plugins;
            const PluginListModel *model = controller->plugins();
            for (int row = 0; row < model->rowCount(); ++row) {
                const QModelIndex index = model->index(row);
                plugins.append(QJsonObject{{QStringLiteral("id"), model->data(index, PluginListModel::IdRole).toString()},
                                           {QStringLiteral("name"), model->data(index, PluginListModel::NameRole).toString()},
                                           {QStringLiteral("loaded"), model->data(index, PluginListModel::LoadedRole).toBool()},
                                           {QStringLiteral("error"), model->data(index, PluginListModel::ErrorRole).toString()},
                                           {QStringLiteral("iconLoads"), [&] {
                                                const QUrl icon = model->data(index, PluginListModel::IconUrlRole).toUrl();
                                                return !icon.isEmpty() && !QImage(QLatin1Char(':') + icon.path()).isNull();
                                            }()}});
            }
            const QQuickItem *tiles = findNamedItem(window->contentItem(), QStringLiteral("toolTiles"));
            QJsonObject report{
                {QStringLiteral("timedOut"), timedOut},
                {QStringLiteral("windowVisible"), window->isVisible() && window->isExposed()},
                {QStringLiteral("title"), window->title()},
                {QStringLiteral("width"), window->width()},
                {QStringLiteral("height"), window->height()},
                {QStringLiteral("portrait"), window->property("portrait").toBool()},
                {QStringLiteral("hasImage"), controller->document()->hasImage()},
                {QStringLiteral("lastError"), controller->lastError()},
                {QStringLiteral("tilesShown"), tiles && tiles->isVisible() ? tiles->property("count").toInt() : 0},
                {QStringLiteral("panelLoaded"), [&] {
                     const QQuickItem *loader = findNamedItem(window->contentItem(), QStringLiteral("pluginPanelLoader"));
                     return loader && loader->property("item").value<QQuickItem *>() != nullptr;
                 }()},
                {QStringLiteral("shellErrors"), window->property("errorText").toString() + window->property("pluginErrorText").toString()},
                {QStringLiteral("plugins"), plugins}};
            QString png = reportPath;
            png.replace(QRegularExpression(QStringLiteral("\\.json$")), QString());
            window->grabWindow().save(png + QStringLiteral(".png"));
            // $CARINA_STARTUP_EXERCISE_DIALOGS=1: open and cancel every dialog (shell and panels).
            if (!qEnvironmentVariableIsEmpty("CARINA_STARTUP_EXERCISE_DIALOGS"))
                report.insert(QStringLiteral("dialogs"), exerciseEveryDialog(window, controller));
            QSaveFile file(reportPath);
            const bool written = file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(report).toJson()) > 0 && file.commit();
            if (!written)
                std::fprintf(stderr, "carina: cannot write the startup report %s\n", qUtf8Printable(reportPath));
            QCoreApplication::exit(written && !timedOut ? 0 : 1);
        });
    });
    timer->start(100);
}

// Tells the user which QML modules are missing: on stderr, and in a plain window when QtQuick
// itself loads (a start from the desktop menu has no terminal). Returns the exit code.
int reportMissingQmlModules(QQmlApplicationEngine &engine, const QList<QmlModuleRequirement> &missing)
{
    const QString message = missingQmlModulesMessage(missing);
    std::fprintf(stderr, "carina: %s\n", qUtf8Printable(message));
    if (!qEnvironmentVariableIsEmpty("CARINA_STARTUP_REPORT"))
        return 1;
    QQmlComponent component(&engine);
    component.setData(QByteArrayLiteral("import QtQuick\n"
                                        "Window {\n"
                                        "    required property string message\n"
                                        "    width: 640; height: 240; visible: true; color: \"#171a1f\"\n"
                                        "    title: \"Carina cannot start\"\n"
                                        "    Text {\n"
                                        "        anchors.fill: parent; anchors.margins: 24\n"
                                        "        text: parent.message; color: \"white\"; font.pixelSize: 16\n"
                                        "        wrapMode: Text.Wrap; textFormat: Text.PlainText\n"
                                        "    }\n"
                                        "}\n"),
                      QUrl(QStringLiteral("qrc:/carina/MissingModules.qml")));
    std::unique_ptr<QObject> window(component.createWithInitialProperties({{QStringLiteral("message"), message}}));
    if (window)
        QGuiApplication::exec();
    return 1;
}

} // namespace

int runGui(int &argc, char **argv, const QString &initialPath, const QString &pixelSize)
{
    QCoreApplication::setOrganizationName(QStringLiteral("Carina"));
    QCoreApplication::setApplicationName(QStringLiteral("Carina"));
    ShellApplication app(argc, argv);
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Carina"));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.carina.Carina"));
    configureShellStyle();

    PluginHost host;
    host.setJournal(PluginHost::defaultJournalPath());
    host.discover();

    AppController controller(&host);
    app.setController(&controller);
    QQmlApplicationEngine engine;
    if (const auto missing = missingQmlModules(engine, requiredQmlModules()); !missing.isEmpty())
        return reportMissingQmlModules(engine, missing);
    if (!loadShell(engine, controller)) {
        std::fprintf(stderr, "carina: the user interface failed to load (see the QML errors above)\n");
        return 1;
    }

    // Logout sends SIGTERM: the work is saved on the way out as on a normal close, so the next
    // start does not take it for a crash.
    QuitOnSignals quitOnSignals([&controller] { controller.session()->closeCleanly(); });

    const QString path = initialPath.isEmpty() ? findBundledSample() : initialPath;
    if (!pixelSize.isEmpty()) {
        // The first image that opens gets the pixel size (`carina IMG --pixel-size 0.65um`).
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = QObject::connect(&controller, &AppController::loaded, &controller, [&controller, pixelSize, once] {
            QObject::disconnect(*once);
            const QString problem = controller.document()->setPixelSize(pixelSize);
            if (!problem.isEmpty())
                std::fprintf(stderr, "carina: --pixel-size: %s\n", qUtf8Printable(problem));
        });
    }
    if (!path.isEmpty())
        controller.openPath(path);
    const QString report = qEnvironmentVariable("CARINA_STARTUP_REPORT");
    if (!report.isEmpty())
        reportStartupWhenReady(qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst()), &controller, report);
    return app.exec();
}

} // namespace carina
