// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// io/Npy: .npy arrays round-trip byte for byte in numpy.save's layout, become volumes, and a file
// that is not what its header says is refused with a message naming the file and the problem.
#include <carina/io/IoError.h>
#include <carina/io/Npy.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstdint>
#include <cstring>
#include <functional>
#include <stdexcept>

using namespace carina;
using namespace carina::io;

namespace {

const QString kAnchorData = qEnvironmentVariable("CARINA_ANCHOR_DATA", QStringLiteral("/tmp/carina-anchor-data"));

template<typename T>
NpyArray array(const char *descr, std::vector<int> shape, const std::vector<T> &values)
{
    NpyArray a;
    a.descr = descr;
    a.shape = std::move(shape);
    a.bytes.resize(values.size() * sizeof(T));
    if (!values.empty()) // memcpy's pointers must not be null, even for no bytes
        std::memcpy(a.bytes.data(), values.data(), a.bytes.size());
    return a;
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// A version 1.0 file with `header` (padded as numpy does) followed by `data`.
QByteArray npyFile(const QByteArray &header, const QByteArray &data)
{
    QByteArray h = header;
    while ((10 + h.size() + 1) % 64)
        h += ' ';
    h += '\n';
    QByteArray out("\x93NUMPY\x01\x00", 8);
    out += char(h.size() & 0xff);
    out += char(h.size() >> 8);
    return out + h + data;
}

// The IoError's message when reading `path`, empty when it reads.
QString readError(const QString &path, const std::function<void(const std::string &)> &read)
{
    try {
        read(path.toStdString());
    } catch (const IoError &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestNpy : public QObject
{
    Q_OBJECT

private slots:
    void round_trip_in_numpys_layout()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("a.npy");
        const NpyArray a = array<std::int16_t>("<i2", {2, 3}, {-1024, 0, 1, 2, 300, 32767});
        writeNpy(path.toStdString(), a);
        // numpy.save's bytes: magic, version 1.0, header length, the dict padded so the data starts
        // at a multiple of 64, the elements.
        const QByteArray bytes = fileBytes(path);
        QCOMPARE(bytes.size(), 128 + 12);
        QCOMPARE(bytes.left(10), QByteArray("\x93NUMPY\x01\x00\x76\x00", 10));
        QCOMPARE(bytes.mid(10, 118).trimmed(), QByteArray("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3), }"));
        QCOMPARE(bytes.at(127), '\n');
        const NpyArray b = readNpy(path.toStdString());
        QCOMPARE(b.descr, a.descr);
        QCOMPARE(b.shape, a.shape);
        QCOMPARE(b.bytes, a.bytes);
        QCOMPARE(b.elementCount(), std::size_t(6));
        QCOMPARE(b.itemSize(), std::size_t(2));
        QCOMPARE(b.as<std::int16_t>()[4], std::int16_t(300));

        // One axis is written "(3,)", no axis "()": both come back.
        const NpyArray line = array<float>("<f4", {3}, {0.5f, -1.0f, 1e30f});
        writeNpy(path.toStdString(), line);
        QVERIFY(fileBytes(path).contains("'shape': (3,), }"));
        QCOMPARE(readNpy(path.toStdString()).shape, std::vector<int>{3});
        QCOMPARE(readNpy(path.toStdString()).bytes, line.bytes);
        const NpyArray scalar = array<double>("<f8", {}, {2.5});
        writeNpy(path.toStdString(), scalar);
        QVERIFY(readNpy(path.toStdString()).shape.empty());
        QCOMPARE(*readNpy(path.toStdString()).as<double>(), 2.5);
        // An empty array.
        writeNpy(path.toStdString(), array<std::uint8_t>("|u1", {0, 4}, {}));
        QCOMPARE(readNpy(path.toStdString()).shape, (std::vector<int>{0, 4}));
        QVERIFY(readNpy(path.toStdString()).bytes.empty());
    }

    void numpys_own_files_are_written_back_identically()
    {
        // numpy.save wrote the anchors' arrays: reading and writing one gives the same bytes.
        const QString path = kAnchorData + "/coins_512.npy";
        if (!QFile::exists(path))
            QSKIP("coins_512.npy absent from $CARINA_ANCHOR_DATA or /tmp/carina-anchor-data (run /work/shared/anchors/gen_data.py)");
        const NpyArray coins = readNpy(path.toStdString());
        QCOMPARE(coins.descr, std::string("|u1"));
        QCOMPARE(coins.shape, (std::vector<int>{512, 512}));
        QTemporaryDir dir;
        writeNpy(dir.filePath("coins.npy").toStdString(), coins);
        QCOMPARE(fileBytes(dir.filePath("coins.npy")), fileBytes(path));
    }

    void images_become_volumes()
    {
        QTemporaryDir dir;
        const std::string flat = dir.filePath("flat.npy").toStdString();
        // (rows, cols) = (2, 3): x fastest, one slice.
        writeNpy(flat, array<std::uint8_t>("|u1", {2, 3}, {1, 2, 3, 4, 5, 6}));
        const Volume v = readNpyVolume(flat);
        QCOMPARE(v.type(), VoxelType::UInt8);
        QCOMPARE(v.dims(), (Dims{3, 2, 1}));
        QCOMPARE(v.data<std::uint8_t>()[v.geometry().linearIndex(2, 1, 0)], std::uint8_t(6));
        QCOMPARE(v.info().sourcePath, flat);
        const std::string cube = dir.filePath("cube.npy").toStdString();
        writeNpy(cube, array<float>("<f4", {2, 1, 2}, {0.f, 1.f, 2.f, 3.f}));
        const Volume c = readNpyVolume(cube);
        QCOMPARE(c.type(), VoxelType::Float32);
        QCOMPARE(c.dims(), (Dims{2, 1, 2}));
        QCOMPARE(c.data<float>()[c.geometry().linearIndex(1, 0, 1)], 3.f);
        QVERIFY(isNpyPath("/a/b.NPY") && !isNpyPath("/a/b.nii.gz") && !isNpyPath("npy"));

        // Other dtypes and ranks say what is supported.
        const std::string doubles = dir.filePath("doubles.npy").toStdString();
        writeNpy(doubles, array<double>("<f8", {1, 2}, {1.0, 2.0}));
        QString error = readError(QString::fromStdString(doubles), [](const std::string &p) { readNpyVolume(p); });
        QVERIFY2(error.contains("doubles.npy") && error.contains("<f8") && error.contains("uint8, int16, uint16, float32"), qPrintable(error));
        writeNpy(doubles, array<std::uint8_t>("|u1", {1, 1, 1, 2}, {1, 2}));
        error = readError(QString::fromStdString(doubles), [](const std::string &p) { readNpyVolume(p); });
        QVERIFY2(error.contains("2D or 3D") && error.contains("4 axes"), qPrintable(error));
    }

    void a_wrong_header_is_refused_with_a_clear_message()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.npy");
        const QByteArray data(4, '\0');
        const auto readArray = [](const std::string &p) { readNpy(p); };
        const auto refused = [&](const QByteArray &bytes, const char *why) {
            writeBytes(path, bytes);
            const QString error = readError(path, readArray);
            if (!error.contains(path) || !error.contains(QLatin1String(why)))
                qWarning("got: \"%s\"", qPrintable(error));
            return error.contains(path) && error.contains(QLatin1String(why));
        };
        // The file is fine with this header...
        writeBytes(path, npyFile("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", data));
        QCOMPARE(readNpy(path.toStdString()).shape, std::vector<int>{2});
        // ...and refused with each of these.
        QVERIFY(refused("P5\n2 2\n255\n", "not a .npy file"));
        QVERIFY(refused(npyFile("{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }", data), "dtype >i2 is not supported"));
        QVERIFY(refused(npyFile("{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }", data), "dtype <U3 is not supported"));
        QVERIFY(refused(npyFile("{'descr': [('a', '<i2')], 'fortran_order': False, 'shape': (2,), }", data), "no dtype"));
        QVERIFY(refused(npyFile("{'descr': '<i2', 'fortran_order': True, 'shape': (2,), }", data), "Fortran-ordered"));
        QVERIFY(refused(npyFile("{'descr': '<i2', 'fortran_order': False, }", data), "no shape"));
        QVERIFY(refused(npyFile("{'descr': '<i2', 'fortran_order': False, 'shape': (2, x), }", data), "bad shape"));
        QVERIFY(refused(npyFile("{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }", data),
                        "truncated data: shape (3,) of <i2 needs 6 bytes, the file holds 4"));
        QVERIFY(refused(npyFile("{'descr': '<i2', 'fortran_order': False, 'shape': (99999, 99999, 99999, 99999), }", data),
                        "truncated data"));
        QVERIFY(refused(QByteArray("\x93NUMPY\x01\x00\xff\x7f{'descr'", 18), "truncated header"));
        QVERIFY(refused(QByteArray("\x93NUMPY\x07\x00", 8), "unsupported .npy format version 7.0"));
        QVERIFY(refused(QByteArray(), "not a .npy file"));
        const QString missing = readError(dir.filePath("none.npy"), readArray);
        QVERIFY2(missing.contains("none.npy") && missing.contains("cannot open"), qPrintable(missing));
    }

    void writing_refuses_arrays_that_do_not_add_up()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("w.npy").toStdString();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, writeNpy(path, array<std::int16_t>("<i2", {2, 2}, {1, 2, 3})));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, writeNpy(path, array<std::int16_t>(">i2", {1}, {1})));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, writeNpy(path, array<std::int16_t>("<i2", {-1}, {})));
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
        // A folder that does not exist: IoError, nothing left behind.
        QVERIFY_THROWS_EXCEPTION(IoError, writeNpy(dir.filePath("no/such/dir/w.npy").toStdString(),
                                                   array<std::uint8_t>("|u1", {1}, {7})));
    }
};

QTEST_GUILESS_MAIN(TestNpy)
#include "test_npy.moc"
