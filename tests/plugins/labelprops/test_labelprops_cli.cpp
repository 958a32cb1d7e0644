// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// `carina --headless labelprops` against scikit-image's regionprops_table as the anchor
// (../shared/anchors/wf6_label_props.py) computes it, on the anchors' coins, cells and brain.
#include "CarinaProcess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

namespace {

const QString kAnchorData = qEnvironmentVariable("CARINA_ANCHOR_DATA", QStringLiteral("/tmp/carina-anchor-data"));
const QString kAnchors = qEnvironmentVariable("CARINA_SHARED_DIR", QStringLiteral(CARINA_SOURCE_DIR "/../shared")) + "/anchors";
const QString kPython = QStringLiteral("/usr/bin/python3");

struct Csv
{
    QStringList header;
    QList<QStringList> rows;
    int column(const QString &name) const { return int(header.indexOf(name)); }
};

Csv readCsv(const QString &path)
{
    Csv csv;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return csv;
    // Python's csv module ends lines with \r\n.
    const QStringList lines = QString::fromUtf8(f.readAll()).remove('\r').split('\n', Qt::SkipEmptyParts);
    if (lines.isEmpty())
        return csv;
    csv.header = lines.first().split(',');
    for (qsizetype i = 1; i < lines.size(); ++i)
        csv.rows.append(lines[i].split(','));
    return csv;
}

// Runs a program; "" on success, else what went wrong.
QString run(const QString &program, const QStringList &arguments, int timeoutMs, QByteArray *out = nullptr)
{
    const carina::test::CarinaRun r = carina::test::runProcess(program, arguments, timeoutMs);
    if (out)
        *out = r.out.toUtf8();
    if (r.exitCode != 0)
        return program + " " + arguments.join(' ') + " failed: " + r.err;
    return {};
}

bool haveSkimage()
{
    return QFileInfo::exists(kPython) && run(kPython, {"-c", "import skimage"}, 60000).isEmpty();
}

} // namespace

class TestLabelPropsCli : public QObject
{
    Q_OBJECT

private:
    // Compares Carina's CSV with the reference on every column the reference has: integer
    // columns exactly, floats within `relative`.
    void compare(const QString &mine, const QString &reference, int expectedRows, double relative)
    {
        const Csv a = readCsv(mine);
        const Csv b = readCsv(reference);
        QVERIFY2(!b.header.isEmpty(), qPrintable("no reference table in " + reference));
        QCOMPARE(a.rows.size(), expectedRows);
        QCOMPARE(b.rows.size(), expectedRows);
        for (const QString &name : b.header) {
            const int ca = a.column(name), cb = b.column(name);
            QVERIFY2(ca >= 0, qPrintable("Carina's CSV has no column " + name));
            const bool exact = name == "label" || name == "area" || name.startsWith("bbox-") || name == "euler_number";
            for (qsizetype r = 0; r < a.rows.size(); ++r) {
                const double va = a.rows[r][ca].toDouble(), vb = b.rows[r][cb].toDouble();
                const bool ok = exact ? va == vb : std::abs(va - vb) <= relative * std::max(1.0, std::abs(vb));
                QVERIFY2(ok, qPrintable(QStringLiteral("row %1 column %2: Carina %3, scikit-image %4")
                                            .arg(r + 1).arg(name, a.rows[r][ca], b.rows[r][cb])));
            }
        }
    }

    void runCase(const QString &npy, const QStringList &extra, int expectedRows, bool throughAnchor)
    {
        const QString input = kAnchorData + "/" + npy;
        if (!QFileInfo::exists(input))
            QSKIP(qPrintable(npy + " absent from $CARINA_ANCHOR_DATA or /tmp/carina-anchor-data (run /work/shared/anchors/gen_data.py)"));
        if (!QFileInfo::exists(kAnchors + "/wf6_label_props.py") || !haveSkimage())
            QSKIP("the wf6 anchor or Debian's python3-skimage is missing: no reference table");
        QTemporaryDir dir;
        const QString mine = dir.filePath("carina.csv"), reference = dir.filePath("skimage.csv");
        QByteArray out;
        QString error = run(QStringLiteral(CARINA_EXECUTABLE),
                            QStringList{"--headless", "labelprops", input, "--csv", mine} + extra, 300000, &out);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(out.contains(QByteArray("regions: ") + QByteArray::number(expectedRows)));
        if (throughAnchor) // the anchor itself, as the issue names it
            error = run(kPython, {kAnchors + "/wf6_label_props.py", kAnchorData, QFileInfo(npy).baseName() == "brain_flair" ? "brain3d" : QFileInfo(npy).baseName(),
                                  "--repeat", "1", "--csv", reference}, 600000);
        else
            error = run(kPython, {QStringLiteral(CARINA_TEST_DIR "/reference_props.py"), kAnchors, input, reference}, 600000);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        compare(mine, reference, expectedRows, 1e-6);
    }

private slots:
    void coins_match_the_anchor() { runCase("coins_512.npy", {}, 85, true); }
    void coins_bbox_and_centroids_match_scikit_image() { runCase("coins_512.npy", {"--threshold", "otsu"}, 85, false); }
    void cells_match_scikit_image() { runCase("cells_2048.npy", {}, 1559, false); }
    void brain_regions_and_volumes_match_the_anchor() { runCase("brain_flair.npy", {}, 37, true); }

    // A PNG says nothing trustworthy of its pixel size: without one the table is in pixels only;
    // with --pixel-size 0.5um areas are in µm² (pixel areas x 0.25) and lengths in µm.
    void a_pixel_size_gives_areas_in_its_unit()
    {
        QTemporaryDir dir;
        QImage image(60, 40, QImage::Format_Grayscale8);
        image.fill(10);
        for (int y = 0; y < 40; ++y)
            for (int x = 0; x < 60; ++x) {
                const bool box = x >= 3 && x < 13 && y >= 4 && y < 11;
                const bool disk = (x - 40) * (x - 40) + (y - 20) * (y - 20) <= 81;
                const bool dot = x == 25 && y == 35;
                if (box || disk || dot)
                    image.setPixel(x, y, qRgb(200, 200, 200));
            }
        const QString png = dir.filePath("blobs.png");
        QVERIFY(image.save(png));
        const QString carina = QStringLiteral(CARINA_EXECUTABLE);

        QVERIFY2(run(carina, {"--headless", "labelprops", png, "--csv", dir.filePath("px.csv")}, 60000).isEmpty(), "labelprops failed");
        const Csv px = readCsv(dir.filePath("px.csv"));
        QCOMPARE(px.rows.size(), 3);
        QVERIFY(px.column("area") >= 0);
        QCOMPARE(px.column("area_mm2"), -1); // mm would be made up
        QCOMPARE(px.column("centroid_mm-0"), -1);

        QVERIFY2(run(carina, {"--headless", "labelprops", png, "--pixel-size", "0.5um", "--csv", dir.filePath("um.csv")}, 60000).isEmpty(),
                 "labelprops --pixel-size failed");
        const Csv um = readCsv(dir.filePath("um.csv"));
        QCOMPARE(um.rows.size(), 3);
        const int area = um.column("area"), areaUm = um.column("area_um2");
        const int perimeter = um.column("perimeter"), perimeterUm = um.column("perimeter_um");
        QVERIFY(area >= 0 && areaUm >= 0 && perimeter >= 0 && perimeterUm >= 0);
        QCOMPARE(um.column("area_mm2"), -1);
        for (const QStringList &row : um.rows) {
            const double a = row[area].toDouble();
            QVERIFY2(std::abs(row[areaUm].toDouble() - a * 0.25) <= 1e-12 * a, qPrintable(row.join(',')));
            QVERIFY(std::abs(row[perimeterUm].toDouble() - row[perimeter].toDouble() * 0.5) <= 1e-9 * row[perimeter].toDouble() + 1e-12);
        }
        QCOMPARE(um.rows[0][area].toInt(), 70); // the 10 x 7 box

        carina::test::CarinaRun r = carina::test::runProcess(carina, {"--headless", "labelprops", png, "--pixel-size", "0.5 parsecs",
                                                                      "--csv", dir.filePath("bad.csv")}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--pixel-size") && r.err.contains("parsecs"), qPrintable(r.err));
    }

    void bad_input_gets_a_clear_message()
    {
        QTemporaryDir dir;
        const QString carina = QStringLiteral(CARINA_EXECUTABLE);
        carina::test::CarinaRun r = carina::test::runProcess(carina, {"--headless", "labelprops", dir.filePath("none.npy"), "--csv", dir.filePath("x.csv")}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("none.npy"));
        r = carina::test::runProcess(carina, {"--headless", "labelprops", dir.filePath("none.npy")}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("--csv"));
        r = carina::test::runProcess(carina, {"--headless", "labelprops", "x.npy", "--threshold", "high", "--csv", "x.csv"}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("--threshold"));
    }
};

QTEST_GUILESS_MAIN(TestLabelPropsCli)
#include "test_labelprops_cli.moc"
