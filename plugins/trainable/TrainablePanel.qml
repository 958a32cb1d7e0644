// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Carina.Controls
import Carina.Plugins.Trainable

// The trainable segmentation panel: mirrors TrainableController. Pick a class, scribble on any
// view with the Draw tools (brush, stroke, eraser; undo and redo as for any label edit), and the
// classifier retrains after each stroke: the visible slice first, then the rest. The feature
// checklist, sigma range, trees and depth are the seed's; models save and load here.
Pane {
    id: root

    // Given by the shell when it creates the panel.
    required property TrainableController controller
    required property Document document

    readonly property real touchTarget: Theme.touchTarget
    readonly property real gap: Theme.gap
    readonly property bool busy: controller.task.busy || controller.restTask.busy
    readonly property bool hasImage: document.hasImage
    // Sigma range slider positions: log2(sigma), sigma 0.5 .. 64.
    readonly property real log2Min: -1
    readonly property real log2Max: 6

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
                text: qsTr("Pick a class and scribble on a few pixels of it with the Draw tools (choose the brush or stroke there first, then switch scribbling on here); do the same for the other classes. The classifier learns after each stroke and segments the visible slice first, then the rest.")
            }
            Switch {
                objectName: "drawSwitch"
                Layout.fillWidth: true
                implicitHeight: root.touchTarget
                text: qsTr("Scribble on the images")
                enabled: root.hasImage
                checked: root.controller.drawing
                onToggled: root.controller.drawing = checked
            }

            // --- classes: tap one to scribble in it ---
            Label { text: qsTr("Classes"); font.bold: true }
            Repeater {
                model: root.controller.classes
                delegate: RowLayout {
                    id: classRow
                    required property var modelData
                    required property int index
                    readonly property bool active: index + 1 === root.controller.activeClass
                    Layout.fillWidth: true
                    spacing: root.gap
                    Button {
                        objectName: "classButton" + classRow.index
                        implicitWidth: root.touchTarget
                        implicitHeight: root.touchTarget
                        checkable: true
                        checked: classRow.active
                        onClicked: root.controller.activeClass = classRow.index + 1
                        background: Rectangle {
                            radius: Theme.radius
                            color: classRow.modelData.colour
                            border.width: classRow.active ? 3 : 1
                            border.color: classRow.active ? Theme.text : Theme.divider
                        }
                    }
                    TextField {
                        objectName: "className" + classRow.index
                        Layout.fillWidth: true
                        implicitHeight: root.touchTarget
                        text: classRow.modelData.name
                        onEditingFinished: root.controller.renameClass(classRow.index, text)
                    }
                    Button {
                        objectName: "recolourButton" + classRow.index
                        implicitHeight: root.touchTarget
                        text: qsTr("Colour")
                        onClicked: {
                            colourDialog.classIndex = classRow.index
                            colourDialog.selectedColor = classRow.modelData.colour
                            colourDialog.open()
                        }
                    }
                    Button {
                        objectName: "removeClassButton" + classRow.index
                        implicitWidth: root.touchTarget
                        implicitHeight: root.touchTarget
                        text: "✕"
                        enabled: root.controller.classes.length > 2
                        onClicked: root.controller.removeClass(classRow.index)
                    }
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: root.gap
                Button {
                    objectName: "addClassButton"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    text: qsTr("Add class")
                    onClicked: root.controller.addClass()
                }
                Button {
                    objectName: "clearScribblesButton"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    text: qsTr("Clear scribbles")
                    enabled: root.controller.scribbleVoxels > 0
                    onClicked: root.controller.clearScribbles()
                }
            }

            // --- features (the seed's checklist and sigma range) ---
            Label { text: qsTr("Features (%1 per voxel)").arg(root.controller.featureCount); font.bold: true }
            Flow {
                Layout.fillWidth: true
                spacing: root.gap
                CheckBox {
                    objectName: "intensityCheck"
                    text: qsTr("Intensity")
                    checked: root.controller.intensity
                    onToggled: root.controller.intensity = checked
                }
                CheckBox {
                    objectName: "edgesCheck"
                    text: qsTr("Edges")
                    checked: root.controller.edges
                    onToggled: root.controller.edges = checked
                }
                CheckBox {
                    objectName: "textureCheck"
                    text: qsTr("Texture")
                    checked: root.controller.texture
                    onToggled: root.controller.texture = checked
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: root.gap
                Label { text: qsTr("Sigma %1 – %2").arg(root.controller.sigmaMin).arg(root.controller.sigmaMax) }
                RangeSlider {
                    objectName: "sigmaSlider"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    from: root.log2Min
                    to: root.log2Max
                    stepSize: 1
                    snapMode: RangeSlider.SnapAlways
                    first.value: Math.log2(root.controller.sigmaMin)
                    second.value: Math.log2(root.controller.sigmaMax)
                    first.onMoved: root.controller.sigmaMin = Math.pow(2, first.value)
                    second.onMoved: root.controller.sigmaMax = Math.pow(2, second.value)
                }
            }
            GridLayout {
                Layout.fillWidth: true
                columns: 2
                columnSpacing: root.gap
                Label { text: qsTr("Trees") }
                SpinBox {
                    objectName: "treesSpin"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    from: 1
                    to: 500
                    stepSize: 10
                    editable: true
                    value: root.controller.trees
                    onValueModified: root.controller.trees = value
                }
                Label { text: qsTr("Depth") }
                SpinBox {
                    objectName: "depthSpin"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    from: 0
                    to: 40
                    editable: true
                    value: root.controller.depth
                    onValueModified: root.controller.depth = value
                }
            }

            // --- display ---
            Switch {
                objectName: "showSegmentationSwitch"
                Layout.fillWidth: true
                implicitHeight: root.touchTarget
                text: qsTr("Show segmentation")
                checked: root.controller.showSegmentation
                onToggled: root.controller.showSegmentation = checked
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: root.gap
                Label { text: qsTr("Opacity") }
                Slider {
                    objectName: "opacitySlider"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    from: 0
                    to: 1
                    value: root.controller.opacity
                    onMoved: root.controller.opacity = value
                }
            }
            Switch {
                objectName: "showUncertaintySwitch"
                Layout.fillWidth: true
                implicitHeight: root.touchTarget
                text: qsTr("Show uncertainty (scribble where it glows)")
                checked: root.controller.showUncertainty
                onToggled: root.controller.showUncertainty = checked
            }

            // --- run state ---
            RowLayout {
                Layout.fillWidth: true
                spacing: root.gap
                Button {
                    objectName: "retrainButton"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    text: qsTr("Retrain now")
                    highlighted: true
                    enabled: root.hasImage && root.controller.scribbleVoxels > 0
                    onClicked: root.controller.retrain()
                }
                Button {
                    objectName: "cancelButton"
                    implicitHeight: root.touchTarget
                    text: qsTr("Cancel")
                    visible: root.busy
                    onClicked: {
                        root.controller.task.cancel()
                        root.controller.restTask.cancel()
                    }
                }
            }
            ProgressBar {
                Layout.fillWidth: true
                visible: root.busy
                from: 0
                to: 1
                value: root.controller.task.busy ? root.controller.task.progress : root.controller.restTask.progress
            }
            Label {
                objectName: "errorLabel"
                Layout.fillWidth: true
                visible: text.length > 0
                wrapMode: Text.WordWrap
                color: Theme.error
                text: root.controller.task.error.length > 0 ? root.controller.task.error : root.controller.restTask.error
            }
            Label {
                objectName: "statusLabel"
                Layout.fillWidth: true
                visible: text.length > 0
                wrapMode: Text.WordWrap
                text: root.controller.task.status
            }

            // --- models and export ---
            GridLayout {
                Layout.fillWidth: true
                columns: 2
                columnSpacing: root.gap
                rowSpacing: root.gap
                Button {
                    objectName: "saveModelButton"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    text: qsTr("Save model…")
                    enabled: root.controller.trained
                    onClicked: saveModelDialog.open()
                }
                Button {
                    objectName: "loadModelButton"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    text: qsTr("Load model…")
                    enabled: root.hasImage
                    onClicked: loadModelDialog.open()
                }
                Button {
                    objectName: "exportButton"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    text: qsTr("Save segmentation…")
                    enabled: root.controller.trained
                    onClicked: exportDialog.open()
                }
                Button {
                    objectName: "blendedButton"
                    Layout.fillWidth: true
                    implicitHeight: root.touchTarget
                    text: qsTr("Save blended PNG…")
                    enabled: root.controller.trained
                    onClicked: blendedDialog.open()
                }
            }
        }
    }

    ColorDialog {
        id: colourDialog
        property int classIndex: 0
        title: qsTr("Class colour")
        onAccepted: root.controller.recolourClass(classIndex, selectedColor)
    }
    FileDialog {
        id: saveModelDialog
        fileMode: FileDialog.SaveFile
        title: qsTr("Save the classifier")
        nameFilters: [qsTr("Carina model (*.carina-model)")]
        defaultSuffix: "carina-model"
        onAccepted: root.controller.saveModel(String(selectedFile))
    }
    FileDialog {
        id: loadModelDialog
        fileMode: FileDialog.OpenFile
        title: qsTr("Load a classifier")
        nameFilters: [qsTr("Carina model (*.carina-model)")]
        onAccepted: root.controller.loadModel(String(selectedFile))
    }
    FileDialog {
        id: exportDialog
        fileMode: FileDialog.SaveFile
        title: qsTr("Save the segmentation")
        nameFilters: [qsTr("NIfTI (*.nii.gz *.nii)"), qsTr("PNG labels, 2D (*.png)")]
        defaultSuffix: "nii.gz"
        onAccepted: root.controller.exportSegmentation(String(selectedFile))
    }
    FileDialog {
        id: blendedDialog
        fileMode: FileDialog.SaveFile
        title: qsTr("Save the slice blended with the classes")
        nameFilters: [qsTr("PNG (*.png)")]
        defaultSuffix: "png"
        onAccepted: root.controller.exportBlended(String(selectedFile))
    }
}
