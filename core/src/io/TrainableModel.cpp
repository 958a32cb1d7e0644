// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/io/TrainableModel.h>

#include <carina/io/AtomicFile.h>
#include <carina/io/IoError.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace carina::io {

namespace {

constexpr char kMagic[8] = {'C', 'R', 'N', 'M', 'O', 'D', 'E', 'L'};
constexpr char kKind[8] = {'R', 'F', 'P', 'I', 'X', 'E', 'L', '1'};

// FNV-1a 64 over the bytes before the checksum: catches truncation and bit flips.
std::uint64_t fnv1a(const char *p, std::size_t n)
{
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::size_t i = 0; i < n; ++i) {
        h ^= std::uint8_t(p[i]);
        h *= 0x100000001b3ull;
    }
    return h;
}

class Writer
{
public:
    template<typename T> void put(T v)
    {
        char b[sizeof(T)];
        std::memcpy(b, &v, sizeof(T)); // little-endian hosts only (x86-64, arm64), as every reader here
        out.append(b, sizeof(T));
    }
    void bytes(const void *p, std::size_t n) { out.append(static_cast<const char *>(p), n); }
    std::string out;
};

class Reader
{
public:
    Reader(const char *p, std::size_t n, const std::string &name) : m_p(p), m_n(n), m_name(name) {}
    template<typename T> T get(const char *what)
    {
        need(sizeof(T), what);
        T v;
        std::memcpy(&v, m_p + m_at, sizeof(T));
        m_at += sizeof(T);
        return v;
    }
    void need(std::size_t n, const char *what) const
    {
        if (n > m_n - m_at)
            fail(std::string("truncated in ") + what);
    }
    std::size_t left() const { return m_n - m_at; }
    const char *here() const { return m_p + m_at; }
    void skip(std::size_t n) { m_at += n; }
    [[noreturn]] void fail(const std::string &why) const { throw IoError(m_name + ": not a valid Carina model: " + why); }

private:
    const char *m_p;
    std::size_t m_n;
    std::size_t m_at = 0;
    const std::string &m_name;
};

} // namespace

void TrainableModel::checkApplicable(int imageChannels, bool imageIs3d) const
{
    if (imageChannels != channels)
        throw std::invalid_argument("the model was trained on images with " + std::to_string(channels) + " channel" +
                                    (channels == 1 ? "" : "s") + ", this image has " + std::to_string(imageChannels));
    if (imageIs3d != is3d)
        throw std::invalid_argument(std::string("the model was trained on ") + (is3d ? "3D volumes" : "2D images") +
                                    ", this image is " + (imageIs3d ? "a 3D volume" : "a 2D image"));
    if (algo::featureCount(features, channels, is3d) != forest.features())
        throw std::invalid_argument("the model's feature settings do not match its classifier");
}

std::string serializeTrainableModel(const TrainableModel &m)
{
    if (m.forest.isNull())
        throw std::invalid_argument("model: the classifier is not trained");
    if (int(m.classes.size()) != m.forest.classes())
        throw std::invalid_argument("model: the class table does not match the classifier");
    Writer w;
    w.bytes(kMagic, 8);
    w.put<std::uint32_t>(TrainableModel::kVersion);
    w.bytes(kKind, 8);
    w.put<std::uint32_t>(std::uint32_t(m.channels));
    w.put<std::uint8_t>(m.is3d);
    w.put<std::uint8_t>(m.features.intensity);
    w.put<std::uint8_t>(m.features.edges);
    w.put<std::uint8_t>(m.features.texture);
    w.put<double>(m.features.sigmaMin);
    w.put<double>(m.features.sigmaMax);
    w.put<std::uint32_t>(std::uint32_t(m.training.trees));
    w.put<std::uint32_t>(std::uint32_t(m.training.maxDepth));
    w.put<double>(m.training.sampleFraction);
    w.put<std::uint32_t>(std::uint32_t(m.training.featuresPerSplit));
    w.put<std::uint64_t>(m.training.seed);
    w.put<std::uint32_t>(std::uint32_t(m.classes.size()));
    for (const TrainableClass &c : m.classes) {
        w.put<std::uint32_t>(std::uint32_t(c.name.size()));
        w.bytes(c.name.data(), c.name.size());
        w.bytes(c.rgb.data(), 3);
    }
    w.put<std::uint32_t>(std::uint32_t(m.forest.features()));
    w.put<std::uint32_t>(std::uint32_t(m.forest.trees().size()));
    for (const algo::RandomForest::Tree &t : m.forest.trees()) {
        w.put<std::uint32_t>(std::uint32_t(t.nodes.size()));
        for (const algo::RandomForest::Node &n : t.nodes) {
            w.put<float>(n.threshold);
            w.put<std::int32_t>(n.feature);
            w.put<std::int32_t>(n.child);
        }
        w.put<std::uint32_t>(std::uint32_t(t.leafProbabilities.size()));
        w.bytes(t.leafProbabilities.data(), t.leafProbabilities.size() * sizeof(float));
    }
    w.put<std::uint64_t>(fnv1a(w.out.data(), w.out.size()));
    return std::move(w.out);
}

TrainableModel parseTrainableModel(const void *data, std::size_t size, const std::string &name)
{
    const char *p = static_cast<const char *>(data);
    if (size < 8 || std::memcmp(p, kMagic, 8) != 0)
        throw IoError(name + ": not a Carina model file (it does not start with CRNMODEL)");
    Reader r(p, size, name);
    r.skip(8);
    const auto version = r.get<std::uint32_t>("the version");
    if (version > TrainableModel::kVersion)
        throw IoError(name + ": model format version " + std::to_string(version) + " is newer than this Carina reads (" +
                      std::to_string(TrainableModel::kVersion) + "): update Carina");
    if (version == 0)
        r.fail("version 0");
    r.need(8, "the model kind");
    if (std::memcmp(r.here(), kKind, 8) != 0)
        r.fail("not a pixel-classifier model");
    r.skip(8);
    if (size < 8 + 8)
        r.fail("too short");
    const std::uint64_t stored = [&] {
        std::uint64_t v;
        std::memcpy(&v, p + size - 8, 8);
        return v;
    }();
    if (fnv1a(p, size - 8) != stored)
        r.fail("the checksum does not match (the file is truncated or damaged)");

    TrainableModel m;
    const auto channels = r.get<std::uint32_t>("channels");
    if (channels < 1 || channels > 4)
        r.fail("channel count " + std::to_string(channels) + " (1..4)");
    m.channels = int(channels);
    m.is3d = r.get<std::uint8_t>("dimensionality") != 0;
    m.features.intensity = r.get<std::uint8_t>("features") != 0;
    m.features.edges = r.get<std::uint8_t>("features") != 0;
    m.features.texture = r.get<std::uint8_t>("features") != 0;
    m.features.sigmaMin = r.get<double>("sigma");
    m.features.sigmaMax = r.get<double>("sigma");
    try {
        algo::validateFeatureOptions(m.features);
    } catch (const std::invalid_argument &e) {
        r.fail(e.what());
    }
    m.training.trees = int(r.get<std::uint32_t>("training settings") & 0xffff);
    m.training.maxDepth = int(r.get<std::uint32_t>("training settings") & 0xffff);
    m.training.sampleFraction = r.get<double>("training settings");
    m.training.featuresPerSplit = int(r.get<std::uint32_t>("training settings") & 0xffff);
    m.training.seed = r.get<std::uint64_t>("training settings");
    const auto classCount = r.get<std::uint32_t>("the class count");
    if (classCount < 1 || classCount > 255)
        r.fail("class count " + std::to_string(classCount) + " (1..255)");
    for (std::uint32_t c = 0; c < classCount; ++c) {
        const auto len = r.get<std::uint32_t>("a class name");
        if (len > 1024)
            r.fail("a class name of " + std::to_string(len) + " bytes");
        r.need(std::size_t(len) + 3, "a class");
        TrainableClass tc;
        tc.name.assign(r.here(), len);
        r.skip(len);
        std::memcpy(tc.rgb.data(), r.here(), 3);
        r.skip(3);
        m.classes.push_back(std::move(tc));
    }
    const auto featureCount = r.get<std::uint32_t>("the feature count");
    const int expected = algo::featureCount(m.features, m.channels, m.is3d);
    if (int(featureCount) != expected)
        r.fail("its classifier uses " + std::to_string(featureCount) + " features, its settings give " + std::to_string(expected));
    const auto treeCount = r.get<std::uint32_t>("the tree count");
    if (treeCount < 1 || treeCount > 1000)
        r.fail("tree count " + std::to_string(treeCount) + " (1..1000)");
    std::vector<algo::RandomForest::Tree> trees(treeCount);
    for (auto &t : trees) {
        const auto nodes = r.get<std::uint32_t>("a tree");
        if (std::size_t(nodes) > r.left() / 12)
            r.fail("a tree of " + std::to_string(nodes) + " nodes in a smaller file");
        t.nodes.resize(nodes);
        for (auto &n : t.nodes) {
            n.threshold = r.get<float>("a node");
            n.feature = r.get<std::int32_t>("a node");
            n.child = r.get<std::int32_t>("a node");
        }
        const auto leaves = r.get<std::uint32_t>("a tree's leaves");
        if (std::size_t(leaves) > r.left() / sizeof(float))
            r.fail("a leaf table larger than the file");
        t.leafProbabilities.resize(leaves);
        std::memcpy(t.leafProbabilities.data(), r.here(), std::size_t(leaves) * sizeof(float));
        r.skip(std::size_t(leaves) * sizeof(float));
        for (float v : t.leafProbabilities)
            if (!(v >= 0.0f && v <= 1.0f))
                r.fail("a leaf probability outside 0..1");
    }
    if (r.left() != 8)
        r.fail("unexpected bytes after the trees");
    try {
        m.forest = algo::RandomForest::fromTrees(int(featureCount), int(classCount), std::move(trees));
    } catch (const std::invalid_argument &e) {
        r.fail(e.what());
    }
    return m;
}

TrainableModel readTrainableModel(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw IoError(path + ": cannot open");
    f.seekg(0, std::ios::end);
    const std::streamoff n = f.tellg();
    if (n < 0 || n > (std::streamoff(1) << 31))
        throw IoError(path + ": cannot read (or larger than 2 GB)");
    f.seekg(0);
    std::string bytes(std::size_t(n), '\0');
    if (!f.read(bytes.data(), n))
        throw IoError(path + ": read error");
    return parseTrainableModel(bytes.data(), bytes.size(), path);
}

void writeTrainableModel(const std::string &path, const TrainableModel &model)
{
    const std::string bytes = serializeTrainableModel(model);
    writeFileAtomically(path, bytes.data(), bytes.size());
}

} // namespace carina::io
