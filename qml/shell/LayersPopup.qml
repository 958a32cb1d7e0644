// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Carina.Shell
import Carina.Controls

// The label layers of the study: show/hide each, show it in 3D and set its overlay opacity. Plugins that
// segment add layers; this list only mirrors and edits the document's display settings.
Popup {
    id: root

    required property Document document
    // Document getters are invokables: re-read them whenever the layers change.
    property int revision: 0

    width: Theme.touchTarget * 8
    padding: Theme.spacing
    modal: false
    focus: true
    background: Rectangle {
        color: Theme.panelRaised
        radius: Theme.radius
        border.color: Theme.divider
    }

    Connections {
        target: root.document
        function onLayersChanged() { root.revision++ }
        function onMeshesChanged() { root.revision++ }
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacing

        Text {
            text: qsTr("Label layers")
            color: Theme.text
            font.pixelSize: Theme.fontLarge
            font.bold: true
        }
        Text {
            Layout.fillWidth: true
            visible: root.document.layerCount === 0
            text: qsTr("No label layers yet. Tools that segment or annotate add their layers here.")
            wrapMode: Text.Wrap
            color: Theme.textDim
            font.pixelSize: Theme.fontNormal
        }
        Repeater {
            model: root.document.layerCount
            delegate: RowLayout {
                id: row
                required property int index
                objectName: "layerRow" + index
                Layout.fillWidth: true
                spacing: Theme.spacing

                Switch {
                    objectName: "layerVisible"
                    implicitHeight: Theme.touchTarget
                    checked: { root.revision; return root.document.layerVisible(row.index) }
                    onToggled: root.document.setLayerVisible(row.index, checked)
                }
                Text {
                    Layout.preferredWidth: Theme.touchTarget * 2.5
                    text: { root.revision; return root.document.layerName(row.index) }
                    elide: Text.ElideRight
                    color: Theme.text
                    font.pixelSize: Theme.fontNormal
                }
                // The layer in the 3D view: one mesh per label, following its edits.
                Button {
                    objectName: "layerIn3D"
                    text: qsTr("3D")
                    checkable: true
                    implicitHeight: Theme.touchTarget
                    implicitWidth: Theme.touchTarget
                    checked: { root.revision; return root.document.layerIn3D(row.index) }
                    onToggled: root.document.setLayerIn3D(row.index, checked)
                }
                Slider {
                    objectName: "layerOpacity"
                    Layout.fillWidth: true
                    implicitHeight: Theme.touchTarget
                    from: 0
                    to: 1
                    value: { root.revision; return root.document.layerOpacity(row.index) }
                    onMoved: root.document.setLayerOpacity(row.index, value)
                }
            }
        }
    }
}
