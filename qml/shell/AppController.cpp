// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "AppController.h"

#include <carina/ProcessMemory.h>
#include <carina/io/IoError.h>
#include <carina/io/LocalPath.h>
#include <carina/io/VolumeReader.h>

#include <QDir>
#include <QFileInfo>
#include <QSettings>

#include <atomic>
#include <cmath>

#include <dlfcn.h>

namespace carina {

namespace {

constexpr int kMaxRecent = 10;
const char *const kRecentKey = "recentFiles";
const char *const kRememberRecentKey = "rememberRecentFiles";

QStringList toQStringList(const std::vector<std::string> &list)
{
    QStringList out;
    for (const std::string &s : list)
        out << QString::fromStdString(s);
    return out;
}

QVariantMap describe(const io::DicomSeriesInfo &s)
{
    return {{QStringLiteral("uid"), QString::fromStdString(s.seriesInstanceUid)},
            {QStringLiteral("description"), QString::fromStdString(s.description)},
            {QStringLiteral("modality"), QString::fromStdString(s.modality)},
            {QStringLiteral("slices"), s.frameCount},
            {QStringLiteral("rows"), s.rows},
            {QStringLiteral("columns"), s.columns}};
}

// Files the scan skipped. A README or checksum list beside the slices is normal and not worth
// a banner; a damaged DICOM file is something the reader should know about (by file name).
void addScanProblems(const std::vector<std::string> &problems, std::vector<std::string> &warnings)
{
    const std::vector<std::string> told = io::scanProblemWarnings(problems, false);
    warnings.insert(warnings.begin(), told.begin(), told.end());
}

} // namespace

AppController::AppController(const PluginHost *host, QObject *parent)
    : QObject(parent), m_host(host), m_document(new Document(this)), m_plugins(new PluginListModel(this))
{
    m_plugins->reset(host);
    m_rememberRecent = QSettings().value(QLatin1String(kRememberRecentKey), true).toBool();
    if (m_rememberRecent)
        m_recentFiles = QSettings().value(QLatin1String(kRecentKey)).toStringList();
    connect(m_document, &Document::imageChanged, this, &AppController::unitsChanged);
    // Queued: the previous scan's buffers are freed once every handler has let go of them.
    connect(m_document, &Document::imageChanged, this, [] { carina::releaseFreedMemory(); }, Qt::QueuedConnection);
    m_session = new SessionController(this, this);
    connect(&m_loader, &TaskRunner::busyChanged, this, &AppController::busyChanged);
    connect(&m_loader, &TaskRunner::progressChanged, this, &AppController::progressChanged);
    connect(&m_loader, &TaskRunner::statusChanged, this, &AppController::progressChanged);
    connect(&m_loader, &TaskRunner::finished, this, [this](bool ok) {
        if (!ok)
            setError(m_loader.error());
    });
}

// The loader cancels a running load; its worker finishes on its own and its result is dropped.
AppController::~AppController() = default;

QString AppController::progressMessage() const
{
    if (!m_loader.busy())
        return m_loader.status();
    return m_loader.progressText().isEmpty() ? m_loading : m_loader.progressText();
}

QString AppController::units() const
{
    return m_document->hasImage() ? QString::fromStdString(m_document->image().info().units) : QString();
}

QString AppController::currentPath() const
{
    return m_document->hasImage() ? QString::fromStdString(m_document->image().info().sourcePath) : QString();
}

QString AppController::toLocalPath(const QVariant &pathOrUrl)
{
    if (pathOrUrl.metaType() == QMetaType::fromType<QUrl>()) {
        const QUrl url = pathOrUrl.toUrl();
        return url.isLocalFile() ? url.toLocalFile() : url.toString();
    }
    return io::localPath(pathOrUrl.toString());
}

void AppController::openPath(const QVariant &pathOrUrl)
{
    const QString path = toLocalPath(pathOrUrl);
    if (path.isEmpty()) {
        setError(tr("Nothing to open: no file or folder given."));
        return;
    }
    const QFileInfo info(path);
    if (!info.exists()) {
        setError(tr("%1: no such file or folder.").arg(QDir::toNativeSeparators(path)));
        return;
    }
    dismissSeriesChoice();
    const std::string p = QFile::encodeName(info.absoluteFilePath()).toStdString();
    const bool folder = info.isDir();
    start(info.absoluteFilePath(), tr("Opening %1").arg(info.fileName()), [p, folder](const TaskContext &context) {
        Outcome outcome;
        // A folder may hold several series: scan first so the user can choose, and load the
        // chosen one from the scan without reading the headers again.
        if (folder && io::looksLikeDicom(p)) {
            context.progress(0.0, "Scanning DICOM files");
            io::DicomScan scan = io::scanDicom(p, context);
            if (scan.series.size() > 1) {
                outcome.scan = std::move(scan);
                return outcome;
            }
            if (!scan.series.empty()) {
                outcome.result = io::loadDicomSeries(scan.series.front(), context);
                addScanProblems(scan.problems, outcome.result->warnings);
                return outcome;
            }
        }
        outcome.result = io::readVolume(p, {}, context);
        return outcome;
    });
}

void AppController::openSeries(int index)
{
    if (!m_pendingScan || index < 0 || index >= int(m_pendingScan->series.size()))
        return;
    const io::DicomSeriesInfo series = m_pendingScan->series[std::size_t(index)];
    const std::vector<std::string> problems = m_pendingScan->problems;
    const QString path = m_pendingPath;
    dismissSeriesChoice();
    start(path, tr("Reading series %1").arg(QString::fromStdString(series.description)),
          [series, problems](const TaskContext &context) {
              Outcome outcome;
              outcome.result = io::loadDicomSeries(series, context);
              addScanProblems(problems, outcome.result->warnings);
              return outcome;
          });
}

void AppController::dismissSeriesChoice()
{
    m_pendingScan.reset();
    m_pendingPath.clear();
    if (!m_seriesChoices.isEmpty()) {
        m_seriesChoices.clear();
        emit seriesChoicesChanged();
    }
}

void AppController::start(const QString &path, const QString &what, Job job)
{
    m_loading = what;
    m_loader.start(std::move(job), [this, path](Outcome outcome) { finish(path, std::move(outcome)); });
}

void AppController::finish(const QString &path, Outcome outcome)
{
    if (outcome.scan) {
        m_pendingScan = std::move(outcome.scan);
        m_pendingPath = path;
        m_seriesChoices.clear();
        for (const io::DicomSeriesInfo &s : m_pendingScan->series)
            m_seriesChoices << describe(s);
        emit seriesChoicesChanged();
        return;
    }
    if (!outcome.result || outcome.result->volume.isNull()) {
        setError(tr("%1: no image found.").arg(QDir::toNativeSeparators(path)));
        return;
    }
    Volume volume = outcome.result->volume;
    if (volume.info().sourcePath.empty())
        volume.info().sourcePath = QFile::encodeName(path).toStdString();
    setError(QString());
    m_document->setImage(volume, toQStringList(outcome.result->warnings));
    addRecent(path);
    emit loaded();
}

void AppController::cancel()
{
    m_loader.cancel();
}

void AppController::setError(const QString &message)
{
    if (m_lastError != message) {
        m_lastError = message;
        emit lastErrorChanged();
    }
    if (!message.isEmpty())
        emit loadError(message);
}

void AppController::addRecent(const QString &path)
{
    if (!m_rememberRecent)
        return;
    m_recentFiles.removeAll(path);
    m_recentFiles.prepend(path);
    while (m_recentFiles.size() > kMaxRecent)
        m_recentFiles.removeLast();
    QSettings().setValue(QLatin1String(kRecentKey), m_recentFiles);
    emit recentFilesChanged();
}

void AppController::retryPlugin(const QString &filePath)
{
    // Not now: its code may crash this run too. The next start tries it under the journal.
    if (m_host && !m_host->journal().isEmpty() && PluginHost::retryPlugin(m_host->journal(), filePath))
        m_plugins->markRetrying(filePath);
}

void AppController::setRememberRecent(bool remember)
{
    if (m_rememberRecent == remember)
        return;
    m_rememberRecent = remember;
    QSettings().setValue(QLatin1String(kRememberRecentKey), remember);
    if (!remember)
        clearRecentFiles();
    emit recentFilesChanged();
}

void AppController::clearRecentFiles()
{
    m_recentFiles.clear();
    QSettings().remove(QLatin1String(kRecentKey));
    emit recentFilesChanged();
}

QObject *AppController::controllerFor(const QString &pluginId)
{
    if (QObject *existing = m_controllers.value(pluginId))
        return existing;
    const PluginRecord *record = m_host ? m_host->find(pluginId) : nullptr;
    if (!record || !record->loaded || !record->plugin)
        return nullptr;
    QObject *controller = nullptr;
    try {
        controller = record->plugin->createController(m_document, this);
    } catch (...) {
        emit pluginFailed(record->name, tr("could not start: %1").arg(currentExceptionMessage()));
        return nullptr;
    }
    if (!controller)
        return nullptr;
    // QML must not garbage-collect what an invokable returned: this object owns it.
    QQmlEngine::setObjectOwnership(controller, QQmlEngine::CppOwnership);
    // Whatever the panel calls runs behind a catch; the report waits for the call to unwind.
    QPointer<AppController> self(this);
    guardPluginObject(controller, [self, name = record->name](const QString &message) {
        if (self)
            QMetaObject::invokeMethod(self.data(), [self, name, message] {
                if (self)
                    emit self->pluginFailed(name, message);
            }, Qt::QueuedConnection);
    });
    m_controllers.insert(pluginId, controller);
    return controller;
}

QString AppController::pluginNameOf(const QObject *object) const
{
    // An object the plugin's controller owns (a QFutureWatcher, a QTimer)...
    for (const QObject *o = object; o; o = o->parent()) {
        for (auto it = m_controllers.begin(); it != m_controllers.end(); ++it) {
            if (it.value() == o) {
                const PluginRecord *record = m_host ? m_host->find(it.key()) : nullptr;
                return record ? record->name : it.key();
            }
        }
    }
    // ...or an object whose class the plugin's library defines (its vtable lives there), such
    // as an unparented QFutureWatcher<T> member of the controller.
    if (!object || !m_host)
        return {};
    Dl_info info{};
    if (!dladdr(*reinterpret_cast<void *const *>(object), &info) || !info.dli_fname)
        return {};
    const QString library = QFileInfo(QFile::decodeName(info.dli_fname)).canonicalFilePath();
    for (const PluginRecord &record : m_host->plugins())
        if (record.loaded && QFileInfo(record.filePath).canonicalFilePath() == library)
            return record.name;
    return {};
}

void AppController::reportException(QObject *receiver, const QString &message)
{
    const QString name = pluginNameOf(receiver);
    emit pluginFailed(name.isEmpty() ? tr("Carina") : name, message);
}

QUrl AppController::panelUrlFor(const QString &pluginId) const
{
    const PluginRecord *record = m_host ? m_host->find(pluginId) : nullptr;
    return record && record->loaded && record->plugin ? record->plugin->panelUrl() : QUrl();
}

} // namespace carina
