// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ProcessingPlugin.h>

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <functional>
#include <vector>

class QObject;
class QPluginLoader;

namespace carina {

/// What the host knows of one plugin file, loaded or not.
struct CARINA_CORE_EXPORT PluginRecord
{
    QString filePath;
    QString id;           ///< stable id from the metadata, e.g. "intensity"
    QString name;         ///< display name
    QString description;
    QString version;
    QString sdkVersion;
    QString icon;
    QStringList inputs;   ///< e.g. "ct-volume", "any-volume", "image-2d"
    QJsonObject metaData; ///< the plugin's whole JSON
    bool loaded = false;
    QString error;        ///< why it did not load; empty when loaded
    bool crashedLoading = false; ///< skipped: loading it crashed an earlier start (see PluginHost::retryPlugin)
    ProcessingPlugin *plugin = nullptr; ///< owned by Qt's plugin loader; null unless loaded
};

/// Finds, checks and loads processing plugins.
///
/// Search order: $CARINA_PLUGIN_PATH (':'-separated, absolute folders only),
/// `<executable dir>/../lib/carina/plugins` (the build tree), `<executable dir>/../<libdir>/carina/plugins`
/// (a relocated multiarch install) and `<install prefix>/<libdir>/carina/plugins`. Never the
/// current directory. Only `*.so` files are considered. The metadata is read
/// and checked (IID, SDK major version) before the library is loaded; a failure is recorded
/// with its reason and printed on stderr, never fatal.
class CARINA_CORE_EXPORT PluginHost
{
public:
    PluginHost();
    ~PluginHost();
    PluginHost(const PluginHost &) = delete;
    PluginHost &operator=(const PluginHost &) = delete;

    /// The folders searched, in order, existing or not.
    static QStringList defaultSearchPaths();
    /// Where the app and the headless tool keep their plugin load journal:
    /// `$XDG_DATA_HOME/carina/plugin-journal.ini` (`~/.local/share/...`).
    static QString defaultJournalPath();
    /// Keeps a journal at `path` (an INI file) around each plugin load: the file being loaded is
    /// written down first and struck out after. A plugin that takes the process down while it
    /// loads is still written down at the next discover(), which then skips it with a reason
    /// until retryPlugin() is called. No journal (the default) loads everything.
    void setJournal(const QString &path) { m_journal = path; }
    const QString &journal() const { return m_journal; }
    /// Lets the next discover() with the journal at `journalPath` load `filePath` again after it
    /// crashed a start. False when it was not marked.
    static bool retryPlugin(const QString &journalPath, const QString &filePath);
    /// Scans `folders` (defaultSearchPaths() when empty) and loads what passes the checks.
    void discover(const QStringList &folders = {});
    const std::vector<PluginRecord> &plugins() const { return m_records; }
    /// The loaded plugin with this id, or null.
    const PluginRecord *find(const QString &id) const;
    /// All headless commands of the loaded plugins.
    std::vector<HeadlessCommand> headlessCommands() const;

private:
    void consider(const QString &filePath);
    /// Turns the entries of processes that died while loading into crash marks, and reads the
    /// marks once for this discover().
    void recordCrashOfLastStart();
    /// The time a journaled start crashed while loading `filePath`, or empty.
    QString crashedAt(const QString &filePath) const;
    void journalLoading(const QString &filePath) const;

    QString m_journal;
    QVariantMap m_crashed; ///< canonical file path -> when; read by recordCrashOfLastStart()

    std::vector<PluginRecord> m_records;
    std::vector<QPluginLoader *> m_loaders;
};

/// True when a plugin built against SDK `pluginSdk` ("major.minor") runs on this host.
CARINA_CORE_EXPORT bool isSdkCompatible(const QString &pluginSdk, QString *reason = nullptr);

/// Host side of plugin failure isolation: from now on every call made through
/// QMetaObject::metacall into `object` (how the QML engine calls a controller's Q_INVOKABLEs and
/// slots and writes its properties) runs inside try/catch. An exception is handed to `onError`
/// with its message, on the calling thread, and the call returns without a result.
/// The catch must sit in front of the QML engine: Debian's QtQml and QtQuick are built without
/// exception support, so an exception unwinding through them skips their clean-up and leaves
/// the engine stalled. False (and nothing done) when `object` already has a dynamic meta-object.
CARINA_CORE_EXPORT bool guardPluginObject(QObject *object, std::function<void(const QString &message)> onError);

/// The message of the exception being handled; call only inside a catch block.
CARINA_CORE_EXPORT QString currentExceptionMessage();

} // namespace carina
