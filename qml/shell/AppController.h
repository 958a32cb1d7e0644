// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "PluginListModel.h"
#include "SessionController.h"

#include <carina/Document.h>
#include <carina/PluginHost.h>
#include <carina/TaskRunner.h>
#include <carina/io/DicomSeries.h>

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QUrl>
#include <QVariantList>

#include <memory>
#include <optional>

namespace carina {

/// The shell's model: owns the Document, loads files off the UI thread, remembers recent
/// files, lists the plugins and hands out one controller per plugin.
///
/// Created by the application (runGui) and given to Main.qml as its `controller` property.
class AppController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created by the application and passed to Main.qml")
    Q_PROPERTY(carina::Document *document READ document CONSTANT)
    Q_PROPERTY(carina::PluginListModel *plugins READ plugins CONSTANT)
    /// Sessions, label files and autosave.
    Q_PROPERTY(carina::SessionController *session READ session CONSTANT)
    /// A load (scan or read) is running.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// 0..1 of the running load.
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    Q_PROPERTY(QString progressMessage READ progressMessage NOTIFY progressChanged)
    /// Most recent first, at most 10 files or folders that opened.
    Q_PROPERTY(QStringList recentFiles READ recentFiles NOTIFY recentFilesChanged)
    /// Whether opened files join recentFiles (kept in the user's settings). Off clears the list:
    /// on a shared ward tablet the paths (often named after patients) should not stay behind.
    Q_PROPERTY(bool rememberRecent READ rememberRecent WRITE setRememberRecent NOTIFY recentFilesChanged)
    /// Series to choose from after opening a folder with several DICOM series; empty otherwise.
    /// Each entry: {uid, description, modality, slices, rows, columns}; largest first.
    Q_PROPERTY(QVariantList seriesChoices READ seriesChoices NOTIFY seriesChoicesChanged)
    /// The last load error, empty after a successful load.
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    /// Units of the image values ("HU" for CT), empty when unknown.
    Q_PROPERTY(QString units READ units NOTIFY unitsChanged)
    /// The file or folder the image came from.
    Q_PROPERTY(QString currentPath READ currentPath NOTIFY unitsChanged)

public:
    /// `host` may be null (no plugins) and must outlive the controller.
    explicit AppController(const PluginHost *host = nullptr, QObject *parent = nullptr);
    ~AppController() override;

    Document *document() const { return m_document; }
    PluginListModel *plugins() const { return m_plugins; }
    SessionController *session() const { return m_session; }
    /// The plugin controllers created so far, by plugin id (what a session saves).
    const QHash<QString, QPointer<QObject>> &controllers() const { return m_controllers; }
    bool busy() const { return m_loader.busy(); }
    double progress() const { return m_loader.progress(); }
    QString progressMessage() const;
    QStringList recentFiles() const { return m_recentFiles; }
    bool rememberRecent() const { return m_rememberRecent; }
    void setRememberRecent(bool remember);
    QVariantList seriesChoices() const { return m_seriesChoices; }
    QString lastError() const { return m_lastError; }
    QString units() const;
    QString currentPath() const;

    /// Opens a file or folder (a path or a file: URL) in the background; a running load is
    /// canceled. A folder with several DICOM series fills seriesChoices and waits for openSeries().
    Q_INVOKABLE void openPath(const QVariant &pathOrUrl);
    /// Loads entry `index` of seriesChoices.
    Q_INVOKABLE void openSeries(int index);
    /// Forgets the pending series choice.
    Q_INVOKABLE void dismissSeriesChoice();
    /// Cancels the running load; the document keeps its image.
    Q_INVOKABLE void cancel();
    Q_INVOKABLE void clearRecentFiles();
    /// Lets a plugin whose loading crashed an earlier start load again at the next start.
    Q_INVOKABLE void retryPlugin(const QString &filePath);
    /// The controller of plugin `pluginId`, created on first use (owned by this object); null
    /// when the plugin is not loaded.
    Q_INVOKABLE QObject *controllerFor(const QString &pluginId);
    /// The plugin's panel URL, empty when not loaded.
    Q_INVOKABLE QUrl panelUrlFor(const QString &pluginId) const;
    /// Reports an exception that escaped while Qt delivered an event to `receiver` (the
    /// application's notify() catches it): emits pluginFailed with the name of the plugin the
    /// receiver belongs to (its controller's children, or an object of the plugin's library).
    void reportException(QObject *receiver, const QString &message);
    /// The display name of the plugin `object` belongs to; empty when it is the shell's own.
    QString pluginNameOf(const QObject *object) const;

    /// Converts a QML url or string into a local path.
    static QString toLocalPath(const QVariant &pathOrUrl);

signals:
    void busyChanged();
    void progressChanged();
    void recentFilesChanged();
    void seriesChoicesChanged();
    void lastErrorChanged();
    void unitsChanged();
    /// An image was loaded into the document.
    void loaded();
    /// Opening failed; the document keeps its previous image.
    void loadError(const QString &message);
    /// A plugin threw (creating its controller, in a call from its panel, in its task); the
    /// call was abandoned, the document and the other plugins carry on.
    void pluginFailed(const QString &pluginName, const QString &message);

private:
    struct Outcome
    {
        std::optional<io::LoadResult> result;
        std::optional<io::DicomScan> scan; // several series: the user chooses
    };
    using Job = std::function<Outcome(const TaskContext &)>;

    void start(const QString &path, const QString &what, Job job);
    void finish(const QString &path, Outcome outcome);
    void setError(const QString &message);
    void addRecent(const QString &path);

    const PluginHost *m_host = nullptr;
    Document *m_document = nullptr;
    PluginListModel *m_plugins = nullptr;
    QHash<QString, QPointer<QObject>> m_controllers;
    SessionController *m_session = nullptr;

    TaskRunner m_loader{this};
    QString m_loading; ///< what the running load does, until its first progress text
    QStringList m_recentFiles;
    bool m_rememberRecent = true;
    QVariantList m_seriesChoices;
    std::optional<io::DicomScan> m_pendingScan;
    QString m_pendingPath;
    QString m_lastError;
};

} // namespace carina
