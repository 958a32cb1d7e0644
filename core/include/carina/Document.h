// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/Volume.h>
#include <carina/algo/SliceRender.h>
#include <carina/edit/DrawnShape.h>
#include <carina/edit/LabelPatch.h>

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariantList>
#include <QVector3D>

#include <QUndoStack>

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace carina {

class LayerSurfaces;

/// A label layer of the document: a LabelVolume on the image's grid with display settings.
struct CARINA_CORE_EXPORT LabelLayer
{
    QString name;
    std::shared_ptr<LabelVolume> labels;
    double opacity = 0.5; ///< 0..1 overlay opacity
    bool visible = true;
    bool outline = false;          ///< draw the labels' contours instead of filling them
    std::uint16_t highlighted = 0; ///< label drawn highlighted (0 = none)
};

/// The open study: one image, its label layers, meshes, the shared cursor and window/level.
///
/// Lives on the UI thread. Algorithms never see it: controllers copy out what they need
/// (Volume copies share their buffer), run off the UI thread, and hand results back here.
/// Every change emits a signal; label edits say which voxels changed so views redraw only those.
///
/// A *study* is what the user opened (setImage()); the *displayed image* is what the views show,
/// which a plugin may replace with a derived image of the same study (the masked CT). Listen to
/// studyChanged() for state that belongs to the study (a plugin's region or result, the session's
/// identity and dirty state) and to imageChanged() for what depends on the shown voxels.
class CARINA_CORE_EXPORT Document : public QObject
{
    Q_OBJECT
    /// Changes with every new study (setImage(), clear()); 0 before the first.
    Q_PROPERTY(quint64 studyId READ studyId NOTIFY studyChanged)
    Q_PROPERTY(bool hasImage READ hasImage NOTIFY imageChanged)
    Q_PROPERTY(QString imageName READ imageName NOTIFY imageChanged)
    Q_PROPERTY(QString imageSummary READ imageSummary NOTIFY imageChanged)
    /// What the image is without where it came from: modality, series description and size
    /// ("CT · THORAX 1.0 · 512 x 512 x 300"). For titles that others may see.
    Q_PROPERTY(QString imageTitle READ imageTitle NOTIFY imageChanged)
    Q_PROPERTY(QVector3D dims READ dimsVector NOTIFY imageChanged)
    Q_PROPERTY(QVector3D spacing READ spacingVector NOTIFY imageChanged)
    Q_PROPERTY(QVector3D cursor READ cursor WRITE setCursor NOTIFY cursorChanged)
    Q_PROPERTY(QVector3D cursorIndex READ cursorIndex WRITE setCursorIndex NOTIFY cursorChanged)
    Q_PROPERTY(double windowCenter READ windowCenter WRITE setWindowCenter NOTIFY windowChanged)
    Q_PROPERTY(double windowWidth READ windowWidth WRITE setWindowWidth NOTIFY windowChanged)
    Q_PROPERTY(double minValue READ minValue NOTIFY imageChanged)
    Q_PROPERTY(double maxValue READ maxValue NOTIFY imageChanged)
    Q_PROPERTY(int layerCount READ layerCount NOTIFY layersChanged)
    Q_PROPERTY(int meshCount READ meshCount NOTIFY meshesChanged)
    Q_PROPERTY(QStringList warnings READ warnings NOTIFY imageChanged)
    Q_PROPERTY(QUndoStack *undoStack READ undoStack CONSTANT)
    Q_PROPERTY(QString shapeConsumer READ shapeConsumer WRITE setShapeConsumer NOTIFY shapeConsumerChanged)
    Q_PROPERTY(QString derivedImageName READ derivedImageName NOTIFY derivedImageChanged)
    /// One slice (a photo, a micrograph): one view, no patient directions or coordinates.
    Q_PROPERTY(bool is2d READ is2d NOTIFY imageChanged)
    /// Unit lengths are shown in: "mm", "um", "nm", or "px" for an image without a pixel size.
    Q_PROPERTY(QString lengthUnit READ lengthUnit NOTIFY imageChanged)
    /// The pixel size as people write it ("0.65 µm"), empty for "px" images.
    Q_PROPERTY(QString pixelSizeText READ pixelSizeText NOTIFY imageChanged)
    /// Window presets that fit the image, each {id, title, center, width}: radiology's HU windows
    /// for CT, then the 1st..99th percentile and the full range for every image.
    Q_PROPERTY(QVariantList windowPresets READ windowPresets NOTIFY imageChanged)
    /// The folder the image was read from (a file: URL; the folder itself for a DICOM folder),
    /// where save dialogs propose to put exports. Empty without an image or a source path.
    Q_PROPERTY(QUrl imageFolder READ imageFolder NOTIFY imageChanged)

public:
    explicit Document(QObject *parent = nullptr);
    ~Document() override;

    // --- image ---
    quint64 studyId() const { return m_studyId; }
    bool hasImage() const { return !m_image.isNull(); }
    const Volume &image() const { return m_image; }
    /// Replaces the study: clears layers and meshes, centres the cursor, picks a window.
    void setImage(const Volume &image, const QStringList &warnings = {});
    void clear();
    QString imageName() const;
    QString imageSummary() const;
    QString imageTitle() const;
    QVector3D dimsVector() const;
    QVector3D spacingVector() const;
    double minValue() const { return m_range.first; }
    double maxValue() const { return m_range.second; }
    QStringList warnings() const { return m_warnings; }
    bool is2d() const { return hasImage() && m_image.dims()[2] == 1; }
    QString lengthUnit() const;
    QString pixelSizeText() const;
    /// Gives the image the pixel size `text` ("0.65um", see parsePixelSize): spacing of the
    /// loaded and the displayed image and of every layer; meshes move with the grid; the
    /// cursor stays on its voxel. Returns an empty string, or the reason `text` was refused.
    Q_INVOKABLE QString setPixelSize(const QString &text);
    QVariantList windowPresets() const;
    QUrl imageFolder() const;
    /// Applies the window preset `id` of windowPresets(); false for an unknown id.
    Q_INVOKABLE bool applyWindowPreset(const QString &id);

    // --- a derived image shown in place of the loaded voxels (e.g. the masked CT) ---
    /// The voxels as setImage() got them, whatever is displayed.
    const Volume &loadedImage() const { return m_loadedImage; }
    /// Shows `voxels` (same grid as the loaded image, else std::invalid_argument) in place of the
    /// loaded voxels: image() returns it, views redraw (imageChanged), while layers, meshes,
    /// cursor, window and undo history stay. `name` says what it is ("Masked CT"). The loaded
    /// voxels come back with showLoadedImage() or a new setImage().
    void showDerivedImage(const Volume &voxels, const QString &name);
    /// Shows the loaded voxels again; nothing happens when they are shown.
    Q_INVOKABLE void showLoadedImage();
    /// Name of the derived image on display, empty when the loaded voxels are.
    QString derivedImageName() const { return m_derivedImageName; }
    /// Value under an LPS point (first channel), NaN outside the image.
    Q_INVOKABLE double valueAtPhysical(const QVector3D &lps) const;

    // --- cursor (crosshair shared by every view), in LPS mm and as voxel index ---
    QVector3D cursor() const { return m_cursor; }
    void setCursor(const QVector3D &lps);
    QVector3D cursorIndex() const;
    void setCursorIndex(const QVector3D &index);

    // --- window / level ---
    double windowCenter() const { return m_windowCenter; }
    double windowWidth() const { return m_windowWidth; }
    void setWindowCenter(double center);
    void setWindowWidth(double width);
    Q_INVOKABLE void setWindow(double center, double width);

    // --- label layers ---
    int layerCount() const { return int(m_layers.size()); }
    const LabelLayer &layer(int index) const { return m_layers.at(std::size_t(index)); }
    /// Adds a layer on the image grid (throws std::invalid_argument on another grid); returns its index.
    int addLayer(const QString &name, std::shared_ptr<LabelVolume> labels, double opacity = 0.5);
    /// A new empty layer on the image grid.
    Q_INVOKABLE int addEmptyLayer(const QString &name);
    /// Index of the layer named `name`, -1 if none.
    Q_INVOKABLE int findLayer(const QString &name) const;
    /// Index of the layer holding `labels` (layers move as others are removed), -1 if none or null.
    int layerOf(const LabelVolume *labels) const;
    Q_INVOKABLE void removeLayer(int index);
    /// Display settings of layer `index` for the shell's layer list (empty/0/false when out of range).
    Q_INVOKABLE QString layerName(int index) const;
    Q_INVOKABLE double layerOpacity(int index) const;
    Q_INVOKABLE bool layerVisible(int index) const;
    Q_INVOKABLE void setLayerOpacity(int index, double opacity);
    Q_INVOKABLE void setLayerVisible(int index, bool visible);
    Q_INVOKABLE bool layerOutline(int index) const;
    /// Contours instead of a fill for layer `index` (region tables show their regions so).
    Q_INVOKABLE void setLayerOutline(int index, bool outline);
    Q_INVOKABLE int layerHighlight(int index) const;
    /// Draws label `label` of layer `index` highlighted in every view (0 = none).
    Q_INVOKABLE void setLayerHighlight(int index, int label);
    /// Call after changing the colours or visibility in layer `index`'s LabelTable: views redraw.
    void notifyLayerTableChanged(int index);
    /// Whether layer `index` is shown in the 3D view as one mesh per label in its colours
    /// ("<layer>: <label>"), rebuilt off the UI thread after its edits settle (LayerSurfaces).
    Q_INVOKABLE bool layerIn3D(int index) const;
    Q_INVOKABLE void setLayerIn3D(int index, bool shown);
    /// The facility behind layerIn3D (its task tells when a rebuild ends).
    LayerSurfaces *layerSurfaces() const { return m_layerSurfaces; }
    /// The visible layers as slice-render overlays, bottom layer first (what every view draws).
    std::vector<algo::LabelOverlay> visibleOverlays() const;
    /// Mutable access for edits: call notifyLabelsChanged() with the edited box afterwards.
    LabelVolume &layerLabels(int index);
    void notifyLabelsChanged(int index, const VoxelBox &region);

    // --- undoable edits ---
    /// Pushes an edit of layer `index` that was already written through `patch` (see
    /// LabelPatch::assign) onto the undo stack and announces the changed box. Empty patches are
    /// dropped. The stack is cleared when the image changes.
    void commitLabelEdit(int index, LabelPatch patch, const QString &text);
    QUndoStack *undoStack() const { return m_undoStack; }
    Q_INVOKABLE void undo();
    Q_INVOKABLE void redo();
    /// Bytes the label edits on the undo stack hold (their patches), for the memory benchmark.
    std::size_t undoMemoryBytes() const;
    /// An edit still being drawn through `patch` changed voxels inside `region` of layer `index`:
    /// views redraw (labelsChanged) but labelCounts() keeps the committed state; the edit's
    /// counts join at commitLabelEdit(), or never when the patch is discarded.
    void notifyLabelsEditing(int index, const LabelPatch &patch, const VoxelBox &region);

    // --- label statistics ---
    /// Voxels per label id of layer `index` (index = id, size = largest id seen + 1). Counted
    /// over the volume once, then kept up to date from the edits' patches (commit, undo, redo),
    /// so a brush stroke never re-counts the volume; a notifyLabelsChanged() (an edit without a
    /// patch) makes the next call count again. Empty for a bad index.
    std::vector<std::int64_t> labelCounts(int index) const;

    // --- drawn shapes handed to a plugin ---
    /// Who receives what the drawing tools draw. Empty (the default): the tools paint the active
    /// label layer. Otherwise the display name of the plugin that set it (while its panel is
    /// open): the tools paint nothing and hand every shape over through shapeDrawn().
    QString shapeConsumer() const { return m_shapeConsumer; }
    void setShapeConsumer(const QString &consumer);
    /// Emits shapeDrawn(shape): the drawing tools call it when a shape is finished and a plugin
    /// claims shapes.
    void submitShape(const DrawnShape &shape);

    // --- meshes ---
    int meshCount() const { return int(m_meshes.size()); }
    std::shared_ptr<const Mesh> mesh(int index) const { return m_meshes.at(std::size_t(index)); }
    /// Adds a mesh, or replaces the one with the same name; returns its index.
    int setMesh(std::shared_ptr<Mesh> mesh);
    Q_INVOKABLE void removeMesh(int index);
    Q_INVOKABLE int findMesh(const QString &name) const;
    Q_INVOKABLE void setMeshOpacity(int index, double opacity);
    Q_INVOKABLE void setMeshVisible(int index, bool visible);

signals:
    /// A new study replaced the old one (or none is open any more): emitted before the layers,
    /// meshes and imageChanged() signals of the change.
    void studyChanged();
    /// The displayed voxels changed: a new study, or a derived image shown or hidden.
    void imageChanged();
    void cursorChanged();
    void windowChanged();
    void layersChanged();
    /// Voxels of layer `layer` inside the box [begin, end) changed.
    void labelsChanged(int layer, const carina::VoxelBox &region);
    void meshesChanged();
    /// A finished shape for the plugin named by shapeConsumer (see DrawnShape).
    void shapeDrawn(const carina::DrawnShape &shape);
    void shapeConsumerChanged();
    /// A derived image replaced the loaded voxels on display, or the loaded ones came back.
    void derivedImageChanged();

private:
    Volume m_image;
    std::pair<double, double> m_range{0.0, 0.0};
    /// The 1st and 99th percentiles of the displayed image (a strided sample), for its presets.
    std::pair<double, double> m_percentiles{0.0, 1.0};
    void updatePercentiles();
    QStringList m_warnings;
    QVector3D m_cursor;
    double m_windowCenter = 40.0;
    double m_windowWidth = 400.0;
    std::vector<LabelLayer> m_layers;
    std::vector<std::shared_ptr<Mesh>> m_meshes;
    QUndoStack *m_undoStack;
    LayerSurfaces *m_layerSurfaces;
    friend class LabelEditCommand; // keeps labelCounts() in step with undo and redo
    void applyCountChanges(const LabelVolume *labels, const std::vector<LabelCountChange> &changes, int sign);
    // Per label volume (not index: layers can be removed), present only while exact.
    mutable std::unordered_map<const LabelVolume *, std::vector<std::int64_t>> m_labelCounts;
    QString m_shapeConsumer;
    Volume m_loadedImage;
    QString m_derivedImageName;
    quint64 m_studyId = 0;
};

} // namespace carina

Q_DECLARE_METATYPE(carina::VoxelBox)
