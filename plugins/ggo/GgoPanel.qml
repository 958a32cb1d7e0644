// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts

// The GGO panel: mirrors GgoController. Outline a region (drawing tools hand their shapes to the
// controller while "Outline on the images" is on), read its histogram, set the HU range, find
// the lesion. Every control is at least 48 px high for fingers.
Pane {
    id: root

    // Set by the shell: the GgoController and the carina::Document.
    property QtObject controller: null
    property QtObject document: null

    readonly property real touchTarget: 48
    readonly property real gap: 8
    readonly property bool ready: controller !== null
    readonly property bool busy: ready && controller.task.busy
    readonly property bool hasImage: document !== null && document.hasImage
    readonly property color rangeColour: "#f0962a"

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
                enabled: root.ready && root.hasImage
                checked: root.ready && root.controller.drawing
                onToggled: root.controller.drawing = checked
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: root.gap
                Button {
                    objectName: "cursorBoxButton"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    text: qsTr("Box at cursor")
                    enabled: root.ready && root.hasImage && !root.busy
                    onClicked: root.controller.regionAroundCursor(boxSize.value)
                }
                SpinBox {
                    id: boxSize
                    objectName: "boxSizeSpin"
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
            Label {
                objectName: "regionLabel"
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: root.ready ? root.controller.regionText : ""
            }
            RowLayout {
                Layout.fillWidth: true
                visible: root.ready && root.controller.hasRegion
                spacing: root.gap
                Label { text: qsTr("Slices") }
                SpinBox {
                    objectName: "firstSliceSpin"
                    implicitHeight: root.touchTarget
                    from: 1
                    to: root.ready ? Math.max(1, root.controller.sliceCount) : 1
                    editable: true
                    value: root.ready ? root.controller.firstSlice + 1 : 1
                    onValueModified: root.controller.firstSlice = value - 1
                }
                Label { text: "–" }
                SpinBox {
                    objectName: "lastSliceSpin"
                    implicitHeight: root.touchTarget
                    from: 1
                    to: root.ready ? Math.max(1, root.controller.sliceCount) : 1
                    editable: true
                    value: root.ready ? root.controller.lastSlice + 1 : 1
                    onValueModified: root.controller.lastSlice = value - 1
                }
            }

            // --- histogram of the region, the range marked ---
            Item {
                id: plot
                objectName: "histogramPlot"
                Layout.fillWidth: true
                implicitHeight: 110
                visible: bars.count > 0
                readonly property real low: root.ready ? root.controller.histogramMin : 0
                readonly property real high: root.ready ? root.controller.histogramMax : 1
                readonly property real peak: root.ready ? Math.max(1, ...root.controller.histogram) : 1
                function xOf(hu) {
                    return high > low ? width * Math.min(1, Math.max(0, (hu - low) / (high - low))) : 0
                }
                Rectangle {
                    objectName: "rangeBand"
                    x: plot.xOf(root.ready ? root.controller.lowHu : 0)
                    width: Math.max(2, plot.xOf(root.ready ? root.controller.highHu : 0) - x)
                    height: parent.height
                    color: root.rangeColour
                    opacity: 0.22
                }
                Repeater {
                    id: bars
                    model: root.ready ? root.controller.histogram : []
                    delegate: Rectangle {
                        required property real modelData
                        required property int index
                        readonly property real barWidth: plot.width / Math.max(1, bars.count)
                        x: index * barWidth
                        width: Math.max(1, barWidth)
                        // Square root: the lung's air peak would flatten everything else; a bin
                        // that holds anything stays visible.
                        height: modelData > 0 ? Math.max(2, plot.height * Math.sqrt(modelData / plot.peak)) : 0
                        y: plot.height - height
                        color: palette.text
                        opacity: 0.6
                    }
                }
                Label {
                    anchors.left: parent.left
                    anchors.top: parent.top
                    font.pixelSize: 11
                    opacity: 0.7
                    text: Math.round(plot.low) + " HU"
                }
                Label {
                    anchors.right: parent.right
                    anchors.top: parent.top
                    font.pixelSize: 11
                    opacity: 0.7
                    text: Math.round(plot.high) + " HU"
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
                    value: root.ready ? root.controller.lowHu : -700
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
                    value: root.ready ? root.controller.highHu : -300
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
                    enabled: root.ready && !root.busy && root.controller.hasRegion
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
                value: root.ready ? root.controller.task.progress : 0
            }
            Label {
                objectName: "errorLabel"
                Layout.fillWidth: true
                visible: text.length > 0
                wrapMode: Text.WordWrap
                color: "#e0605a"
                text: root.ready ? root.controller.task.error : ""
            }
            Label {
                objectName: "statusLabel"
                Layout.fillWidth: true
                visible: text.length > 0 && !root.busy
                wrapMode: Text.WordWrap
                text: root.ready ? root.controller.task.status : ""
            }
            Label {
                objectName: "volumeLabel"
                visible: root.ready && root.controller.hasResult
                font.pixelSize: 22
                font.bold: true
                color: root.rangeColour
                text: root.ready ? qsTr("%1 mL").arg(Number(root.controller.volumeMl).toLocaleString(Qt.locale(), "f", 2)) : ""
            }
            Button {
                objectName: "exportButton"
                Layout.fillWidth: true
                implicitHeight: root.touchTarget
                visible: root.ready && root.controller.hasResult
                text: qsTr("Save labels (NIfTI)…")
                onClicked: saveDialog.open()
            }
        }
    }

    FileDialog {
        id: saveDialog
        fileMode: FileDialog.SaveFile
        title: qsTr("Save the GGO labels")
        nameFilters: [qsTr("NIfTI (*.nii.gz *.nii)")]
        defaultSuffix: "nii.gz"
        onAccepted: root.controller.exportLabels(selectedFile.toString())
    }
}
