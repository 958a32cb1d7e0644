// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "TrainableController.h"

#include "TrainableCommand.h"

#include <carina/edit/DrawnShape.h>
#include <carina/edit/LabelPatch.h>
#include <carina/io/IoError.h>

#include <QUrl>
#include <QVariantMap>

#include <algorithm>
#include <cmath>
#include <set>

namespace carina::trainable {

namespace {

struct TrainResult
{
    std::shared_ptr<const algo::RandomForest> forest;
    algo::FeatureOptions features;
    int classes = 0;
    SlicePrediction prediction;
};

// Uncertainty shown in ten steps of 0.1; below 0.1 (the trees agree) stays transparent.
constexpr int kUncertaintySteps = 10;

LabelTable uncertaintyTable()
{
    // inferno-like: dark purple (a little unsure) to yellow (a coin toss)
    static const std::array<std::array<std::uint8_t, 3>, kUncertaintySteps> ramp{{{0, 0, 4},
                                                                                 {40, 11, 84},
                                                                                 {101, 21, 110},
                                                                                 {159, 42, 99},
                                                                                 {212, 72, 66},
                                                                                 {245, 125, 21},
                                                                                 {250, 175, 12},
                                                                                 {245, 219, 76},
                                                                                 {252, 240, 130},
                                                                                 {252, 255, 164}}};
    LabelTable t;
    for (int k = 1; k <= kUncertaintySteps; ++k) {
        LabelInfo info;
        info.id = std::uint16_t(k);
        info.name = "uncertainty " + std::to_string(k - 1) + "0-" + std::to_string(k) + "0 %";
        info.rgb = ramp[std::size_t(k - 1)];
        t.set(info);
    }
    return t;
}

std::uint16_t uncertaintyLabel(float u)
{
    if (u < 0.1f)
        return 0;
    return std::uint16_t(std::clamp(int(std::ceil(u * kUncertaintySteps)), 1, kUncertaintySteps));
}

} // namespace

TrainableController::TrainableController(Document *document, QObject *parent)
    : QObject(parent), m_document(document), m_classes(defaultClasses(3))
{
    m_task.followStudy(m_document);
    m_restTask.followStudy(m_document);
    m_retrainTimer.setSingleShot(true);
    m_retrainTimer.setInterval(kRetrainDelayMs);
    connect(&m_retrainTimer, &QTimer::timeout, this, [this] { retrain(); });
    if (!m_document)
        return;
    connect(m_document, &Document::studyChanged, this, &TrainableController::onStudyChanged);
    connect(m_document, &Document::imageChanged, this, &TrainableController::onImageChanged);
    connect(m_document, &Document::labelsChanged, this, &TrainableController::onLabelsChanged);
    connect(m_document, &Document::shapeDrawn, this, [this](const DrawnShape &shape) {
        if (drawing())
            takeShape(shape);
    });
    connect(m_document, &Document::shapeConsumerChanged, this, &TrainableController::drawingChanged);
    countScribbles();
}

TrainableController::~TrainableController()
{
    if (m_document && drawing())
        m_document->setShapeConsumer({});
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
}

// --- classes ---

QVariantList TrainableController::classes() const
{
    QVariantList list;
    for (const io::TrainableClass &c : m_classes) {
        QVariantMap m;
        m.insert(QStringLiteral("name"), QString::fromStdString(c.name));
        m.insert(QStringLiteral("colour"), QColor(c.rgb[0], c.rgb[1], c.rgb[2]));
        list.append(m);
    }
    return list;
}

void TrainableController::addClass()
{
    if (int(m_classes.size()) >= kMaxClasses) {
        m_task.setError(tr("At most %1 classes.").arg(kMaxClasses));
        return;
    }
    const int n = int(m_classes.size()) + 1;
    m_classes.push_back({tr("Class %1").arg(n).toStdString(), LabelTable::defaultColour(std::uint16_t(n))});
    applyClassTables();
    emit classesChanged();
    setActiveClass(n);
}

void TrainableController::removeClass(int index)
{
    if (index < 0 || index >= int(m_classes.size()))
        return;
    if (m_classes.size() <= 2) {
        m_task.setError(tr("Keep at least two classes."));
        return;
    }
    // Its scribbles go, the classes above move down one: one undoable edit of the scribbles.
    const int layer = m_document ? m_document->findLayer(kScribbleLayer) : -1;
    m_classes.erase(m_classes.begin() + index);
    if (layer >= 0) {
        LabelVolume &labels = m_document->layerLabels(layer);
        const std::uint16_t removed = std::uint16_t(index + 1);
        LabelPatch patch;
        for (std::size_t i = 0; i < labels.voxelCount(); ++i) {
            const std::uint16_t v = labels.data()[i];
            if (v == removed)
                patch.assign(labels, i, 0);
            else if (v > removed)
                patch.assign(labels, i, std::uint16_t(v - 1));
        }
        patch.finish(labels.dims());
        m_document->commitLabelEdit(layer, std::move(patch), tr("Remove class"));
    }
    applyClassTables();
    emit classesChanged();
    setActiveClass(std::min(m_activeClass, int(m_classes.size())));
}

void TrainableController::renameClass(int index, const QString &name)
{
    if (index < 0 || index >= int(m_classes.size()) || name.trimmed().isEmpty())
        return;
    m_classes[std::size_t(index)].name = name.trimmed().toStdString();
    applyClassTables();
    emit classesChanged();
}

void TrainableController::recolourClass(int index, const QColor &colour)
{
    if (index < 0 || index >= int(m_classes.size()) || !colour.isValid())
        return;
    m_classes[std::size_t(index)].rgb = {std::uint8_t(colour.red()), std::uint8_t(colour.green()), std::uint8_t(colour.blue())};
    applyClassTables();
    emit classesChanged();
}

void TrainableController::setActiveClass(int label)
{
    label = std::clamp(label, 1, int(m_classes.size()));
    if (label == m_activeClass)
        return;
    m_activeClass = label;
    emit activeClassChanged();
}

// --- drawing ---

bool TrainableController::drawing() const
{
    return m_document && m_document->shapeConsumer() == kConsumerName;
}

void TrainableController::setDrawing(bool on)
{
    if (!m_document || on == drawing())
        return;
    if (on || drawing())
        m_document->setShapeConsumer(on ? kConsumerName : QString());
}

void TrainableController::takeShape(const DrawnShape &shape)
{
    if (!m_document || !m_document->hasImage())
        return;
    std::vector<std::size_t> voxels;
    try {
        voxels = shape.voxels.empty() ? rasterizeShape(m_document->image().geometry(), shape) : shape.voxels;
    } catch (const std::exception &e) {
        m_task.setError(QString::fromUtf8(e.what()));
        return;
    }
    const std::uint16_t value = shape.kind == DrawnShape::Kind::Eraser ? 0 : std::uint16_t(m_activeClass);
    const int layer = ensureLayer(kScribbleLayer, 0.9);
    LabelVolume &labels = m_document->layerLabels(layer);
    LabelPatch patch;
    for (std::size_t v : voxels)
        if (v < labels.voxelCount())
            patch.assign(labels, v, value);
    patch.finish(labels.dims());
    // Announces the change: onLabelsChanged() schedules the retrain, as undo and redo do.
    m_document->commitLabelEdit(layer, std::move(patch), value ? tr("Scribble") : tr("Erase scribbles"));
}

void TrainableController::clearScribbles()
{
    const int layer = m_document ? m_document->findLayer(kScribbleLayer) : -1;
    if (layer < 0)
        return;
    LabelVolume &labels = m_document->layerLabels(layer);
    LabelPatch patch;
    for (std::size_t i = 0; i < labels.voxelCount(); ++i)
        if (labels.data()[i])
            patch.assign(labels, i, 0);
    patch.finish(labels.dims());
    m_document->commitLabelEdit(layer, std::move(patch), tr("Clear scribbles"));
}

// --- settings ---

void TrainableController::setIntensity(bool on)
{
    if (on == m_features.intensity)
        return;
    if (!on && !m_features.edges && !m_features.texture) {
        m_task.setError(tr("Keep at least one kind of feature."));
        emit featureOptionsChanged(); // the panel's box goes back on
        return;
    }
    m_features.intensity = on;
    emit featureOptionsChanged();
    scheduleRetrain();
}

void TrainableController::setEdges(bool on)
{
    if (on == m_features.edges)
        return;
    if (!on && !m_features.intensity && !m_features.texture) {
        m_task.setError(tr("Keep at least one kind of feature."));
        emit featureOptionsChanged();
        return;
    }
    m_features.edges = on;
    emit featureOptionsChanged();
    scheduleRetrain();
}

void TrainableController::setTexture(bool on)
{
    if (on == m_features.texture)
        return;
    if (!on && !m_features.intensity && !m_features.edges) {
        m_task.setError(tr("Keep at least one kind of feature."));
        emit featureOptionsChanged();
        return;
    }
    m_features.texture = on;
    emit featureOptionsChanged();
    scheduleRetrain();
}

void TrainableController::setSigmaMin(double sigma)
{
    sigma = std::clamp(sigma, 0.5, 64.0);
    if (sigma == m_features.sigmaMin)
        return;
    m_features.sigmaMin = sigma;
    m_features.sigmaMax = std::max(m_features.sigmaMax, sigma);
    emit featureOptionsChanged();
    scheduleRetrain();
}

void TrainableController::setSigmaMax(double sigma)
{
    sigma = std::clamp(sigma, 0.5, 64.0);
    if (sigma == m_features.sigmaMax)
        return;
    m_features.sigmaMax = sigma;
    m_features.sigmaMin = std::min(m_features.sigmaMin, sigma);
    emit featureOptionsChanged();
    scheduleRetrain();
}

int TrainableController::featureCount() const
{
    const bool is3d = m_document && m_document->hasImage() && m_document->image().dims()[2] > 1;
    const int channels = m_document && m_document->hasImage() ? m_document->image().channels() : 1;
    return algo::featureCount(m_features, channels, is3d);
}

void TrainableController::setTrees(int trees)
{
    trees = std::clamp(trees, 1, 500);
    if (trees == m_forestOptions.trees)
        return;
    m_forestOptions.trees = trees;
    emit forestOptionsChanged();
    scheduleRetrain();
}

void TrainableController::setDepth(int depth)
{
    depth = std::clamp(depth, 0, 40);
    if (depth == m_forestOptions.maxDepth)
        return;
    m_forestOptions.maxDepth = depth;
    emit forestOptionsChanged();
    scheduleRetrain();
}

void TrainableController::setOpacity(double opacity)
{
    opacity = std::clamp(opacity, 0.0, 1.0);
    if (opacity == m_opacity)
        return;
    m_opacity = opacity;
    applyDisplay();
    emit displayChanged();
}

void TrainableController::setShowSegmentation(bool on)
{
    if (on == m_showSegmentation)
        return;
    m_showSegmentation = on;
    applyDisplay();
    emit displayChanged();
}

void TrainableController::setShowUncertainty(bool on)
{
    if (on == m_showUncertainty)
        return;
    m_showUncertainty = on;
    applyDisplay();
    emit displayChanged();
}

// --- document ---

void TrainableController::onStudyChanged()
{
    m_retrainTimer.stop();
    m_cache.reset();
    m_restQueue.clear();
    const bool had = m_forest != nullptr;
    m_forest.reset();
    m_complete = false;
    if (had)
        emit trainedChanged();
    countScribbles();
    emit featureOptionsChanged(); // the feature count follows the image's channels and dimensionality
}

void TrainableController::onImageChanged()
{
    // A derived image (same study) gives other features: they are computed again on demand.
    if (m_cache && m_document && m_cache->image().rawData() != m_document->image().rawData())
        m_cache.reset();
}

void TrainableController::onLabelsChanged(int layer, const VoxelBox &)
{
    if (m_writing || !m_document || layer != m_document->findLayer(kScribbleLayer))
        return;
    countScribbles();
    scheduleRetrain();
}

void TrainableController::countScribbles()
{
    int n = 0;
    if (m_document) {
        if (const int layer = m_document->findLayer(kScribbleLayer); layer >= 0) {
            const std::vector<std::int64_t> counts = m_document->labelCounts(layer);
            for (std::size_t i = 1; i < counts.size(); ++i)
                n += int(counts[i]);
        }
    }
    if (n != m_scribbleVoxels) {
        m_scribbleVoxels = n;
        emit scribblesChanged();
    }
}

void TrainableController::scheduleRetrain()
{
    if (m_scribbleVoxels > 0 && m_document && m_document->hasImage())
        m_retrainTimer.start();
}

std::shared_ptr<FeatureCache> TrainableController::cache()
{
    const Volume &image = m_document->image();
    if (!m_cache || m_cache->image().rawData() != image.rawData() || !(m_cache->options() == m_features))
        m_cache = std::make_shared<FeatureCache>(image, m_features);
    return m_cache;
}

int TrainableController::ensureLayer(const QString &name, double opacity)
{
    int layer = m_document->findLayer(name);
    if (layer >= 0)
        return layer;
    auto labels = std::make_shared<LabelVolume>(m_document->image().geometry());
    labels->table() = name == kUncertaintyLayer ? uncertaintyTable() : trainable::classTable(m_classes);
    const bool wasWriting = m_writing;
    m_writing = true;
    layer = m_document->addLayer(name, std::move(labels), opacity);
    m_writing = wasWriting;
    if (name == kSegmentationLayer)
        m_document->setLayerVisible(layer, m_showSegmentation);
    if (name == kUncertaintyLayer)
        m_document->setLayerVisible(layer, m_showUncertainty);
    return layer;
}

void TrainableController::applyClassTables()
{
    if (!m_document)
        return;
    for (const QString &name : {kScribbleLayer, kSegmentationLayer}) {
        if (const int layer = m_document->findLayer(name); layer >= 0) {
            m_document->layerLabels(layer).table() = trainable::classTable(m_classes);
            m_document->notifyLayerTableChanged(layer);
        }
    }
}

void TrainableController::applyDisplay()
{
    if (!m_document)
        return;
    if (const int layer = m_document->findLayer(kSegmentationLayer); layer >= 0) {
        m_document->setLayerOpacity(layer, m_opacity);
        m_document->setLayerVisible(layer, m_showSegmentation);
    }
    if (const int layer = m_document->findLayer(kUncertaintyLayer); layer >= 0)
        m_document->setLayerVisible(layer, m_showUncertainty);
}

// --- training and prediction ---

bool TrainableController::retrain()
{
    m_retrainTimer.stop();
    if (!m_document || !m_document->hasImage()) {
        m_task.setError(tr("Open an image first."));
        return false;
    }
    const int layer = m_document->findLayer(kScribbleLayer);
    if (layer < 0) {
        m_task.setError(tr("Draw scribbles of at least two classes."));
        return false;
    }
    const int classCount = this->classCount();
    std::vector<Scribble> scribbles = collectScribbles(m_document->layerLabels(layer), classCount);
    std::set<std::uint16_t> present;
    for (const Scribble &s : scribbles)
        present.insert(s.value);
    if (present.size() < 2) {
        m_task.setError(tr("Draw scribbles of at least two classes."));
        return false;
    }
    const std::shared_ptr<FeatureCache> features = cache();
    const int nz = m_document->image().dims()[2];
    const int z = std::clamp(int(std::lround(m_document->cursorIndex().z())), 0, nz - 1);
    const algo::ForestOptions forest = m_forestOptions;
    // Stale work stops: the slabs of the old forest, and (NewerWins) a running retrain.
    m_restTask.invalidate();
    m_restQueue.clear();
    return m_task.start(
        [features, scribbles = std::move(scribbles), classCount, forest, z](const TaskContext &context) {
            TrainResult r;
            r.features = features->options();
            r.classes = classCount;
            r.forest = std::make_shared<const algo::RandomForest>(trainOnScribbles(*features, scribbles, classCount, forest, context));
            r.prediction = predictSlices(*features, *r.forest, z, z + 1, 1, true, context);
            return r;
        },
        [this, nz](TrainResult &&r) {
            m_forest = std::move(r.forest);
            m_complete = false;
            emit trainedChanged();
            writePrediction(r.prediction);
            m_task.setStatus(tr("Trained on %1 scribbled voxels; slice %2 segmented").arg(m_scribbleVoxels).arg(r.prediction.z0 + 1));
            predictRest(r.prediction.z0, nz);
        });
}

void TrainableController::predictVisible()
{
    if (!m_document || !m_document->hasImage() || !m_forest)
        return;
    const std::shared_ptr<FeatureCache> features = cache();
    const int nz = m_document->image().dims()[2];
    const int z = std::clamp(int(std::lround(m_document->cursorIndex().z())), 0, nz - 1);
    auto forest = m_forest;
    m_restTask.invalidate();
    m_restQueue.clear();
    m_task.start([features, forest, z](const TaskContext &context) { return predictSlices(*features, *forest, z, z + 1, 1, true, context); },
                 [this, nz](SlicePrediction &&p) {
                     m_complete = false;
                     writePrediction(p);
                     m_task.setStatus(tr("Slice %1 segmented with the loaded model").arg(p.z0 + 1));
                     predictRest(p.z0, nz);
                 });
}

void TrainableController::predictRest(int from, int nz)
{
    m_restQueue.clear();
    if (nz <= 1) {
        m_complete = true;
        return;
    }
    const Dims d = m_document->image().dims();
    const std::size_t perSlice = std::size_t(d[0]) * std::size_t(d[1]) * std::size_t(std::max(1, featureCount())) * sizeof(float);
    // Slabs of about 128 MB of features (at most 16 slices): big enough that the halo each slab
    // reads is small next to it, small enough that a new stroke's cancel lands soon.
    const int slab = int(std::clamp<std::size_t>((std::size_t(128) << 20) / perSlice, 1, 16));
    int up = from + 1, down = from;
    while (up < nz || down > 0) {
        if (up < nz) {
            m_restQueue.emplace_back(up, std::min(nz, up + slab));
            up = std::min(nz, up + slab);
        }
        if (down > 0) {
            m_restQueue.emplace_back(std::max(0, down - slab), down);
            down = std::max(0, down - slab);
        }
    }
    std::reverse(m_restQueue.begin(), m_restQueue.end()); // popped from the back: nearest first
    startRestChunk();
}

void TrainableController::startRestChunk()
{
    if (m_restQueue.empty()) {
        if (!m_complete && m_forest) {
            m_complete = true;
            m_restTask.setStatus(tr("Every slice segmented"));
        }
        return;
    }
    const auto [z0, z1] = m_restQueue.back();
    m_restQueue.pop_back();
    const std::shared_ptr<FeatureCache> features = cache();
    auto forest = m_forest;
    m_restTask.start(
        [features, forest, z0, z1](const TaskContext &context) { return predictSlices(*features, *forest, z0, z1, z1 - z0, true, context); },
        [this](SlicePrediction &&p) {
            writePrediction(p);
            // The next slab after this commit has returned (the runner is still finishing it).
            QMetaObject::invokeMethod(this, [this] { startRestChunk(); }, Qt::QueuedConnection);
        });
}

void TrainableController::writePrediction(const SlicePrediction &p)
{
    if (!m_document || !m_document->hasImage())
        return;
    const int seg = ensureLayer(kSegmentationLayer, m_opacity);
    const int unc = ensureLayer(kUncertaintyLayer, 0.6);
    const Dims d = m_document->image().dims();
    const std::size_t offset = std::size_t(d[0]) * std::size_t(d[1]) * std::size_t(p.z0);
    m_writing = true;
    LabelVolume &labels = m_document->layerLabels(seg);
    std::copy(p.labels.begin(), p.labels.end(), labels.data() + offset);
    LabelVolume &u = m_document->layerLabels(unc);
    for (std::size_t i = 0; i < p.uncertainty.size(); ++i)
        u.data()[offset + i] = uncertaintyLabel(p.uncertainty[i]);
    const VoxelBox box{{0, 0, p.z0}, {d[0], d[1], p.z1}};
    m_document->notifyLabelsChanged(seg, box);
    m_document->notifyLabelsChanged(unc, box);
    m_writing = false;
    ++m_predictions;
    emit predicted();
}

// --- files ---

QString TrainableController::path(const QString &pathOrUrl) const
{
    const QUrl url(pathOrUrl);
    return url.isLocalFile() ? url.toLocalFile() : pathOrUrl;
}

bool TrainableController::saveModel(const QString &file)
{
    if (!m_forest || !m_cache) {
        m_task.setError(tr("Nothing to save yet: draw scribbles of two classes to train the classifier."));
        return false;
    }
    io::TrainableModel model;
    model.features = m_cache->options();
    model.channels = m_cache->image().channels();
    model.is3d = m_cache->is3d();
    model.training = m_forestOptions;
    model.classes = m_classes;
    model.classes.resize(std::size_t(m_forest->classes()));
    for (std::size_t i = 0; i < model.classes.size(); ++i)
        if (model.classes[i].name.empty())
            model.classes[i] = defaultClasses(int(i) + 1).back();
    model.forest = *m_forest;
    if (model.forest.features() != algo::featureCount(model.features, model.channels, model.is3d)) {
        m_task.setError(tr("The classifier is being retrained for new settings; save again in a moment."));
        return false;
    }
    try {
        io::writeTrainableModel(path(file).toStdString(), model);
    } catch (const std::exception &e) {
        m_task.setError(QString::fromUtf8(e.what()));
        return false;
    }
    m_task.setStatus(tr("Model saved"));
    return true;
}

bool TrainableController::loadModel(const QString &file)
{
    if (!m_document || !m_document->hasImage()) {
        m_task.setError(tr("Open an image first."));
        return false;
    }
    io::TrainableModel model;
    try {
        model = io::readTrainableModel(path(file).toStdString());
        model.checkApplicable(m_document->image().channels(), m_document->image().dims()[2] > 1);
    } catch (const std::exception &e) {
        m_task.setError(tr("Cannot use this model: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    m_retrainTimer.stop();
    m_features = model.features;
    m_forestOptions = model.training;
    m_classes = model.classes;
    m_activeClass = std::min(m_activeClass, int(m_classes.size()));
    m_forest = std::make_shared<const algo::RandomForest>(std::move(model.forest));
    applyClassTables();
    emit featureOptionsChanged();
    emit forestOptionsChanged();
    emit classesChanged();
    emit activeClassChanged();
    emit trainedChanged();
    predictVisible();
    return true;
}

bool TrainableController::exportSegmentation(const QString &file)
{
    const int layer = m_document ? m_document->findLayer(kSegmentationLayer) : -1;
    if (layer < 0 || !m_complete) {
        m_task.setError(layer < 0 ? tr("No segmentation yet.") : tr("Still segmenting the other slices; export when done."));
        return false;
    }
    try {
        writeSegmentation(m_document->layer(layer).labels ? *m_document->layer(layer).labels : LabelVolume(), path(file).toStdString());
    } catch (const std::exception &e) {
        m_task.setError(QString::fromUtf8(e.what()));
        return false;
    }
    m_task.setStatus(tr("Segmentation saved"));
    return true;
}

bool TrainableController::exportBlended(const QString &file)
{
    const int layer = m_document ? m_document->findLayer(kSegmentationLayer) : -1;
    if (layer < 0) {
        m_task.setError(tr("No segmentation yet."));
        return false;
    }
    const int nz = m_document->image().dims()[2];
    const int z = std::clamp(int(std::lround(m_document->cursorIndex().z())), 0, nz - 1);
    try {
        writeBlendedPng(m_document->image(), *m_document->layer(layer).labels, z, path(file).toStdString());
    } catch (const std::exception &e) {
        m_task.setError(QString::fromUtf8(e.what()));
        return false;
    }
    m_task.setStatus(tr("Blended image saved"));
    return true;
}

} // namespace carina::trainable
