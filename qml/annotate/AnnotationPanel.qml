// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Carina.Shell
import Carina.Controls

// The drawing tools: tool choice, stroke size, the layer to paint and its labels with live
// voxel counts and volumes, undo and redo. Mirrors the AnnotationController; no state here.
Pane {
    id: root

    required property AnnotationController annotation

    // The tools as the palette shows them: tool, caption, 24 x 24 SVG icon, filled icon.
    readonly property var tools: [
        { tool: AnnotationController.Navigate, name: qsTr("Pan/zoom"), filled: true,
          icon: "M12 2 L15 5.5 H13 V11 H18.5 V9 L22 12 L18.5 15 V13 H13 V18.5 H15 L12 22 L9 18.5 H11 V13 H5.5 V15 L2 12 L5.5 9 V11 H11 V5.5 H9 Z" },
        { tool: AnnotationController.Lasso, name: qsTr("Lasso"), filled: false,
          icon: "M6 14.5 C2.5 10 7 4 13.5 4 C19.5 4 22 8.5 19 12.5 C16.5 16 10 17 6 14.5 Z M6 14.5 C4.5 17 6.5 19 9 20.5" },
        { tool: AnnotationController.Rectangle, name: qsTr("Rectangle"), filled: false,
          icon: "M4 6 H20 V18 H4 Z" },
        { tool: AnnotationController.Squiggle, name: qsTr("Squiggle"), filled: false,
          icon: "M3 17 C5.5 6 9 5.5 11 12 C13 18.5 17.5 18 21 6.5" },
        { tool: AnnotationController.Brush, name: qsTr("Brush"), filled: true,
          icon: "M12 5 A7 7 0 1 1 11.99 5 Z" },
        { tool: AnnotationController.Eraser, name: qsTr("Eraser"), filled: false,
          icon: "M14.5 3.5 L21 10 L11.5 19.5 H6.5 L3 16 Z M8.5 9.5 L15 16 M6.5 19.5 H21" }
    ]
    readonly property bool brushLike: annotation.tool === AnnotationController.Brush
                                      || annotation.tool === AnnotationController.Eraser

    padding: Theme.spacing
    background: Rectangle {
        color: Theme.panel
        Rectangle {
            anchors.right: parent.right
            width: 1
            height: parent.height
            color: Theme.divider
        }
    }

    Flickable {
        id: flick
        anchors.fill: parent
        contentHeight: column.implicitHeight
        clip: true
        boundsBehavior: Flickable.StopAtBounds

        ColumnLayout {
            id: column
            width: flick.width
            spacing: Theme.spacing

            Text {
                text: qsTr("DRAW")
                color: Theme.textDim
                font.pixelSize: Theme.fontSmall - 1
                font.letterSpacing: 1.2
            }

            GridLayout {
                Layout.fillWidth: true
                columns: 3
                rowSpacing: Theme.spacing / 2
                columnSpacing: Theme.spacing / 2
                Repeater {
                    model: root.tools
                    delegate: AbstractButton {
                        id: toolButton
                        required property var modelData
                        objectName: "tool" + modelData.tool
                        Layout.fillWidth: true
                        implicitHeight: Math.round(Theme.touchTarget * 1.25)
                        implicitWidth: Theme.touchTarget
                        checkable: true
                        checked: root.annotation.tool === toolButton.modelData.tool
                        hoverEnabled: true
                        focusPolicy: Qt.TabFocus
                        ToolTip.visible: hovered
                        ToolTip.delay: 600
                        ToolTip.text: modelData.name
                        onClicked: root.annotation.tool = toolButton.modelData.tool
                        background: Rectangle {
                            radius: Theme.radius
                            color: toolButton.checked ? Qt.rgba(0.29, 0.64, 0.87, 0.18)
                                                      : toolButton.down ? Theme.divider
                                                                        : toolButton.hovered ? Theme.panelRaised : "transparent"
                            border.width: 1
                            border.color: toolButton.checked ? Theme.accent : Theme.divider
                        }
                        contentItem: Column {
                            spacing: 2
                            topPadding: 4
                            ToolIcon {
                                anchors.horizontalCenter: parent.horizontalCenter
                                size: Math.round(Theme.touchTarget * 0.5)
                                path: toolButton.modelData.icon
                                filled: toolButton.modelData.filled
                                colour: toolButton.checked ? Theme.accent : Theme.text
                            }
                            Text {
                                width: parent.width
                                horizontalAlignment: Text.AlignHCenter
                                text: toolButton.modelData.name
                                color: toolButton.checked ? Theme.accent : Theme.text
                                font.pixelSize: Theme.fontSmall - 1
                                elide: Text.ElideRight
                            }
                        }
                    }
                }
            }

            // Stroke size: squiggle width, or brush/eraser radius and disc or sphere.
            RowLayout {
                Layout.fillWidth: true
                visible: root.annotation.tool === AnnotationController.Squiggle || root.brushLike
                spacing: Theme.spacing / 2
                Text {
                    text: root.brushLike ? qsTr("Radius") : qsTr("Width")
                    color: Theme.text
                    font.pixelSize: Theme.fontNormal
                }
                Slider {
                    id: sizeSlider
                    objectName: "sizeSlider"
                    Layout.fillWidth: true
                    implicitHeight: Theme.touchTarget
                    from: 0.5
                    to: root.brushLike ? 30 : 40
                    stepSize: 0.5
                    value: root.brushLike ? root.annotation.brushRadiusMm : root.annotation.squiggleWidthMm
                    onMoved: {
                        if (root.brushLike)
                            root.annotation.brushRadiusMm = value
                        else
                            root.annotation.squiggleWidthMm = value
                    }
                }
                Text {
                    Layout.preferredWidth: Theme.touchTarget
                    horizontalAlignment: Text.AlignRight
                    text: sizeSlider.value.toFixed(1) + " mm"
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                    font.family: Theme.monoFamily
                }
            }
            Switch {
                id: sphereSwitch
                objectName: "sphereSwitch"
                visible: root.brushLike
                implicitHeight: Theme.touchTarget
                text: qsTr("3D sphere (paints neighbouring slices)")
                checked: root.annotation.brushSphere
                onToggled: root.annotation.brushSphere = checked
                contentItem: Text {
                    leftPadding: sphereSwitch.indicator.width + sphereSwitch.spacing
                    text: sphereSwitch.text
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                    verticalAlignment: Text.AlignVCenter
                }
                Layout.fillWidth: true
            }

            Rectangle {
                Layout.fillWidth: true
                visible: root.annotation.shapeConsumer.length > 0
                implicitHeight: consumerText.implicitHeight + Theme.spacing
                radius: Theme.radius
                color: Qt.rgba(0.88, 0.65, 0.23, 0.15)
                border.color: Theme.warning
                Text {
                    id: consumerText
                    anchors.fill: parent
                    anchors.margins: Theme.spacing / 2
                    text: qsTr("Shapes go to %1; nothing is painted.").arg(root.annotation.shapeConsumer)
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                }
            }

            Text {
                Layout.topMargin: Theme.spacing
                text: qsTr("LAYER")
                color: Theme.textDim
                font.pixelSize: Theme.fontSmall - 1
                font.letterSpacing: 1.2
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing / 2
                ComboBox {
                    id: layerBox
                    objectName: "layerBox"
                    Layout.fillWidth: true
                    implicitHeight: Theme.touchTarget
                    model: root.annotation.layerNames.length > 0 ? root.annotation.layerNames
                                                                 : [qsTr("New layer on first stroke")]
                    currentIndex: root.annotation.activeLayer >= 0 ? root.annotation.activeLayer : 0
                    onActivated: (index) => root.annotation.activeLayer = root.annotation.layerNames.length > 0 ? index : -1
                    displayText: root.annotation.activeLayer >= 0 ? currentText : qsTr("New layer on first stroke")
                    // Dark like the rest of the panel: the image stays the brightest thing.
                    background: Rectangle {
                        radius: Theme.radius
                        color: layerBox.pressed ? Theme.divider : Theme.panelRaised
                        border.width: 1
                        border.color: layerBox.visualFocus ? Theme.accent : Theme.divider
                    }
                    contentItem: Text {
                        leftPadding: Theme.spacing
                        rightPadding: layerBox.indicator.width + Theme.spacing
                        text: layerBox.displayText
                        color: Theme.text
                        font.pixelSize: Theme.fontNormal
                        verticalAlignment: Text.AlignVCenter
                        elide: Text.ElideRight
                    }
                }
                TouchButton {
                    objectName: "newLayerButton"
                    glyph: "+"
                    tip: qsTr("New label layer")
                    onClicked: root.annotation.newLayer()
                }
            }

            RowLayout {
                Layout.topMargin: Theme.spacing
                Layout.fillWidth: true
                Text {
                    Layout.fillWidth: true
                    text: qsTr("LABELS")
                    color: Theme.textDim
                    font.pixelSize: Theme.fontSmall - 1
                    font.letterSpacing: 1.2
                }
                Text {
                    text: qsTr("voxels      mL")
                    color: Theme.textDim
                    font.pixelSize: Theme.fontSmall - 1
                }
            }
            Repeater {
                model: root.annotation.labels
                delegate: AbstractButton {
                    id: labelRow
                    required property var modelData
                    required property int index
                    objectName: "label" + modelData.id
                    readonly property bool active: modelData.id === root.annotation.activeLabel
                    Layout.fillWidth: true
                    implicitHeight: Theme.touchTarget
                    onClicked: root.annotation.activeLabel = labelRow.modelData.id
                    background: Rectangle {
                        radius: Theme.radius
                        color: labelRow.active ? Theme.panelRaised : "transparent"
                        border.width: labelRow.active ? 1 : 0
                        border.color: labelRow.modelData.colour
                    }
                    contentItem: RowLayout {
                        spacing: Theme.spacing / 2
                        Rectangle {
                            Layout.leftMargin: Theme.spacing / 2
                            width: Math.round(Theme.touchTarget * 0.45)
                            height: width
                            radius: 4
                            color: labelRow.modelData.colour
                            border.width: labelRow.active ? 2 : 0
                            border.color: "white"
                        }
                        Text {
                            Layout.fillWidth: true
                            text: labelRow.modelData.name
                            color: Theme.text
                            font.pixelSize: Theme.fontNormal
                            font.bold: labelRow.active
                            elide: Text.ElideRight
                        }
                        Text {
                            objectName: "voxelCount"
                            text: labelRow.modelData.voxels.toLocaleString(Qt.locale(), "f", 0)
                            color: Theme.textDim
                            font.pixelSize: Theme.fontSmall
                            font.family: Theme.monoFamily
                        }
                        Text {
                            Layout.preferredWidth: Theme.touchTarget * 0.9
                            Layout.rightMargin: Theme.spacing / 2
                            horizontalAlignment: Text.AlignRight
                            text: labelRow.modelData.volumeMl < 10 ? labelRow.modelData.volumeMl.toFixed(2)
                                                                   : labelRow.modelData.volumeMl.toFixed(1)
                            color: Theme.text
                            font.pixelSize: Theme.fontSmall
                            font.family: Theme.monoFamily
                        }
                    }
                }
            }
            TouchButton {
                objectName: "addLabelButton"
                Layout.fillWidth: true
                glyph: "+"
                text: qsTr("New label")
                tip: qsTr("A new label with the next colour")
                onClicked: root.annotation.addLabel()
            }

            RowLayout {
                Layout.topMargin: Theme.spacing
                Layout.fillWidth: true
                spacing: Theme.spacing / 2
                TouchButton {
                    objectName: "panelUndoButton"
                    Layout.fillWidth: true
                    glyph: "\u21b6"
                    text: qsTr("Undo")
                    tip: root.annotation.canUndo ? qsTr("Undo %1").arg(root.annotation.undoText) : ""
                    enabled: root.annotation.canUndo
                    onClicked: root.annotation.undo()
                }
                TouchButton {
                    objectName: "panelRedoButton"
                    Layout.fillWidth: true
                    glyph: "\u21b7"
                    text: qsTr("Redo")
                    tip: root.annotation.canRedo ? qsTr("Redo %1").arg(root.annotation.redoText) : ""
                    enabled: root.annotation.canRedo
                    onClicked: root.annotation.redo()
                }
            }
            Text {
                Layout.fillWidth: true
                text: root.annotation.drawing ? qsTr("One finger draws; two fingers zoom and pan.")
                                              : qsTr("One finger pages; two fingers zoom and pan.")
                color: Theme.textDim
                font.pixelSize: Theme.fontSmall - 1
                wrapMode: Text.Wrap
            }
        }
    }
}
