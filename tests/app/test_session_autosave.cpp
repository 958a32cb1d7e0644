// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Crash recovery end to end: a real process (session_driver, the shell's controllers without a
// window) paints, autosaves, and is killed with SIGKILL; the next start offers the autosave,
// restores it, and the labels match the edits voxel for voxel. The user's folders are never
// touched: XDG_DATA_HOME and HOME point into a temporary folder.
#include "SessionTestEdits.h"

#include <carina/io/LabelNifti.h>
#include <carina/io/Nifti.h>

#include <QDir>
#include <algorithm>
#include <QDateTime>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace carina;

class TestSessionAutosave : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_DATA_HOME", m_dir.filePath("data"));
        env.insert("HOME", m_dir.filePath("home"));
        env.insert("XDG_CONFIG_HOME", m_dir.filePath("config"));
        env.insert("QT_QPA_PLATFORM", "offscreen");
        return env;
    }
    void start(QProcess &process, const QStringList &args) const
    {
        process.setProcessEnvironment(environment());
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(QStringLiteral(CARINA_SESSION_DRIVER), args);
        QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
    }
    // The first stdout line starting with `prefix`, within the time limit.
    QString waitForLine(QProcess &process, const QString &prefix, int ms) const
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < ms) {
            while (process.canReadLine()) {
                const QString line = QString::fromUtf8(process.readLine()).trimmed();
                if (line.startsWith(prefix) || line.startsWith("FAILED"))
                    return line;
            }
            if (process.state() == QProcess::NotRunning && !process.canReadLine())
                return QStringLiteral("EXITED %1").arg(process.exitCode());
            process.waitForReadyRead(200);
        }
        return QStringLiteral("TIMEOUT");
    }
    QStringList autosaves() const
    {
        return QDir(m_dir.filePath("data/carina-test/session-driver/autosave")).entryList({"*.carina"}, QDir::Files);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        io::writeNifti(testing::sessionTestImage(), m_dir.filePath("image.nii.gz").toStdString());
    }

    void killed_after_edits_restores_voxel_for_voxel()
    {
        constexpr int strokes = 7;
        QProcess editor;
        start(editor, {"edit", m_dir.filePath("image.nii.gz"), QString::number(strokes)});
        const QString autosaved = waitForLine(editor, "AUTOSAVED", 60000);
        QVERIFY2(autosaved.startsWith("AUTOSAVED "), qPrintable(autosaved));
        QCOMPARE(autosaves().size(), 1);

        // Only the user may read it (issue 18.6).
        const QString folder = m_dir.filePath("data/carina-test/session-driver/autosave");
        const QString file = folder + "/" + autosaves().first();
        // Owner, group and other bits (Qt's "User" bits mirror the owner's for the current user).
        const auto modes = [](const QString &path) { return int(QFileInfo(path).permissions()) & 0x7077; };
        QCOMPARE(modes(folder), int(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        QCOMPARE(modes(file), int(QFileDevice::ReadOwner | QFileDevice::WriteOwner));

        // While the editing run lives, its autosave is its own: another start does not offer it,
        // even when the lock file is older than Qt's default stale time of 30 s (issue 18.4).
        QFile lockFile(file + ".lock");
        QVERIFY(lockFile.exists());
        QVERIFY(lockFile.open(QIODevice::ReadWrite));
        const QByteArray owner = lockFile.readAll();
        QVERIFY(lockFile.setFileTime(QDateTime::currentDateTime().addSecs(-600), QFileDevice::FileModificationTime));
        lockFile.close();
        QProcess second;
        start(second, {"state"});
        QCOMPARE(waitForLine(second, "NONE", 30000), QString("NONE"));
        second.waitForFinished();
        QVERIFY(lockFile.open(QIODevice::ReadOnly));
        QCOMPARE(lockFile.readAll(), owner); // still the editing run's lock
        lockFile.close();

        editor.kill(); // SIGKILL: no destructor, no clean close
        QVERIFY(editor.waitForFinished(10000));
        QCOMPARE(editor.exitStatus(), QProcess::CrashExit);
        QCOMPARE(autosaves().size(), 1);

        QProcess offered;
        start(offered, {"state"});
        const QString state = waitForLine(offered, "OFFERED", 30000);
        QVERIFY2(state.startsWith("OFFERED after-crash") && state.contains("image.nii.gz"), qPrintable(state));
        offered.waitForFinished();
        QCOMPARE(autosaves().size(), 1); // looking is not deleting

        QProcess restorer;
        const QString out = m_dir.filePath("restored.nii.gz");
        start(restorer, {"restore", out});
        const QString restored = waitForLine(restorer, "RESTORED", 60000);
        QCOMPARE(restored, QString("RESTORED 1 Painted"));
        QVERIFY(restorer.waitForFinished(30000));
        QCOMPARE(restorer.exitCode(), 0);

        const Volume image = testing::sessionTestImage();
        const io::LabelImport back = io::importLabelNifti(out.toStdString(), image.geometry());
        const LabelVolume expected = testing::expectedStrokes(image.geometry(), strokes);
        std::size_t painted = 0;
        for (std::size_t i = 0; i < expected.voxelCount(); ++i) {
            painted += expected.data()[i] != 0;
            if (back.labels->data()[i] != expected.data()[i])
                QFAIL(qPrintable(QString("voxel %1: restored %2, painted %3").arg(i).arg(back.labels->data()[i]).arg(expected.data()[i])));
        }
        QVERIFY(painted > 100);
        // The restored run closed without saving: its work stays offered, never thrown away.
        QCOMPARE(autosaves().size(), 1);
        QProcess again;
        start(again, {"state"});
        QVERIFY(waitForLine(again, "OFFERED", 30000).startsWith("OFFERED after-close"));
        again.waitForFinished();
        QVERIFY(QFile::remove(m_dir.filePath("data/carina-test/session-driver/autosave/") + autosaves().first()));
    }

    // Logout sends SIGTERM (issue 22.6): the edits not yet autosaved are saved on the way out,
    // the lock is released, and the next start offers them as unsaved work, not as a crash's.
    void sigterm_saves_the_work_and_is_not_a_crash()
    {
        const QString folder = m_dir.filePath("data/carina-test/session-driver/autosave");
        for (const QString &stale : QDir(folder).entryList(QDir::Files))
            QFile::remove(folder + "/" + stale);
        constexpr int strokes = 5;
        QProcess editor;
        start(editor, {"edit-unsaved", m_dir.filePath("image.nii.gz"), QString::number(strokes)});
        QCOMPARE(waitForLine(editor, "PAINTED", 60000), QString("PAINTED"));
        QCOMPARE(autosaves().size(), 0); // the timer is off: nothing on disk yet
        editor.terminate(); // SIGTERM
        QVERIFY(editor.waitForFinished(30000));
        QCOMPARE(editor.exitStatus(), QProcess::NormalExit);
        QCOMPARE(editor.exitCode(), 0);
        QCOMPARE(autosaves().size(), 1);
        QVERIFY(!QFile::exists(folder + "/" + autosaves().first() + ".lock"));

        QProcess next;
        start(next, {"state"});
        const QString state = waitForLine(next, "OFFERED", 30000);
        QVERIFY2(state.startsWith("OFFERED after-close"), qPrintable(state));
        next.waitForFinished();

        QProcess restorer;
        const QString out = m_dir.filePath("restored-after-sigterm.nii.gz");
        start(restorer, {"restore", out});
        QCOMPARE(waitForLine(restorer, "RESTORED", 60000), QString("RESTORED 1 Painted"));
        QVERIFY(restorer.waitForFinished(30000));
        const Volume image = testing::sessionTestImage();
        const io::LabelImport back = io::importLabelNifti(out.toStdString(), image.geometry());
        const LabelVolume expected = testing::expectedStrokes(image.geometry(), strokes);
        QVERIFY(std::equal(expected.data(), expected.data() + expected.voxelCount(), back.labels->data()));
    }
};

QTEST_GUILESS_MAIN(TestSessionAutosave)
#include "test_session_autosave.moc"
