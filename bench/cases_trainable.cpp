// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Workflow trainable: multi-scale features + random forest on scribbles + prediction of every
// pixel, as wf5_trainable_seg.py (anchor) and peers/p4_trainable.py (VIGRA) time it; and the
// interaction the panel lives on: one more stroke on a CT slice with its features cached.
#include "BenchSupport.h"

#include <carina/TaskContext.h>
#include <carina/algo/PixelFeatures.h>
#include <carina/algo/RandomForest.h>
#include <carina/io/VolumeReader.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

using namespace carina;
using namespace carina::bench;

namespace {

std::vector<std::uint16_t> asLabels(const Volume &v)
{
    std::vector<std::uint16_t> out(v.voxelCount());
    if (v.type() != VoxelType::UInt8 || v.channels() != 1)
        throw std::runtime_error("labels: expected one uint8 channel");
    const std::uint8_t *p = v.data<std::uint8_t>();
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = p[i];
    return out;
}

double seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

// The bench's parameters: the row (sigma 1..16, 50 trees, depth 10), the panel's defaults.
algo::ForestOptions benchForest()
{
    algo::ForestOptions f;
    f.trees = 50;
    f.maxDepth = 10;
    f.seed = 0;
    return f;
}

void benchCells(const Options &o, const std::string &caseName)
{
    const Volume image = io::readNpyVolume(o.dataDir + "/" + caseName + ".npy");
    const std::vector<std::uint16_t> scribbles = asLabels(io::readNpyVolume(o.dataDir + "/" + caseName + "_scribbles.npy"));
    const std::vector<std::uint16_t> gt = asLabels(io::readNpyVolume(o.dataDir + "/" + caseName + "_gt.npy"));
    if (scribbles.size() != image.voxelCount() || gt.size() != image.voxelCount())
        throw std::runtime_error(caseName + ": scribbles / gt not on the image's grid");
    const algo::FeatureOptions fo; // sigma 1..16, intensity + edges + texture
    const algo::ForestOptions forest = benchForest();
    algo::PixelPrediction prediction;
    std::vector<double> featuresS, fitS, predictS;
    int nFeatures = 0;
    std::size_t nTrain = 0;
    const Timing t = timeRuns(o.repeat ? o.repeat : 3, 1, [&] {
        const auto t0 = std::chrono::steady_clock::now();
        const algo::FeatureStack stack = algo::computeFeatures(image, fo, 0, image.dims()[2], TaskContext::none());
        const auto t1 = std::chrono::steady_clock::now();
        const algo::TrainingSet set = algo::gatherTrainingSet(stack, scribbles.data(), 3);
        const algo::RandomForest rf =
            algo::RandomForest::train(set.x.data(), set.y.data(), set.size(), stack.count, 3, forest, TaskContext::none());
        const auto t2 = std::chrono::steady_clock::now();
        prediction = algo::predictFeatures(rf, stack, 0, image.dims()[2], false, TaskContext::none());
        const auto t3 = std::chrono::steady_clock::now();
        featuresS.push_back(seconds(t0, t1));
        fitS.push_back(seconds(t1, t2));
        predictS.push_back(seconds(t2, t3));
        nFeatures = stack.count;
        nTrain = set.size();
    });
    // The warm-up run is in the step lists too: drop it, as the timing does.
    featuresS.erase(featuresS.begin());
    fitS.erase(fitS.begin());
    predictS.erase(predictS.begin());
    std::size_t correct = 0;
    std::map<int, std::pair<std::size_t, std::size_t>> recall;
    for (std::size_t i = 0; i < gt.size(); ++i) {
        correct += prediction.labels[i] == gt[i];
        auto &r = recall[gt[i]];
        r.first += prediction.labels[i] == gt[i];
        ++r.second;
    }
    std::string perClass = "{";
    for (const auto &[k, r] : recall)
        perClass += (perClass.size() > 1 ? ", " : "") + quoted(std::to_string(k)) + ": " + number(double(r.first) / double(r.second), 4);
    perClass += "}";
    emitRow("trainable", caseName, t,
            {{"features_s", number(median(featuresS), 4)},
             {"fit_s", number(median(fitS), 4)},
             {"predict_s", number(median(predictS), 4)},
             {"accuracy", number(double(correct) / double(gt.size()), 5)},
             {"per_class_recall", perClass},
             {"n_features", std::to_string(nFeatures)},
             {"n_train", std::to_string(nTrain)},
             {"trees", std::to_string(forest.trees)},
             {"max_depth", std::to_string(forest.maxDepth)}});
}

// One stroke on a 512x512 slice of the COVID CT: the features of the visible slice are cached
// (computed once, untimed, as the panel does on opening); timed is what follows a stroke:
// training set, forest, prediction (labels + uncertainty) of the visible slice.
void benchStroke(const Options &o, const std::string &caseName)
{
    const std::string dir = std::string(CARINA_SHARED_DIR) + "/data/ct/ricord1a-every2nd";
    if (!std::filesystem::exists(dir)) {
        emitSkip("trainable", caseName, dir + " not found");
        return;
    }
    const Volume ct = io::readVolume(dir).volume;
    const Dims d = ct.dims();
    const int z = d[2] / 2;
    const algo::FeatureOptions fo;
    const algo::FeatureStack stack = algo::computeFeatures(ct, fo, z, z + 1, TaskContext::none());
    // Scribbles on the visible slice: three horizontal strokes (5 px wide) through air outside
    // the body, lung, and soft tissue, placed by the HU along the middle column; then the timed
    // stroke adds a fourth, in lung again, lower down.
    std::vector<std::uint16_t> scribbles(ct.voxelCount(), 0);
    const std::size_t sliceBase = std::size_t(z) * std::size_t(d[0]) * std::size_t(d[1]);
    auto hu = [&](int x, int y) { return ct.valueAt(x, y, z); };
    auto stroke = [&](int x0, int x1, int y, std::uint16_t cls) {
        for (int yy = y - 2; yy <= y + 2; ++yy)
            for (int x = x0; x < x1; ++x)
                if (yy >= 0 && yy < d[1] && x >= 0 && x < d[0])
                    scribbles[sliceBase + std::size_t(yy) * std::size_t(d[0]) + std::size_t(x)] = cls;
    };
    stroke(10, 120, 15, 1); // air in the top rows, outside the body
    int lungY = -1, tissueY = -1;
    for (int y = d[1] / 3; y < d[1] && (lungY < 0 || tissueY < 0); ++y) {
        if (lungY < 0 && hu(d[0] / 4, y) < -700)
            lungY = y;
        if (tissueY < 0 && hu(d[0] / 2, y) > -100 && hu(d[0] / 2, y) < 200)
            tissueY = y;
    }
    if (lungY < 0 || tissueY < 0) {
        emitSkip("trainable", caseName, "no lung or soft tissue found on the middle slice");
        return;
    }
    stroke(d[0] / 4 - 30, d[0] / 4 + 30, lungY + 10, 2);
    stroke(d[0] / 2 - 20, d[0] / 2 + 20, tissueY + 5, 3);
    const algo::ForestOptions forest = benchForest();
    std::size_t nTrain = 0;
    double lungFraction = 0.0;
    int extra = 0;
    const Timing t = timeRuns(o.repeat ? o.repeat : 7, 1, [&] {
        // the new stroke (a few pixels further each run, so each run trains on new data)
        stroke(d[0] / 4 - 20, d[0] / 4 + 20, lungY + 40 + (extra++ % 8), 2);
        const algo::TrainingSet set = algo::gatherTrainingSet(stack, scribbles.data(), 3);
        const algo::RandomForest rf =
            algo::RandomForest::train(set.x.data(), set.y.data(), set.size(), stack.count, 3, forest, TaskContext::none());
        const algo::PixelPrediction p = algo::predictFeatures(rf, stack, z, z + 1, true, TaskContext::none());
        nTrain = set.size();
        std::size_t lung = 0;
        for (std::uint16_t l : p.labels)
            lung += l == 2;
        lungFraction = double(lung) / double(p.labels.size());
    });
    emitRow("trainable", caseName, t,
            {{"slice", std::to_string(z)},
             {"shape", "[" + std::to_string(d[0]) + ", " + std::to_string(d[1]) + "]"},
             {"n_features", std::to_string(stack.count)},
             {"n_train", std::to_string(nTrain)},
             {"lung_class_fraction", number(lungFraction, 4)},
             {"target_s", "0.3"}});
}

} // namespace

CARINA_BENCH_CASE("trainable", "cells_512", benchCells);
CARINA_BENCH_CASE("trainable", "cells_2048", benchCells);
CARINA_BENCH_CASE("trainable", "cells3d_128", benchCells);
CARINA_BENCH_CASE("trainable", "stroke_covid_ct", benchStroke);
