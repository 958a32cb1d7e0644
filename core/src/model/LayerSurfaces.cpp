// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/LayerSurfaces.h>

#include <carina/Document.h>
#include <carina/algo/LabelSurfaces.h>

#include <algorithm>

namespace carina {

namespace {

struct Built
{
    std::weak_ptr<LabelVolume> labels;
    QString layerName;
    std::vector<Mesh> meshes;
};

} // namespace

LayerSurfaces::LayerSurfaces(Document *document) : QObject(document), m_document(document)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(kSettleMs);
    connect(&m_settle, &QTimer::timeout, this, &LayerSurfaces::rebuildNow);
    m_task.setBusyMessage(tr("Building label surfaces…"));
    m_task.followStudy(document);
    connect(document, &Document::studyChanged, this, [this] {
        m_entries.clear(); // the study's meshes went with it
        m_settle.stop();
        emit shownChanged();
    });
    connect(document, &Document::layersChanged, this, &LayerSurfaces::onLayersChanged);
    // Edits restart the settle delay: a stroke being drawn rebuilds once, after it ends.
    connect(document, &Document::labelsChanged, this, [this](int layer, const VoxelBox &) {
        if (isShown(layer))
            m_settle.start();
    });
}

LayerSurfaces::~LayerSurfaces() = default;

LayerSurfaces::Entry *LayerSurfaces::entryFor(const LabelVolume *labels)
{
    for (Entry &e : m_entries)
        if (e.labels.lock().get() == labels)
            return &e;
    return nullptr;
}

bool LayerSurfaces::isShown(int layer) const
{
    if (layer < 0 || layer >= m_document->layerCount())
        return false;
    const LabelVolume *labels = m_document->layer(layer).labels.get();
    return std::any_of(m_entries.begin(), m_entries.end(), [&](const Entry &e) { return e.labels.lock().get() == labels; });
}

void LayerSurfaces::setShown(int layer, bool shown)
{
    if (layer < 0 || layer >= m_document->layerCount() || shown == isShown(layer))
        return;
    const std::shared_ptr<LabelVolume> &labels = m_document->layer(layer).labels;
    if (shown) {
        m_entries.push_back(Entry{labels, {}});
        rebuildNow();
    } else {
        Entry *e = entryFor(labels.get());
        removeMeshes(*e);
        m_entries.erase(m_entries.begin() + (e - m_entries.data()));
    }
    emit shownChanged();
}

void LayerSurfaces::removeMeshes(Entry &entry)
{
    for (const QString &name : entry.meshNames)
        if (const int mesh = m_document->findMesh(name); mesh >= 0)
            m_document->removeMesh(mesh);
    entry.meshNames.clear();
}

void LayerSurfaces::onLayersChanged()
{
    // A removed layer takes its meshes along; a renamed one is rebuilt under its new name.
    bool changed = false;
    for (std::size_t i = 0; i < m_entries.size();) {
        const std::shared_ptr<LabelVolume> labels = m_entries[i].labels.lock();
        if (!labels || m_document->layerOf(labels.get()) < 0) {
            removeMeshes(m_entries[i]);
            m_entries.erase(m_entries.begin() + std::ptrdiff_t(i));
            changed = true;
        } else {
            ++i;
        }
    }
    if (changed)
        emit shownChanged();
    // Colours, names and visibility arrive as layersChanged too: follow them after a pause.
    if (!m_entries.empty())
        m_settle.start();
}

void LayerSurfaces::rebuildNow()
{
    m_settle.stop();
    // Copies on the UI thread: the user may paint on while the surfaces are built.
    std::vector<std::pair<std::shared_ptr<const LabelVolume>, Built>> jobs;
    for (const Entry &e : m_entries) {
        const std::shared_ptr<LabelVolume> labels = e.labels.lock();
        const int layer = labels ? m_document->layerOf(labels.get()) : -1;
        if (layer < 0)
            continue;
        jobs.push_back({std::make_shared<const LabelVolume>(*labels), Built{labels, m_document->layerName(layer), {}}});
    }
    if (jobs.empty())
        return;
    m_task.start(
        [jobs](const TaskContext &context) {
            std::vector<Built> built;
            for (std::size_t i = 0; i < jobs.size(); ++i) {
                context.throwIfCanceled();
                Built b = jobs[i].second;
                b.meshes = algo::labelSurfaces(*jobs[i].first, context);
                built.push_back(std::move(b));
            }
            return built;
        },
        [this](std::vector<Built> built) {
            for (Built &b : built) {
                Entry *e = entryFor(b.labels.lock().get());
                if (!e)
                    continue; // hidden or removed meanwhile
                QStringList names;
                for (Mesh &mesh : b.meshes) {
                    const QString name = b.layerName + QStringLiteral(": ") + QString::fromStdString(mesh.name);
                    mesh.name = name.toStdString();
                    if (const int old = m_document->findMesh(name); old >= 0) { // keep what the user set
                        mesh.opacity = m_document->mesh(old)->opacity;
                        mesh.visible = m_document->mesh(old)->visible;
                    }
                    m_document->setMesh(std::make_shared<Mesh>(std::move(mesh)));
                    names.append(name);
                }
                for (const QString &old : e->meshNames)
                    if (!names.contains(old))
                        if (const int mesh = m_document->findMesh(old); mesh >= 0)
                            m_document->removeMesh(mesh);
                e->meshNames = names;
            }
        });
}

} // namespace carina
