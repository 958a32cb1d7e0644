// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/TaskRunner.h>

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <vector>

namespace carina {

class Document;
class LabelVolume;

/// "Show a label layer in 3D": for each layer switched on, one mesh per label in the layer's
/// colours (algo::labelSurfaces), named "<layer>: <label>", put in the document's meshes and
/// rebuilt off the UI thread once edits have settled (kSettleMs after the last one). Generic:
/// the superpixel painting, trainable segmentation and the plain label tools all use it through
/// Document::setLayerIn3D(). Lives on the UI thread; owned by its Document.
class CARINA_CORE_EXPORT LayerSurfaces : public QObject
{
    Q_OBJECT

public:
    static constexpr int kSettleMs = 400;

    explicit LayerSurfaces(Document *document);
    ~LayerSurfaces() override;

    bool isShown(int layer) const;
    /// Shows (builds now, then follows edits) or hides (removes its meshes) layer `layer`.
    void setShown(int layer, bool shown);
    /// The rebuilds (busy, progress, finished): tests and the shell's status bar follow it.
    TaskRunner *task() { return &m_task; }
    /// Builds every shown layer now instead of after the settle delay.
    void rebuildNow();

signals:
    void shownChanged();

private:
    struct Entry
    {
        std::weak_ptr<LabelVolume> labels;
        QStringList meshNames; ///< the meshes this layer has in the document now
    };
    void onLayersChanged();
    void removeMeshes(Entry &entry);
    Entry *entryFor(const LabelVolume *labels);

    Document *m_document;
    std::vector<Entry> m_entries;
    QTimer m_settle;
    TaskRunner m_task{this};
};

} // namespace carina
