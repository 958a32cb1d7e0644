// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "GgoPipeline.h"

#include <carina/algo/GroundGlassSelector.h>

#include <carina/Document.h>
#include <carina/TaskRunner.h>

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QVariantList>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

namespace carina::ggo {

/// State and actions of the GGO panel (seed 000). While `drawing` is on, the document's drawing
/// tools hand their shapes here instead of painting: a lasso or rectangle on an axial slice
/// outlines the region, one on a coronal or sagittal view sets its slices. The region's
/// histogram helps to choose the HU range; the region (outline over its slices) is on show in
/// every view as the outline of a "GGO region" label layer while it exists, and a session's
/// such layer is taken back as the region. run() then finds the largest face-connected piece in
/// the range off the UI thread and puts a "GGO" label layer and surface mesh in the document.
///
/// Lives on the UI thread. A run goes through task() (busy, progress, status, error, cancel);
/// a new run supersedes a running one, and a canceled run leaves the document as it was.
class GgoController : public QObject
{
    Q_OBJECT
    // What a session stores and restores (the rest is state, not a setting of the user's).
    Q_CLASSINFO("carina.sessionParameters", "lowHu highHu halfDepthMm keepLargest minPieceMl smooth insideLungs")
    Q_PROPERTY(carina::Document *document READ document CONSTANT)
    Q_PROPERTY(double lowHu READ lowHu WRITE setLowHu NOTIFY optionsChanged)
    Q_PROPERTY(double highHu READ highHu WRITE setHighHu NOTIFY optionsChanged)
    Q_PROPERTY(double halfDepthMm READ halfDepthMm WRITE setHalfDepthMm NOTIFY optionsChanged)
    Q_PROPERTY(bool drawing READ drawing WRITE setDrawing NOTIFY drawingChanged)
    Q_PROPERTY(bool hasRegion READ hasRegion NOTIFY regionChanged)
    Q_PROPERTY(QString regionText READ regionText NOTIFY regionChanged)
    Q_PROPERTY(int firstSlice READ firstSlice WRITE setFirstSlice NOTIFY regionChanged)
    Q_PROPERTY(int lastSlice READ lastSlice WRITE setLastSlice NOTIFY regionChanged)
    Q_PROPERTY(int sliceCount READ sliceCount NOTIFY regionChanged)
    Q_PROPERTY(QVariantList histogram READ histogram NOTIFY regionChanged)
    Q_PROPERTY(double histogramMin READ histogramMin NOTIFY regionChanged)
    Q_PROPERTY(double histogramMax READ histogramMax NOTIFY regionChanged)
    Q_PROPERTY(double otsuHu READ otsuHu NOTIFY regionChanged)
    Q_PROPERTY(bool keepLargest READ keepLargest WRITE setKeepLargest NOTIFY optionsChanged)
    Q_PROPERTY(double minPieceMl READ minPieceMl WRITE setMinPieceMl NOTIFY optionsChanged)
    Q_PROPERTY(bool smooth READ smooth WRITE setSmooth NOTIFY optionsChanged)
    Q_PROPERTY(bool insideLungs READ insideLungs WRITE setInsideLungs NOTIFY optionsChanged)
    Q_PROPERTY(bool hasLungLayer READ hasLungLayer NOTIFY lungsChanged)
    Q_PROPERTY(QVariantList outlineSlices READ outlineSlices NOTIFY regionChanged)
    Q_PROPERTY(bool hasSideLimit READ hasSideLimit NOTIFY regionChanged)
    Q_PROPERTY(carina::TaskRunner *task READ task CONSTANT)
    Q_PROPERTY(carina::TaskRunner *liveTask READ liveTask CONSTANT)
    Q_PROPERTY(bool hasResult READ hasResult NOTIFY resultChanged)
    Q_PROPERTY(double volumeMl READ volumeMl NOTIFY resultChanged)
    Q_PROPERTY(double regionVolumeMl READ regionVolumeMl NOTIFY regionChanged)
    Q_PROPERTY(int pieces READ pieces NOTIFY resultChanged)
    Q_PROPERTY(int piecesKept READ piecesKept NOTIFY resultChanged)
    Q_PROPERTY(bool hasLungShares READ hasLungShares NOTIFY resultChanged)
    Q_PROPERTY(double rightLungPercent READ rightLungPercent NOTIFY resultChanged)
    Q_PROPERTY(double leftLungPercent READ leftLungPercent NOTIFY resultChanged)

public:
    static inline const QString kLayerName = QStringLiteral("GGO");
    /// The region on show: its outline over its slices, label kRegionLabel.
    static inline const QString kRegionLayerName = QStringLiteral("GGO region");
    static constexpr std::uint16_t kRegionLabel = 1;
    static inline const QString kConsumerName = QStringLiteral("ggo");
    /// The lungmesh plugin's layer (1 = right lung, 2 = left lung), which findLungs() also makes.
    static inline const QString kLungLayerName = QStringLiteral("Lungs");
    /// How long the mask must stay still before its surface is rebuilt (ms).
    static constexpr int kSettleMs = 400;
    /// The context surface this plugin makes when no other plugin made one.
    static inline const QString kContextMeshName = QStringLiteral("Lungs (context)");
    static inline const QString kBodyMeshName = QStringLiteral("Body (context)");
    /// Slices above and below an axial outline until a side view sets them (halfDepthMm).
    static constexpr double kDefaultHalfDepthMm = 20.0;
    static constexpr double kMinHalfDepthMm = 0.0;
    static constexpr double kMaxHalfDepthMm = 150.0;

    explicit GgoController(Document *document, QObject *parent = nullptr);
    ~GgoController() override;

    Document *document() const { return m_document; }

    /// The HU range: strictly above lowHu, at most highHu (-1100..3000). Defaults -700, -300.
    double lowHu() const { return m_options.lowHu; }
    void setLowHu(double hu);
    double highHu() const { return m_options.highHu; }
    void setHighHu(double hu);

    /// Millimetres above and below an axial outline the region spans (0..150, default 20): the
    /// next outline's slices, and the current outline's, unless its slices came from a side view.
    double halfDepthMm() const { return m_halfDepthMm; }
    void setHalfDepthMm(double mm);

    /// Whether the drawing tools' shapes come here (Document::shapeConsumer).
    bool drawing() const;
    void setDrawing(bool on);

    bool hasRegion() const { return !m_region.isEmpty(); }
    QString regionText() const;
    /// The region's axial slices, 0-based and inclusive (the views show them 1-based).
    int firstSlice() const { return m_region.box.begin[2]; }
    void setFirstSlice(int slice);
    int lastSlice() const { return m_region.box.end[2] - 1; }
    void setLastSlice(int slice);
    int sliceCount() const;
    /// The region's histogram, counted off the UI thread: empty until it arrives (regionChanged).
    QVariantList histogram() const { return m_histogramCounts; }
    double histogramMin() const { return m_histogram.min; }
    double histogramMax() const { return m_histogram.max; }

    /// Otsu's threshold of the region's (smoothed) values: a suggestion for a range end.
    double otsuHu() const { return m_otsu; }
    /// Keep only the largest piece (default, the seed's rule) or every piece of at least minPieceMl.
    bool keepLargest() const { return m_options.minPieceMl <= 0.0; }
    void setKeepLargest(bool on);
    /// The smallest piece kept when keepLargest is off (mL, 0.001..1000, default 0.1).
    double minPieceMl() const { return m_minPieceMl; }
    void setMinPieceMl(double ml);
    /// The seed's 3 x 3 in-plane median before the range (default on).
    bool smooth() const { return m_options.smooth; }
    void setSmooth(bool on);
    /// Limit the region to the "Lungs" layer (alone, without an outline: the whole lungs).
    bool insideLungs() const { return m_insideLungs; }
    void setInsideLungs(bool on);
    bool hasLungLayer() const;
    /// Runs the core lung segmentation off the UI thread and adds the "Lungs" layer (as the
    /// lungmesh plugin does). False with error set without an image or for an image that is not a CT.
    Q_INVOKABLE bool findLungs();
    /// The axial slices (0-based) that hold an outline, ascending.
    QVariantList outlineSlices() const;
    bool hasSideLimit() const { return m_side.has_value(); }
    /// Removes the outline on axial slice `slice` (the others stay, interpolated again).
    Q_INVOKABLE bool clearOutline(int slice);
    /// Drops the coronal or sagittal view's limit.
    Q_INVOKABLE void clearSideLimit();
    /// The HU range presets: "ggo" (-700..-300) and "consolidation" (-300..+50).
    Q_INVOKABLE void applyPreset(const QString &name);
    /// Writes the figures as CSV (a header and one line). False with error set on failure.
    Q_INVOKABLE bool exportCsv(const QString &path);
    /// The figures now (range, lesion, pieces, region, lungs).
    GgoFigures figures() const;

    TaskRunner *task() { return &m_task; }
    /// The live mask: a newer range supersedes a selection still running (silent, no status).
    TaskRunner *liveTask() { return &m_liveTask; }
    /// A result is on show while the document has the "GGO" layer: the search's, one restored
    /// from a session, or either as edited by hand.
    bool hasResult() const { return layerIndex() >= 0; }
    /// The lesion's volume as the layer holds it now (edits included).
    double volumeMl() const;
    double regionVolumeMl() const;
    int pieces() const { return hasResult() ? int(m_figures.pieces) : 0; }
    int piecesKept() const { return hasResult() ? int(m_figures.piecesKept) : 0; }
    bool hasLungShares() const { return hasResult() && m_figures.lungs.known; }
    double rightLungPercent() const { return m_figures.lungs.rightPercent(); }
    double leftLungPercent() const { return m_figures.lungs.leftPercent(); }
    const GgoRegion &region() const { return m_region; }

    /// Takes a shape as the drawing tools hand it over (also callable directly).
    void takeShape(const DrawnShape &shape);
    /// A box of `sizeMm` (each side) around the cursor as the region, for a quick look without
    /// drawing. False with error set without an image.
    Q_INVOKABLE bool regionAroundCursor(double sizeMm);
    Q_INVOKABLE void clearRegion();
    /// The shell calls these when the plugin's panel opens and closes (an optional slot any
    /// controller may have): the region is drawn on the views only while the panel is open.
    Q_INVOKABLE void panelOpened() { setRegionShown(true); }
    Q_INVOKABLE void panelClosed() { setRegionShown(false); }
    /// Starts the search (a running one is dropped); false, with the task's error set, without
    /// an image or a region.
    Q_INVOKABLE bool run();
    /// Writes the GGO labels as NIfTI (.nii / .nii.gz). False with error set on failure.
    Q_INVOKABLE bool exportLabels(const QString &path);

signals:
    void optionsChanged();
    void drawingChanged();
    void regionChanged();
    void resultChanged();
    void lungsChanged();

private:
    /// True when a CT in HU is open; otherwise the error says what is wrong (none, or not CT).
    bool hasCtInHu();
    /// The live selection a task hands back.
    struct LiveResult
    {
        VoxelBox box;
        algo::GroundGlassSelection selection;
        LungShares lungs;
        double lowHu = 0.0, highHu = 0.0;
    };
    /// The region's prepared values, histogram and Otsu, from the prepare task.
    struct Prepared
    {
        std::shared_ptr<algo::GroundGlassSelector> selector;
        RegionHistogram histogram;
        double otsu = 0.0;
    };
    /// A new selection for the current range, off the UI thread (no-op before the region is prepared).
    void updateLive();
    void applyLive(LiveResult live);
    /// The region from the outlines, the side limit, the lungs (several outlines interpolated).
    void rebuildFromOutlines();
    void reportEmptyRange();
    /// The GGO surface is seen inside something: the lungs' meshes (the Lung mesh tool's) made
    /// semi-transparent, or a coarse surface of the Lungs layer, or of the body (CT > -300 HU).
    void showContext();
    std::shared_ptr<const LabelVolume> lungLabels() const;
    /// `show` false: the region's layer holds it already.
    void setRegion(GgoRegion region, bool show = true);
    /// The region's slices from the depth around the outline's slice (clamped to the image).
    std::pair<int, int> depthSlices(int slice) const;
    /// The "GGO region" layer follows m_region (added, rewritten where it changed, removed).
    void showRegion();
    void setRegionShown(bool shown);
    int regionLayerIndex() const;
    /// A "GGO region" layer that is not ours (a session's): taken as the region.
    bool adoptRegionLayer();
    void onStudyChanged();
    void commit(GgoResult result);
    int layerIndex() const;
    void onLayersChanged();
    void onLayerEdited(int layer);
    void rebuildSurface();
    void setError(const QString &error) { m_task.setError(error); }
    void setStatus(const QString &status) { m_task.setStatus(status); }

    QPointer<Document> m_document;
    GgoOptions m_options;
    double m_minPieceMl = 0.1;
    bool m_insideLungs = false;
    /// What the user outlined (outlines, slices, box) before the side view's and the lungs' limits.
    GgoRegion m_base;
    /// m_base limited: the region searched and shown.
    GgoRegion m_region;
    std::vector<AxialOutline> m_outlines; ///< ascending slices
    std::optional<SideLimit> m_side;
    /// The base is the whole image (the lungs alone bound the region).
    bool m_wholeImage = false;
    std::shared_ptr<algo::GroundGlassSelector> m_selector;
    double m_otsu = 0.0;
    /// The region's lung labels (cropLungs) and the lungs' voxels, for the shares.
    std::shared_ptr<const std::vector<std::uint8_t>> m_lungCrop;
    std::uint64_t m_rightLungVoxels = 0, m_leftLungVoxels = 0;
    /// What the live selection last wrote in the GGO layer (box-sized over m_shownResultBox).
    std::vector<std::uint8_t> m_shownMask;
    VoxelBox m_shownResultBox;
    std::shared_ptr<LabelVolume> m_resultLabels; ///< the GGO layer the selection writes
    GgoFigures m_figures;
    bool m_applying = false; ///< our own writes to the GGO layer: not hand edits
    bool m_handEdited = false;
    /// The mask follows the range once the user drew or changed the region (or ran): not for a
    /// region a session brought back, whose GGO layer may hold hand edits.
    bool m_liveArmed = false;
    const LabelVolume *m_lastLungs = nullptr; ///< the lung layer the region was limited by (identity only)
    TaskRunner m_liveTask{this};
    TaskRunner m_contextTask{this}; ///< the lungs' or body's surface around the lesion
    double m_halfDepthMm = kDefaultHalfDepthMm;
    /// The axial slice of the outline whose slices follow the depth; unset when the region's
    /// slices came from elsewhere (a side view, a box at the cursor, a session's layer).
    std::optional<int> m_outlineSlice;
    /// The "GGO region" layer's labels while it shows m_region, and the box they hold.
    std::shared_ptr<LabelVolume> m_regionLabels;
    VoxelBox m_shownBox;
    /// Slices a coronal or sagittal shape set, kept for the next axial outline.
    std::optional<std::pair<int, int>> m_sideSlices;
    RegionHistogram m_histogram;
    QVariantList m_histogramCounts;
    TaskRunner m_task{this};
    // The surface follows hand edits of the layer once they settle, off the UI thread.
    TaskRunner m_surfaceTask{this};
    TaskRunner m_histogramTask{this}; ///< the region's histogram
    bool m_regionShown = true; ///< the panel is open (or no shell says otherwise)
    QTimer m_surfaceTimer;
};

} // namespace carina::ggo
