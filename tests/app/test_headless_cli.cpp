// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Runs the built `carina` executable the way a pipeline (Snakemake, Slurm) would.
#include "CarinaProcess.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Run = carina::test::CarinaRun;

Run runCarina(const QStringList &arguments, const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    return carina::test::runProcess(QStringLiteral(CARINA_EXECUTABLE), arguments, 120000, environment);
}

const QString sample = QStringLiteral(CARINA_SOURCE_DIR "/data/sample/lungpetctdx-a0002");

} // namespace

class TestHeadlessCli : public QObject
{
    Q_OBJECT

private slots:
    void info_prints_the_bundled_sample_geometry()
    {
        const Run run = runCarina({QStringLiteral("--headless"), QStringLiteral("info"), sample});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QLatin1String("\ndims: 512 512 30\n")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QLatin1String("voxel type: ")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QLatin1String("modality: CT\n")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QLatin1String("units: HU\n")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QLatin1String("orientation: ")), qPrintable(run.out));
        // The sample folder's SHA256SUMS and SOURCE.md: one line, no file named (issue 22.5).
        QCOMPARE(run.out.count(QLatin1String("warning: ")), 1);
        QVERIFY2(run.out.contains(QLatin1String("warning: 2 files are not a DICOM image and were skipped\n")), qPrintable(run.out));
        QVERIFY2(!run.out.contains(QLatin1String("SHA256SUMS")) && !run.err.contains(QLatin1String("SHA256SUMS")), qPrintable(run.out + run.err));
    }

    void info_json_is_machine_readable_and_deterministic()
    {
        const Run first = runCarina({QStringLiteral("--headless"), QStringLiteral("info"), sample, QStringLiteral("--json")});
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        QJsonParseError error;
        const QJsonObject root = QJsonDocument::fromJson(first.out.toUtf8(), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(root.value(QStringLiteral("dims")).toArray(), (QJsonArray{512, 512, 30}));
        QCOMPARE(root.value(QStringLiteral("spacing")).toArray().size(), 3);
        QCOMPARE(root.value(QStringLiteral("direction")).toArray().size(), 3);
        QCOMPARE(root.value(QStringLiteral("channels")).toInt(), 1);
        QCOMPARE(root.value(QStringLiteral("units")).toString(), QStringLiteral("HU"));
        // Between-slice spacing of the sample is 8 mm.
        QCOMPARE(root.value(QStringLiteral("spacing")).toArray().at(2).toDouble(), 8.0);
        const Run second = runCarina({QStringLiteral("--headless"), QStringLiteral("info"), sample, QStringLiteral("--json")});
        QCOMPARE(second.out, first.out);
    }

    void info_on_a_missing_path_exits_1_with_a_message()
    {
        const Run run = runCarina({QStringLiteral("--headless"), QStringLiteral("info"), QStringLiteral("/nonexistent")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.contains(QLatin1String("/nonexistent")), qPrintable(run.err));
        QVERIFY2(run.err.startsWith(QLatin1String("carina info: ")), qPrintable(run.err));
    }

    void bad_command_lines_exit_1_with_a_message()
    {
        Run run = runCarina({QStringLiteral("--headless"), QStringLiteral("no-such-command")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QLatin1String("unknown headless command \"no-such-command\"")), qPrintable(run.err));
        run = runCarina({QStringLiteral("--headless")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QLatin1String("needs a COMMAND")), qPrintable(run.err));
        run = runCarina({QStringLiteral("--headless"), QStringLiteral("info")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QLatin1String("usage")), qPrintable(run.err));
        run = runCarina({QStringLiteral("--headless"), QStringLiteral("info"), sample, QStringLiteral("--frobnicate")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QLatin1String("frobnicate")), qPrintable(run.err));
        run = runCarina({QStringLiteral("--no-such-option")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QLatin1String("no-such-option")), qPrintable(run.err));
    }

    void help_lists_builtin_and_plugin_commands_with_usage()
    {
        const Run run = runCarina({QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        for (const char *expected : {"--headless", "--list-plugins", "--version", "info FILE|FOLDER [--json]",
                                     "plugins [--json]", "Plugin headless commands", "intensity FILE|FOLDER [--bins N] [--json]"})
            QVERIFY2(run.out.contains(QLatin1String(expected)), qPrintable(QLatin1String(expected) + QLatin1String(" missing in:\n") + run.out));
    }

    // `--profile DIR` keeps everything Carina writes in DIR (issue 22.6), private to the user.
    void profile_keeps_settings_and_journal_in_its_folder()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString profile = dir.filePath(QStringLiteral("trial"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QString elsewhere = dir.filePath(QStringLiteral("home-data"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), elsewhere);
        const Run run = runCarina({QStringLiteral("--profile"), profile, QStringLiteral("--headless"), QStringLiteral("plugins")}, env);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(QFileInfo::exists(profile + QStringLiteral("/data/carina/plugin-journal.ini")));
        QVERIFY(!QFileInfo::exists(elsewhere));
        QCOMPARE(int(QFileInfo(profile).permissions()) & 0x7077, int(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));

        env.insert(QStringLiteral("CARINA_PROFILE"), dir.filePath(QStringLiteral("from-env")));
        QCOMPARE(runCarina({QStringLiteral("--headless"), QStringLiteral("plugins")}, env).exitCode, 0);
        QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("from-env/data/carina/plugin-journal.ini"))));
    }

    void convert_writes_nifti_with_the_same_geometry_and_refuses_bad_requests()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString out = dir.filePath(QStringLiteral("sample.nii.gz"));
        const Run run = runCarina({QStringLiteral("--headless"), QStringLiteral("convert"), sample, out, QStringLiteral("--series"), QStringLiteral("1")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject from = QJsonDocument::fromJson(runCarina({QStringLiteral("--headless"), QStringLiteral("info"), sample, QStringLiteral("--json")}).out.toUtf8()).object();
        const QJsonObject back = QJsonDocument::fromJson(runCarina({QStringLiteral("--headless"), QStringLiteral("info"), out, QStringLiteral("--json")}).out.toUtf8()).object();
        for (const char *key : {"dims", "voxelType", "valueRange", "orientation"})
            QVERIFY2(from.value(QLatin1String(key)) == back.value(QLatin1String(key)), key);
        for (const char *key : {"spacing", "origin"})
            for (int i = 0; i < 3; ++i)
                QVERIFY2(std::abs(from.value(QLatin1String(key))[i].toDouble() - back.value(QLatin1String(key))[i].toDouble()) < 1e-4, key);

        const Run noSuchSeries = runCarina({QStringLiteral("--headless"), QStringLiteral("convert"), sample, out, QStringLiteral("--series"), QStringLiteral("2")});
        QCOMPARE(noSuchSeries.exitCode, 1);
        QVERIFY2(noSuchSeries.err.contains(QLatin1String("holds 1 series")), qPrintable(noSuchSeries.err));
        const Run notNifti = runCarina({QStringLiteral("--headless"), QStringLiteral("convert"), sample, dir.filePath(QStringLiteral("x.png"))});
        QCOMPARE(notNifti.exitCode, 1);
        QVERIFY2(notNifti.err.contains(QLatin1String("must end in .nii")), qPrintable(notNifti.err));
    }

    void version_names_the_sdk()
    {
        const Run run = runCarina({QStringLiteral("--version")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith(QLatin1String("carina ")), qPrintable(run.out));
        QVERIFY(run.out.contains(QLatin1String("SDK")));
    }

    void list_plugins_shows_the_intensity_plugin_loaded()
    {
        for (const QStringList &arguments : {QStringList{QStringLiteral("--list-plugins")},
                                             QStringList{QStringLiteral("--headless"), QStringLiteral("plugins")}}) {
            const Run run = runCarina(arguments);
            QCOMPARE(run.exitCode, 0);
            const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            const auto intensity = std::find_if(lines.begin(), lines.end(), [](const QString &line) {
                return line.startsWith(QLatin1String("intensity\t"));
            });
            QVERIFY2(intensity != lines.end(), qPrintable(run.out));
            QVERIFY2(intensity->startsWith(QLatin1String("intensity\tloaded\t")), qPrintable(*intensity));
        }
    }

    void list_plugins_reports_broken_plugins_without_failing()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("CARINA_PLUGIN_PATH"), QStringLiteral(CARINA_FIXTURE_PLUGIN_DIR));
        const Run run = runCarina({QStringLiteral("--list-plugins")}, environment);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QLatin1String("fixture_valid\tloaded\t")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QLatin1String("fixture_future_sdk\tfailed\t")), qPrintable(run.out));
        QVERIFY2(run.err.contains(QLatin1String("carina: plugin " CARINA_FIXTURE_PLUGIN_DIR "/text_file.so: not a shared library")),
                 qPrintable(run.err));
        // The valid fixture's command runs, with everything after its name as its arguments.
        const Run command = runCarina({QStringLiteral("--headless"), QStringLiteral("fixture-count"), QStringLiteral("a"),
                                       QStringLiteral("--json"), QStringLiteral("--help")},
                                      environment);
        QCOMPARE(command.exitCode, 0);
        QCOMPARE(command.out, QStringLiteral("3\n"));
    }

    void intensity_command_counts_every_voxel_of_the_sample()
    {
        const Run run = runCarina({QStringLiteral("--headless"), QStringLiteral("intensity"), sample,
                                   QStringLiteral("--bins"), QStringLiteral("64"), QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject root = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QCOMPARE(root.value(QStringLiteral("count")).toDouble(), 512.0 * 512.0 * 30.0);
        const QJsonArray counts = root.value(QStringLiteral("counts")).toArray();
        QVERIFY(!counts.isEmpty() && counts.size() <= 64);
        QCOMPARE(root.value(QStringLiteral("edges")).toArray().size(), counts.size() + 1);
        double total = 0;
        for (const QJsonValue &count : counts)
            total += count.toDouble();
        QCOMPARE(total, 512.0 * 512.0 * 30.0);
        QVERIFY(root.value(QStringLiteral("min")).toDouble() <= root.value(QStringLiteral("mean")).toDouble());
        QVERIFY(root.value(QStringLiteral("mean")).toDouble() <= root.value(QStringLiteral("max")).toDouble());
        QCOMPARE(root.value(QStringLiteral("units")).toString(), QStringLiteral("HU"));
    }
};

QTEST_GUILESS_MAIN(TestHeadlessCli)
#include "test_headless_cli.moc"
