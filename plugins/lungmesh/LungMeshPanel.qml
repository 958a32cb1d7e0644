// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Carina.Controls
import Carina.Plugins.LungMesh

// The Lung mesh panel: mirrors LungMeshController (run, and its task's progress, error, status
// and cancel; per-lung appearance, mesh options, figures, export). Text takes the style's colours
// the shell sets from its theme; every control is at least 48 px high for fingers.
Pane {
    id: root

    // Set by the shell: the LungMeshController and the carina::Document.
    // Given by the shell when it creates the panel.
    required property LungMeshController controller
    required property Document document

    readonly property real touchTarget: Theme.touchTarget
    readonly property real gap: Theme.gap
    readonly property color accentColor: Theme.accent
    readonly property bool busy: controller.task.busy
    readonly property bool hasResult: controller.hasResult
    // The outcome of the last export, shown under the export buttons.
    property string lastExport: ""
    property bool lastExportFailed: false
    // Swatches a finger can hit; the first two are the lung label colours' neighbours.
    readonly property var swatches: ["#dc5a5a", "#e89b3c", "#e6c229", "#5cb85c", "#4aa3df", "#8f6fd8", "#e0e0e0"]

    function ml(value) {
        return Format.withUnit(value, "mL", 0);
    }
    function area(mm2) {
        return Format.withUnit(mm2 / 100, "cm²", 0) + "  (" + Format.withUnit(mm2, "mm²", 0) + ")";
    }

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
                opacity: 0.75
                text: qsTr("Finds both lungs in a chest CT (air below −320 HU inside the body, airway removed), meshes each in millimetres and measures it.")
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: root.gap
                Button {
                    objectName: "runButton"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    text: root.hasResult ? qsTr("Run again") : qsTr("Find lungs")
                    highlighted: true
                    enabled: !root.busy && root.document.hasImage
                    onClicked: root.controller.run()
                }
                Button {
                    objectName: "cancelButton"
                    implicitHeight: root.touchTarget
                    implicitWidth: Math.max(root.touchTarget * 2, implicitContentWidth + leftPadding + rightPadding)
                    text: qsTr("Cancel")
                    visible: root.busy
                    onClicked: root.controller.task.cancel()
                }
            }

            ColumnLayout {
                Layout.fillWidth: true
                visible: root.busy
                ProgressBar {
                    objectName: "progressBar"
                    Layout.fillWidth: true
                    from: 0
                    to: 1
                    value: root.controller.task.progress
                }
                Label {
                    text: (root.controller.task.progressText || qsTr("Starting"))
                }
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
                opacity: 0.75
                text: root.controller.task.status
            }
            Repeater {
                model: root.controller.warnings
                delegate: Label {
                    required property string modelData
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    color: Theme.warning
                    text: "⚠ " + modelData
                }
            }

            // --- figures ---
            GridLayout {
                objectName: "figures"
                Layout.fillWidth: true
                visible: root.hasResult
                columns: 3
                columnSpacing: root.gap * 2
                Label { opacity: 0.75; text: "" }
                Label { opacity: 0.75; text: qsTr("Volume") }
                Label { opacity: 0.75; text: qsTr("Surface") }
                Label { text: qsTr("Right lung") }
                Label { objectName: "rightVolume"; text: root.hasResult ? root.ml(root.controller.rightVolumeMl) : "" }
                Label { text: root.hasResult ? root.area(root.controller.rightAreaMm2) : "" }
                Label { text: qsTr("Left lung") }
                Label { objectName: "leftVolume"; text: root.hasResult ? root.ml(root.controller.leftVolumeMl) : "" }
                Label { text: root.hasResult ? root.area(root.controller.leftAreaMm2) : "" }
                Label { font.bold: true; text: qsTr("Total") }
                Label { objectName: "totalVolume"; font.bold: true; text: root.hasResult ? root.ml(root.controller.totalVolumeMl) : "" }
                Label { font.bold: true; text: root.hasResult ? root.area(root.controller.totalAreaMm2) : "" }
            }
            Label {
                visible: root.hasResult
                opacity: 0.75
                text: root.hasResult ? qsTr("%1 triangles in 3D").arg(Format.count(root.controller.triangleCount)) : ""
            }

            // --- per-lung appearance ---
            Repeater {
                model: [
                    { side: "right", title: qsTr("Right lung") },
                    { side: "left", title: qsTr("Left lung") }
                ]
                delegate: Frame {
                    id: lungFrame
                    required property var modelData
                    readonly property string side: modelData.side
                    readonly property color colour: root.controller[side + "Colour"]
                    Layout.fillWidth: true
                    objectName: side + "LungFrame"

                    ColumnLayout {
                        anchors.fill: parent
                        spacing: root.gap / 2
                        RowLayout {
                            Layout.fillWidth: true
                            Rectangle {
                                width: 20
                                height: 20
                                radius: 10
                                color: lungFrame.colour
                            }
                            Switch {
                                objectName: lungFrame.side + "Visible"
                                Layout.fillWidth: true
                                implicitHeight: root.touchTarget
                                text: lungFrame.modelData.title
                                checked: root.controller[lungFrame.side + "Visible"]
                                onToggled: root.controller[lungFrame.side + "Visible"] = checked
                            }
                        }
                        RowLayout {
                            Layout.fillWidth: true
                            Label { text: qsTr("Opacity") }
                            Slider {
                                objectName: lungFrame.side + "Opacity"
                                Layout.fillWidth: true
                                implicitHeight: root.touchTarget
                                from: 0
                                to: 1
                                value: root.controller[lungFrame.side + "Opacity"]
                                onMoved: root.controller[lungFrame.side + "Opacity"] = value
                            }
                        }
                        Flow {
                            Layout.fillWidth: true
                            spacing: root.gap / 2
                            Repeater {
                                model: root.swatches
                                delegate: AbstractButton {
                                    id: swatch
                                    required property string modelData
                                    required property int index
                                    objectName: lungFrame.side + "Swatch" + index
                                    implicitWidth: root.touchTarget
                                    implicitHeight: root.touchTarget
                                    onClicked: root.controller[lungFrame.side + "Colour"] = modelData
                                    contentItem: Rectangle {
                                        radius: 6
                                        color: swatch.modelData
                                        border.width: Qt.colorEqual(lungFrame.colour, swatch.modelData) ? 3 : 1
                                        border.color: Qt.colorEqual(lungFrame.colour, swatch.modelData) ? "white" : Qt.rgba(0, 0, 0, 0.4)
                                    }
                                }
                            }
                        }
                    }
                }
            }

            Switch {
                objectName: "maskedCtSwitch"
                Layout.fillWidth: true
                implicitHeight: root.touchTarget
                text: qsTr("Show masked CT (air outside the lungs)")
                enabled: root.hasResult
                checked: root.controller.showMaskedCt
                onToggled: root.controller.showMaskedCt = checked
            }

            // --- mesh options (used by the next run) ---
            Label {
                Layout.topMargin: root.gap
                font.bold: true
                text: qsTr("Mesh")
            }
            RowLayout {
                Layout.fillWidth: true
                Label { Layout.fillWidth: true; text: qsTr("Smoothing steps") }
                SpinBox {
                    objectName: "smoothingSpin"
                    implicitHeight: root.touchTarget
                    from: 0
                    to: 100
                    editable: true
                    value: root.controller.smoothingIterations
                    onValueModified: root.controller.smoothingIterations = value
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Label { Layout.fillWidth: true; text: qsTr("Triangles per lung (0 = all)") }
                SpinBox {
                    objectName: "trianglesSpin"
                    implicitHeight: root.touchTarget
                    from: 0
                    to: 2000000
                    stepSize: 10000
                    editable: true
                    value: root.controller.targetTriangles
                    onValueModified: root.controller.targetTriangles = value
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Switch {
                    objectName: "isoSwitch"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    text: qsTr("CT surface at")
                    checked: root.controller.isoSurface
                    onToggled: root.controller.isoSurface = checked
                }
                SpinBox {
                    objectName: "isoThresholdSpin"
                    implicitHeight: root.touchTarget
                    from: -1000
                    to: 3000
                    stepSize: 50
                    editable: true
                    enabled: root.controller.isoSurface
                    value: root.controller.isoThresholdHu
                    textFromValue: (value, locale) => qsTr("%1 HU").arg(value)
                    valueFromText: (text, locale) => parseInt(text)
                    onValueModified: root.controller.isoThresholdHu = value
                }
            }
            RowLayout {
                Layout.fillWidth: true
                visible: root.hasResult && root.controller.isoSurface
                Switch {
                    objectName: "isoVisible"
                    implicitHeight: root.touchTarget
                    text: qsTr("Show")
                    checked: root.controller.isoVisible
                    onToggled: root.controller.isoVisible = checked
                }
                Slider {
                    objectName: "isoOpacity"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    from: 0
                    to: 1
                    value: root.controller.isoOpacity
                    onMoved: root.controller.isoOpacity = value
                }
            }

            // --- export ---
            Label {
                Layout.topMargin: root.gap
                font.bold: true
                text: qsTr("Export")
            }
            Flow {
                Layout.fillWidth: true
                spacing: root.gap
                Repeater {
                    model: [
                        { id: "stl", title: qsTr("STL"), filter: qsTr("STL mesh (*.stl)") },
                        { id: "obj", title: qsTr("OBJ"), filter: qsTr("Wavefront OBJ (*.obj)") },
                        { id: "ply", title: qsTr("PLY"), filter: qsTr("PLY mesh (*.ply)") },
                        { id: "csv", title: qsTr("Figures CSV"), filter: qsTr("CSV table (*.csv)") },
                        { id: "nii.gz", title: qsTr("Labels NIfTI"), filter: qsTr("NIfTI labels (*.nii.gz)") }
                    ]
                    delegate: Button {
                        required property var modelData
                        objectName: "export_" + modelData.id
                        implicitHeight: root.touchTarget
                        implicitWidth: Math.max(root.touchTarget * 1.5, implicitContentWidth + leftPadding + rightPadding)
                        text: modelData.title
                        enabled: root.hasResult && !root.busy
                        onClicked: {
                            saveDialog.kind = modelData.id
                            saveDialog.nameFilters = [modelData.filter]
                            saveDialog.defaultSuffix = modelData.id
                            saveDialog.selectedFile = "lungs." + modelData.id
                            saveDialog.open()
                        }
                    }
                }
            }
            // What the last export did, beside the buttons: the status line at the top of the
            // panel is scrolled out of view down here.
            Label {
                objectName: "exportOutcome"
                Layout.fillWidth: true
                visible: text.length > 0
                wrapMode: Text.WordWrap
                color: root.lastExportFailed ? Theme.error : Theme.text
                text: root.lastExport
            }
        }
    }

    FileDialog {
        id: saveDialog
        property string kind: "stl"
        fileMode: FileDialog.SaveFile
        acceptLabel: qsTr("Save")
        title: qsTr("Export lungs")
        onAccepted: {
            const path = selectedFile.toString()
            let ok = false
            if (kind === "csv")
                ok = root.controller.exportFigures(path)
            else if (kind === "nii.gz")
                ok = root.controller.exportLabels(path)
            else
                ok = root.controller.exportMeshes(path)
            root.lastExportFailed = !ok
            root.lastExport = ok ? root.controller.task.status : root.controller.task.error
        }
    }
}
