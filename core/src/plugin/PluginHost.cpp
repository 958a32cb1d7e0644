// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/PluginHost.h>
#include <carina/Version.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QDateTime>
#include <QPluginLoader>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <set>

#include <signal.h>
#include <unistd.h>

namespace carina {

namespace {

Q_LOGGING_CATEGORY(lcPlugins, "carina.plugins", QtInfoMsg)

void printFailure(const PluginRecord &record)
{
    std::fprintf(stderr, "carina: plugin %s: %s\n", qUtf8Printable(record.filePath), qUtf8Printable(record.error));
}

QString executableDir()
{
    // /proc/self/exe works before (and without) a QCoreApplication, so the host can be used
    // from any tool; it is also what QCoreApplication::applicationDirPath() reads on Linux.
    const QFileInfo exe(QStringLiteral("/proc/self/exe"));
    return QFileInfo(exe.canonicalFilePath()).absolutePath();
}

// A text file or a truncated download named *.so gets a precise reason instead of Qt's
// generic "not a valid Qt plugin".
bool hasElfHeader(const QString &filePath)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    return file.read(4) == QByteArray("\x7f" "ELF", 4);
}

const QString kLoadingKey = QStringLiteral("loading");
const QString kCrashedKey = QStringLiteral("crashedWhileLoading");

QStringList stringList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list << item.toString();
    return list;
}

} // namespace

bool isSdkCompatible(const QString &pluginSdk, QString *reason)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d+)\\.(\\d+)$"));
    const QRegularExpressionMatch match = pattern.match(pluginSdk);
    auto fail = [&](const QString &why) {
        if (reason)
            *reason = why;
        return false;
    };
    if (!match.hasMatch())
        return fail(QStringLiteral("invalid sdkVersion \"%1\" (expected \"major.minor\", e.g. \"%2\")")
                        .arg(pluginSdk, QStringLiteral(CARINA_SDK_VERSION)));
    const int major = match.captured(1).toInt();
    const int minor = match.captured(2).toInt();
    if (major != CARINA_SDK_VERSION_MAJOR)
        return fail(QStringLiteral("built for Carina SDK %1, this host provides SDK %2 (the major version must match)")
                        .arg(pluginSdk, QStringLiteral(CARINA_SDK_VERSION)));
    // Before 1.0 any minor version may break plugins (SemVer's rule for 0.x), so only the same
    // minor loads: SDK 0.2 changed structs such as algo::HistogramOptions that 0.1 plugins fill.
    if (CARINA_SDK_VERSION_MAJOR == 0 && minor != CARINA_SDK_VERSION_MINOR)
        return fail(QStringLiteral("built for Carina SDK %1, this host provides SDK %2 (before 1.0 the minor version must match)")
                        .arg(pluginSdk, QStringLiteral(CARINA_SDK_VERSION)));
    if (minor > CARINA_SDK_VERSION_MINOR)
        return fail(QStringLiteral("built for Carina SDK %1, newer than this host's SDK %2")
                        .arg(pluginSdk, QStringLiteral(CARINA_SDK_VERSION)));
    if (reason)
        reason->clear();
    return true;
}

PluginHost::PluginHost() = default;

PluginHost::~PluginHost()
{
    // Deleting a QPluginLoader does not unload the library: controllers and QML types of the
    // plugins may outlive the host, so the code stays mapped until the process exits.
    qDeleteAll(m_loaders);
}

QStringList PluginHost::defaultSearchPaths()
{
    QStringList folders;
    const QString fromEnvironment = qEnvironmentVariable("CARINA_PLUGIN_PATH");
    for (const QString &entry : fromEnvironment.split(QLatin1Char(':'), Qt::SkipEmptyParts)) {
        // Like PATH, an empty or relative entry would mean "the current directory", and a
        // library planted there would run inside the app: only absolute folders count.
        if (QDir::isAbsolutePath(entry))
            folders << QDir::cleanPath(entry);
        else
            std::fprintf(stderr, "carina: CARINA_PLUGIN_PATH: ignoring relative folder \"%s\"\n", qUtf8Printable(entry));
    }
    const QString exeDir = executableDir();
    auto add = [&](const QString &folder) {
        const QString clean = QDir::cleanPath(folder);
        if (!folders.contains(clean))
            folders << clean;
    };
    // The build tree (build/bin + build/lib/carina/plugins) and a prefix whose libdir is "lib".
    add(exeDir + QStringLiteral("/../lib/carina/plugins"));
#ifdef CARINA_PLUGIN_INSTALL_DIR_RELATIVE
    // An installed multiarch layout: /usr/bin + /usr/lib/<triplet>/carina/plugins, wherever the
    // prefix was moved to.
    add(exeDir + QStringLiteral("/../" CARINA_PLUGIN_INSTALL_DIR_RELATIVE));
#endif
#ifdef CARINA_PLUGIN_INSTALL_DIR_ABSOLUTE
    add(QStringLiteral(CARINA_PLUGIN_INSTALL_DIR_ABSOLUTE));
#endif
    return folders;
}

QString PluginHost::defaultJournalPath()
{
    // Shared by the app and the headless tool (different application names): a plugin that
    // crashed one crashes the other.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/carina/plugin-journal.ini");
}

void PluginHost::recordCrashOfLastStart()
{
    // Each process writes down what it loads under its own pid: many headless commands of a
    // cohort run at once, and only an entry whose process is gone is a crash.
    QSettings journal(m_journal, QSettings::IniFormat);
    journal.beginGroup(kLoadingKey);
    const QStringList pids = journal.childKeys();
    journal.endGroup();
    QVariantMap crashed = journal.value(kCrashedKey).toMap();
    bool changed = false;
    for (const QString &pid : pids) {
        bool ok = false;
        const qint64 number = pid.toLongLong(&ok);
        if (ok && number > 0 && (::kill(pid_t(number), 0) == 0 || errno == EPERM))
            continue; // still running (loading right now, or another user's process)
        const QString key = kLoadingKey + QLatin1Char('/') + pid;
        const QString loading = journal.value(key).toString();
        if (!loading.isEmpty())
            crashed.insert(loading, QDateTime::currentDateTime().toString(Qt::ISODate));
        journal.remove(key);
        changed = true;
    }
    m_crashed = crashed;
    if (!changed)
        return;
    journal.setValue(kCrashedKey, crashed);
    journal.sync();
}

QString PluginHost::crashedAt(const QString &filePath) const
{
    return m_crashed.value(filePath).toString();
}

void PluginHost::journalLoading(const QString &filePath) const
{
    if (m_journal.isEmpty())
        return;
    QSettings journal(m_journal, QSettings::IniFormat);
    const QString key = kLoadingKey + QLatin1Char('/') + QString::number(::getpid());
    if (filePath.isEmpty())
        journal.remove(key);
    else
        journal.setValue(key, filePath);
    journal.sync(); // on disk before the plugin's code runs: a crash gives no second chance
}

bool PluginHost::retryPlugin(const QString &journalPath, const QString &filePath)
{
    QSettings journal(journalPath, QSettings::IniFormat);
    QVariantMap crashed = journal.value(kCrashedKey).toMap();
    const QString canonical = QFileInfo(filePath).canonicalFilePath();
    const bool marked = crashed.remove(filePath) + (canonical.isEmpty() ? 0 : crashed.remove(canonical)) > 0;
    if (crashed.isEmpty())
        journal.remove(kCrashedKey);
    else
        journal.setValue(kCrashedKey, crashed);
    journal.sync();
    return marked;
}

void PluginHost::discover(const QStringList &folders)
{
    if (!m_journal.isEmpty()) {
        QDir().mkpath(QFileInfo(m_journal).absolutePath());
        recordCrashOfLastStart();
    }
    const QStringList searched = folders.isEmpty() ? defaultSearchPaths() : folders;
    std::set<QString> seenFolders;
    for (const QString &folder : searched) {
        if (!QDir::isAbsolutePath(folder))
            continue; // never the current directory, whoever asks
        const QString canonical = QFileInfo(folder).canonicalFilePath();
        if (canonical.isEmpty() || !seenFolders.insert(canonical).second)
            continue;
        const QDir dir(canonical);
        const QStringList names = dir.entryList({QStringLiteral("*.so")}, QDir::Files | QDir::Readable, QDir::Name);
        qCDebug(lcPlugins, "searching %s: %d candidate files", qUtf8Printable(canonical), int(names.size()));
        for (const QString &name : names)
            consider(dir.absoluteFilePath(name));
    }
}

void PluginHost::consider(const QString &filePath)
{
    const QString canonical = QFileInfo(filePath).canonicalFilePath();
    for (const PluginRecord &existing : m_records)
        if (QFileInfo(existing.filePath).canonicalFilePath() == canonical)
            return; // the same file reached through two search folders

    PluginRecord record;
    record.filePath = filePath;
    auto fail = [&](const QString &reason) {
        record.error = reason;
        printFailure(record);
        m_records.push_back(std::move(record));
    };

    if (!hasElfHeader(filePath))
        return fail(QStringLiteral("not a shared library (no ELF header)"));

    // metaData() reads the JSON embedded in the file without running any of its code.
    auto loader = std::make_unique<QPluginLoader>(filePath);
    const QJsonObject raw = loader->metaData();
    if (raw.isEmpty())
        return fail(QStringLiteral("not a Qt plugin (no plugin metadata)"));
    const QString iid = raw.value(QStringLiteral("IID")).toString();
    if (iid != QLatin1String(CARINA_PLUGIN_IID))
        return fail(QStringLiteral("not a Carina plugin: interface \"%1\", expected \"%2\"").arg(iid, QStringLiteral(CARINA_PLUGIN_IID)));

    const QJsonObject meta = raw.value(QStringLiteral("MetaData")).toObject();
    record.metaData = meta;
    record.id = meta.value(QStringLiteral("id")).toString();
    record.name = meta.value(QStringLiteral("name")).toString();
    record.description = meta.value(QStringLiteral("description")).toString();
    record.version = meta.value(QStringLiteral("version")).toString();
    record.sdkVersion = meta.value(QStringLiteral("sdkVersion")).toString();
    record.icon = meta.value(QStringLiteral("icon")).toString();
    record.inputs = stringList(meta.value(QStringLiteral("inputs")));

    QStringList missing;
    for (const char *key : {"id", "name", "sdkVersion"})
        if (!meta.value(QLatin1String(key)).isString() || meta.value(QLatin1String(key)).toString().isEmpty())
            missing << QLatin1String(key);
    if (!missing.isEmpty())
        return fail(QStringLiteral("metadata lacks %1 (a non-empty string each)").arg(missing.join(QStringLiteral(", "))));
    static const QRegularExpression idPattern(QStringLiteral("^[a-z][a-z0-9_-]*$"));
    if (!idPattern.match(record.id).hasMatch())
        return fail(QStringLiteral("invalid id \"%1\" (lower-case letters, digits, '-' and '_', starting with a letter)").arg(record.id));
    QString reason;
    if (!isSdkCompatible(record.sdkVersion, &reason))
        return fail(reason);
    // Only a loaded plugin claims its id, so a broken first copy does not hide a good second one.
    if (const PluginRecord *first = find(record.id))
        return fail(QStringLiteral("duplicate id \"%1\" (already loaded from %2)").arg(record.id, first->filePath));

    const QString journalKey = QFileInfo(filePath).canonicalFilePath();
    if (const QString when = crashedAt(journalKey); !when.isEmpty()) {
        record.crashedLoading = true;
        return fail(QStringLiteral("skipped: Carina stopped while loading this plugin (start of %1); "
                                   "`carina --headless plugins --retry %2` or Retry in the tool list loads it again")
                        .arg(when, filePath));
    }

    // Bind every symbol now: with lazy binding a missing symbol would abort the whole process
    // the first time the plugin calls it; resolved at load it is just a failed plugin.
    loader->setLoadHints(QLibrary::ResolveAllSymbolsHint);
    // Loading runs the plugin's static initialisers and instance() its constructor: code that
    // may throw (caught here) or crash (journaled, skipped at the next start).
    journalLoading(journalKey);
    QObject *instance = nullptr;
    QString loadError;
    try {
        if (!loader->load())
            loadError = QStringLiteral("cannot load: %1").arg(loader->errorString());
        else
            instance = loader->instance();
    } catch (...) {
        loadError = QStringLiteral("threw while loading: %1").arg(currentExceptionMessage());
    }
    journalLoading(QString());
    if (!loadError.isEmpty())
        return fail(loadError);
    auto *plugin = qobject_cast<ProcessingPlugin *>(instance);
    if (!plugin)
        return fail(instance ? QStringLiteral("the plugin object does not implement carina::ProcessingPlugin")
                             : QStringLiteral("cannot create the plugin object: %1").arg(loader->errorString()));
    record.plugin = plugin;
    record.loaded = true;
    qCDebug(lcPlugins, "loaded %s %s (SDK %s) from %s", qUtf8Printable(record.id), qUtf8Printable(record.version),
            qUtf8Printable(record.sdkVersion), qUtf8Printable(record.filePath));
    m_records.push_back(std::move(record));
    m_loaders.push_back(loader.release());
}

const PluginRecord *PluginHost::find(const QString &id) const
{
    for (const PluginRecord &record : m_records)
        if (record.loaded && record.id == id)
            return &record;
    return nullptr;
}

std::vector<HeadlessCommand> PluginHost::headlessCommands() const
{
    std::vector<HeadlessCommand> commands;
    std::set<QString> names;
    for (const PluginRecord &record : m_records) {
        if (!record.loaded)
            continue;
        std::vector<HeadlessCommand> offered;
        try {
            offered = record.plugin->headlessCommands();
        } catch (...) {
            std::fprintf(stderr, "carina: plugin \"%s\" (%s) failed to list its headless commands: %s\n",
                         qUtf8Printable(record.name), qUtf8Printable(record.filePath), qUtf8Printable(currentExceptionMessage()));
            continue;
        }
        for (HeadlessCommand &command : offered) {
            if (!names.insert(command.name).second) {
                std::fprintf(stderr, "carina: plugin %s: headless command \"%s\" already defined, ignored\n",
                             qUtf8Printable(record.filePath), qUtf8Printable(command.name));
                continue;
            }
            // A plugin's exception ends its command with a message naming the plugin, never
            // with std::terminate.
            if (command.run) {
                command.run = [run = std::move(command.run), pluginName = record.name, commandName = command.name](const QStringList &arguments) {
                    try {
                        return run(arguments);
                    } catch (...) {
                        std::fprintf(stderr, "carina: the command \"%s\" of plugin \"%s\" failed: %s\n", qUtf8Printable(commandName),
                                     qUtf8Printable(pluginName), qUtf8Printable(currentExceptionMessage()));
                        return 1;
                    }
                };
            }
            commands.push_back(std::move(command));
        }
    }
    return commands;
}

} // namespace carina
