// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Shape-based interpolation: signed distances against brute force, and a lesion whose outline
// changes between slices recovered from three outlines (Dice >= 0.95), better than from one.
#include <carina/algo/ShapeInterpolation.h>

#include <QTest>

#include <cmath>
#include <limits>

using namespace carina;
using namespace carina::algo;

namespace {

constexpr int kW = 64, kH = 64;

// An ellipse that moves and changes its axes with the slice: the synthetic lesion.
bool lesion(int x, int y, int z)
{
    const double t = (z - 10) / 20.0; // 0 at slice 10, 1 at slice 30
    const double cx = 24 + 16 * t, cy = 30 + 4 * t;
    const double ax = 8 + 10 * t, ay = 14 - 6 * t;
    return z >= 10 && z <= 30 && ((x - cx) * (x - cx)) / (ax * ax) + ((y - cy) * (y - cy)) / (ay * ay) <= 1.0;
}

std::vector<std::uint8_t> slice(int z)
{
    std::vector<std::uint8_t> m(kW * kH);
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x)
            m[std::size_t(y) * kW + std::size_t(x)] = lesion(x, y, z);
    return m;
}

// Dice of a solid over slices [first, first + n) against the lesion on slices 0..40.
double diceAgainstLesion(const std::vector<std::uint8_t> &solid, int first)
{
    const std::size_t plane = kW * kH;
    std::size_t both = 0, a = 0, b = 0;
    for (int z = 0; z <= 40; ++z)
        for (int y = 0; y < kH; ++y)
            for (int x = 0; x < kW; ++x) {
                const int s = z - first;
                const bool in = s >= 0 && std::size_t(s) * plane < solid.size()
                    && solid[std::size_t(s) * plane + std::size_t(y) * kW + std::size_t(x)];
                const bool truth = lesion(x, y, z);
                both += in && truth;
                a += in;
                b += truth;
            }
    return 2.0 * double(both) / double(a + b);
}

} // namespace

class TestShapeInterpolation : public QObject
{
    Q_OBJECT

private slots:
    void signed_distance_equals_brute_force()
    {
        const int w = 23, h = 17;
        std::vector<std::uint8_t> m(w * h, 0);
        for (int y = 4; y < 12; ++y)
            for (int x = 3; x < 9 + y / 2; ++x)
                m[std::size_t(y) * w + std::size_t(x)] = 1;
        const double sx = 0.7, sy = 1.3;
        const std::vector<float> d = signedDistance2d(m, w, h, sx, sy);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const bool in = m[std::size_t(y) * w + std::size_t(x)];
                double best = std::numeric_limits<double>::max();
                for (int j = 0; j < h; ++j)
                    for (int i = 0; i < w; ++i)
                        if (bool(m[std::size_t(j) * w + std::size_t(i)]) != in)
                            best = std::min(best, std::hypot((i - x) * sx, (j - y) * sy));
                const double expected = in ? -(best - 0.5 * sx) : best - 0.5 * sx;
                QVERIFY2(std::abs(d[std::size_t(y) * w + std::size_t(x)] - expected) < 1e-4,
                         qPrintable(QStringLiteral("%1,%2: %3 vs %4").arg(x).arg(y).arg(d[std::size_t(y) * w + std::size_t(x)]).arg(expected)));
            }
        QVERIFY(std::isinf(signedDistance2d(std::vector<std::uint8_t>(6, 0), 3, 2)[0]));
    }

    void three_outlines_recover_a_changing_lesion()
    {
        const std::vector<std::uint8_t> solid = interpolateOutlines({{10, slice(10)}, {20, slice(20)}, {30, slice(30)}}, kW, kH);
        QCOMPARE(solid.size(), std::size_t(kW * kH * 21));
        const double three = diceAgainstLesion(solid, 10);
        // One outline (the middle one) as a prism over the same slices, as the region was before.
        std::vector<std::uint8_t> prism;
        for (int z = 10; z <= 30; ++z) {
            const std::vector<std::uint8_t> s = slice(20);
            prism.insert(prism.end(), s.begin(), s.end());
        }
        const double one = diceAgainstLesion(prism, 10);
        qInfo("Dice against the lesion: three outlines %.4f, one outline as a prism %.4f", three, one);
        QVERIFY2(three >= 0.95, qPrintable(QString::number(three)));
        QVERIFY2(one < three - 0.1, qPrintable(QStringLiteral("one %1, three %2").arg(one).arg(three)));
        // The outlines' own slices are the outlines, in any order given.
        const std::vector<std::uint8_t> shuffled = interpolateOutlines({{30, slice(30)}, {10, slice(10)}, {20, slice(20)}}, kW, kH);
        QVERIFY(shuffled == solid);
    }

    void bad_outlines_are_refused()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, interpolateOutlines({}, kW, kH));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, interpolateOutlines({{1, std::vector<std::uint8_t>(3)}}, kW, kH));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, interpolateOutlines({{4, slice(20)}, {4, slice(21)}}, kW, kH));
    }
};

QTEST_GUILESS_MAIN(TestShapeInterpolation)
#include "test_shape_interpolation.moc"
