// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "HeadlessCommands.h"

#include <carina/PixelSize.h>
#include <carina/PluginHost.h>
#include <carina/ProcessMemory.h>
#include <carina/Version.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#ifdef CARINA_WITH_GUI
#  include "GuiMain.h"
#endif

namespace {

Q_LOGGING_CATEGORY(lcMain, "carina.main", QtInfoMsg)

using carina::HeadlessCommand;
using carina::PluginHost;

// Discovers plugins on first use, so `carina --headless info` does not load any plugin code.
class LazyPluginHost
{
public:
    const PluginHost &get()
    {
        if (!m_discovered) {
            m_host.setJournal(PluginHost::defaultJournalPath());
            m_host.discover();
            m_discovered = true;
        }
        return m_host;
    }

private:
    PluginHost m_host;
    bool m_discovered = false;
};

// Built-in commands first: a plugin cannot replace `info` or `plugins`.
std::vector<HeadlessCommand> allCommands(LazyPluginHost &host, bool withPlugins)
{
    std::vector<HeadlessCommand> commands = carina::builtinHeadlessCommands([&host]() -> const PluginHost & { return host.get(); });
    if (!withPlugins)
        return commands;
    for (HeadlessCommand &command : host.get().headlessCommands()) {
        const bool taken = std::any_of(commands.begin(), commands.end(),
                                       [&](const HeadlessCommand &c) { return c.name == command.name; });
        if (taken)
            std::fprintf(stderr, "carina: plugin command \"%s\" clashes with a built-in command, ignored\n",
                         qUtf8Printable(command.name));
        else
            commands.push_back(std::move(command));
    }
    return commands;
}

QString commandsHelp(const std::vector<HeadlessCommand> &commands, std::size_t builtinCount)
{
    QString text;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        if (i == 0)
            text += QStringLiteral("\nBuilt-in headless commands (carina --headless COMMAND ARGS...):\n");
        else if (i == builtinCount)
            text += QStringLiteral("\nPlugin headless commands:\n");
        text += QStringLiteral("  %1 %2\n      %3\n").arg(commands[i].name, commands[i].usage, commands[i].summary);
    }
    if (commands.size() == builtinCount)
        text += QStringLiteral("\nNo plugin offers headless commands (see carina --list-plugins).\n");
    return text;
}

// Qt finds settings and data through the XDG variables: pointing them into DIR before the
// application object exists moves every file Carina keeps (QSettings, autosaves, journal).
bool useProfile(const QString &dir)
{
    const QString absolute = QDir(dir).absolutePath();
    for (const char *sub : {"config", "data", "cache"}) {
        if (!QDir().mkpath(absolute + QLatin1Char('/') + QLatin1String(sub))) {
            std::fprintf(stderr, "carina: --profile: cannot create %s/%s\n", qUtf8Printable(absolute), sub);
            return false;
        }
    }
    // Only the user may read it: it will hold autosaves of patients' images.
    QFile::setPermissions(absolute, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(absolute + QStringLiteral("/config")));
    qputenv("XDG_DATA_HOME", QFile::encodeName(absolute + QStringLiteral("/data")));
    qputenv("XDG_CACHE_HOME", QFile::encodeName(absolute + QStringLiteral("/cache")));
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    carina::applyProcessMemoryPolicy();
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    // Everything after `--headless COMMAND` belongs to the command, options included.
    const qsizetype headlessAt = arguments.indexOf(QStringLiteral("--headless"));
    const QStringList ownArguments = headlessAt < 0 ? arguments : arguments.mid(0, headlessAt + 1);
    const QStringList commandLine = headlessAt < 0 ? QStringList() : arguments.mid(headlessAt + 1);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Carina: touch-first segmentation and 3D visualisation of medical images."));
    const QCommandLineOption helpOption({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help and the headless commands."));
    const QCommandLineOption versionOption({QStringLiteral("v"), QStringLiteral("version")}, QStringLiteral("Show the version."));
    const QCommandLineOption listPluginsOption(QStringLiteral("list-plugins"), QStringLiteral("List the plugins found: id, status, file, reason."));
    const QCommandLineOption headlessOption(QStringLiteral("headless"), QStringLiteral("Run COMMAND ARGS... without a window (see below)."));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"), QStringLiteral("Log what Carina does on stderr (logging categories carina.*, debug level)."));
    const QCommandLineOption profileOption(QStringLiteral("profile"),
                                           QStringLiteral("Keep settings, recent files, autosaves and the plugin journal in DIR "
                                                          "instead of the user's (also $CARINA_PROFILE): for trying a plugin or a build."),
                                           QStringLiteral("DIR"));
    const QCommandLineOption pixelSizeOption(QStringLiteral("pixel-size"),
                                             QStringLiteral("Pixel size of the image opened, with its unit (0.65um, 650nm, 0.5mm); "
                                                            "headless commands that measure take their own --pixel-size."),
                                             QStringLiteral("SIZE"));
    parser.addOptions({helpOption, versionOption, listPluginsOption, headlessOption, verboseOption, profileOption, pixelSizeOption});
    parser.addPositionalArgument(QStringLiteral("FILE|FOLDER"), QStringLiteral("Image or DICOM folder to open in the GUI."), QStringLiteral("[FILE|FOLDER]"));
    if (!parser.parse(ownArguments)) {
        std::fprintf(stderr, "carina: %s\nTry carina --help.\n", qUtf8Printable(parser.errorText()));
        return 1;
    }

    // The most verbose level of Carina's own logging; QT_LOGGING_RULES still adds to it. Log
    // lines never carry patient identity (tested: test_no_patient_data_in_logs).
    if (parser.isSet(verboseOption))
        QLoggingCategory::setFilterRules(QStringLiteral("carina.*.debug=true"));
    qCDebug(lcMain, "carina %s, SDK %s, Qt %s", CARINA_VERSION, CARINA_SDK_VERSION, qVersion());

    const QString profile = parser.isSet(profileOption) ? parser.value(profileOption) : qEnvironmentVariable("CARINA_PROFILE");
    if (!profile.isEmpty() && !useProfile(profile))
        return 1;

    if (parser.isSet(versionOption)) {
        std::printf("carina %s (SDK %s, Qt %s)\n", CARINA_VERSION, CARINA_SDK_VERSION, qVersion());
        return 0;
    }

    const bool headless = parser.isSet(headlessOption);
    if (headless || parser.isSet(helpOption) || parser.isSet(listPluginsOption)) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("carina"));
        QCoreApplication::setApplicationVersion(QStringLiteral(CARINA_VERSION));
        LazyPluginHost host;

        if (parser.isSet(helpOption)) {
            const std::size_t builtinCount = allCommands(host, false).size();
            std::fputs(qUtf8Printable(QStringLiteral("Usage: carina [FILE|FOLDER]\n"
                                                     "       carina --headless COMMAND [ARGS...]\n\n")
                                      + parser.helpText().section(QLatin1Char('\n'), 1)
                                      + commandsHelp(allCommands(host, true), builtinCount)),
                       stdout);
            return 0;
        }
        if (parser.isSet(listPluginsOption))
            return carina::runPluginsCommand([&host]() -> const PluginHost & { return host.get(); }, {});

        if (commandLine.isEmpty()) {
            std::fputs("carina: --headless needs a COMMAND; see carina --help for the list\n", stderr);
            return 1;
        }
        const QString name = commandLine.first();
        // Built-ins other than `plugins` run without discovering (and loading) any plugin.
        const std::vector<HeadlessCommand> builtins = allCommands(host, false);
        for (const HeadlessCommand &command : builtins)
            if (command.name == name) {
                qCDebug(lcMain, "running the built-in command %s with %d arguments", qUtf8Printable(name), int(commandLine.size() - 1));
                return command.run(commandLine.mid(1));
            }
        for (const HeadlessCommand &command : allCommands(host, true))
            if (command.name == name) {
                qCDebug(lcMain, "running the plugin command %s with %d arguments", qUtf8Printable(name), int(commandLine.size() - 1));
                return command.run(commandLine.mid(1));
            }
        std::fprintf(stderr, "carina: unknown headless command \"%s\"; see carina --help for the list\n", qUtf8Printable(name));
        return 1;
    }

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        std::fputs("carina: give at most one FILE or FOLDER to open; see carina --help\n", stderr);
        return 1;
    }
    const QString initialPath = positional.value(0);
    const QString pixelSize = parser.value(pixelSizeOption);
    if (!pixelSize.isEmpty()) {
        try {
            carina::parsePixelSize(pixelSize.toStdString());
        } catch (const std::invalid_argument &e) {
            std::fprintf(stderr, "carina: --pixel-size: %s\n", e.what());
            return 1;
        }
    }
#ifdef CARINA_WITH_GUI
    return carina::runGui(argc, argv, initialPath, pixelSize);
#else
    Q_UNUSED(initialPath);
    std::fputs("carina: this build has no GUI (configured with CARINA_BUILD_GUI=OFF); "
               "use carina --headless COMMAND, see carina --help\n",
               stderr);
    return 1;
#endif
}
