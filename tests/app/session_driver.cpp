// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// A stand-in for the app in the crash test: the shell's AppController + SessionController with
// no window. `edit IMAGE STROKES` opens IMAGE, paints, prints "AUTOSAVED <file>" once the
// autosave is on disk and waits to be killed; `edit-unsaved IMAGE STROKES` paints with the
// autosave timer off, prints "PAINTED" and waits for SIGTERM, which it handles as the app does;
// `restore OUT` restores the autosave the killed run left and exports layer 1 to OUT; `state`
// prints whether a restore is offered, and whether after a crash or after a normal close.
#include "AppController.h"
#include "QuitOnSignals.h"
#include "SessionTestEdits.h"

#include <carina/io/LabelNifti.h>

#include <QGuiApplication>
#include <QTimer>

#include <cstdio>

using namespace carina;

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("carina-test"));
    QCoreApplication::setApplicationName(QStringLiteral("session-driver"));
    const QStringList args = app.arguments();
    if (args.size() < 2)
        return 2;
    AppController controller;
    SessionController *session = controller.session();
    const QString mode = args[1];
    auto say = [](const QString &line) {
        std::printf("%s\n", qPrintable(line));
        std::fflush(stdout);
    };
    QObject::connect(session, &SessionController::failed, [&](const QString &message) {
        say(QStringLiteral("FAILED ") + message);
        QCoreApplication::exit(3);
    });

    QuitOnSignals quitOnSignals([session] { session->closeCleanly(); });

    if (mode == QLatin1String("edit-unsaved") && args.size() == 4) {
        session->setAutosaveDelay(3600 * 1000); // only the quit saves
        QObject::connect(&controller, &AppController::loaded, [&] {
            const int layer = controller.document()->addEmptyLayer(QStringLiteral("Painted"));
            testing::paintStrokes(*controller.document(), layer, args[3].toInt());
            say(QStringLiteral("PAINTED"));
        });
        QObject::connect(&controller, &AppController::loadError, [&](const QString &m) { say("FAILED " + m); QCoreApplication::exit(3); });
        controller.openPath(args[2]);
        const int code = app.exec();
        say(QStringLiteral("QUIT"));
        return code;
    }
    if (mode == QLatin1String("edit") && args.size() == 4) {
        QObject::connect(&controller, &AppController::loaded, [&] {
            const int layer = controller.document()->addEmptyLayer(QStringLiteral("Painted"));
            testing::paintStrokes(*controller.document(), layer, args[3].toInt());
        });
        QObject::connect(session, &SessionController::autosaved, [&](const QString &path) { say(QStringLiteral("AUTOSAVED ") + path); });
        QObject::connect(&controller, &AppController::loadError, [&](const QString &m) { say("FAILED " + m); QCoreApplication::exit(3); });
        controller.openPath(args[2]);
        return app.exec();
    }
    if (mode == QLatin1String("state")) {
        say(session->restoreAvailable() ? QStringLiteral("OFFERED %1 %2")
                                              .arg(session->restoreAfterCrash() ? QStringLiteral("after-crash") : QStringLiteral("after-close"),
                                                   session->restoreSummary())
                                        : QStringLiteral("NONE"));
        return 0;
    }
    if (mode == QLatin1String("restore") && args.size() == 3) {
        if (!session->restoreAvailable()) {
            say(QStringLiteral("NONE"));
            return 4;
        }
        QObject::connect(session, &SessionController::opened, [&] {
            Document *doc = controller.document();
            say(QStringLiteral("RESTORED %1 %2").arg(doc->layerCount()).arg(doc->layerName(0)));
            io::exportLabelNifti(doc->layer(0).labels ? *doc->layer(0).labels : LabelVolume(), args[2].toStdString());
            session->closeCleanly();
            QCoreApplication::exit(0);
        });
        session->restoreAutosave();
        return app.exec();
    }
    return 2;
}
