// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Carina.Shell

// Controls floating over the 3D view: fit, slice planes on/off, the iso-surface panel and the
// mesh list (visibility, opacity). Touch-sized; everything else of the view stays free for
// orbiting.
Item {
    id: root

    required property Item view
    readonly property int touchSize: view.touchSize
    readonly property color panelColour: Qt.rgba(0.08, 0.10, 0.13, 0.86)
    readonly property color textColour: "#e6e9ee"
    readonly property color dimTextColour: "#9aa4b2"
    property string openPanel: ""

    ColumnLayout {
        id: tools
        anchors.top: parent.top
        anchors.right: parent.right
        spacing: root.view.spacing

        View3DToolButton {
            objectName: "fitButton"
            text: qsTr("Fit")
            touchSize: root.touchSize
            Layout.fillWidth: true // one width for all: a column, not a ragged edge
            onClicked: {
                root.view.viewMoved = false
                root.view.resetView()
            }
        }
        View3DToolButton {
            objectName: "slicesButton"
            text: qsTr("Slices")
            touchSize: root.touchSize
            Layout.fillWidth: true
            checkable: true
            checked: root.view.slicesVisible
            onToggled: root.view.slicesVisible = checked
        }
        View3DToolButton {
            objectName: "surfaceButton"
            text: qsTr("Surface")
            touchSize: root.touchSize
            Layout.fillWidth: true
            checkable: true
            checked: root.openPanel === "surface"
            enabled: root.view.document !== null && root.view.document.hasImage
            onToggled: root.openPanel = checked ? "surface" : ""
        }
        View3DToolButton {
            objectName: "meshesButton"
            text: qsTr("Meshes")
            touchSize: root.touchSize
            Layout.fillWidth: true
            checkable: true
            checked: root.openPanel === "meshes"
            enabled: root.view.meshModel.count > 0
            onToggled: root.openPanel = checked ? "meshes" : ""
        }
    }

    Rectangle {
        id: panel
        visible: root.openPanel !== ""
        anchors.top: parent.top
        anchors.right: tools.left
        anchors.rightMargin: root.view.spacing
        width: Math.min(root.width - tools.width - root.view.spacing, 360)
        height: Math.min(root.height, content.implicitHeight + 2 * 12)
        radius: 8
        color: root.panelColour
        border.color: Qt.rgba(1, 1, 1, 0.08)

        // Taps on the panel must not orbit the view below.
        MouseArea { anchors.fill: parent; acceptedButtons: Qt.AllButtons; onWheel: wheel => wheel.accepted = true }

        Flickable {
            anchors.fill: parent
            anchors.margins: 12
            contentHeight: content.implicitHeight
            clip: true
            boundsBehavior: Flickable.StopAtBounds

            ColumnLayout {
                id: content
                width: parent.width
                spacing: 8

                // --- iso-surface ---
                ColumnLayout {
                    visible: root.openPanel === "surface"
                    Layout.fillWidth: true
                    spacing: 8

                    Label {
                        text: qsTr("Surface at")
                        color: root.textColour
                        font.bold: true
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: 8
                        SpinBox {
                            id: isoBox
                            objectName: "isoValueBox"
                            Layout.fillWidth: true
                            Layout.preferredHeight: root.touchSize
                            editable: true
                            from: Math.floor(root.view.isoSurface.minValue)
                            to: Math.ceil(root.view.isoSurface.maxValue)
                            stepSize: Math.max(1, Math.round((to - from) / 200))
                            value: Math.round(root.view.isoSurface.isoValue)
                            onValueModified: root.view.isoSurface.isoValue = value
                        }
                        Button {
                            objectName: "showSurfaceButton"
                            text: root.view.isoSurface.running ? qsTr("Cancel") : qsTr("Show")
                            Layout.preferredHeight: root.touchSize
                            Layout.minimumWidth: root.touchSize * 1.6
                            onClicked: root.view.isoSurface.running ? root.view.isoSurface.cancel() : root.view.isoSurface.start()
                        }
                    }
                    ProgressBar {
                        Layout.fillWidth: true
                        visible: root.view.isoSurface.running
                        value: root.view.isoSurface.progress
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: text !== ""
                        text: root.view.isoSurface.status
                        color: root.dimTextColour
                        wrapMode: Text.Wrap
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        visible: root.view.isoSurface.hasSurface
                        spacing: 8
                        Label { text: qsTr("Opacity"); color: root.textColour }
                        Slider {
                            objectName: "surfaceOpacitySlider"
                            Layout.fillWidth: true
                            Layout.preferredHeight: root.touchSize
                            from: 0.05
                            to: 1
                            value: root.view.isoSurface.opacity
                            onMoved: root.view.isoSurface.opacity = value
                        }
                        Button {
                            text: qsTr("Remove")
                            Layout.preferredHeight: root.touchSize
                            onClicked: root.view.isoSurface.removeSurface()
                        }
                    }
                }

                // --- meshes ---
                Repeater {
                    model: root.openPanel === "meshes" ? root.view.meshModel : null
                    delegate: ColumnLayout {
                        id: meshRow
                        required property int index
                        required property var model
                        Layout.fillWidth: true
                        spacing: 2

                        RowLayout {
                            Layout.fillWidth: true
                            spacing: 8
                            CheckBox {
                                Layout.preferredHeight: root.touchSize
                                checked: meshRow.model.meshVisible
                                onToggled: root.view.meshModel.setMeshVisible(meshRow.index, checked)
                            }
                            Rectangle {
                                width: 14; height: 14; radius: 7
                                color: Qt.rgba(meshRow.model.colour.x, meshRow.model.colour.y, meshRow.model.colour.z, 1)
                            }
                            Label {
                                Layout.fillWidth: true
                                text: meshRow.model.name === "" ? qsTr("(unnamed)") : meshRow.model.name
                                color: root.textColour
                                elide: Text.ElideRight
                            }
                            Label {
                                text: qsTr("%L1 tri").arg(meshRow.model.triangleCount)
                                color: root.dimTextColour
                                font.pixelSize: 11
                            }
                        }
                        Slider {
                            Layout.fillWidth: true
                            Layout.preferredHeight: root.touchSize * 0.8
                            from: 0
                            to: 1
                            value: meshRow.model.opacity
                            onMoved: root.view.meshModel.setOpacity(meshRow.index, value)
                        }
                    }
                }
            }
        }
    }
}
