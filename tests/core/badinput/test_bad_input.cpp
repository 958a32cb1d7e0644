// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The bad-input table of docs/bad-input.md: each case is generated into a temporary folder and
// opened through readVolume, the entry point the app and the CLI use. Each must give an IoError
// (or, where the documented behaviour is a load, a warning) whose message names the file and
// holds the table's phrase, without a large allocation. Keep the table below and the doc's rows
// identical.
#include <carina/io/IoError.h>
#include <carina/io/VolumeReader.h>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <unistd.h>
#include <zlib.h>

namespace {

enum class Expect { Error, Warning };

/// One row of docs/bad-input.md.
struct BadInputCase
{
    const char *name;   ///< the case, as in the doc's first column
    Expect expect;      ///< IoError, or a load with a warning
    const char *phrase; ///< must appear in the message (besides the file name)
};

const BadInputCase badInputTable[] = {
    {"nifti_dims_beyond_memory", Expect::Error, "voxels is more than Carina reads"},
    {"nifti_gz_dims_beyond_memory", Expect::Error, "truncated: the header needs"},
    {"nifti_zero_spacing", Expect::Warning, "is 0; using 1 mm"},
    {"nifti_negative_spacing", Expect::Warning, "is negative; using its absolute value"},
    {"nifti_nan_affine", Expect::Error, "affine contains NaN or infinity"},
    {"nifti_truncated_voxels", Expect::Error, "truncated: the header says"},
    {"nifti_gz_corrupt_deflate", Expect::Error, "the gzip-compressed data is corrupt"},
    {"dicom_truncated_pixels", Expect::Error, "truncated: the file ends"},
    {"dicom_jpeg_garbage", Expect::Error, "cannot decode the pixel data"},
    {"folder_without_images", Expect::Error, "no readable DICOM image"},
    {"empty_folder", Expect::Error, "the folder holds no files"},
    {"zip_archive", Expect::Error, "this is a ZIP archive"},
    {"pdf_document", Expect::Error, "this is a PDF document"},
    {"empty_file", Expect::Error, "the file is empty"},
    {"unreadable_folder", Expect::Error, "cannot list the folder"},
};

template<typename T> void put(QByteArray &bytes, int offset, T value)
{
    std::memcpy(bytes.data() + offset, &value, sizeof(T));
}

/// A NIfTI-1 single-file header (348 bytes + 4 extension bytes, vox_offset 352), int16, 1 mm,
/// qform code 1 with identity rotation.
QByteArray niftiHeader(int nx, int ny, int nz)
{
    QByteArray h(352, '\0');
    put<std::int32_t>(h, 0, 348);
    const std::int16_t dim[8] = {3, std::int16_t(nx), std::int16_t(ny), std::int16_t(nz), 1, 1, 1, 1};
    for (int i = 0; i < 8; ++i)
        put<std::int16_t>(h, 40 + 2 * i, dim[i]);
    put<std::int16_t>(h, 70, 4); // DT_INT16
    put<std::int16_t>(h, 72, 16);
    const float pixdim[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    for (int i = 0; i < 8; ++i)
        put<float>(h, 76 + 4 * i, pixdim[i]);
    put<float>(h, 108, 352.0f);
    put<std::int16_t>(h, 252, 1); // qform_code
    std::memcpy(h.data() + 344, "n+1\0", 4);
    return h;
}

/// NIfTI-1 dims are int16, so 100000^3 does not fit them: NIfTI-2 (int64 dims) states it.
QByteArray nifti2Header(std::int64_t n)
{
    QByteArray h(544, '\0');
    put<std::int32_t>(h, 0, 540);
    std::memcpy(h.data() + 4, "n+2\0\r\n\032\n", 8);
    put<std::int16_t>(h, 12, 4); // DT_INT16
    put<std::int16_t>(h, 14, 16);
    const std::int64_t dim[8] = {3, n, n, n, 1, 1, 1, 1};
    for (int i = 0; i < 8; ++i)
        put<std::int64_t>(h, 16 + 8 * i, dim[i]);
    for (int i = 0; i < 8; ++i)
        put<double>(h, 104 + 8 * i, 1.0);
    put<std::int64_t>(h, 168, 544); // vox_offset
    put<std::int32_t>(h, 344, 1);   // qform_code
    return h;
}

QByteArray gzip(const QByteArray &data)
{
    z_stream stream{};
    if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(int(deflateBound(&stream, uLong(data.size())) + 32), '\0');
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(int(stream.total_out));
    deflateEnd(&stream);
    return out;
}

QByteArray voxels(int count)
{
    QByteArray v(count * 2, '\0');
    for (int i = 0; i < count; ++i)
        put<std::int16_t>(v, 2 * i, std::int16_t(i % 1000));
    return v;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString sampleSlice()
{
    return QStringLiteral(CARINA_SOURCE_DIR "/data/sample/lungpetctdx-a0002/1-01.dcm");
}

QString jpegLosslessSample()
{
    return QStringLiteral(CARINA_SHARED_DIR "/data/dicom-robustness/pydicom_data/JPEG-LL.dcm");
}

/// Peak resident memory of this process in kB, reset first by resetPeakMemory().
long peakMemoryKb()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stol(line.substr(6));
    return -1;
}

bool resetPeakMemory()
{
    // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+).
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return bool(clear);
}

} // namespace

class TestBadInput : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    /// Writes the case's input into the temporary folder; returns its path, or an empty string
    /// with `skip` set when the case cannot be made here.
    QString makeCase(const QString &name, QString &skip)
    {
        const QString base = m_dir.filePath(name);
        if (name == "nifti_dims_beyond_memory") {
            const QString path = base + ".nii";
            return writeFile(path, nifti2Header(100000) + voxels(1000)) ? path : QString();
        }
        if (name == "nifti_gz_dims_beyond_memory") {
            // 2000^2 x 500 int16 = 4 GB, below the 2^31-voxel limit, in a 100 kB stream.
            QByteArray h = niftiHeader(2000, 2000, 500);
            const QString path = base + ".nii.gz";
            return writeFile(path, gzip(h + voxels(50000))) ? path : QString();
        }
        if (name == "nifti_zero_spacing" || name == "nifti_negative_spacing") {
            QByteArray h = niftiHeader(8, 8, 4);
            put<float>(h, 76 + 4 * 2, name == "nifti_zero_spacing" ? 0.0f : -2.0f);
            const QString path = base + ".nii";
            return writeFile(path, h + voxels(8 * 8 * 4)) ? path : QString();
        }
        if (name == "nifti_nan_affine") {
            QByteArray h = niftiHeader(8, 8, 4);
            put<std::int16_t>(h, 254, 1); // sform_code: the sform decides the geometry
            const float rows[12] = {std::numeric_limits<float>::quiet_NaN(), 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
            for (int i = 0; i < 12; ++i)
                put<float>(h, 280 + 4 * i, rows[i]);
            const QString path = base + ".nii";
            return writeFile(path, h + voxels(8 * 8 * 4)) ? path : QString();
        }
        if (name == "nifti_truncated_voxels") {
            const QString path = base + ".nii";
            return writeFile(path, niftiHeader(64, 64, 64) + voxels(64 * 64 * 32)) ? path : QString();
        }
        if (name == "nifti_gz_corrupt_deflate") {
            QByteArray packed = gzip(niftiHeader(64, 64, 16) + voxels(64 * 64 * 16));
            // Scramble the middle of the deflate stream, keeping the gzip header intact so the
            // file still sniffs as gzip.
            for (int i = packed.size() / 3; i < packed.size() / 3 + 64; ++i)
                packed[i] = char(packed[i] ^ 0x5a);
            const QString path = base + ".nii.gz";
            return writeFile(path, packed) ? path : QString();
        }
        if (name == "dicom_truncated_pixels") {
            const QByteArray slice = readFile(sampleSlice());
            if (slice.isEmpty()) {
                skip = "the bundled sample " + sampleSlice() + " is missing";
                return {};
            }
            const QString path = base + ".dcm";
            return writeFile(path, slice.left(slice.size() * 6 / 10)) ? path : QString();
        }
        if (name == "dicom_jpeg_garbage") {
            QByteArray file = readFile(jpegLosslessSample());
            if (file.isEmpty()) {
                skip = jpegLosslessSample() + " is missing (the shared data folder is not here)";
                return {};
            }
            // Garbage in the last quarter of the compressed pixel data, before its delimiters.
            for (int i = file.size() * 3 / 4; i < file.size() - 64; i += 7)
                file[i] = char(0xff);
            const QString path = base + ".dcm";
            return writeFile(path, file) ? path : QString();
        }
        if (name == "folder_without_images") {
            QDir(m_dir.path()).mkdir(name);
            writeFile(base + "/notes.txt", "no image here\n");
            writeFile(base + "/table.csv", "a,b\n1,2\n");
            return base;
        }
        if (name == "empty_folder") {
            QDir(m_dir.path()).mkdir(name);
            return base;
        }
        if (name == "zip_archive") {
            const QString path = base + ".zip";
            // An empty archive: just the end-of-central-directory record.
            QByteArray zip("PK\x05\x06", 4);
            zip.append(QByteArray(18, '\0'));
            return writeFile(path, zip) ? path : QString();
        }
        if (name == "pdf_document") {
            const QString path = base + ".pdf";
            return writeFile(path, "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
                       ? path
                       : QString();
        }
        if (name == "empty_file") {
            const QString path = base + ".nii";
            return writeFile(path, QByteArray()) ? path : QString();
        }
        if (name == "unreadable_folder") {
            if (::geteuid() == 0) {
                skip = "root reads any folder, so a folder without read permission cannot be made";
                return {};
            }
            QDir(m_dir.path()).mkdir(name);
            writeFile(base + "/1.dcm", readFile(sampleSlice()));
            QFile::setPermissions(base, QFileDevice::WriteOwner);
            return base;
        }
        return {};
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanupTestCase()
    {
        // Give the unreadable folder its permissions back so QTemporaryDir can remove it.
        QFile::setPermissions(m_dir.filePath("unreadable_folder"),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }

    void bad_input_gives_a_message_naming_the_file_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("expectError");
        QTest::addColumn<QString>("phrase");
        for (const BadInputCase &c : badInputTable)
            QTest::newRow(c.name) << QString(c.name) << (c.expect == Expect::Error) << QString(c.phrase);
    }

    void bad_input_gives_a_message_naming_the_file()
    {
        QFETCH(QString, name);
        QFETCH(bool, expectError);
        QFETCH(QString, phrase);
        QString skip;
        const QString path = makeCase(name, skip);
        if (!skip.isEmpty())
            QSKIP(qPrintable(skip));
        QVERIFY2(!path.isEmpty(), "could not write the case's input");

        const bool measured = resetPeakMemory();
        const long before = peakMemoryKb();
        QString message;
        bool threw = false;
        try {
            const carina::io::LoadResult result = carina::io::readVolume(path.toStdString());
            for (const std::string &warning : result.warnings)
                message += QString::fromStdString(warning) + '\n';
        } catch (const carina::io::IoError &error) {
            threw = true;
            message = QString::fromUtf8(error.what());
        }
        const long grown = peakMemoryKb() - before;
        // The log shows the exact wording, which docs/bad-input.md quotes.
        qInfo("%s", qPrintable(message.trimmed()));

        QVERIFY2(threw == expectError,
                 qPrintable(QString(expectError ? "expected an IoError, got a load with: " : "expected a load, got: ")
                            + message));
        QVERIFY2(message.contains(QFileInfo(path).fileName()), qPrintable("the message does not name the file: " + message));
        QVERIFY2(message.contains(phrase), qPrintable("expected \"" + phrase + "\" in: " + message));
        // The cases describe gigabytes; refusing them must not allocate them first.
        if (measured)
            QVERIFY2(grown < 64 * 1024, qPrintable(QString("peak memory grew by %1 MB").arg(grown / 1024)));
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "test_bad_input.moc"
