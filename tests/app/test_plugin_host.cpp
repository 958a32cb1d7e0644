// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/PluginHost.h>
#include <carina/Version.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using carina::PluginHost;
using carina::PluginRecord;

namespace {

const QString fixtureDir = QStringLiteral(CARINA_FIXTURE_PLUGIN_DIR);
const QString secondDir = QStringLiteral(CARINA_FIXTURE_SECOND_DIR);

const PluginRecord *recordForFile(const PluginHost &host, const QString &fileName)
{
    for (const PluginRecord &record : host.plugins())
        if (QFileInfo(record.filePath).fileName() == fileName)
            return &record;
    return nullptr;
}

// Restores an environment variable when the test function ends, whatever happens.
class EnvironmentGuard
{
public:
    explicit EnvironmentGuard(const char *name) : m_name(name), m_had(qEnvironmentVariableIsSet(name)), m_value(qgetenv(name)) {}
    ~EnvironmentGuard()
    {
        if (m_had)
            qputenv(m_name, m_value);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_had;
    QByteArray m_value;
};

} // namespace

class TestPluginHost : public QObject
{
    Q_OBJECT

private slots:
    void sdk_compatibility_requires_same_major_and_no_newer_minor()
    {
        const int major = CARINA_SDK_VERSION_MAJOR;
        const int minor = CARINA_SDK_VERSION_MINOR;
        QString reason;
        QVERIFY(carina::isSdkCompatible(QStringLiteral(CARINA_SDK_VERSION), &reason));
        QVERIFY(reason.isEmpty());
        if (major > 0) {
            QVERIFY(carina::isSdkCompatible(QStringLiteral("%1.0").arg(major)));
        } else if (minor > 0) {
            // Before 1.0 every minor version may break plugins: an older one is refused too.
            QVERIFY(!carina::isSdkCompatible(QStringLiteral("0.%1").arg(minor - 1), &reason));
            QVERIFY2(reason.contains(QLatin1String("minor version must match")), qPrintable(reason));
        }

        QVERIFY(!carina::isSdkCompatible(QStringLiteral("%1.%2").arg(major).arg(minor + 1), &reason));
        QVERIFY2(reason.contains(QLatin1String(major == 0 ? "minor version must match" : "newer")), qPrintable(reason));
        QVERIFY(!carina::isSdkCompatible(QStringLiteral("%1.%2").arg(major + 1).arg(minor), &reason));
        QVERIFY2(reason.contains(QLatin1String("major")), qPrintable(reason));
        if (major > 0)
            QVERIFY(!carina::isSdkCompatible(QStringLiteral("%1.%2").arg(major - 1).arg(minor)));

        for (const char *bad : {"", "1", "abc", "-1", "-1.0", "0.1.2", "1.x", " 0.1"}) {
            QVERIFY2(!carina::isSdkCompatible(QLatin1String(bad), &reason), bad);
            QVERIFY2(reason.contains(QLatin1String("invalid sdkVersion")), qPrintable(reason));
        }
    }

    void host_loads_only_the_valid_fixture_and_names_each_failure()
    {
        PluginHost host;
        host.discover({fixtureDir});
        QCOMPARE(int(host.plugins().size()), 6);

        const PluginRecord *valid = recordForFile(host, QStringLiteral("fixture_valid.so"));
        QVERIFY(valid);
        QVERIFY2(valid->loaded, qPrintable(valid->error));
        QVERIFY(valid->error.isEmpty());
        QVERIFY(valid->plugin);
        QCOMPARE(valid->id, QStringLiteral("fixture_valid"));
        QCOMPARE(valid->name, QStringLiteral("Fixture valid"));
        QCOMPARE(valid->version, QStringLiteral("1.0.0"));
        QCOMPARE(valid->sdkVersion, QStringLiteral(CARINA_SDK_VERSION));
        QCOMPARE(valid->inputs, QStringList{QStringLiteral("any-volume")});
        QCOMPARE(host.find(QStringLiteral("fixture_valid")), valid);
        QObject parent;
        QObject *controller = valid->plugin->createController(nullptr, &parent);
        QVERIFY(controller);
        QCOMPARE(controller->parent(), &parent);

        struct Expected
        {
            const char *file;
            const char *id;
            const char *reason;
        };
        const Expected failures[] = {
            {"fixture_wrong_iid.so", "", "not a Carina plugin: interface \"org.example.SomethingElse/1\""},
            {"fixture_future_sdk.so", "fixture_future_sdk", "built for Carina SDK 99.0"},
            {"fixture_missing_symbol.so", "fixture_missing_symbol", "carina_fixture_function_that_no_library_defines"},
            {"not_a_plugin.so", "", "not a Qt plugin (no plugin metadata)"},
            {"text_file.so", "", "not a shared library (no ELF header)"},
        };
        for (const Expected &expected : failures) {
            const PluginRecord *record = recordForFile(host, QLatin1String(expected.file));
            QVERIFY2(record, expected.file);
            QVERIFY2(!record->loaded, expected.file);
            QVERIFY(!record->plugin);
            QCOMPARE(record->id, QLatin1String(expected.id));
            QVERIFY2(record->error.contains(QLatin1String(expected.reason)),
                     qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(expected.file), record->error)));
            QVERIFY(!host.find(record->id) || record->id.isEmpty());
        }
        QVERIFY(recordForFile(host, QStringLiteral("fixture_missing_symbol.so"))->error.startsWith(QLatin1String("cannot load: ")));
        QVERIFY(recordForFile(host, QStringLiteral("fixture_future_sdk.so"))->error.contains(QLatin1String("major version must match")));

        // Only the loaded plugin contributes commands.
        const auto commands = host.headlessCommands();
        QCOMPARE(int(commands.size()), 1);
        QCOMPARE(commands.front().name, QStringLiteral("fixture-count"));
    }

    void duplicate_id_keeps_the_first_and_lists_the_copy_as_failed()
    {
        PluginHost host;
        host.discover({fixtureDir, secondDir});
        const PluginRecord *first = recordForFile(host, QStringLiteral("fixture_valid.so"));
        const PluginRecord *copy = recordForFile(host, QStringLiteral("fixture_valid_copy.so"));
        QVERIFY(first && copy);
        QVERIFY(first->loaded);
        QVERIFY(!copy->loaded);
        QCOMPARE(copy->id, QStringLiteral("fixture_valid"));
        QVERIFY2(copy->error.startsWith(QLatin1String("duplicate id \"fixture_valid\"")), qPrintable(copy->error));
        QVERIFY(copy->error.contains(first->filePath));
        QCOMPARE(host.find(QStringLiteral("fixture_valid"))->filePath, first->filePath);
        QCOMPARE(int(host.headlessCommands().size()), 1);

        // The order of the folders decides which copy wins.
        PluginHost reversed;
        reversed.discover({secondDir, fixtureDir});
        QVERIFY(recordForFile(reversed, QStringLiteral("fixture_valid_copy.so"))->loaded);
        QVERIFY(!recordForFile(reversed, QStringLiteral("fixture_valid.so"))->loaded);
    }

    void same_folder_listed_twice_is_scanned_once()
    {
        PluginHost host;
        host.discover({fixtureDir, fixtureDir + QStringLiteral("/"), fixtureDir + QStringLiteral("/../plugins")});
        QCOMPARE(int(host.plugins().size()), 6);
    }

    void plugin_path_environment_variable_is_searched_first()
    {
        EnvironmentGuard guard("CARINA_PLUGIN_PATH");
        qputenv("CARINA_PLUGIN_PATH", QStringLiteral("/nonexistent/carina:%1::%2").arg(secondDir, fixtureDir).toUtf8());
        const QStringList paths = PluginHost::defaultSearchPaths();
        QVERIFY(paths.size() >= 4);
        QCOMPARE(paths.mid(0, 3), (QStringList{QStringLiteral("/nonexistent/carina"), secondDir, fixtureDir}));

        PluginHost host;
        host.discover();
        QVERIFY(recordForFile(host, QStringLiteral("fixture_valid_copy.so"))->loaded);
        QVERIFY(recordForFile(host, QStringLiteral("text_file.so")));
        QVERIFY(!recordForFile(host, QStringLiteral("fixture_valid.so"))->loaded);
    }

    void default_paths_start_from_the_executable_and_end_with_the_prefix()
    {
        EnvironmentGuard guard("CARINA_PLUGIN_PATH");
        qunsetenv("CARINA_PLUGIN_PATH");
        const QStringList paths = PluginHost::defaultSearchPaths();
        QVERIFY(!paths.isEmpty());
        // Test executables sit in build/bin like carina, so this is build/lib/carina/plugins.
        QCOMPARE(paths.first(), QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/../lib/carina/plugins")));
        QCOMPARE(QFileInfo(paths.first()).canonicalFilePath(),
                 QFileInfo(QStringLiteral(CARINA_BINARY_DIR "/lib/carina/plugins")).canonicalFilePath());
        QVERIFY(paths.last().endsWith(QLatin1String("/carina/plugins")));
        for (const QString &path : paths)
            QVERIFY2(QDir::isAbsolutePath(path), qPrintable(path));
    }

    void current_directory_is_never_searched()
    {
        QTemporaryDir planted;
        QVERIFY(planted.isValid());
        QVERIFY(QFile::copy(fixtureDir + QStringLiteral("/fixture_valid.so"), planted.filePath(QStringLiteral("planted.so"))));
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(planted.path()));
        EnvironmentGuard guard("CARINA_PLUGIN_PATH");
        // Empty and relative entries mean "here" in PATH-like variables: they must not count.
        qputenv("CARINA_PLUGIN_PATH", ":.:./:planted:");

        const QStringList paths = PluginHost::defaultSearchPaths();
        PluginHost host;
        host.discover();
        PluginHost explicitRelative;
        explicitRelative.discover({QStringLiteral("."), QString()});
        QDir::setCurrent(previous);

        const QString plantedDir = QFileInfo(planted.path()).canonicalFilePath();
        for (const QString &path : paths)
            QVERIFY2(QFileInfo(path).canonicalFilePath() != plantedDir, qPrintable(path));
        QVERIFY(!recordForFile(host, QStringLiteral("planted.so")));
        QVERIFY(explicitRelative.plugins().empty());
    }
};

QTEST_GUILESS_MAIN(TestPluginHost)
#include "test_plugin_host.moc"
