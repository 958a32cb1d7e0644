// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The .carina session format: exact round trips, a reader that refuses every damaged input with
// a message naming the file (seeds and fuzz regressions replayed), atomic writes, anonymising.
#include "ReadOnlyFolder.h"

#include <carina/io/IoError.h>
#include <carina/io/Session.h>

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <Eigen/Geometry>

#include <fstream>
#include <random>

using namespace carina;

namespace {

ImageGeometry grid()
{
    ImageGeometry g;
    g.dims = {40, 33, 17};
    g.spacing = {0.7, 0.85, 2.5};
    g.origin = {-120.25, 33.5, -71.0};
    g.direction = Eigen::AngleAxisd(0.3, Eigen::Vector3d(1, 2, 3).normalized()).toRotationMatrix();
    return g;
}

io::Session sample()
{
    io::Session s;
    s.image.path = "/data/DOE^JOHN/CT chest";
    s.image.description = "CT THORAX";
    s.image.modality = "CT";
    s.image.geometry = grid();
    s.image.fingerprint = "md5:0123";
    std::mt19937 rng(3);
    for (int l = 0; l < 2; ++l) {
        auto labels = std::make_shared<LabelVolume>(grid());
        for (int n = 0; n < 3000; ++n)
            labels->data()[rng() % labels->voxelCount()] = std::uint16_t(1 + rng() % (l ? 65535 : 5));
        labels->table().set({2, "Tumour \u00e9", {1, 2, 3}, false});
        s.layers.push_back({"Layer " + std::to_string(l), 0.25 + l * 0.5, l == 0, labels});
    }
    auto mesh = std::make_shared<Mesh>();
    mesh->name = "lungs";
    mesh->vertices = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1};
    mesh->triangles = {0, 1, 2, 0, 3, 1};
    mesh->computeNormals();
    mesh->colour = {0.1f, 0.2f, 0.3f};
    mesh->opacity = 0.4f;
    mesh->visible = false;
    s.meshes.push_back(mesh);
    s.cursor = {1.5, -2.25, 30.0};
    s.windowCenter = -600;
    s.windowWidth = 1500;
    s.plugins = QJsonObject{{"intensity", QJsonObject{{"lower", -500}, {"mode", "otsu"}, {"smooth", true}}}};
    return s;
}

void compare(const io::Session &a, const io::Session &b)
{
    QCOMPARE(a.image.path, b.image.path);
    QCOMPARE(a.image.fingerprint, b.image.fingerprint);
    QCOMPARE(a.image.description, b.image.description);
    QVERIFY(a.image.geometry.sameGrid(b.image.geometry, 1e-12));
    QCOMPARE(a.layers.size(), b.layers.size());
    for (std::size_t l = 0; l < a.layers.size(); ++l) {
        QCOMPARE(a.layers[l].name, b.layers[l].name);
        QCOMPARE(a.layers[l].opacity, b.layers[l].opacity);
        QCOMPARE(a.layers[l].visible, b.layers[l].visible);
        QVERIFY(std::equal(a.layers[l].labels->data(), a.layers[l].labels->data() + a.layers[l].labels->voxelCount(),
                           b.layers[l].labels->data()));
        QCOMPARE(a.layers[l].labels->table().entries().size(), b.layers[l].labels->table().entries().size());
        QCOMPARE(b.layers[l].labels->table().find(2)->name, std::string("Tumour \u00e9"));
        QVERIFY(!b.layers[l].labels->table().find(2)->visible);
    }
    QCOMPARE(a.meshes.size(), b.meshes.size());
    QCOMPARE(a.meshes[0]->vertices, b.meshes[0]->vertices);
    QCOMPARE(a.meshes[0]->normals, b.meshes[0]->normals);
    QCOMPARE(a.meshes[0]->triangles, b.meshes[0]->triangles);
    QCOMPARE(a.meshes[0]->name, b.meshes[0]->name);
    QCOMPARE(b.meshes[0]->visible, false);
    QCOMPARE(a.cursor, b.cursor);
    QCOMPARE(a.windowCenter, b.windowCenter);
    QCOMPARE(a.windowWidth, b.windowWidth);
    QCOMPARE(a.plugins, b.plugins);
}

void expectRefused(const QByteArray &bytes, const char *expected)
{
    try {
        io::parseSession(bytes, "bad.carina");
        QFAIL(qPrintable(QString("accepted; expected \"%1\"").arg(expected)));
    } catch (const io::IoError &e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.startsWith("bad.carina: "), e.what());
        QVERIFY2(message.contains(expected), qPrintable(message + " / expected: " + expected));
    }
}

} // namespace

class TestSessionFormat : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void round_trip_is_exact()
    {
        const io::Session s = sample();
        const std::string file = m_dir.filePath("s.carina").toStdString();
        io::writeSession(s, file);
        compare(s, io::readSession(file));
        // Layers handed over pre-encoded (the app's autosave) give the same file.
        io::Session encoded = s;
        for (io::SessionLayer &layer : encoded.layers) {
            layer.encoded = io::encodeLabels(*layer.labels);
            layer.labels.reset();
        }
        compare(s, io::parseSession(io::serialiseSession(encoded), "encoded.carina"));
    }

    void file_is_versioned_json_matching_the_mime_type()
    {
        const QJsonDocument doc = QJsonDocument::fromJson(io::serialiseSession(sample()));
        QVERIFY(doc.isObject());
        QCOMPARE(doc["format"].toString(), QString("carina-session"));
        QCOMPARE(doc["version"].toInt(), io::sessionFormatVersion);
        // packaging/org.carina.Carina.mime.xml declares the type a subclass of JSON, *.carina.
        QFile mime(CARINA_SOURCE_DIR "/packaging/org.carina.Carina.mime.xml");
        QVERIFY(mime.open(QIODevice::ReadOnly));
        const QByteArray xml = mime.readAll();
        QVERIFY(xml.contains("application/json") && xml.contains("*.carina"));
    }

    void empty_layers_compress_to_almost_nothing()
    {
        io::Session s;
        s.image.geometry.dims = {512, 512, 300};
        s.layers.push_back({"empty", 0.5, true, std::make_shared<LabelVolume>(s.image.geometry)});
        QVERIFY(io::serialiseSession(s).size() < 4096);
    }

    void anonymise_removes_what_identifies()
    {
        io::Session s = sample();
        QCOMPARE(io::identifyingFields(s).size(), std::size_t(2));
        io::anonymise(s);
        QVERIFY(io::identifyingFields(s).empty());
        const QByteArray bytes = io::serialiseSession(s);
        QVERIFY(!bytes.contains("DOE"));
        QVERIFY(!bytes.contains("THORAX"));
        const io::Session back = io::parseSession(bytes, "a.carina");
        QVERIFY(back.anonymised);
        QCOMPARE(back.image.fingerprint, s.image.fingerprint);
    }

    void fingerprint_sees_every_voxel()
    {
        Volume a(VoxelType::Int16, grid());
        Volume b = a.clone();
        QCOMPARE(io::imageFingerprint(a), io::imageFingerprint(b));
        b.data<std::int16_t>()[b.voxelCount() - 1] = 1;
        QVERIFY(io::imageFingerprint(a) != io::imageFingerprint(b));
        Volume c(VoxelType::UInt16, grid());
        QVERIFY(io::imageFingerprint(a) != io::imageFingerprint(c));
    }

    void damaged_sessions_are_refused_clearly()
    {
        const QByteArray good = io::serialiseSession(sample());
        expectRefused(QByteArray(), "not JSON");
        expectRefused("garbage\x01\x02", "not JSON");
        expectRefused(good.left(good.size() / 2), "not JSON");
        expectRefused("{\"format\":\"x\"}", "not a Carina session");
        expectRefused("[1,2]", "not JSON");

        QJsonObject root = QJsonDocument::fromJson(good).object();
        auto with = [&](const std::function<void(QJsonObject &)> &change) {
            QJsonObject copy = root;
            change(copy);
            return QJsonDocument(copy).toJson();
        };
        expectRefused(with([](QJsonObject &r) { r["version"] = 99; }), "newer Carina");
        expectRefused(with([](QJsonObject &r) { r["version"] = "one"; }), "\"version\"");
        expectRefused(with([](QJsonObject &r) { r.remove("image"); }), "\"image\"");
        auto layer = [&](const std::function<void(QJsonObject &)> &change) {
            return with([&](QJsonObject &r) {
                QJsonArray layers = r["layers"].toArray();
                QJsonObject l = layers[0].toObject();
                change(l);
                layers[0] = l;
                r["layers"] = layers;
            });
        };
        auto voxels = [&](const std::function<void(QJsonObject &)> &change) {
            return layer([&](QJsonObject &l) {
                QJsonObject v = l["voxels"].toObject();
                change(v);
                l["voxels"] = v;
            });
        };
        expectRefused(voxels([](QJsonObject &v) { v["runs"] = v["runs"].toDouble() + 1; }), "bytes");
        expectRefused(voxels([](QJsonObject &v) { v["zlib"] = "!!!"; }), "base64");
        expectRefused(voxels([](QJsonObject &v) { v["zlib"] = QString::fromLatin1(QByteArray("abcdefgh").toBase64()); }), "corrupt");
        expectRefused(voxels([](QJsonObject &v) { v["encoding"] = "png"; }), "encoding");
        expectRefused(layer([](QJsonObject &l) { l["labels"] = QJsonArray{QJsonObject{{"id", 0}, {"rgb", QJsonArray{1, 2, 3}}}}; }), "label id");
        // Runs that do not add up to the grid: a one-run layer of the wrong length.
        expectRefused(with([&](QJsonObject &r) {
            QJsonObject image = r["image"].toObject();
            QJsonObject g = image["grid"].toObject();
            g["dims"] = QJsonArray{40, 33, 18};
            image["grid"] = g;
            r["image"] = image;
        }), "do not cover the grid");
        // A huge grid from a tiny file is refused before anything is allocated.
        expectRefused(with([&](QJsonObject &r) {
            QJsonObject image = r["image"].toObject();
            QJsonObject g = image["grid"].toObject();
            g["dims"] = QJsonArray{100000, 100000, 100000};
            image["grid"] = g;
            r["image"] = image;
        }), "larger than");
        expectRefused(with([&](QJsonObject &r) {
            QJsonArray meshes = r["meshes"].toArray();
            QJsonObject m = meshes[0].toObject();
            m["vertexCount"] = 3; // triangles refer to vertex 3
            m.remove("normals");
            meshes[0] = m;
            r["meshes"] = meshes;
        }), "bytes");
    }

    void many_layers_from_tiny_run_lists_are_refused_before_allocating()
    {
        // 64 layers of one run each over a 2048 x 2048 x 512 grid: a few KB declaring 275 GB of
        // labels. Refused by the budget before the first layer is filled.
        QJsonObject root = QJsonDocument::fromJson(io::serialiseSession(sample())).object();
        QJsonObject image = root["image"].toObject();
        QJsonObject g = image["grid"].toObject();
        g["dims"] = QJsonArray{2048, 2048, 512};
        image["grid"] = g;
        root["image"] = image;
        const char run[6] = {0, 0, 0, 0, 0, char(0x80)}; // label 0 for 2^31 voxels
        const QByteArray zlib = qCompress(QByteArray(run, 6)).mid(4); // (Qt prefixes the length)
        QJsonObject layer = root["layers"].toArray()[0].toObject();
        layer["voxels"] = QJsonObject{{"encoding", "runs-u16-u32-zlib"}, {"runs", 1}, {"bytes", 6}, {"zlib", QString::fromLatin1(zlib.toBase64())}};
        layer.remove("labels");
        QJsonArray layers;
        for (int i = 0; i < 64; ++i)
            layers.append(layer);
        root["layers"] = layers;
        const QByteArray bytes = QJsonDocument(root).toJson(QJsonDocument::Compact);
        QVERIFY(bytes.size() < 100 * 1024);
        std::ofstream("/proc/self/clear_refs") << "5"; // peak RSS from here
        QElapsedTimer timer;
        timer.start();
        expectRefused(bytes, "64 label layers of 2048 x 2048 x 512 voxels needs 275 GB, more than this machine's memory");
        QVERIFY2(timer.elapsed() < 1000, qPrintable(QString("%1 ms").arg(timer.elapsed())));
        std::ifstream status("/proc/self/status");
        for (std::string line; std::getline(status, line);)
            if (line.rfind("VmHWM:", 0) == 0)
                QVERIFY2(std::atof(line.c_str() + 6) < 300 * 1024, line.c_str());
    }

    void seeds_written_from_the_docs_parse()
    {
        // tests/data/session was written by Python from docs/session-format.md.
        const io::Session s = io::readSession(CARINA_SOURCE_DIR "/tests/data/session/layers-mesh.carina");
        QCOMPARE(s.layers.size(), std::size_t(2));
        const std::vector<std::size_t> h = s.layers[0].labels->histogram();
        // Voxel i holds (i % 7 == 0) + 300 * (i % 11 == 0), i < 192.
        QCOMPARE(h.size(), std::size_t(302));
        QCOMPARE(h[1], std::size_t(25));
        QCOMPARE(h[300], std::size_t(15));
        QCOMPARE(h[301], std::size_t(3));
        QCOMPARE(s.layers[0].labels->table().find(300)->name, std::string("Nodule"));
        QCOMPARE(s.meshes.at(0)->triangles, (std::vector<std::uint32_t>{0, 1, 2, 0, 3, 1}));
        QCOMPARE(s.plugins["intensity"].toObject()["bins"].toInt(), 64);
        QCOMPARE(io::readSession(CARINA_SOURCE_DIR "/tests/data/session/minimal.carina").layers.size(), std::size_t(0));
    }

    void fuzz_regressions_fail_cleanly()
    {
        QDirIterator it(QStringLiteral(CARINA_SOURCE_DIR "/tests/fuzz/regressions/session"), QDir::Files);
        while (it.hasNext()) {
            const QString file = it.next();
            try {
                const io::Session s = io::readSession(file.toStdString());
                QVERIFY(s.image.geometry.voxelCount() > 0);
            } catch (const io::IoError &e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains(QFileInfo(file).fileName()), e.what());
            }
        }
    }

    void failed_write_says_so_and_keeps_the_previous_file()
    {
        QTemporaryDir dir;
        const std::string file = (dir.path() + "/work.carina").toStdString();
        io::Session first = sample();
        io::writeSession(first, file);
        carina::testing::ReadOnlyFolder readOnly(dir.path());
        if (!readOnly.ok())
            QSKIP("cannot make a folder read-only here (chattr missing?)");
        io::Session second = sample();
        second.windowCenter = 1234;
        try {
            io::writeSession(second, file);
            QFAIL("writing into a read-only folder did not fail");
        } catch (const io::IoError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("work.carina") && QString::fromUtf8(e.what()).contains("cannot write"), e.what());
        }
        readOnly.restore();
        QCOMPARE(io::readSession(file).windowCenter, first.windowCenter);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSessionFormat)
#include "test_session_format.moc"
