// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The trainable-segmentation model file: a round trip keeps every bit of the forest and the
// settings; damaged, foreign, newer and inconsistent files give a message naming the problem.
#include <carina/TaskContext.h>
#include <carina/io/IoError.h>
#include <carina/io/TrainableModel.h>

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <random>

using namespace carina;

namespace {

io::TrainableModel smallModel()
{
    io::TrainableModel m;
    m.features.sigmaMin = 1;
    m.features.sigmaMax = 4;  // 3 sigmas x 4 features (2D)
    m.channels = 1;
    m.is3d = false;
    m.training.trees = 7;
    m.training.maxDepth = 5;
    m.training.seed = 42;
    m.classes = {{"background", {10, 20, 30}}, {"cell", {200, 100, 0}}};
    const int F = algo::featureCount(m.features, 1, false);
    std::mt19937 rng(1);
    std::vector<float> x(300 * std::size_t(F));
    std::vector<std::uint16_t> y(300);
    for (std::size_t i = 0; i < y.size(); ++i) {
        for (int f = 0; f < F; ++f)
            x[i * std::size_t(F) + std::size_t(f)] = float(rng() % 100);
        y[i] = x[i * std::size_t(F)] > 50;
    }
    m.forest = algo::RandomForest::train(x.data(), y.data(), y.size(), F, 2, m.training, TaskContext::none());
    return m;
}

QString errorOf(const std::string &bytes)
{
    try {
        io::parseTrainableModel(bytes.data(), bytes.size(), "m.carina-model");
    } catch (const io::IoError &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestTrainableModel : public QObject
{
    Q_OBJECT

private slots:
    void round_trip_keeps_everything()
    {
        const io::TrainableModel m = smallModel();
        QTemporaryDir dir;
        const std::string path = dir.filePath("m.carina-model").toStdString();
        io::writeTrainableModel(path, m);
        const io::TrainableModel r = io::readTrainableModel(path);
        QVERIFY(r.features == m.features);
        QCOMPARE(r.channels, 1);
        QCOMPARE(r.is3d, false);
        QCOMPARE(r.training.trees, 7);
        QCOMPARE(r.training.maxDepth, 5);
        QCOMPARE(r.training.seed, std::uint64_t(42));
        QVERIFY(r.classes == m.classes);
        QCOMPARE(r.forest.trees().size(), m.forest.trees().size());
        for (std::size_t t = 0; t < r.forest.trees().size(); ++t) {
            QCOMPARE(r.forest.trees()[t].leafProbabilities, m.forest.trees()[t].leafProbabilities);
            QCOMPARE(r.forest.trees()[t].nodes.size(), m.forest.trees()[t].nodes.size());
            for (std::size_t i = 0; i < r.forest.trees()[t].nodes.size(); ++i)
                QCOMPARE(r.forest.trees()[t].nodes[i].threshold, m.forest.trees()[t].nodes[i].threshold);
        }
        QCOMPARE(io::serializeTrainableModel(r), io::serializeTrainableModel(m));
    }

    void bad_files_say_what_is_wrong()
    {
        const std::string good = io::serializeTrainableModel(smallModel());
        QVERIFY(errorOf("GIF89a....").contains("not a Carina model file"));
        QVERIFY(errorOf(good.substr(0, good.size() / 2)).contains("checksum"));
        std::string flipped = good;
        flipped[flipped.size() / 3] ^= 0x10;
        QVERIFY(errorOf(flipped).contains("checksum"));
        std::string newer = good;
        const std::uint32_t v = 99;
        std::memcpy(newer.data() + 8, &v, 4);
        QVERIFY2(errorOf(newer).contains("newer than this Carina reads"), qPrintable(errorOf(newer)));
        QVERIFY_THROWS_EXCEPTION(io::IoError, io::readTrainableModel("/nonexistent/m.carina-model"));
        // Every truncation is refused, none crashes.
        for (std::size_t n = 0; n < good.size(); n += 7)
            QVERIFY(!errorOf(good.substr(0, n)).isEmpty());
    }

    void checks_the_image_it_is_applied_to()
    {
        const io::TrainableModel m = smallModel();
        m.checkApplicable(1, false);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m.checkApplicable(3, false));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m.checkApplicable(1, true));
    }
};

QTEST_GUILESS_MAIN(TestTrainableModel)
#include "test_trainable_model.moc"
