// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// packaging/qml-modules.txt names every QML module the app imports, each one is installed on a
// machine set up by scripts/deps.sh, and the start-up check names a missing one with its package.
#include "QmlModuleCheck.h"

#include <QDirIterator>
#include <QGuiApplication>
#include <QQmlEngine>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace carina;

class TestQmlModules : public QObject
{
    Q_OBJECT
private slots:
    void every_import_of_the_sources_is_listed()
    {
        QSet<QString> listed;
        for (const QmlModuleRequirement &requirement : requiredQmlModules())
            listed.insert(requirement.module);
        QVERIFY(listed.contains(QStringLiteral("Qt.labs.folderlistmodel")));

        // `import QtQuick.Controls 2.15 as C`: the module is the first word after import.
        const QRegularExpression importLine(QStringLiteral(R"(^\s*import\s+([A-Za-z][A-Za-z0-9_.]*))"),
                                            QRegularExpression::MultilineOption);
        // The project's own modules (Carina.Shell, Carina.Controls, each plugin's panel module,
        // the example's): every URI its CMake files declare.
        QSet<QString> own;
        const QRegularExpression uriLine(QStringLiteral(R"(\bURI\s+([A-Za-z][A-Za-z0-9_.]*))"));
        for (const char *folder : {"qml", "plugins", "examples", "cmake"}) {
            QDirIterator it(QStringLiteral(CARINA_SOURCE_DIR "/") + QLatin1String(folder),
                            {QStringLiteral("CMakeLists.txt"), QStringLiteral("*.cmake")}, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile file(it.next());
                QVERIFY(file.open(QIODevice::ReadOnly));
                for (auto match = uriLine.globalMatch(QString::fromUtf8(file.readAll())); match.hasNext();)
                    own.insert(match.next().captured(1));
            }
        }
        QVERIFY(own.contains(QStringLiteral("Carina.Controls")));

        int files = 0;
        QStringList unlisted;
        for (const char *folder : {"qml", "plugins", "examples"}) {
            QDirIterator it(QStringLiteral(CARINA_SOURCE_DIR "/") + QLatin1String(folder), {QStringLiteral("*.qml")},
                            QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile file(it.next());
                QVERIFY(file.open(QIODevice::ReadOnly));
                ++files;
                const QString text = QString::fromUtf8(file.readAll());
                for (auto match = importLine.globalMatch(text); match.hasNext();) {
                    const QString module = match.next().captured(1);
                    // The app's own modules are built in (Carina.Shell) or ship with a plugin.
                    if (own.contains(module) || listed.contains(module))
                        continue;
                    unlisted << QStringLiteral("%1 (%2)").arg(module, file.fileName());
                }
            }
        }
        QVERIFY(files > 10);
        QVERIFY2(unlisted.isEmpty(), qPrintable(QStringLiteral("not in packaging/qml-modules.txt: ") +
                                                unlisted.join(QStringLiteral(", "))));
    }

    void every_listed_module_is_installed()
    {
        QQmlEngine engine;
        const auto missing = missingQmlModules(engine, requiredQmlModules());
        QVERIFY2(missing.isEmpty(), qPrintable(missingQmlModulesMessage(missing)));
    }

    void a_missing_module_is_named_with_its_package()
    {
        QQmlEngine engine;
        const QList<QmlModuleRequirement> required{{QStringLiteral("QtQuick"), QStringLiteral("qml6-module-qtquick")},
                                                   {QStringLiteral("Carina.NoSuchModule"), QStringLiteral("carina-nosuch")}};
        const auto missing = missingQmlModules(engine, required);
        QCOMPARE(missing.size(), 1);
        QCOMPARE(missing[0].module, QStringLiteral("Carina.NoSuchModule"));
        const QString message = missingQmlModulesMessage(missing);
        QVERIFY(message.contains(QStringLiteral("Carina.NoSuchModule")));
        QVERIFY(message.contains(QStringLiteral("apt-get install carina-nosuch")));
    }
};

QTEST_MAIN(TestQmlModules)
#include "test_qml_modules.moc"
