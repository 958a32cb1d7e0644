// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "NpyImage.h"
#include <carina/algo/Threshold.h>

#include <QFile>
#include <QTest>

#include <cmath>
#include <cstring>
#include <vector>

using namespace carina;
using namespace carina::algo;

namespace {

using carina::test::loadNpyUInt8;

ImageGeometry grid(int w, int h)
{
    ImageGeometry g;
    g.dims = {w, h, 1};
    return g;
}

} // namespace

class TestThreshold : public QObject
{
    Q_OBJECT

private slots:
    void otsuOfCoinsIs106AsScikitImage()
    {
        const Volume coins = loadNpyUInt8(qEnvironmentVariable("CARINA_ANCHOR_DATA", QStringLiteral("/tmp/carina-anchor-data"))
                                          + QStringLiteral("/coins_512.npy"));
        if (coins.isNull())
            QSKIP("coins_512.npy absent from $CARINA_ANCHOR_DATA or /tmp/carina-anchor-data (run /work/shared/anchors/gen_data.py)");
        QCOMPARE(otsuThreshold(coins), 106.0);
        // The sampled level the 3D view proposes ("Surface at"): every 4th pixel of the 512 x 512
        // coins in 256 bins, within a bin width (about 1 grey level here) of the exact one.
        const double sampled = sampledOtsuThreshold(coins, 65536);
        QVERIFY2(std::abs(sampled - 106.0) <= 2.0, qPrintable(QString::number(sampled)));
        QVERIFY(std::isnan(sampledOtsuThreshold(Volume{})));
    }

    void otsuOfFloatImageUsesScikitImageBinCentres()
    {
        // f = np.linspace(-3.2, 7.9, 1000).astype(np.float32).reshape(25, 40) ** 2
        // repr(skimage.filters.threshold_otsu(f)) -> 23.769434 (a float32 bin centre)
        Volume f(VoxelType::Float32, grid(40, 25));
        for (int i = 0; i < 1000; ++i) {
            const float v = float(-3.2 + i * (7.9 - -3.2) / 999.0);
            f.data<float>()[i] = v * v;
        }
        QCOMPARE(float(otsuThreshold(f)), 23.769434f);
    }

    void otsuOfInt16ImageUsesOneBinPerValue()
    {
        // i16 = (np.arange(-500, 1500, 2).astype(np.int16) % 701 - 200).astype(np.int16)
        // skimage.filters.threshold_otsu(i16) -> 152
        Volume v(VoxelType::Int16, grid(1000, 1));
        for (int i = 0; i < 1000; ++i) {
            const int x = -500 + 2 * i;
            v.data<std::int16_t>()[i] = std::int16_t(((x % 701) + 701) % 701 - 200);
        }
        QCOMPARE(otsuThreshold(v), 152.0);
    }

    void otsuOfConstantImageIsThatValue()
    {
        Volume v(VoxelType::UInt16, grid(7, 3));
        std::fill_n(v.data<std::uint16_t>(), 21, std::uint16_t(42));
        QCOMPARE(otsuThreshold(v), 42.0);
    }

    void otsuSeparatesTwoPopulations()
    {
        Volume v(VoxelType::UInt8, grid(100, 1));
        for (int i = 0; i < 100; ++i)
            v.data<std::uint8_t>()[i] = std::uint8_t(i < 60 ? 10 + i % 5 : 200 + i % 7);
        const double t = otsuThreshold(v);
        QVERIFY(t >= 14 && t < 200);
        const auto mask = thresholdAbove(v, t);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(int(mask[std::size_t(i)]), i < 60 ? 0 : 1);
    }

    void badInputThrows()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, otsuThreshold(Volume()));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, otsuThreshold(Volume(VoxelType::UInt8, grid(4, 4), 3)));
        Volume f(VoxelType::Float32, grid(4, 1));
        f.data<float>()[2] = std::nanf("");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, otsuThreshold(f));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, otsuThresholdFromHistogram({0, 0}, {1, 2}));
    }
};

QTEST_GUILESS_MAIN(TestThreshold)
#include "test_threshold.moc"
