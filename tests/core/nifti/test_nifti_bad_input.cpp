// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Broken and hostile inputs: every one gives an IoError naming the file, never a crash or a
// huge allocation. The bad files are made here from a good reference file.
#include "NiftiTestUtil.h"

#include <carina/io/IoError.h>
#include <carina/io/Nifti.h>
#include <carina/io/VolumeReader.h>

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <QElapsedTimer>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <string>

using namespace carina;

namespace {

// NIfTI-1 header field offsets.
constexpr int dimOffset = 40;
constexpr int datatypeOffset = 70;
constexpr int pixdimOffset = 76;
constexpr int voxOffsetOffset = 108;
constexpr int sclSlopeOffset = 112;
constexpr int sclInterOffset = 116;
constexpr int sformCodeOffset = 254;
constexpr int srowXOffset = 280;
constexpr int magicOffset = 344;

template<typename T> void put(QByteArray &bytes, int offset, T value)
{
    std::memcpy(bytes.data() + offset, &value, sizeof value);
}

QByteArray gzip(const QByteArray &raw)
{
    z_stream s{};
    deflateInit2(&s, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&s, uLong(raw.size()))), '\0');
    s.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(raw.data()));
    s.avail_in = uInt(raw.size());
    s.next_out = reinterpret_cast<Bytef *>(out.data());
    s.avail_out = uInt(out.size());
    deflate(&s, Z_FINISH);
    out.resize(int(s.total_out));
    deflateEnd(&s);
    return out;
}

/// A field of /proc/self/status in MB ("VmHWM": peak resident memory, "VmRSS": now).
double statusMegabytes(const char *key)
{
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(std::string(key) + ":", 0) == 0)
            return std::atof(line.c_str() + std::strlen(key) + 1) / 1024.0;
    return 0;
}

/// Resets the peak (VmHWM) to the current RSS, so a test measures what it allocates itself.
void resetPeakMemory()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

} // namespace

class TestNiftiBadInput : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QByteArray m_good; // oblique_qform.nii: int16 16x12x5, qform only

    QString make(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        if (!test::writeAll(path, bytes))
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    QByteArray modified(const std::function<void(QByteArray &)> &change) const
    {
        QByteArray bytes = m_good;
        change(bytes);
        return bytes;
    }

    static void expectError(const std::function<void()> &read, const QString &path, const char *words)
    {
        try {
            read();
        } catch (const io::IoError &error) {
            const QString message = QString::fromStdString(error.what());
            QVERIFY2(message.contains(QFileInfo(path).fileName()), qPrintable("no file name in: " + message));
            QVERIFY2(message.contains(QLatin1String(words), Qt::CaseInsensitive),
                     qPrintable(QString("expected \"%1\" in: %2").arg(words, message)));
            return;
        }
        QFAIL(qPrintable("no IoError for " + path));
    }

    static void expectNiftiError(const QString &path, const char *words)
    {
        expectError([&] { io::readNifti(path.toStdString()); }, path, words);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_good = test::readAll(test::niftiDataDir() + "/oblique_qform.nii");
        QCOMPARE(m_good.size(), 352 + 16 * 12 * 5 * 2);
    }

    void dims_larger_than_the_file_are_refused_before_allocating()
    {
        const QByteArray big = modified([](QByteArray &b) {
            put<std::int16_t>(b, dimOffset + 2, 30000);
            put<std::int16_t>(b, dimOffset + 4, 30000);
            put<std::int16_t>(b, dimOffset + 6, 2);
        });
        expectNiftiError(make("huge_dims.nii", big), "truncated");
        expectNiftiError(make("huge_dims.nii.gz", gzip(big)), "truncated");
    }

    void zero_or_negative_dims_are_refused()
    {
        expectNiftiError(make("zero_dim.nii", modified([](QByteArray &b) { put<std::int16_t>(b, dimOffset + 4, 0); })),
                         "dimension 2 is 0");
        expectNiftiError(make("negative_dim.nii",
                              modified([](QByteArray &b) { put<std::int16_t>(b, dimOffset + 2, -5); })),
                         "dimension 1 is -5");
        expectNiftiError(make("bad_rank.nii", modified([](QByteArray &b) { put<std::int16_t>(b, dimOffset, 9); })),
                         "dim[0]");
    }

    void absurd_dims_are_refused()
    {
        expectNiftiError(make("absurd_dims.nii", modified([](QByteArray &b) {
                                  for (int i = 1; i <= 3; ++i)
                                      put<std::int16_t>(b, dimOffset + 2 * i, 32767);
                              })),
                         "2^31");
    }

    void nan_pixdim_without_sform_is_refused()
    {
        expectNiftiError(make("nan_pixdim.nii", modified([](QByteArray &b) {
                                  put<float>(b, pixdimOffset + 4, std::numeric_limits<float>::quiet_NaN());
                              })),
                         "pixdim[1]");
    }

    void zero_and_negative_pixdim_load_as_nibabel_repairs_them()
    {
        const QString zero = make("zero_pixdim.nii", modified([](QByteArray &b) { put<float>(b, pixdimOffset + 8, 0.0f); }));
        const io::LoadResult z = io::readNifti(zero.toStdString());
        QCOMPARE(z.volume.geometry().spacing[1], 1.0);
        QVERIFY(!z.warnings.empty());
        QVERIFY(QString::fromStdString(z.warnings.front()).contains("pixdim[2]"));

        const QString negative = make("negative_pixdim.nii", modified([](QByteArray &b) {
            float p;
            std::memcpy(&p, b.data() + pixdimOffset + 4, 4);
            put<float>(b, pixdimOffset + 4, -p);
        }));
        const io::LoadResult n = io::readNifti(negative.toStdString());
        const io::LoadResult good = io::readNifti((test::niftiDataDir() + "/oblique_qform.nii").toStdString());
        QVERIFY(n.volume.geometry().sameGrid(good.volume.geometry()));
        QCOMPARE(n.warnings.size(), std::size_t(1));
    }

    void nan_in_the_affine_is_refused()
    {
        expectNiftiError(make("nan_sform.nii", modified([](QByteArray &b) {
                                  put<std::int16_t>(b, sformCodeOffset, 1);
                                  put<float>(b, srowXOffset, std::numeric_limits<float>::quiet_NaN());
                              })),
                         "NaN");
    }

    void truncated_data_is_refused()
    {
        expectNiftiError(make("truncated.nii", m_good.left(352 + 100)), "truncated");
        expectNiftiError(make("offset_past_end.nii",
                              modified([](QByteArray &b) { put<float>(b, voxOffsetOffset, 1e6f); })),
                         "truncated");
        const QByteArray compressed = gzip(m_good);
        expectNiftiError(make("truncated.nii.gz", compressed.left(compressed.size() / 2)), "truncated");
        expectNiftiError(make("header_only.nii.gz", gzip(m_good.left(200))), "too short");
    }

    void corrupt_gzip_is_refused()
    {
        QByteArray compressed = gzip(m_good);
        for (int i = compressed.size() / 3; i < compressed.size() / 3 + 40; ++i)
            compressed[i] = char(compressed[i] ^ 0x5a);
        expectNiftiError(make("corrupt.nii.gz", compressed), "corrupt");
    }

    void other_formats_and_empty_files_are_refused()
    {
        const QByteArray zip = QByteArray("PK\x03\x04", 4) + QByteArray(600, 'z');
        const QByteArray pdf = QByteArray("%PDF-1.7\n") + QByteArray(600, ' ');
        expectNiftiError(make("archive.nii", zip), "not a NIfTI file");
        expectNiftiError(make("document.nii", pdf), "not a NIfTI file");
        expectNiftiError(make("empty.nii", QByteArray()), "empty");
        expectNiftiError(make("tiny.nii", QByteArray("n+1")), "too short");
        expectNiftiError(make("gzipped_text.nii.gz", gzip(QByteArray(1000, 'x'))), "not a NIfTI file");
        expectNiftiError(m_dir.filePath("missing.nii"), "no such file");
        expectError([&] { io::readVolume(make("archive.zip", zip).toStdString()); }, "archive.zip", "ZIP archive");
        expectError([&] { io::readVolume(make("document.pdf", pdf).toStdString()); }, "document.pdf", "PDF document");
        expectError([&] { io::readVolume(make("empty.dat", QByteArray()).toStdString()); }, "empty.dat", "empty");
    }

    void nifti2_dim_of_2_to_the_31_is_refused()
    {
        // NIfTI-2 dims are int64: 2^31 x 1 x 1 passes a 2^31-voxel product check but wraps to a
        // negative int where the volume is built.
        QByteArray h(544, '\0');
        put<std::int32_t>(h, 0, 540);
        std::memcpy(h.data() + 4, "n+2\0\r\n\032\n", 8);
        put<std::int16_t>(h, 12, 2); // DT_UINT8
        put<std::int16_t>(h, 14, 8);
        const std::int64_t dims[8] = {3, std::int64_t(1) << 31, 1, 1, 1, 1, 1, 1};
        std::memcpy(h.data() + 16, dims, sizeof dims);
        const double pixdim[8] = {1, 1, 1, 1, 1, 1, 1, 1};
        std::memcpy(h.data() + 104, pixdim, sizeof pixdim);
        put<std::int64_t>(h, 168, 544);
        put<double>(h, 176, 1.0);
        expectNiftiError(make("dim_2_31.nii", h + QByteArray(64, '\0')), "dimension 1 is 2147483648, more than Carina reads");
    }

    void gzip_declaring_more_than_it_holds_commits_only_what_it_holds()
    {
        // 97 KB of incompressible gzip may, by deflate's 1032:1 bound, hold the 99.6 MB its header
        // declares; it holds 97 KB. The reader must not commit the 99.6 MB before finding out.
        QByteArray raw = modified([](QByteArray &b) {
            put<std::int16_t>(b, dimOffset + 2, 512);
            put<std::int16_t>(b, dimOffset + 4, 512);
            put<std::int16_t>(b, dimOffset + 6, 190);
        }).left(352);
        std::mt19937 rng(7);
        for (int i = 0; i < 97 * 1024; ++i)
            raw += char(rng());
        const QString path = make("lying.nii.gz", gzip(raw));
        QVERIFY(QFileInfo(path).size() < 100 * 1024);
        resetPeakMemory();
        const double before = statusMegabytes("VmRSS");
        QElapsedTimer timer;
        timer.start();
        expectNiftiError(path, "truncated");
        QVERIFY2(timer.elapsed() < 1000, qPrintable(QString("%1 ms").arg(timer.elapsed())));
        const double grown = statusMegabytes("VmHWM") - before;
        QVERIFY2(grown < 30, qPrintable(QString("peak RSS grew by %1 MB reading a 97 KB file").arg(grown)));
    }

    void gzip_under_100_kb_declaring_gigabytes_is_refused_at_once()
    {
        QByteArray raw = modified([](QByteArray &b) {
            put<std::int16_t>(b, dimOffset + 2, 2048);
            put<std::int16_t>(b, dimOffset + 4, 2048);
            put<std::int16_t>(b, dimOffset + 6, 512); // 4.3 GB of int16
        });
        raw += QByteArray(1 << 20, '\0');
        const QString path = make("gigabytes.nii.gz", gzip(raw));
        QVERIFY(QFileInfo(path).size() < 100 * 1024);
        resetPeakMemory();
        QElapsedTimer timer;
        timer.start();
        expectNiftiError(path, "4295 MB");
        QVERIFY2(timer.elapsed() < 1000, qPrintable(QString("%1 ms").arg(timer.elapsed())));
        QVERIFY2(statusMegabytes("VmHWM") < 300, qPrintable(QString("peak RSS %1 MB").arg(statusMegabytes("VmHWM"))));
    }

    void header_oddities_are_refused()
    {
        expectNiftiError(make("complex.nii", modified([](QByteArray &b) { put<std::int16_t>(b, datatypeOffset, 32); })),
                         "not supported");
        expectNiftiError(make("bad_intercept.nii", modified([](QByteArray &b) {
                                  put<float>(b, sclSlopeOffset, 2.0f);
                                  put<float>(b, sclInterOffset, std::numeric_limits<float>::infinity());
                              })),
                         "scl_inter");
        expectNiftiError(make("pair_named_nii.nii",
                              modified([](QByteArray &b) { std::memcpy(b.data() + magicOffset, "ni1", 4); })),
                         ".img");
        expectNiftiError(make("analyze.nii", modified([](QByteArray &b) { std::memset(b.data() + magicOffset, 0, 4); })),
                         "ANALYZE");
        // A pair whose .img is missing.
        const QString hdr = make("lonely.hdr", test::readAll(test::niftiDataDir() + "/pair.hdr"));
        expectNiftiError(hdr, "lonely.img");
    }
};

QTEST_GUILESS_MAIN(TestNiftiBadInput)
#include "test_nifti_bad_input.moc"
