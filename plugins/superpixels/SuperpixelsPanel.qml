// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Carina.Controls
import Carina.Plugins.Superpixels

// The Superpixels panel: mirrors SuperpixelsController (SLIC parameters, compute, boundaries,
// the label strokes paint, export/import). While it is open, the Draw tools' strokes and taps
// paint superpixels. No logic beyond layout.
Pane {
    id: root

    // Given by the shell when it creates the panel.
    required property SuperpixelsController controller
    required property Document document

    readonly property real touchTarget: Theme.touchTarget
    readonly property real gap: Theme.gap
    readonly property color textColor: Theme.text
    readonly property TaskRunner task: controller.task
    readonly property bool busy: task.busy
    // Boundary colours to pick from: the seed's orange first.
    readonly property var boundaryColors: ["#ff8c00", "#ffff00", "#00e5ff", "#ff00ff", "#ffffff"]

    function format(value) {
        return Math.abs(value) >= 1000 || Number.isInteger(value) ? Math.round(value).toString() : value.toPrecision(4)
    }

    padding: gap
    implicitWidth: 400

    ColumnLayout {
        anchors.fill: parent
        spacing: root.gap

        GridLayout {
            Layout.fillWidth: true
            columns: 2
            columnSpacing: root.gap
            rowSpacing: 2

            Label { text: qsTr("Superpixels"); color: root.textColor }
            TextField {
                objectName: "segmentsField"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: root.touchTarget
                inputMethodHints: Qt.ImhDigitsOnly
                validator: IntValidator { bottom: 1; top: 65535 }
                text: root.controller.nSegments.toString()
                onEditingFinished: root.controller.nSegments = parseInt(text)
            }
            Label { text: qsTr("Compactness"); color: root.textColor }
            TextField {
                objectName: "compactnessField"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: root.touchTarget
                inputMethodHints: Qt.ImhFormattedNumbersOnly
                validator: DoubleValidator { bottom: 0.0001 }
                text: root.format(root.controller.compactness)
                onEditingFinished: root.controller.compactness = Number.fromLocaleString(Qt.locale(), text)
            }
            Switch {
                objectName: "maskSwitch"
                text: qsTr("Only above")
                Layout.preferredHeight: root.touchTarget
                checked: root.controller.useMask
                onToggled: root.controller.useMask = checked
            }
            TextField {
                objectName: "maskField"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: root.touchTarget
                enabled: root.controller.useMask
                inputMethodHints: Qt.ImhFormattedNumbersOnly
                validator: DoubleValidator {}
                text: root.format(root.controller.maskThreshold)
                onEditingFinished: root.controller.maskThreshold = Number.fromLocaleString(Qt.locale(), text)
            }
            Switch {
                objectName: "dropDarkSwitch"
                text: qsTr("Drop mean ≤")
                Layout.preferredHeight: root.touchTarget
                checked: root.controller.dropDark
                onToggled: root.controller.dropDark = checked
            }
            TextField {
                objectName: "minMeanField"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: root.touchTarget
                enabled: root.controller.dropDark
                inputMethodHints: Qt.ImhFormattedNumbersOnly
                validator: DoubleValidator {}
                text: root.format(root.controller.minMean)
                onEditingFinished: root.controller.minMean = Number.fromLocaleString(Qt.locale(), text)
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Button {
                objectName: "computeButton"
                text: qsTr("Compute")
                highlighted: true
                Layout.preferredHeight: root.touchTarget
                enabled: root.document.hasImage && !root.busy
                onClicked: root.controller.compute()
            }
            Button {
                objectName: "cancelButton"
                text: qsTr("Cancel")
                visible: root.busy
                Layout.preferredHeight: root.touchTarget
                onClicked: root.task.cancel()
            }
            ProgressBar {
                objectName: "progressBar"
                Layout.fillWidth: true
                visible: root.busy
                value: root.task.progress
            }
            Label {
                objectName: "statusLabel"
                Layout.fillWidth: true
                visible: !root.busy
                wrapMode: Text.Wrap // the counts matter: never cut them short
                color: root.textColor
                text: root.task.status
            }
        }
        Label {
            objectName: "errorLabel"
            Layout.fillWidth: true
            visible: text.length > 0
            wrapMode: Text.Wrap
            color: Theme.warning
            text: root.task.error
        }

        // --- boundaries ---
        RowLayout {
            Layout.fillWidth: true
            enabled: root.controller.hasSuperpixels
            Switch {
                objectName: "boundariesSwitch"
                text: qsTr("Boundaries")
                Layout.preferredHeight: root.touchTarget
                checked: root.controller.showBoundaries
                onToggled: root.controller.showBoundaries = checked
            }
            Repeater {
                model: root.boundaryColors
                delegate: Rectangle {
                    id: swatch
                    required property string modelData
                    required property int index
                    objectName: "boundaryColor" + index
                    Layout.preferredWidth: root.touchTarget * 0.8
                    Layout.preferredHeight: root.touchTarget * 0.8
                    radius: 4
                    color: modelData
                    border.width: Qt.colorEqual(root.controller.boundaryColor, modelData) ? 3 : 1
                    border.color: root.textColor
                    TapHandler { onTapped: root.controller.boundaryColor = swatch.modelData }
                }
            }
        }

        // --- painting ---
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: root.textColor
            text: root.controller.hasSuperpixels
                  ? qsTr("Draw a stroke or tap on any view: every superpixel it touches is painted.")
                  : qsTr("Compute or import superpixels, then paint them with strokes.")
        }
        RowLayout {
            Layout.fillWidth: true
            Repeater {
                model: root.controller.labelColors
                delegate: Button {
                    id: labelButton
                    required property color modelData
                    required property int index
                    objectName: "labelButton" + (index + 1)
                    Layout.preferredWidth: root.touchTarget
                    Layout.preferredHeight: root.touchTarget
                    checkable: true
                    checked: !root.controller.erasing && root.controller.activeLabel === index + 1
                    text: (index + 1).toString()
                    background: Rectangle {
                        radius: 4
                        color: labelButton.modelData
                        border.width: labelButton.checked ? 3 : 0
                        border.color: root.textColor
                    }
                    onClicked: {
                        root.controller.erasing = false
                        root.controller.activeLabel = index + 1
                    }
                }
            }
            Button {
                objectName: "eraseButton"
                text: qsTr("Erase")
                checkable: true
                checked: root.controller.erasing
                Layout.preferredHeight: root.touchTarget
                onClicked: root.controller.erasing = checked
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Switch {
                objectName: "segmentationSwitch"
                text: qsTr("Segmentation")
                Layout.preferredHeight: root.touchTarget
                enabled: root.controller.paintedLabels > 0
                checked: root.controller.showSegmentation
                onToggled: root.controller.showSegmentation = checked
            }
            Button {
                objectName: "undoButton"
                text: qsTr("Undo")
                Layout.preferredHeight: root.touchTarget
                enabled: root.document.undoStack.canUndo
                onClicked: root.document.undo()
            }
            Button {
                objectName: "redoButton"
                text: qsTr("Redo")
                Layout.preferredHeight: root.touchTarget
                enabled: root.document.undoStack.canRedo
                onClicked: root.document.redo()
            }
        }

        // --- files ---
        Flow {
            Layout.fillWidth: true
            spacing: root.gap
            Button {
                objectName: "exportSegmentationButton"
                text: qsTr("Export segmentation")
                height: root.touchTarget
                enabled: root.controller.paintedLabels > 0
                onClicked: { fileDialog.kind = "segmentation"; fileDialog.open() }
            }
            Button {
                objectName: "exportSuperpixelsButton"
                text: qsTr("Export superpixels")
                height: root.touchTarget
                enabled: root.controller.hasSuperpixels
                onClicked: { fileDialog.kind = "superpixels"; fileDialog.open() }
            }
            Button {
                objectName: "importButton"
                text: qsTr("Import superpixels")
                height: root.touchTarget
                enabled: root.document.hasImage && !root.busy
                onClicked: { fileDialog.kind = "import"; fileDialog.open() }
            }
        }
        Item { Layout.fillHeight: true }
    }

    FileDialog {
        id: fileDialog
        property string kind: "segmentation"
        fileMode: kind === "import" ? FileDialog.OpenFile : FileDialog.SaveFile
        nameFilters: kind === "import" ? [qsTr("Label maps (*.nii *.nii.gz *.npz *.npz.gz)")] : [qsTr("NIfTI (*.nii.gz *.nii)")]
        title: kind === "import" ? qsTr("Import a superpixel map") : qsTr("Export as NIfTI")
        onAccepted: {
            const path = selectedFile.toString()
            if (kind === "segmentation")
                root.controller.exportSegmentation(path)
            else if (kind === "superpixels")
                root.controller.exportSuperpixels(path)
            else
                root.controller.importSuperpixels(path)
        }
    }
}
