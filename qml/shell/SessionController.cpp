// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "SessionController.h"

#include "AppController.h"

#include <carina/PixelSize.h>
#include <carina/io/DicomSeries.h>
#include <carina/io/IoError.h>
#include <carina/io/LabelNifti.h>
#include <carina/io/VolumeReader.h>

#include <QCoreApplication>
#include <QColor>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QMetaProperty>
#include <QRegularExpression>
#include <QStandardPaths>

namespace carina {

namespace {

constexpr int kDefaultAutosaveMs = 3000;

std::string encode(const QString &path)
{
    return QFile::encodeName(path).toStdString();
}

QString lockErrorText(QLockFile::LockError error)
{
    switch (error) {
    case QLockFile::LockFailedError:
        return QObject::tr("another run holds it");
    case QLockFile::PermissionError:
        return QObject::tr("no permission to create the lock file");
    case QLockFile::UnknownError:
    case QLockFile::NoError:
        break;
    }
    return QObject::tr("unknown error");
}

// Autosaves hold the patient's image path and the user's work: only the user may read them.
void makePrivate(const QString &path, bool folder)
{
    QFileDevice::Permissions owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    if (folder)
        owner |= QFileDevice::ExeOwner;
    QFile::setPermissions(path, owner);
}

// Beside an autosave that a run kept on a normal close: the next start offers it as unsaved
// work, not as a crash's.
QString closedMarker(const QString &autosave)
{
    return autosave + QStringLiteral(".closed");
}

QString withSuffix(QString path, const QString &suffix, const QStringList &accepted)
{
    for (const QString &s : accepted)
        if (path.endsWith(s, Qt::CaseInsensitive))
            return path;
    return path + suffix;
}

// Loads the image a session was made on and checks it is the same data. A DICOM folder may
// hold several series: the one whose voxels match the fingerprint is taken.
Volume loadSessionImage(const io::Session &session, const QString &path, QStringList &warnings, QString &fingerprint)
{
    const std::string p = encode(path);
    auto check = [&](io::LoadResult result) -> std::optional<Volume> {
        const std::string fp = io::imageFingerprint(result.volume);
        if (!session.image.fingerprint.empty() && fp != session.image.fingerprint)
            return std::nullopt;
        for (const std::string &w : result.warnings)
            warnings << QString::fromStdString(w);
        fingerprint = QString::fromStdString(fp);
        Volume volume = result.volume;
        if (volume.info().sourcePath.empty())
            volume.info().sourcePath = p;
        return volume;
    };
    if (QFileInfo(path).isDir() && io::looksLikeDicom(p)) {
        const io::DicomScan scan = io::scanDicom(p);
        for (const io::DicomSeriesInfo &series : scan.series)
            if (series.frameCount == session.image.geometry.dims[2])
                if (auto volume = check(io::loadDicomSeries(series)))
                    return *volume;
    } else if (auto volume = check(io::readVolume(p))) {
        return *volume;
    }
    throw io::IoError(p + ": this is not the image the session was made on (its voxels differ: the file was changed "
                          "or replaced). The session needs the image it was saved with.");
}

} // namespace

SessionController::SessionController(AppController *app, QObject *parent)
    : QObject(parent), m_app(app), m_document(app->document())
{
    // One step (save, open, export, import) at a time; the autosave runs beside them.
    m_steps.setPolicy(TaskRunner::Policy::RefuseWhileBusy);
    connect(&m_steps, &TaskRunner::busyChanged, this, &SessionController::busyChanged);
    connect(&m_steps, &TaskRunner::finished, this, [this](bool ok) {
        if (!ok)
            setError(m_steps.error());
    });
    // A write is not cancellable half way: a newer autosave waits for it (autosaveAgainIfAsked).
    m_autosaver.setPolicy(TaskRunner::Policy::RefuseWhileBusy);
    connect(&m_autosaver, &TaskRunner::finished, this, [this](bool ok) {
        if (ok)
            return;
        setDirty(true); // try again after the next edit
        setError(tr("Autosave failed: %1").arg(m_autosaver.error()));
        autosaveAgainIfAsked();
    });
    m_autosaveTimer.setSingleShot(true);
    m_autosaveTimer.setInterval(kDefaultAutosaveMs);
    connect(&m_autosaveTimer, &QTimer::timeout, this, &SessionController::autosaveNow);
    connect(m_document, &Document::labelsChanged, this, &SessionController::markDirty);
    connect(m_document, &Document::layersChanged, this, &SessionController::markDirty);
    connect(m_document, &Document::meshesChanged, this, &SessionController::markDirty);
    connect(m_document->undoStack(), &QUndoStack::indexChanged, this, &SessionController::markDirty);
    // The study, not the display: showing a derived image (the masked CT) is neither a new
    // image to fingerprint nor a reason to forget unsaved edits.
    connect(m_document, &Document::studyChanged, this, [this] {
        m_fingerprintStudy = 0;
        m_fingerprint.clear();
        emit identityChanged();
        // A new image starts with nothing to lose; the work on the previous one stays in its
        // autosave until the next edit replaces it.
        if (!m_applying)
            setDirty(false);
    });
    findOrphan();
}

SessionController::~SessionController()
{
    // Destroyed only on an orderly exit (a crash runs no destructors). The document may already
    // be gone, so nothing new is written here: unsaved work stays in its last autosave.
    finishClose(m_unsaved);
}

void SessionController::setAutosaveDelay(int ms)
{
    ms = std::max(100, ms);
    if (ms == m_autosaveTimer.interval())
        return;
    m_autosaveTimer.setInterval(ms);
    emit autosaveDelayChanged();
}

QString SessionController::autosaveFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/autosave");
}

QStringList SessionController::identity() const
{
    QStringList out;
    if (!m_document->hasImage())
        return out;
    io::Session s;
    s.image.path = m_document->loadedImage().info().sourcePath;
    s.image.description = m_document->loadedImage().info().description;
    for (const std::string &field : io::identifyingFields(s))
        out << QString::fromStdString(field);
    return out;
}

io::Session SessionController::snapshot(bool encodeLabels) const
{
    io::Session s;
    // The loaded voxels, whatever a plugin shows in their place: the session refers to the file.
    const Volume &image = m_document->loadedImage();
    s.image.path = image.info().sourcePath;
    s.image.description = image.info().description;
    s.image.modality = image.info().modality;
    s.image.lengthUnit = image.info().lengthUnit;
    s.image.geometry = image.geometry();
    if (m_fingerprintStudy == m_document->studyId())
        s.image.fingerprint = m_fingerprint.toStdString();
    for (int i = 0; i < m_document->layerCount(); ++i) {
        const LabelLayer &layer = m_document->layer(i);
        // Encoded here, on the UI thread (faster than a copy), so the user can keep painting
        // while the writer compresses and writes on another thread.
        io::SessionLayer out{layer.name.toStdString(), layer.opacity, layer.visible, nullptr, std::nullopt};
        if (encodeLabels)
            out.encoded = io::encodeLabels(*layer.labels);
        else
            out.labels = layer.labels;
        s.layers.push_back(std::move(out));
    }
    for (int i = 0; i < m_document->meshCount(); ++i)
        // The document replaces meshes, never changes one in place: sharing it is safe.
        s.meshes.push_back(std::const_pointer_cast<Mesh>(m_document->mesh(i)));
    const QVector3D c = m_document->cursor();
    s.cursor = {c.x(), c.y(), c.z()};
    s.windowCenter = m_document->windowCenter();
    s.windowWidth = m_document->windowWidth();
    s.plugins = pluginParameters();
    return s;
}

QStringList SessionController::declaredParameters(const QObject *controller)
{
    const QMetaObject *meta = controller->metaObject();
    const int index = meta->indexOfClassInfo(kSessionParametersInfo);
    if (index < 0)
        return {};
    return QString::fromLatin1(meta->classInfo(index).value()).split(u' ', Qt::SkipEmptyParts);
}

QJsonObject SessionController::pluginParameters() const
{
    // Only what each controller declares (Q_CLASSINFO "carina.sessionParameters"): a writable
    // property is not necessarily a setting of the user's (GGO's drawing mode captures the tools).
    QJsonObject out;
    for (auto it = m_app->controllers().cbegin(); it != m_app->controllers().cend(); ++it) {
        const QObject *controller = it.value();
        if (!controller)
            continue;
        QJsonObject parameters;
        const QMetaObject *meta = controller->metaObject();
        for (const QString &name : declaredParameters(controller)) {
            const QMetaProperty p = meta->property(meta->indexOfProperty(name.toLatin1().constData()));
            if (!p.isValid() || !p.isReadable()) {
                qWarning("%s declares the session parameter '%s', which it does not have", qUtf8Printable(it.key()),
                         qUtf8Printable(name));
                continue;
            }
            const QVariant v = p.read(controller);
            if (v.typeId() == QMetaType::QColor)
                parameters.insert(name, v.value<QColor>().name(QColor::HexArgb));
            else if (p.isEnumType())
                parameters.insert(name, v.toInt());
            else if (const QJsonValue json = QJsonValue::fromVariant(v); !json.isNull() && !json.isUndefined())
                parameters.insert(name, json);
        }
        if (!parameters.isEmpty())
            out.insert(it.key(), parameters);
    }
    return out;
}

void SessionController::applyPluginParameters(const QJsonObject &plugins)
{
    QStringList missing;
    for (auto it = plugins.begin(); it != plugins.end(); ++it) {
        QObject *controller = m_app->controllerFor(it.key());
        if (!controller) {
            missing << it.key();
            continue;
        }
        const QJsonObject parameters = it.value().toObject();
        const QMetaObject *meta = controller->metaObject();
        // Declared today, so a file never sets what the plugin does not offer as a setting any more.
        for (const QString &name : declaredParameters(controller)) {
            if (!parameters.contains(name))
                continue;
            const QMetaProperty property = meta->property(meta->indexOfProperty(name.toLatin1().constData()));
            if (!property.isValid() || !property.isWritable())
                continue;
            const QJsonValue value = parameters.value(name);
            if (property.metaType().id() == QMetaType::QColor) {
                const QColor colour = QColor::fromString(value.toString());
                if (colour.isValid())
                    property.write(controller, colour);
            } else if (!value.isArray() && !value.isObject()) {
                property.write(controller, value.toVariant());
            }
        }
    }
    if (!missing.isEmpty())
        setMessage(tr("Opened; the settings of %1 were skipped (plugin not available).").arg(missing.join(QStringLiteral(", "))));
}

void SessionController::run(const QString &what, std::function<Loaded()> job, std::function<void(Loaded &)> done)
{
    if (m_steps.busy()) {
        setError(tr("Wait for the running step (%1) to finish.").arg(m_lastMessage));
        return;
    }
    setMessage(what);
    m_steps.start([job = std::move(job)](const TaskContext &) { return job(); },
                  [this, done = std::move(done)](Loaded loaded) {
                      setError(QString());
                      done(loaded);
                  });
}

void SessionController::saveSession(const QVariant &pathOrUrl, bool anonymise)
{
    if (!m_document->hasImage()) {
        setError(tr("Nothing to save: no image is open."));
        return;
    }
    const QString path = withSuffix(AppController::toLocalPath(pathOrUrl), QStringLiteral(".carina"), {QStringLiteral(".carina")});
    auto session = std::make_shared<io::Session>(snapshot(true));
    if (anonymise)
        io::anonymise(*session);
    const Volume image = m_document->loadedImage();
    run(tr("Saving %1").arg(QFileInfo(path).fileName()),
        [session, image, path] {
            Loaded out;
            if (session->image.fingerprint.empty())
                session->image.fingerprint = io::imageFingerprint(image);
            out.fingerprint = QString::fromStdString(session->image.fingerprint);
            io::writeSession(*session, encode(path));
            return out;
        },
        [this, path, study = m_document->studyId()](Loaded &out) {
            rememberFingerprint(study, out.fingerprint);
            m_sessionPath = path;
            emit sessionPathChanged();
            // The work is on disk now: this run's autosave has nothing more to offer.
            m_autosaveTimer.stop();
            setDirty(false);
            setUnsaved(false);
            removeOwnAutosave();
            setMessage(tr("Session saved to %1").arg(QDir::toNativeSeparators(path)));
            emit saved(path);
        });
}

void SessionController::openSession(const QVariant &pathOrUrl)
{
    const QString path = AppController::toLocalPath(pathOrUrl);
    run(tr("Opening %1").arg(QFileInfo(path).fileName()),
        [path] {
            Loaded out;
            out.session = io::readSession(encode(path));
            const QString image = QString::fromStdString(out.session->image.path);
            if (image.isEmpty()) {
                out.needImage = QObject::tr("This session was anonymised: it does not say where its image is. Choose the image it was made on.");
                return out;
            }
            if (!QFileInfo::exists(image)) {
                out.needImage = QObject::tr("The session's image is no longer at %1 (moved or deleted?). Choose the image it was made on.")
                                    .arg(QDir::toNativeSeparators(image));
                return out;
            }
            out.imagePath = image;
            out.volume = loadSessionImage(*out.session, image, out.warnings, out.fingerprint);
            return out;
        },
        [this, path](Loaded &out) {
            if (!out.needImage.isEmpty()) {
                m_pending = std::move(out.session);
                m_pendingPath = path;
                emit needsImageChanged();
                setMessage(out.needImage);
                return;
            }
            apply(out, path);
        });
}

void SessionController::chooseImage(const QVariant &pathOrUrl)
{
    if (!m_pending)
        return;
    const QString image = AppController::toLocalPath(pathOrUrl);
    auto session = std::make_shared<io::Session>(*m_pending);
    const QString sessionPath = m_pendingPath;
    run(tr("Opening %1").arg(QFileInfo(image).fileName()),
        [session, image] {
            Loaded out;
            out.session = *session;
            out.imagePath = image;
            out.volume = loadSessionImage(*session, image, out.warnings, out.fingerprint);
            return out;
        },
        [this, sessionPath](Loaded &out) {
            cancelPendingSession();
            apply(out, sessionPath);
        });
}

void SessionController::cancelPendingSession()
{
    if (!m_pending)
        return;
    m_pending.reset();
    m_pendingPath.clear();
    emit needsImageChanged();
}

void SessionController::apply(Loaded &loaded, const QString &sessionPath)
{
    io::Session &s = *loaded.session;
    // An image file without a pixel size comes back with the one the user gave it.
    if (loaded.volume.info().lengthUnit == "px" && millimetresPer(s.image.lengthUnit) > 0.0
        && s.image.geometry.dims == loaded.volume.dims()) {
        ImageGeometry g = loaded.volume.geometry();
        g.spacing = s.image.geometry.spacing;
        loaded.volume.setGeometry(g);
        loaded.volume.info().lengthUnit = s.image.lengthUnit;
    }
    if (!s.image.geometry.sameGrid(loaded.volume.geometry(), 0.01)) {
        setError(tr("%1: the image's grid changed since the session was saved; its layers would not line up.")
                     .arg(QDir::toNativeSeparators(loaded.imagePath)));
        return;
    }
    m_applying = true;
    m_document->setImage(loaded.volume, loaded.warnings);
    m_fingerprintStudy = m_document->studyId();
    m_fingerprint = loaded.fingerprint;
    for (io::SessionLayer &layer : s.layers) {
        // The document's grid, so addLayer's exact check holds after a round trip through text.
        LabelVolume onGrid(m_document->loadedImage().geometry());
        std::copy(layer.labels->data(), layer.labels->data() + layer.labels->voxelCount(), onGrid.data());
        onGrid.table() = layer.labels->table();
        const int index = m_document->addLayer(QString::fromStdString(layer.name),
                                               std::make_shared<LabelVolume>(std::move(onGrid)), layer.opacity);
        m_document->setLayerVisible(index, layer.visible);
    }
    for (auto &mesh : s.meshes)
        m_document->setMesh(mesh);
    m_document->setCursor(QVector3D(float(s.cursor[0]), float(s.cursor[1]), float(s.cursor[2])));
    m_document->setWindow(s.windowCenter, s.windowWidth);
    setMessage(tr("Opened %1").arg(QDir::toNativeSeparators(sessionPath)));
    applyPluginParameters(s.plugins);
    m_applying = false;
    m_autosaveTimer.stop();
    setDirty(false);
    setUnsaved(m_adoptingAutosave);
    m_sessionPath = sessionPath;
    emit sessionPathChanged();
    emit opened();
}

void SessionController::exportLabels(int layer, const QVariant &pathOrUrl)
{
    if (layer < 0 || layer >= m_document->layerCount()) {
        setError(tr("Nothing to export: there is no label layer %1.").arg(layer + 1));
        return;
    }
    const QString path = withSuffix(AppController::toLocalPath(pathOrUrl), QStringLiteral(".nii.gz"),
                                    {QStringLiteral(".nii.gz"), QStringLiteral(".nii")});
    auto labels = std::make_shared<LabelVolume>(*m_document->layer(layer).labels);
    const QString name = m_document->layer(layer).name;
    run(tr("Exporting %1").arg(name),
        [labels, path] {
            io::exportLabelNifti(*labels, encode(path));
            return Loaded{};
        },
        [this, path, name](Loaded &) {
            setMessage(tr("Layer \u201c%1\u201d exported to %2").arg(name, QDir::toNativeSeparators(path)));
        });
}

void SessionController::importLabels(const QVariant &pathOrUrl)
{
    if (!m_document->hasImage()) {
        setError(tr("Open the image first: labels are imported onto the open image."));
        return;
    }
    const QString path = AppController::toLocalPath(pathOrUrl);
    const ImageGeometry grid = m_document->loadedImage().geometry();
    run(tr("Importing %1").arg(QFileInfo(path).fileName()),
        [path, grid] {
            Loaded out;
            io::LabelImport imported = io::importLabelNifti(encode(path), grid);
            out.labels = imported.labels;
            for (const std::string &w : imported.warnings)
                out.warnings << QString::fromStdString(w);
            return out;
        },
        [this, path, grid](Loaded &out) {
            if (!m_document->hasImage() || !m_document->loadedImage().geometry().sameGrid(grid, 0.0)) {
                setError(tr("%1: the image changed while its labels were read; import again.").arg(QDir::toNativeSeparators(path)));
                return;
            }
            QString name = QFileInfo(path).fileName();
            name.remove(QRegularExpression(QStringLiteral("\\.nii(\\.gz)?$"), QRegularExpression::CaseInsensitiveOption));
            m_document->addLayer(name, out.labels);
            setMessage(out.warnings.isEmpty() ? tr("Imported %1").arg(name)
                                              : tr("Imported %1 (%2)").arg(name, out.warnings.join(QStringLiteral("; "))));
        });
}

// ---------- autosave ----------

void SessionController::markDirty()
{
    if (m_applying || !m_document->hasImage())
        return;
    setDirty(true);
    setUnsaved(true);
    m_autosaveTimer.start(); // restarts: the save waits for a few idle seconds
}

void SessionController::autosaveNow()
{
    m_autosaveTimer.stop();
    if (!m_dirty || !m_document->hasImage())
        return;
    if (m_autosaver.busy()) {
        m_autosaveAgain = true;
        return;
    }
    if (m_ownPath.isEmpty()) {
        if (!QDir().mkpath(autosaveFolder())) {
            setError(tr("Cannot autosave: cannot create %1.").arg(QDir::toNativeSeparators(autosaveFolder())));
            return;
        }
        makePrivate(autosaveFolder(), true);
        const QString base = autosaveFolder() + QStringLiteral("/autosave-%1-%2")
                                 .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")))
                                 .arg(QCoreApplication::applicationPid());
        // The lock says "this run is alive": the next start offers only autosaves nobody holds.
        // Without it another run would take this autosave for a crash's and could delete it.
        auto lock = std::make_unique<QLockFile>(base + QStringLiteral(".carina.lock"));
        lock->setStaleLockTime(0);
        if (!lock->tryLock(0)) {
            setError(tr("Cannot autosave: cannot lock %1 (%2).")
                         .arg(QDir::toNativeSeparators(base + QStringLiteral(".carina")), lockErrorText(lock->error())));
            return;
        }
        m_ownLock = std::move(lock);
        m_ownPath = base + QStringLiteral(".carina");
    }
    auto session = std::make_shared<io::Session>(snapshot(true));
    const Volume image = m_document->loadedImage();
    const QString path = m_ownPath;
    setDirty(false);
    m_autosaver.start(
        [session, image, path](const TaskContext &) {
            if (session->image.fingerprint.empty())
                session->image.fingerprint = io::imageFingerprint(image);
            io::writeSession(*session, encode(path));
            // Later writes keep the mode: the atomic writer copies the replaced file's.
            makePrivate(path, false);
            return QString::fromStdString(session->image.fingerprint);
        },
        [this, path, study = m_document->studyId()](const QString &fingerprint) {
            rememberFingerprint(study, fingerprint);
            emit autosaved(path);
            autosaveAgainIfAsked();
        });
}

void SessionController::autosaveAgainIfAsked()
{
    if (m_autosaveAgain) {
        m_autosaveAgain = false;
        autosaveNow();
    }
}

void SessionController::removeOwnAutosave()
{
    if (m_ownPath.isEmpty() || m_autosaver.busy())
        return;
    QFile::remove(m_ownPath);
    QFile::remove(closedMarker(m_ownPath));
    if (m_ownLock)
        m_ownLock->unlock();
    m_ownLock.reset();
    m_ownPath.clear();
}

void SessionController::closeCleanly()
{
    m_autosaveTimer.stop();
    // Closing never throws work away: edits the user did not save stay in this run's autosave,
    // which the next start offers to restore (the lock dies with this process).
    const bool keep = m_unsaved && m_document->hasImage();
    if (keep && m_dirty) {
        try {
            autosaveNow();
        } catch (const std::exception &e) {
            qWarning("Autosave on close failed: %s", e.what()); // the last autosave stays
        }
    }
    finishClose(keep);
}

void SessionController::finishClose(bool keepAutosave)
{
    m_autosaveTimer.stop();
    // Let the writer finish before its file is removed; its result is of no use any more.
    m_autosaver.waitForWorker();
    m_autosaver.invalidate();
    if (keepAutosave) {
        if (!m_ownPath.isEmpty()) {
            QFile marker(closedMarker(m_ownPath));
            if (marker.open(QIODevice::WriteOnly))
                marker.close();
        }
        m_ownLock.reset();
        return;
    }
    removeOwnAutosave();
}

void SessionController::findOrphan()
{
    const QDir folder(autosaveFolder());
    QFileInfoList files = folder.entryInfoList({QStringLiteral("autosave-*.carina")}, QDir::Files, QDir::Time);
    for (const QFileInfo &file : files) {
        auto lock = std::make_unique<QLockFile>(file.absoluteFilePath() + QStringLiteral(".lock"));
        // Only a lock whose process is gone is stale. Qt's default also calls any lock older
        // than 30 s stale, which would hand a live run's autosave to this one to discard or
        // to write into alongside its owner.
        lock->setStaleLockTime(0);
        if (!lock->tryLock(0))
            continue;
        m_orphanLock = std::move(lock);
        m_orphanPath = file.absoluteFilePath();
        m_orphanCrashed = !QFile::exists(closedMarker(m_orphanPath));
        // The image path sits near the start of the JSON (keys are sorted): no need to parse
        // a large file just to name it.
        QFile f(m_orphanPath);
        QString image;
        if (f.open(QIODevice::ReadOnly)) {
            const QString head = QString::fromUtf8(f.read(64 * 1024));
            const QRegularExpression re(QStringLiteral("\"path\"\\s*:\\s*\"([^\"]*)\""));
            const auto match = re.match(head);
            if (match.hasMatch())
                image = QFileInfo(match.captured(1)).fileName();
        }
        m_orphanSummary = tr("Unsaved work on %1, autosaved %2")
                              .arg(image.isEmpty() ? tr("an image") : image,
                                   QLocale().toString(file.lastModified(), QLocale::ShortFormat));
        emit restoreChanged();
        return;
    }
}

void SessionController::restoreAutosave()
{
    if (m_orphanPath.isEmpty())
        return;
    const QString orphan = m_orphanPath;
    run(tr("Restoring unsaved work"),
        [orphan] {
            Loaded out;
            out.session = io::readSession(encode(orphan));
            const QString image = QString::fromStdString(out.session->image.path);
            if (!QFileInfo::exists(image)) {
                out.needImage = QObject::tr("The image of the unsaved work is no longer at %1. Choose it to restore the work.")
                                    .arg(QDir::toNativeSeparators(image));
                return out;
            }
            out.imagePath = image;
            out.volume = loadSessionImage(*out.session, image, out.warnings, out.fingerprint);
            return out;
        },
        [this, orphan](Loaded &out) {
            // This run adopts the autosave: it stays on disk (under this run's lock) until the
            // work is saved or the app closes cleanly, so a second crash loses nothing either.
            m_ownPath = orphan;
            m_ownLock = std::move(m_orphanLock);
            QFile::remove(closedMarker(orphan)); // if this run crashes, that is a crash
            m_orphanPath.clear();
            m_orphanSummary.clear();
            emit restoreChanged();
            if (!out.needImage.isEmpty()) {
                m_pending = std::move(out.session);
                m_pendingPath.clear();
                emit needsImageChanged();
                setMessage(out.needImage);
                return;
            }
            m_adoptingAutosave = true; // the restored work is still only in the autosave
            apply(out, QString());
            m_adoptingAutosave = false;
            setMessage(tr("Unsaved work restored"));
        });
}

void SessionController::discardAutosave()
{
    if (m_orphanPath.isEmpty())
        return;
    QFile::remove(m_orphanPath);
    QFile::remove(closedMarker(m_orphanPath));
    m_orphanLock->unlock();
    m_orphanLock.reset();
    m_orphanPath.clear();
    m_orphanSummary.clear();
    emit restoreChanged();
    findOrphan(); // an older crash may have left another
}

// ---------- state ----------

void SessionController::rememberFingerprint(quint64 study, const QString &fingerprint)
{
    // A write that finished after another study was opened hashed the previous image.
    if (m_document->studyId() != study)
        return;
    m_fingerprintStudy = study;
    m_fingerprint = fingerprint;
}

void SessionController::setUnsaved(bool unsaved)
{
    if (m_unsaved == unsaved)
        return;
    m_unsaved = unsaved;
    emit unsavedChanged();
}

void SessionController::setDirty(bool dirty)
{
    if (m_dirty == dirty)
        return;
    m_dirty = dirty;
    emit dirtyChanged();
}

void SessionController::setError(const QString &message)
{
    if (m_lastError != message) {
        m_lastError = message;
        emit lastErrorChanged();
    }
    if (!message.isEmpty())
        emit failed(message);
}

void SessionController::setMessage(const QString &message)
{
    if (m_lastMessage == message)
        return;
    m_lastMessage = message;
    emit lastMessageChanged();
}

} // namespace carina
