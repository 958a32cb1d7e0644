// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "LabelPropsController.h"

#include <carina/algo/LabelVoxels.h>
#include <carina/edit/LabelPatch.h>
#include <carina/io/ImageFile.h>
#include <carina/io/LocalPath.h>
#include <carina/io/Nifti.h>

#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <exception>

namespace carina::labelprops {

namespace {

const QString kLayerName = QStringLiteral("Regions");

} // namespace

struct LabelPropsController::Outcome
{
    std::shared_ptr<LabelVolume> labels; ///< new labels, or (set by the commit) the measured layer's
    algo::RegionTable table;
    double threshold = std::nan("");
    bool existingLayer = false; ///< a layer of the document was measured
};

LabelPropsController::LabelPropsController(Document *document, QObject *parent)
    : QObject(parent), m_document(document), m_model(new RegionTableModel(this))
{
    connect(m_model, &RegionTableModel::rowsChanged, this, &LabelPropsController::applyColours);
    connect(m_model, &RegionTableModel::rowsChanged, this, &LabelPropsController::selectionChanged);
    if (!m_document)
        return;
    connect(m_document, &Document::layersChanged, this, [this] {
        emit layerNamesChanged();
        if (m_sourceLayer >= m_document->layerCount()) {
            m_sourceLayer = -1;
            emit parametersChanged();
        }
        emit resultChanged();
    });
    // A derived image on display (the lung mask's masked CT) is the same study: the table, the
    // selection and the layer stay. A new study clears them (and drops a running measurement).
    m_task.followStudy(m_document);
    connect(m_document, &Document::studyChanged, this, &LabelPropsController::onStudyChanged);
    connect(m_document, &Document::labelsChanged, this, [this](int layer, const VoxelBox &) { onLabelsChanged(layer); });
    connect(m_document, &Document::cursorChanged, this, &LabelPropsController::onCursorChanged);
}

void LabelPropsController::setOtsu(bool otsu)
{
    if (otsu == m_options.otsu)
        return;
    m_options.otsu = otsu;
    emit parametersChanged();
}

void LabelPropsController::setThreshold(double threshold)
{
    if (threshold == m_options.threshold || !std::isfinite(threshold))
        return;
    m_options.threshold = threshold;
    emit parametersChanged();
}

void LabelPropsController::setDarkObjects(bool dark)
{
    if (dark == m_options.darkObjects)
        return;
    m_options.darkObjects = dark;
    emit parametersChanged();
}

void LabelPropsController::setNeighbours(int neighbours)
{
    if (neighbours == m_options.neighbours)
        return;
    m_options.neighbours = neighbours;
    emit parametersChanged();
}

void LabelPropsController::setMinSize(int minSize)
{
    minSize = std::max(minSize, 0);
    if (std::uint64_t(minSize) == m_options.minSize)
        return;
    m_options.minSize = std::uint64_t(minSize);
    emit parametersChanged();
}

void LabelPropsController::setSourceLayer(int layer)
{
    if (!m_document || layer < -1 || layer >= m_document->layerCount())
        layer = -1;
    if (layer == m_sourceLayer)
        return;
    m_sourceLayer = layer;
    emit parametersChanged();
}

QStringList LabelPropsController::layerNames() const
{
    QStringList names;
    if (m_document)
        for (int i = 0; i < m_document->layerCount(); ++i)
            names.append(m_document->layerName(i));
    return names;
}

QVariantList LabelPropsController::neighbourChoices() const
{
    if (m_document && m_document->hasImage() && m_document->image().dims()[2] > 1)
        return {6, 18, 26};
    return {4, 8};
}

int LabelPropsController::resultLayer() const
{
    return m_document ? m_document->layerOf(m_labels.get()) : -1;
}

bool LabelPropsController::run()
{
    if (!m_document || !m_document->hasImage()) {
        setError(tr("Open an image first."));
        return false;
    }
    const Volume image = m_document->image(); // shares the voxels
    if (image.channels() != 1) {
        setError(tr("Region properties need a single-channel image; this one has %1 channels.").arg(image.channels()));
        return false;
    }
    std::shared_ptr<LabelVolume> source;
    if (m_sourceLayer >= 0 && m_sourceLayer < m_document->layerCount())
        source = m_document->layer(m_sourceLayer).labels;
    // Neighbour counts of the other dimensionality fall back to full connectivity.
    LabelOptions options = m_options;
    const bool is2d = image.dims()[2] == 1;
    if (options.neighbours && ((is2d && options.neighbours != 4 && options.neighbours != 8)
                               || (!is2d && options.neighbours != 6 && options.neighbours != 18 && options.neighbours != 26)))
        options.neighbours = 0;

    // The source layer is copied on the UI thread: edits during the run cannot tear it.
    std::shared_ptr<const LabelVolume> sourceCopy = source ? std::make_shared<LabelVolume>(*source) : nullptr;
    return m_task.start(
        [image, options, sourceCopy](const TaskContext &context) {
            Outcome outcome;
            if (sourceCopy) {
                outcome.existingLayer = true;
                outcome.table = algo::computeRegionProperties(*sourceCopy, &image, {}, context);
            } else {
                Measurement m = measure(image, options, context);
                outcome.labels = std::move(m.labels);
                outcome.table = std::move(m.table);
                outcome.threshold = m.labelling.threshold;
            }
            return outcome;
        },
        // Weak: the measured layer may be removed while the task runs; commit() then says so.
        [this, weakSource = std::weak_ptr<LabelVolume>(source)](Outcome outcome) {
            if (outcome.existingLayer)
                outcome.labels = weakSource.lock();
            commit(std::move(outcome));
        });
}

void LabelPropsController::commit(Outcome outcome)
{
    if (!m_document)
        return;
    if (outcome.existingLayer && m_document->layerOf(outcome.labels.get()) < 0) {
        setError(tr("The layer to measure was removed."));
        return;
    }
    // A new measurement replaces the layer this controller made before (its undo entries keep
    // their own copy of the labels).
    const bool remeasuredOwn = m_ownLayer && m_labels == outcome.labels;
    if (m_ownLayer && !remeasuredOwn) {
        const int old = resultLayer();
        if (old >= 0)
            m_document->removeLayer(old);
    }
    m_labels.reset();
    m_selectedLabel = 0;
    m_stale = false;
    m_usedThreshold = outcome.threshold;
    int index = m_document->layerOf(outcome.labels.get());
    if (index >= 0) {
        m_ownLayer = remeasuredOwn;
    } else {
        m_ownLayer = true;
        index = m_document->addLayer(kLayerName, outcome.labels, 1.0);
    }
    m_labels = outcome.labels;
    m_model->setSelectedLabel(0);
    m_model->setTable(std::move(outcome.table));
    if (!m_model->allColumns().contains(m_colourColumn)) {
        m_colourColumn = QStringLiteral("area");
        emit coloursChanged();
    }
    m_document->setLayerOutline(index, true);
    m_document->setLayerHighlight(index, 0);
    applyColours();
    updateStatus();
    emit resultChanged();
    emit selectionChanged();
}

void LabelPropsController::onStudyChanged()
{
    // The runner has dropped a running measurement and cleared status and error (followStudy);
    // the layer went with the old study's layers.
    m_labels.reset();
    m_ownLayer = false;
    m_stale = false;
    m_model->setSelectedLabel(0);
    m_model->setTable({});
    m_selectedLabel = 0;
    m_sourceLayer = -1;
    emit layerNamesChanged();
    emit parametersChanged();
    emit resultChanged();
    emit selectionChanged();
}

void LabelPropsController::setColourColumn(const QString &column)
{
    if (column == m_colourColumn || !m_model->allColumns().contains(column))
        return;
    m_colourColumn = column;
    applyColours();
}

void LabelPropsController::applyColours()
{
    const int index = resultLayer();
    if (index < 0)
        return;
    const auto [lo, hi] = m_model->shownRange(m_colourColumn);
    m_colourMin = lo;
    m_colourMax = hi;
    const algo::RegionTable &table = m_model->table();
    std::vector<bool> shown(table.regions.size(), false);
    for (std::size_t r : m_model->shownRegionIndices())
        shown[r] = true;
    LabelTable labelTable;
    const std::string column = m_colourColumn.toStdString();
    const double span = hi > lo ? hi - lo : 1.0;
    for (std::size_t r = 0; r < table.regions.size(); ++r) {
        const algo::RegionProperties &region = table.regions[r];
        if (region.label == 0 || region.label > 65535)
            continue;
        LabelInfo info;
        info.id = std::uint16_t(region.label);
        info.name = "Region " + std::to_string(region.label);
        const double v = algo::regionValue(table, region, column);
        info.rgb = plasma(std::isfinite(lo) ? (v - lo) / span : 0.0);
        info.visible = shown[r];
        labelTable.set(info);
    }
    m_document->layerLabels(index).table() = std::move(labelTable);
    m_document->notifyLayerTableChanged(index);
    emit coloursChanged();
}

int LabelPropsController::selectedRow() const
{
    return m_selectedLabel ? m_model->rowOfLabel(m_selectedLabel) : -1;
}

QVariantMap LabelPropsController::selectedProperties() const
{
    return m_selectedLabel ? m_model->propertiesOf(m_selectedLabel) : QVariantMap();
}

void LabelPropsController::selectRow(int row)
{
    selectLabel(m_model->labelAt(row), true);
}

void LabelPropsController::selectLabel(int label, bool moveViews)
{
    const QVariantMap properties = m_model->propertiesOf(label);
    if (properties.isEmpty())
        label = 0;
    if (label != m_selectedLabel) {
        m_selectedLabel = label;
        m_model->setSelectedLabel(label);
        const int index = resultLayer();
        if (index >= 0 && m_document)
            m_document->setLayerHighlight(index, label);
        emit selectionChanged();
    }
    if (moveViews && label && m_document) {
        const algo::RegionTable &table = m_model->table();
        const auto it = std::lower_bound(table.regions.begin(), table.regions.end(), std::uint32_t(label),
                                         [](const algo::RegionProperties &r, std::uint32_t l) { return r.label < l; });
        // The centroid of a ring lies outside it: the nearest voxel of the region is shown instead.
        Eigen::Vector3d index(it->centroid[0], it->centroid[1], it->centroid[2]);
        if (m_labels && algo::labelAt(m_labels->data(), m_labels->dims(), it->centroid) != label) {
            const Eigen::Vector3d &s = m_labels->geometry().spacing;
            if (const auto nearest = algo::nearestVoxelOfLabel(m_labels->data(), m_labels->dims(), std::uint16_t(label),
                                                               it->centroid, {it->bboxMin, it->bboxMax}, {s[0], s[1], s[2]}))
                index = Eigen::Vector3d((*nearest)[0], (*nearest)[1], (*nearest)[2]);
        }
        const Eigen::Vector3d p = table.geometry.indexToPhysical(index);
        m_movingCursor = true;
        m_document->setCursor(QVector3D(float(p[0]), float(p[1]), float(p[2])));
        m_movingCursor = false;
    }
}

int LabelPropsController::labelAtPhysical(const QVector3D &lps) const
{
    if (!m_labels)
        return 0;
    const Eigen::Vector3d i = m_labels->geometry().physicalToIndex(Eigen::Vector3d(lps.x(), lps.y(), lps.z()));
    return algo::labelAt(m_labels->data(), m_labels->dims(), {i[0], i[1], i[2]});
}

void LabelPropsController::onCursorChanged()
{
    if (m_movingCursor || !m_labels || !m_document)
        return;
    // A tap on a slice moves the cursor: the region under it becomes the selected row.
    const int label = labelAtPhysical(m_document->cursor());
    if (label && m_model->rowOfLabel(label) >= 0)
        selectLabel(label, false);
    else
        selectLabel(0, false);
}

bool LabelPropsController::deleteRows(const QList<int> &rows)
{
    const int index = resultLayer();
    if (index < 0 || !m_document)
        return false;
    const algo::RegionTable &table = m_model->table();
    std::vector<std::uint32_t> labels;
    for (int row : rows)
        if (const int l = m_model->labelAt(row))
            labels.push_back(std::uint32_t(l));
    if (labels.empty())
        return false;
    LabelVolume &layer = m_document->layerLabels(index);
    LabelPatch patch;
    for (std::uint32_t label : labels) {
        const auto it = std::lower_bound(table.regions.begin(), table.regions.end(), label,
                                         [](const algo::RegionProperties &r, std::uint32_t l) { return r.label < l; });
        if (it == table.regions.end() || it->label != label)
            continue;
        for (std::size_t linear : algo::voxelsOfLabel(layer.data(), layer.dims(), std::uint16_t(label), {it->bboxMin, it->bboxMax}))
            patch.assign(layer, linear, 0);
    }
    if (labels.size() == 1 && int(labels.front()) == m_selectedLabel)
        selectLabel(0, false);
    m_document->commitLabelEdit(index, std::move(patch),
                                labels.size() == 1 ? tr("Delete region %1").arg(labels.front())
                                                   : tr("Delete %1 regions").arg(labels.size()));
    return true;
}

bool LabelPropsController::deleteSelected()
{
    const int row = selectedRow();
    return row >= 0 && deleteRows({row});
}

void LabelPropsController::onLabelsChanged(int layer)
{
    if (layer != resultLayer() || !m_labels)
        return;
    // Deleted rows (and their undo) show as labels without voxels: hide / show those rows.
    const std::vector<std::int64_t> histogram = m_document->labelCounts(layer);
    const auto &regions = m_model->table().regions;
    std::vector<bool> present(regions.empty() ? 0 : std::size_t(regions.back().label) + 1, false);
    bool stale = false;
    for (const algo::RegionProperties &r : m_model->table().regions) {
        const std::int64_t count = r.label < histogram.size() ? histogram[r.label] : 0;
        if (r.label < present.size())
            present[r.label] = count > 0;
        if (count && std::uint64_t(count) != r.area)
            stale = true;
    }
    m_stale = stale;
    m_model->setPresent(std::move(present));
    if (m_selectedLabel && m_model->rowOfLabel(m_selectedLabel) < 0)
        selectLabel(0, false);
    updateStatus();
}

void LabelPropsController::updateStatus()
{
    QString text = tr("%n region(s)", nullptr, m_model->totalRows());
    if (std::isfinite(m_usedThreshold))
        text += tr(", threshold %1").arg(m_usedThreshold, 0, 'g', 6);
    if (m_stale)
        text += tr(" — the layer was edited since it was measured: measure again");
    setStatus(text);
}

bool LabelPropsController::exportCsv(const QString &path)
{
    if (!m_labels) {
        setError(tr("Nothing to export: measure first."));
        return false;
    }
    const QString file = io::localPath(path);
    try {
        std::vector<std::string> columns;
        for (const QString &c : m_model->shownColumns())
            columns.push_back(c.toStdString());
        algo::writeCsv(m_model->shownTable(), file.toStdString(), columns);
    } catch (const std::exception &e) {
        setError(tr("Could not write %1: %2").arg(file, QString::fromUtf8(e.what())));
        return false;
    }
    setError({});
    setStatus(tr("Wrote %n row(s) to %1", nullptr, m_model->shownRows()).arg(QFileInfo(file).fileName()));
    return true;
}

bool LabelPropsController::exportLabels(const QString &path)
{
    if (!m_labels) {
        setError(tr("Nothing to export: measure first."));
        return false;
    }
    const QString file = io::localPath(path);
    const QString lower = file.toLower();
    try {
        if (lower.endsWith(QLatin1String(".png"))) {
            io::writeLabelPng(*m_labels, file.toStdString());
        } else if (lower.endsWith(QLatin1String(".nii")) || lower.endsWith(QLatin1String(".nii.gz"))) {
            io::writeNiftiLabels(*m_labels, file.toStdString());
        } else {
            throw std::invalid_argument("choose a .nii, .nii.gz or (2D) .png file name");
        }
    } catch (const std::exception &e) {
        setError(tr("Could not write %1: %2").arg(file, QString::fromUtf8(e.what())));
        return false;
    }
    setError({});
    setStatus(tr("Wrote the labels to %1").arg(QFileInfo(file).fileName()));
    return true;
}

} // namespace carina::labelprops
