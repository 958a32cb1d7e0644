// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Carina.Controls
import Carina.Plugins.Intensity

// The Intensity panel: mirrors IntensityController (histogram, statistics, presets) and the
// document's window. Colours and touch-sized targets come from Carina.Controls' Theme.
Pane {
    id: root

    // Given by the shell when it creates the panel: the IntensityController and the carina::Document.
    required property IntensityController controller
    required property Document document

    readonly property real touchTarget: Theme.touchTarget
    readonly property real gap: Theme.gap
    readonly property color textColor: Theme.text
    readonly property bool ready: controller.hasHistogram
    readonly property real lowEdge: ready ? controller.edges[0] : 0
    readonly property real highEdge: ready ? controller.edges[controller.edges.length - 1] : 1
    function format(value) {
        return Format.number(value)
    }

    padding: gap
    implicitWidth: 360

    ColumnLayout {
        anchors.fill: parent
        spacing: root.gap

        RowLayout {
            Layout.fillWidth: true

            Label {
                Layout.fillWidth: true
                // The shell's drawer already shows the tool's name: say what is measured.
                text: root.controller.useRoi ? qsTr("Box around the cursor") : qsTr("Whole volume")
                font.pixelSize: 16
                color: root.textColor
            }
            BusyIndicator {
                objectName: "busyIndicator"
                Layout.preferredWidth: root.touchTarget
                Layout.preferredHeight: root.touchTarget
                running: root.controller.task.busy
            }
        }

        // The histogram with the document's window over it (what the slice views map to grey):
        // a finger drags either end of the window on the plot.
        HistogramPlot {
            id: plot
            objectName: "histogramPlot"
            Layout.fillWidth: true
            Layout.preferredHeight: 160
            counts: root.ready ? root.controller.counts : []
            minimum: root.lowEdge
            maximum: root.highEdge
            scale: root.controller.logScale ? "log" : "linear"
            unit: root.controller.units
            rangeEnabled: root.ready
            low: root.document.windowCenter - root.document.windowWidth / 2
            high: root.document.windowCenter + root.document.windowWidth / 2
            onRangeEdited: (low, high) => root.document.setWindow((low + high) / 2, Math.max(high - low, 1e-6))

            Label {
                anchors.centerIn: parent
                visible: !root.ready
                color: root.textColor
                text: root.controller.task.error.length > 0 ? root.controller.task.error
                      : root.document.hasImage ? qsTr("Computing…") : qsTr("No image")
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Label {
                Layout.fillWidth: true
                color: root.textColor
                text: root.ready ? Format.withUnit(root.lowEdge, root.controller.units) : ""
            }
            Label {
                color: root.textColor
                text: root.ready ? Format.withUnit(root.highEdge, root.controller.units) : ""
            }
        }

        Label {
            color: root.textColor
            objectName: "windowLabel"
            text: qsTr("Level %1, width %2").arg(root.format(root.document.windowCenter)).arg(root.format(root.document.windowWidth))
        }

        Flow {
            Layout.fillWidth: true
            spacing: root.gap

            Repeater {
                model: root.controller.presets
                delegate: Button {
                    required property var modelData
                    objectName: "preset_" + modelData.id
                    implicitHeight: root.touchTarget
                    implicitWidth: Math.max(root.touchTarget * 2, implicitContentWidth + leftPadding + rightPadding)
                    // The short name on the button; level and width in its tooltip.
                    text: modelData.name
                    ToolTip.visible: hovered
                    ToolTip.text: modelData.title
                    enabled: (modelData.id !== "auto" || root.ready)
                    onClicked: root.controller.applyPreset(modelData.id)
                }
            }
        }

        // The switch and the box size on a row each: side by side, a narrow drawer cut the
        // switch's text short.
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0

            Switch {
                objectName: "roiSwitch"
                Layout.fillWidth: true
                implicitHeight: root.touchTarget
                text: qsTr("Box around cursor")
                checked: root.controller.useRoi
                onToggled: root.controller.useRoi = checked
            }
            SpinBox {
                objectName: "roiSize"
                implicitHeight: root.touchTarget
                from: 1
                to: 500
                stepSize: 5
                editable: true
                value: root.controller.roiSizeMm
                enabled: root.controller.useRoi
                textFromValue: (value, locale) => qsTr("%1 mm").arg(value)
                valueFromText: (text, locale) => parseInt(text)
                onValueModified: root.controller.roiSizeMm = value
            }
        }

        Switch {
            objectName: "logScaleSwitch"
            implicitHeight: root.touchTarget
            text: qsTr("Logarithmic counts")
            checked: root.controller.logScale
            onToggled: root.controller.logScale = checked
        }

        GridLayout {
            objectName: "statistics"
            Layout.fillWidth: true
            columns: 2
            columnSpacing: root.gap * 2
            visible: root.ready

            Label { color: root.textColor; text: qsTr("Voxels") }
            Label { color: root.textColor; text: root.ready ? Format.count(root.controller.voxelCount) : "" }
            Label { color: root.textColor; text: qsTr("Mean") }
            Label { color: root.textColor; text: root.ready ? Format.withUnit(root.controller.mean, root.controller.units) : "" }
            Label { color: root.textColor; text: qsTr("Std. deviation") }
            Label { color: root.textColor; text: root.ready ? Format.withUnit(root.controller.stddev, root.controller.units) : "" }
            Label { color: root.textColor; text: qsTr("Minimum") }
            Label { color: root.textColor; text: root.ready ? Format.withUnit(root.controller.minimum, root.controller.units) : "" }
            Label { color: root.textColor; text: qsTr("Maximum") }
            Label { color: root.textColor; text: root.ready ? Format.withUnit(root.controller.maximum, root.controller.units) : "" }
        }

        Item {
            Layout.fillHeight: true
        }
    }
}
