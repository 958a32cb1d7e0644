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
    readonly property color rangeColour: "#cc79a7" // the lesion's colour in the views

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
                text: qsTr("Ground-glass opacity: outline the suspect region with the lasso or rectangle on an axial slice (a shape on a coronal or sagittal view sets its slices), choose the HU range from the region's histogram, and find the largest connected lesion in it.")
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
                // Square root: the lung's air peak would flatten everything else.
                scale: "sqrt"
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

            RowLayout {
                Layout.fillWidth: true
                spacing: root.gap
                Button {
                    objectName: "runButton"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    text: qsTr("Find GGO")
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
            Label {
                objectName: "volumeLabel"
                visible: root.controller.hasResult
                font.pixelSize: 22
                font.bold: true
                color: root.rangeColour
                text: Format.volumeMl(root.controller.volumeMl)
            }
            Button {
                objectName: "exportButton"
                Layout.fillWidth: true
                implicitHeight: root.touchTarget
                visible: root.controller.hasResult
                text: qsTr("Save labels (NIfTI)…")
                onClicked: saveDialog.open()
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
}
