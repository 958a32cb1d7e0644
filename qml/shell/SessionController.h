// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/Document.h>
#include <carina/TaskRunner.h>
#include <carina/io/Session.h>

#include <QLockFile>
#include <QObject>
#include <QQmlEngine>
#include <QTimer>
#include <QVariant>

#include <functional>
#include <memory>
#include <optional>

namespace carina {

class AppController;

/// Sessions, label layer files and autosave for the shell (the format is io/Session.h).
///
/// Saves and opens `.carina` sessions, exports/imports label layers as NIfTI, and autosaves the
/// document a few seconds after the last edit to <AppLocalDataLocation>/autosave, so that after
/// a crash the next start offers to restore it. Every file goes through an AtomicFile; every
/// slow step runs off the UI thread. A failed save leaves the document as it was and says why.
class SessionController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by AppController (controller.session)")
    /// A save, open, export or import is running.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// The last failure, empty after a success. Failures never change the document.
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    /// What the last success did ("Session saved to ..."), for the status line.
    Q_PROPERTY(QString lastMessage READ lastMessage NOTIFY lastMessageChanged)
    /// The session file last saved or opened, empty when none.
    Q_PROPERTY(QString sessionPath READ sessionPath NOTIFY sessionPathChanged)
    /// What a saved session would hold that could identify the patient (empty when nothing).
    Q_PROPERTY(QStringList identity READ identity NOTIFY identityChanged)
    /// An autosave of an earlier run that ended without closing cleanly can be restored.
    Q_PROPERTY(bool restoreAvailable READ restoreAvailable NOTIFY restoreChanged)
    /// "scan.nii.gz, 2 layers, saved 23 Nov 16:05" for the restore card.
    Q_PROPERTY(QString restoreSummary READ restoreSummary NOTIFY restoreChanged)
    /// Whether the offered autosave is from a run that crashed (true) or from one that closed
    /// normally while its edits were in no saved session (false).
    Q_PROPERTY(bool restoreAfterCrash READ restoreAfterCrash NOTIFY restoreChanged)
    /// An opened session's image must be chosen by the user (anonymised, moved or deleted).
    Q_PROPERTY(bool needsImage READ needsImage NOTIFY needsImageChanged)
    /// There are edits since the last save or autosave.
    Q_PROPERTY(bool dirty READ dirty NOTIFY dirtyChanged)
    /// Edits not yet in a session the user saved (they are in the autosave): closing asks.
    Q_PROPERTY(bool unsaved READ unsaved NOTIFY unsavedChanged)
    /// Idle time after an edit before the autosave, in ms.
    Q_PROPERTY(int autosaveDelay READ autosaveDelay WRITE setAutosaveDelay NOTIFY autosaveDelayChanged)

public:
    explicit SessionController(AppController *app, QObject *parent = nullptr);
    ~SessionController() override;

    bool busy() const { return m_steps.busy(); }
    QString lastError() const { return m_lastError; }
    QString lastMessage() const { return m_lastMessage; }
    QString sessionPath() const { return m_sessionPath; }
    QStringList identity() const;
    bool restoreAvailable() const { return !m_orphanPath.isEmpty(); }
    QString restoreSummary() const { return m_orphanSummary; }
    bool restoreAfterCrash() const { return m_orphanCrashed; }
    bool needsImage() const { return m_pending.has_value(); }
    bool dirty() const { return m_dirty; }
    int autosaveDelay() const { return m_autosaveTimer.interval(); }
    void setAutosaveDelay(int ms);

    /// Saves a session (".carina" added when missing). `anonymise` leaves out identity().
    Q_INVOKABLE void saveSession(const QVariant &pathOrUrl, bool anonymise = false);
    /// Opens a session: loads its image, checks the fingerprint, then restores layers, meshes,
    /// view and plugin parameters. When the image cannot be found, needsImage becomes true.
    Q_INVOKABLE void openSession(const QVariant &pathOrUrl);
    /// The image (file or folder) for the session waiting in needsImage.
    Q_INVOKABLE void chooseImage(const QVariant &pathOrUrl);
    Q_INVOKABLE void cancelPendingSession();
    /// Writes layer `layer` as NIfTI (".nii.gz" added when missing) plus its label description.
    Q_INVOKABLE void exportLabels(int layer, const QVariant &pathOrUrl);
    /// Reads a label NIfTI as a new layer; refuses one on another grid.
    Q_INVOKABLE void importLabels(const QVariant &pathOrUrl);
    /// Restores / deletes the autosave offered by restoreAvailable.
    Q_INVOKABLE void restoreAutosave();
    Q_INVOKABLE void discardAutosave();
    /// Writes the autosave now if there are edits (tests, and before risky steps).
    Q_INVOKABLE void autosaveNow();
    /// The app closes normally: this run's autosave is removed.
    Q_INVOKABLE void closeCleanly();
    bool unsaved() const { return m_unsaved; }
    Q_INVOKABLE void clearError() { setError(QString()); }

    /// <AppLocalDataLocation>/autosave
    static QString autosaveFolder();
    /// This run's autosave file (exists only after the first autosave).
    QString autosavePath() const { return m_ownPath; }

signals:
    void busyChanged();
    void lastErrorChanged();
    void lastMessageChanged();
    void sessionPathChanged();
    void identityChanged();
    void restoreChanged();
    void needsImageChanged();
    void dirtyChanged();
    void autosaveDelayChanged();
    /// A session was saved / opened; an operation failed (message also in lastError).
    void saved(const QString &path);
    void opened();
    void failed(const QString &message);
    /// An autosave reached the disk.
    void autosaved(const QString &path);
    void unsavedChanged();

private:
    struct Loaded
    {
        std::optional<io::Session> session;
        Volume volume;
        QStringList warnings;
        QString imagePath;
        QString needImage; // why the user has to choose the image
        std::shared_ptr<LabelVolume> labels; // importLabels
        QString fingerprint;
    };

    /// The class-info key by which a plugin controller lists, space-separated, the properties a
    /// session stores and restores: Q_CLASSINFO("carina.sessionParameters", "lowHu highHu").
    static constexpr const char *kSessionParametersInfo = "carina.sessionParameters";
    static QStringList declaredParameters(const QObject *controller);
    io::Session snapshot(bool encodeLabels) const;
    QJsonObject pluginParameters() const;
    void applyPluginParameters(const QJsonObject &plugins);
    void run(const QString &what, std::function<Loaded()> job, std::function<void(Loaded &)> done);
    void apply(Loaded &loaded, const QString &sessionPath);
    void markDirty();
    void finishClose(bool keepAutosave);
    void setDirty(bool dirty);
    void autosaveAgainIfAsked();
    void setUnsaved(bool unsaved);
    /// Keeps the image fingerprint a save or autosave computed, if `study` is still open.
    void rememberFingerprint(quint64 study, const QString &fingerprint);
    void setError(const QString &message);
    void setMessage(const QString &message);
    void findOrphan();
    void removeOwnAutosave();

    AppController *m_app;
    Document *m_document;
    TaskRunner m_steps{this};
    TaskRunner m_autosaver{this};
    bool m_dirty = false;   // edits not yet in the autosave
    bool m_unsaved = false; // edits not yet in a session the user saved
    bool m_adoptingAutosave = false;
    bool m_applying = false;
    QString m_lastError;
    QString m_lastMessage;
    QString m_sessionPath;

    // Image fingerprint cache: hashing a 300 MB scan takes a while, the image rarely changes.
    quint64 m_fingerprintStudy = 0; // the study m_fingerprint was computed for
    QString m_fingerprint;

    std::optional<io::Session> m_pending; // waits for chooseImage
    QString m_pendingPath;

    QTimer m_autosaveTimer;
    bool m_autosaveAgain = false;
    QString m_ownPath;
    std::unique_ptr<QLockFile> m_ownLock;
    QString m_orphanPath;
    QString m_orphanSummary;
    bool m_orphanCrashed = false;
    std::unique_ptr<QLockFile> m_orphanLock;
};

} // namespace carina
