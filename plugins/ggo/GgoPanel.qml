// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Carina.Controls
import Carina.Plugins.Ggo

// The GGO panel: mirrors GgoController. Outline a region (drawing tools hand their shapes to the
// controller while "Outline on the images" is on), read its histogram, set the HU range, find
// the lesion. Sizes and colours come from Carina.Controls' Theme, so targets stay finger-sized.
Pane {
    id: root

    // Given by the shell when it creates the panel: the GgoController and the carina::Document.
    required property GgoController controller
    required property Document document

    readonly property real touchTarget: Theme.touchTarget
    readonly property real gap: Theme.gap
    readonly property bool busy: controller.task.busy
    readonly property bool hasImage: document.hasImage
    readonly property color rangeColour: "#dc1e28" // the lesion's colour in the views and in 3D
    // How the histogram draws its counts: a display choice of this panel, not a setting.
    property string histogramScale: "log"

    padding: gap
    implicitWidth: 380

    ScrollView {
        id: scroller
        anchors.fill: parent
        contentWidth: availableWidth
        clip: true

        ColumnLayout {
            width: scroller.availableWidth
            spacing: root.gap

            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: qsTr("Ground-glass opacity: outline the suspect region with the lasso or rectangle on axial slices (outlines on several slices are joined smoothly; a shape on a coronal or sagittal view limits it there), then drag the range on the region's histogram: the lesion follows at once.")
            }

            // --- region ---
            Switch {
                objectName: "drawSwitch"
                Layout.fillWidth: true
                implicitHeight: root.touchTarget
                text: qsTr("Outline on the images")
                enabled: root.hasImage
                checked: root.controller.drawing
                onToggled: root.controller.drawing = checked
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: root.gap
                Button {
                    objectName: "cursorBoxButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: root.touchTarget
                    text: qsTr("Box at cursor")
                    enabled: root.hasImage && !root.busy
                    onClicked: root.controller.regionAroundCursor(boxSize.value)
                }
                SpinBox {
                    id: boxSize
                    objectName: "boxSizeSpin"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: root.touchTarget
                    from: 10
                    to: 200
                    stepSize: 5
                    value: 50
                    editable: true
                    textFromValue: (v) => v + " mm"
                    valueFromText: (t) => parseInt(t)
                }
            }
            // How far above and below an axial outline the region reaches: its slab, on show in
            // every view as the region's outline on the side views.
            RowLayout {
                Layout.fillWidth: true
                spacing: root.gap
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: qsTr("Depth either side of the outline")
                }
                NumberField {
                    objectName: "depthField"
                    from: 0
                    to: 150
                    decimals: 0
                    unit: qsTr("mm")
                    enabled: !root.busy
                    value: root.controller.halfDepthMm
                    onValueModified: (value) => root.controller.halfDepthMm = value
                }
            }
            Label {
                objectName: "regionLabel"
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: root.controller.regionText
            }
            RowLayout {
                Layout.fillWidth: true
                visible: root.controller.hasRegion
                spacing: root.gap
                Label { text: qsTr("Slices") }
                SpinBox {
                    objectName: "firstSliceSpin"
                    // Shares the row: Material's SpinBox alone is wider than half a panel.
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: root.touchTarget
                    from: 1
                    to: Math.max(1, root.controller.sliceCount)
                    editable: true
                    value: root.controller.firstSlice + 1
                    onValueModified: root.controller.firstSlice = value - 1
                }
                Label { text: "–" }
                SpinBox {
                    objectName: "lastSliceSpin"
                    // Shares the row: Material's SpinBox alone is wider than half a panel.
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: root.touchTarget
                    from: 1
                    to: Math.max(1, root.controller.sliceCount)
                    editable: true
                    value: root.controller.lastSlice + 1
                    onValueModified: root.controller.lastSlice = value - 1
                }
            }

            // The outlines, one chip per axial slice: a tap clears that one.
            Flow {
                objectName: "outlineChips"
                Layout.fillWidth: true
                visible: root.controller.outlineSlices.length > 0
                spacing: root.gap
                Label {
                    height: root.touchTarget
                    verticalAlignment: Text.AlignVCenter
                    text: qsTr("Outlines:")
                }
                Repeater {
                    model: root.controller.outlineSlices
                    Button {
                        required property int modelData
                        objectName: "outlineChip" + modelData
                        implicitHeight: root.touchTarget
                        text: qsTr("Slice %1 \u2715").arg(modelData + 1)
                        onClicked: root.controller.clearOutline(modelData)
                    }
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: root.gap
                Button {
                    objectName: "clearSideButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: root.touchTarget
                    visible: root.controller.hasSideLimit
                    text: qsTr("Drop side-view limit")
                    onClicked: root.controller.clearSideLimit()
                }
                Button {
                    objectName: "clearRegionButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: root.touchTarget
                    visible: root.controller.hasRegion || root.controller.outlineSlices.length > 0
                    text: qsTr("Clear region")
                    onClicked: root.controller.clearRegion()
                }
            }
            // Inside the lungs: the Lungs layer (the Lung mesh tool's), or found here.
            RowLayout {
                Layout.fillWidth: true
                spacing: root.gap
                Switch {
                    objectName: "lungsSwitch"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    text: qsTr("Inside the lungs")
                    enabled: root.hasImage
                    checked: root.controller.insideLungs
                    onToggled: root.controller.insideLungs = checked
                }
                Button {
                    objectName: "findLungsButton"
                    implicitHeight: root.touchTarget
                    visible: !root.controller.hasLungLayer
                    enabled: root.hasImage && !root.busy
                    text: qsTr("Find the lungs")
                    onClicked: root.controller.findLungs()
                }
            }

            // --- histogram of the region: drag the range's ends on it ---
            HistogramPlot {
                id: plot
                objectName: "histogramPlot"
                Layout.fillWidth: true
                implicitHeight: 120
                visible: root.controller.histogram.length > 0
                counts: root.controller.histogram
                minimum: root.controller.histogramMin
                maximum: root.controller.histogramMax
                // Log by default: the lung's air peak would flatten everything else.
                scale: root.histogramScale
                unit: "HU"
                rangeEnabled: true
                rangeColor: root.rangeColour
                low: root.controller.lowHu
                high: root.controller.highHu
                onRangeEdited: (low, high) => {
                    root.controller.lowHu = Math.round(low)
                    root.controller.highHu = Math.round(high)
                }
            }

            RowLayout {
                Layout.fillWidth: true
                visible: plot.visible
                spacing: root.gap
                Button {
                    objectName: "linearButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: root.touchTarget
                    checkable: true
                    checked: root.histogramScale === "linear"
                    text: qsTr("Linear")
                    onClicked: root.histogramScale = "linear"
                }
                Button {
                    objectName: "logButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: root.touchTarget
                    checkable: true
                    checked: root.histogramScale === "log"
                    text: qsTr("Log")
                    onClicked: root.histogramScale = "log"
                }
            }
            // Presets, and Otsu's threshold of the region as a suggested low end.
            RowLayout {
                Layout.fillWidth: true
                spacing: root.gap
                Button {
                    objectName: "ggoPresetButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: root.touchTarget
                    text: qsTr("GGO")
                    onClicked: root.controller.applyPreset("ggo")
                }
                Button {
                    objectName: "consolidationPresetButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: root.touchTarget
                    text: qsTr("Consolid.")
                    onClicked: root.controller.applyPreset("consolidation")
                }
                Button {
                    objectName: "otsuButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: root.touchTarget
                    visible: plot.visible
                    text: qsTr("Otsu %1").arg(Math.round(root.controller.otsuHu))
                    onClicked: root.controller.lowHu = Math.round(root.controller.otsuHu)
                }
            }

            // --- range ---
            GridLayout {
                Layout.fillWidth: true
                columns: 2
                columnSpacing: root.gap
                Label { text: qsTr("Above (HU)") }
                SpinBox {
                    objectName: "lowSpin"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    from: -1100
                    to: 3000
                    stepSize: 10
                    editable: true
                    value: root.controller.lowHu
                    onValueModified: root.controller.lowHu = value
                }
                Label { text: qsTr("Up to (HU)") }
                SpinBox {
                    objectName: "highSpin"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    from: -1100
                    to: 3000
                    stepSize: 10
                    editable: true
                    value: root.controller.highHu
                    onValueModified: root.controller.highHu = value
                }
            }

            // --- pieces and smoothing ---
            Switch {
                objectName: "largestSwitch"
                Layout.fillWidth: true
                implicitHeight: root.touchTarget
                text: qsTr("Largest piece only")
                checked: root.controller.keepLargest
                onToggled: root.controller.keepLargest = checked
            }
            RowLayout {
                Layout.fillWidth: true
                visible: !root.controller.keepLargest
                spacing: root.gap
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: qsTr("Every piece above")
                }
                NumberField {
                    objectName: "minPieceField"
                    from: 0.001
                    to: 1000
                    decimals: 3
                    unit: qsTr("mL")
                    value: root.controller.minPieceMl
                    onValueModified: (value) => root.controller.minPieceMl = value
                }
            }
            Switch {
                objectName: "medianSwitch"
                Layout.fillWidth: true
                implicitHeight: root.touchTarget
                text: qsTr("3 \u00d7 3 median first")
                checked: root.controller.smooth
                onToggled: root.controller.smooth = checked
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: root.gap
                Button {
                    objectName: "runButton"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    // The mask follows the range by itself; this finishes at once (surface included).
                    text: qsTr("Surface now")
                    highlighted: true
                    enabled: !root.busy && root.controller.hasRegion
                    onClicked: root.controller.run()
                }
                Button {
                    objectName: "cancelButton"
                    implicitHeight: root.touchTarget
                    text: qsTr("Cancel")
                    visible: root.busy
                    onClicked: root.controller.task.cancel()
                }
            }
            ProgressBar {
                Layout.fillWidth: true
                visible: root.busy
                from: 0
                to: 1
                value: root.controller.task.progress
            }
            Label {
                objectName: "errorLabel"
                Layout.fillWidth: true
                visible: text.length > 0
                wrapMode: Text.WordWrap
                color: Theme.error
                text: root.controller.task.error
            }
            Label {
                objectName: "statusLabel"
                Layout.fillWidth: true
                visible: text.length > 0 && !root.busy
                wrapMode: Text.WordWrap
                text: root.controller.task.status
            }
            // --- figures ---
            Label {
                objectName: "volumeLabel"
                visible: root.controller.hasResult
                font.pixelSize: 22
                font.bold: true
                color: root.rangeColour
                text: Format.volumeMl(root.controller.volumeMl)
            }
            GridLayout {
                objectName: "figuresGrid"
                Layout.fillWidth: true
                visible: root.controller.hasResult || root.controller.hasRegion
                columns: 2
                columnSpacing: root.gap
                Label { text: qsTr("Pieces") }
                Label {
                    objectName: "piecesLabel"
                    Layout.fillWidth: true
                    text: root.controller.hasResult
                          ? qsTr("%1 kept of %2 in the range").arg(root.controller.piecesKept).arg(root.controller.pieces)
                          : "–"
                }
                Label { text: qsTr("Region") }
                Label {
                    objectName: "regionVolumeLabel"
                    Layout.fillWidth: true
                    text: Format.volumeMl(root.controller.regionVolumeMl)
                }
                Label {
                    visible: root.controller.hasLungShares
                    text: qsTr("Right lung")
                }
                Label {
                    objectName: "rightLungLabel"
                    Layout.fillWidth: true
                    visible: root.controller.hasLungShares
                    text: root.controller.rightLungPercent.toFixed(2) + " %"
                }
                Label {
                    visible: root.controller.hasLungShares
                    text: qsTr("Left lung")
                }
                Label {
                    objectName: "leftLungLabel"
                    Layout.fillWidth: true
                    visible: root.controller.hasLungShares
                    text: root.controller.leftLungPercent.toFixed(2) + " %"
                }
            }
            RowLayout {
                Layout.fillWidth: true
                visible: root.controller.hasResult
                spacing: root.gap
                Button {
                    objectName: "exportButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: root.touchTarget
                    text: qsTr("Labels (NIfTI)…")
                    onClicked: saveDialog.open()
                }
                Button {
                    objectName: "csvButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: root.touchTarget
                    text: qsTr("Figures (CSV)…")
                    onClicked: csvDialog.open()
                }
            }
        }
    }

    FileDialog {
        id: saveDialog
        fileMode: FileDialog.SaveFile
        acceptLabel: qsTr("Save")
        title: qsTr("Save the GGO labels")
        nameFilters: [qsTr("NIfTI (*.nii.gz *.nii)")]
        defaultSuffix: "nii.gz"
        onAccepted: root.controller.exportLabels(String(selectedFile))
    }
    FileDialog {
        id: csvDialog
        fileMode: FileDialog.SaveFile
        acceptLabel: qsTr("Save")
        title: qsTr("Save the GGO figures")
        nameFilters: [qsTr("CSV (*.csv)")]
        defaultSuffix: "csv"
        onAccepted: root.controller.exportCsv(String(selectedFile))
    }
}
