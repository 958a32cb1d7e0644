// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Every plugin in plugins/*/ declares complete, consistent metadata, and the built library
// carries exactly that metadata, loads, and serves its panel from its own resources.
#include <carina/PluginHost.h>
#include <carina/Version.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

#include <set>

namespace {

const QString pluginSourceDir = QStringLiteral(CARINA_SOURCE_DIR "/plugins");

QStringList pluginFolders()
{
    return QDir(pluginSourceDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

class TestPluginMetadata : public QObject
{
    Q_OBJECT

private slots:
    void every_plugin_folder_has_valid_metadata()
    {
        const QStringList folders = pluginFolders();
        QVERIFY2(!folders.isEmpty(), "no plugin folders found");
        static const QRegularExpression idPattern(QStringLiteral("^[a-z][a-z0-9_-]*$"));
        static const QRegularExpression versionPattern(QStringLiteral("^\\d+\\.\\d+\\.\\d+$"));
        const std::set<QString> knownInputs{QStringLiteral("ct-volume"), QStringLiteral("any-volume"), QStringLiteral("image-2d")};
        const std::set<QString> allowedKeys{QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("description"),
                                            QStringLiteral("version"), QStringLiteral("sdkVersion"), QStringLiteral("icon"),
                                            QStringLiteral("inputs"), QStringLiteral("commands")};
        std::set<QString> commandNames;
        for (const QString &folder : folders) {
            const QString path = QStringLiteral("%1/%2/%2.json.in").arg(pluginSourceDir, folder);
            QFile file(path);
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path + QStringLiteral(": missing")));
            const QByteArray text = file.readAll();
            // The SDK version is always the one the plugin is compiled against, never typed in.
            QVERIFY2(text.contains("\"sdkVersion\": \"@CARINA_SDK_VERSION@\""), qPrintable(path));
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(QByteArray(text).replace("@CARINA_SDK_VERSION@", CARINA_SDK_VERSION), &error);
            QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(path + QStringLiteral(": ") + error.errorString()));
            QVERIFY2(document.isObject(), qPrintable(path));
            const QJsonObject meta = document.object();

            for (const QString &key : meta.keys())
                QVERIFY2(allowedKeys.count(key), qPrintable(path + QStringLiteral(": unknown key ") + key));
            for (const char *key : {"id", "name", "description", "version", "sdkVersion", "icon"})
                QVERIFY2(meta.value(QLatin1String(key)).isString() && !meta.value(QLatin1String(key)).toString().isEmpty(),
                         qPrintable(path + QStringLiteral(": needs a non-empty string ") + QLatin1String(key)));
            QCOMPARE(meta.value(QStringLiteral("id")).toString(), folder);
            QVERIFY2(idPattern.match(folder).hasMatch(), qPrintable(folder));
            QVERIFY2(versionPattern.match(meta.value(QStringLiteral("version")).toString()).hasMatch(), qPrintable(path));
            QVERIFY(carina::isSdkCompatible(meta.value(QStringLiteral("sdkVersion")).toString()));

            const QJsonArray inputs = meta.value(QStringLiteral("inputs")).toArray();
            QVERIFY2(!inputs.isEmpty(), qPrintable(path + QStringLiteral(": needs inputs")));
            for (const QJsonValue &input : inputs)
                QVERIFY2(knownInputs.count(input.toString()), qPrintable(path + QStringLiteral(": unknown input ") + input.toString()));
            for (const QJsonValue &command : meta.value(QStringLiteral("commands")).toArray()) {
                QVERIFY2(command.isString() && !command.toString().isEmpty(), qPrintable(path));
                QVERIFY2(commandNames.insert(command.toString()).second, qPrintable(path + QStringLiteral(": command declared twice")));
                QVERIFY2(command.toString() != QLatin1String("info") && command.toString() != QLatin1String("plugins"),
                         qPrintable(path + QStringLiteral(": command shadows a built-in")));
            }
        }
    }

    void built_plugins_carry_their_metadata_load_and_serve_their_panel()
    {
        carina::PluginHost host;
        host.discover({QStringLiteral(CARINA_PLUGIN_OUTPUT_DIR)});
        for (const carina::PluginRecord &record : host.plugins())
            QVERIFY2(record.loaded, qPrintable(record.filePath + QStringLiteral(": ") + record.error));

        for (const QString &folder : pluginFolders()) {
            const carina::PluginRecord *record = host.find(folder);
            QVERIFY2(record, qPrintable(folder + QStringLiteral(": not built into ") + QStringLiteral(CARINA_PLUGIN_OUTPUT_DIR)));
            QCOMPARE(record->sdkVersion, QStringLiteral(CARINA_SDK_VERSION));

            QStringList declared;
            for (const QJsonValue &command : record->metaData.value(QStringLiteral("commands")).toArray())
                declared << command.toString();
            QStringList offered;
            for (const carina::HeadlessCommand &command : record->plugin->headlessCommands()) {
                offered << command.name;
                QVERIFY2(!command.summary.isEmpty() && !command.usage.isEmpty() && command.run, qPrintable(command.name));
            }
            QCOMPARE(sorted(offered), sorted(declared));

            const QUrl panel = record->plugin->panelUrl();
            QVERIFY2(panel.isValid() && panel.scheme() == QLatin1String("qrc"), qPrintable(panel.toString()));
            QVERIFY2(QFile::exists(QLatin1Char(':') + panel.path()), qPrintable(panel.toString() + QStringLiteral(" is not in the plugin's resources")));
        }
    }
};

QTEST_GUILESS_MAIN(TestPluginMetadata)
#include "test_plugin_metadata.moc"
