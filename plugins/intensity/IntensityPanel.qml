// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The Intensity panel: mirrors IntensityController (histogram, statistics, presets) and the
// document's window. Colours come from the palette the shell sets; sizes give 48 px targets.
Pane {
    id: root

    // Set by the shell: the IntensityController and the carina::Document.
    property QtObject controller: null
    property QtObject document: null

    readonly property real touchTarget: 48
    readonly property real gap: 8
    readonly property color textColor: palette.windowText
    readonly property color accentColor: palette.highlight
    // Light bars on the dark well, whatever the palette of the hosting style.
    readonly property color barColor: Qt.rgba(0.85, 0.88, 0.92, 0.75)
    readonly property bool ready: controller !== null && controller.hasHistogram
    readonly property real lowEdge: ready ? controller.edges[0] : 0
    readonly property real highEdge: ready ? controller.edges[controller.edges.length - 1] : 1
    readonly property string unitSuffix: controller && controller.units.length > 0 ? " " + controller.units : ""

    function xOfValue(value, width) {
        return (value - lowEdge) / Math.max(highEdge - lowEdge, 1e-9) * width;
    }
    function valueOfX(x, width) {
        return lowEdge + x / Math.max(width, 1) * (highEdge - lowEdge);
    }
    function format(value) {
        return Number(value).toLocaleString(Qt.locale(), "f", Math.abs(value) >= 100 ? 0 : 2);
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
                text: root.controller !== null && root.controller.useRoi ? qsTr("Box around the cursor") : qsTr("Whole volume")
                font.pixelSize: 16
                color: root.textColor
            }
            BusyIndicator {
                objectName: "busyIndicator"
                Layout.preferredWidth: root.touchTarget
                Layout.preferredHeight: root.touchTarget
                running: root.controller !== null && root.controller.task.busy
            }
        }

        Item {
            id: plot
            objectName: "histogramPlot"
            Layout.fillWidth: true
            Layout.preferredHeight: 160

            Rectangle {
                anchors.fill: parent
                // A translucent well reads on dark and light panels alike.
                color: Qt.rgba(0, 0, 0, 0.35)
                radius: 4
            }
            Canvas {
                id: bars
                objectName: "histogramBars"
                anchors.fill: parent
                onPaint: {
                    const ctx = getContext("2d");
                    ctx.reset();
                    if (!root.ready)
                        return;
                    const counts = root.controller.counts;
                    const maxCount = Math.max(root.controller.maxCount, 1);
                    const useLog = root.controller.logScale;
                    const barWidth = width / counts.length;
                    ctx.fillStyle = root.barColor;
                    for (let i = 0; i < counts.length; ++i) {
                        const fraction = useLog ? Math.log(1 + counts[i]) / Math.log(1 + maxCount) : counts[i] / maxCount;
                        const h = fraction * height;
                        ctx.fillRect(i * barWidth, height - h, Math.max(barWidth - 0.5, 0.5), h);
                    }
                }
            }
            // The document's window over the histogram: what the slice views map to grey.
            Rectangle {
                id: windowBand
                objectName: "windowBand"
                readonly property real low: root.document ? root.document.windowCenter - root.document.windowWidth / 2 : 0
                readonly property real high: root.document ? root.document.windowCenter + root.document.windowWidth / 2 : 0
                visible: root.ready && root.document !== null
                x: Math.max(0, root.xOfValue(low, plot.width))
                width: Math.max(2, Math.min(plot.width, root.xOfValue(high, plot.width)) - x)
                height: plot.height
                color: Qt.rgba(root.accentColor.r, root.accentColor.g, root.accentColor.b, 0.25)
                border.color: root.accentColor
                border.width: 1
            }
            Label {
                anchors.centerIn: parent
                visible: !root.ready
                color: root.textColor
                text: root.controller && root.controller.task.error.length > 0 ? root.controller.task.error
                      : root.document && root.document.hasImage ? qsTr("Computing…") : qsTr("No image")
            }
            // One finger moves the window centre along the value axis; a tap centres it there.
            DragHandler {
                id: dragWindow
                property real startCenter: 0
                target: null
                xAxis.enabled: true
                yAxis.enabled: false
                enabled: root.ready && root.document !== null
                onActiveChanged: if (active) startCenter = root.document.windowCenter
                onTranslationChanged: {
                    if (active)
                        root.document.windowCenter = startCenter + translation.x / Math.max(plot.width, 1) * (root.highEdge - root.lowEdge);
                }
            }
            TapHandler {
                enabled: root.ready && root.document !== null
                onTapped: eventPoint => root.document.windowCenter = root.valueOfX(eventPoint.position.x, plot.width)
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Label {
                Layout.fillWidth: true
                color: root.textColor
                text: root.ready ? root.format(root.lowEdge) + root.unitSuffix : ""
            }
            Label {
                color: root.textColor
                text: root.ready ? root.format(root.highEdge) + root.unitSuffix : ""
            }
        }

        Label {
            color: root.textColor
            text: root.document ? qsTr("Window %1 / %2").arg(root.format(root.document.windowCenter)).arg(root.format(root.document.windowWidth)) : ""
        }

        Flow {
            Layout.fillWidth: true
            spacing: root.gap

            Repeater {
                model: root.controller ? root.controller.presets : []
                delegate: Button {
                    required property var modelData
                    objectName: "preset_" + modelData.id
                    implicitHeight: root.touchTarget
                    implicitWidth: Math.max(root.touchTarget * 2, implicitContentWidth + leftPadding + rightPadding)
                    text: modelData.title
                    enabled: root.document !== null && (modelData.id !== "auto" || root.ready)
                    onClicked: root.controller.applyPreset(modelData.id)
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: root.gap

            Switch {
                objectName: "roiSwitch"
                Layout.fillWidth: true
                implicitHeight: root.touchTarget
                text: qsTr("Box around cursor")
                checked: root.controller !== null && root.controller.useRoi
                onToggled: root.controller.useRoi = checked
            }
            SpinBox {
                objectName: "roiSize"
                implicitHeight: root.touchTarget
                from: 1
                to: 500
                stepSize: 5
                editable: true
                value: root.controller ? root.controller.roiSizeMm : 30
                enabled: root.controller !== null && root.controller.useRoi
                textFromValue: (value, locale) => qsTr("%1 mm").arg(value)
                valueFromText: (text, locale) => parseInt(text)
                onValueModified: root.controller.roiSizeMm = value
            }
        }

        Switch {
            objectName: "logScaleSwitch"
            implicitHeight: root.touchTarget
            text: qsTr("Logarithmic counts")
            checked: root.controller !== null && root.controller.logScale
            onToggled: root.controller.logScale = checked
        }

        GridLayout {
            objectName: "statistics"
            Layout.fillWidth: true
            columns: 2
            columnSpacing: root.gap * 2
            visible: root.ready

            Label { color: root.textColor; text: qsTr("Voxels") }
            Label { color: root.textColor; text: root.ready ? Number(root.controller.voxelCount).toLocaleString(Qt.locale(), "f", 0) : "" }
            Label { color: root.textColor; text: qsTr("Mean") }
            Label { color: root.textColor; text: root.ready ? root.format(root.controller.mean) + root.unitSuffix : "" }
            Label { color: root.textColor; text: qsTr("Std. deviation") }
            Label { color: root.textColor; text: root.ready ? root.format(root.controller.stddev) + root.unitSuffix : "" }
            Label { color: root.textColor; text: qsTr("Minimum") }
            Label { color: root.textColor; text: root.ready ? root.format(root.controller.minimum) + root.unitSuffix : "" }
            Label { color: root.textColor; text: qsTr("Maximum") }
            Label { color: root.textColor; text: root.ready ? root.format(root.controller.maximum) + root.unitSuffix : "" }
        }

        Item {
            Layout.fillHeight: true
        }
    }

    Connections {
        target: root.controller
        ignoreUnknownSignals: true
        function onHistogramChanged() { bars.requestPaint(); }
        function onLogScaleChanged() { bars.requestPaint(); }
    }
    onWidthChanged: bars.requestPaint()
}
