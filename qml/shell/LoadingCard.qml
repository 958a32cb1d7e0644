// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Carina.Shell
import Carina.Controls

// Progress of a running load, with Cancel. The views stay usable underneath.
Rectangle {
    id: root

    property real progress: 0
    property string message: ""

    signal canceled()

    implicitWidth: Math.min(460, parent ? parent.width - 2 * Theme.spacing : 460)
    implicitHeight: layout.implicitHeight + 2 * Theme.spacing
    radius: Theme.radius
    color: Theme.panelRaised
    border.color: Theme.divider

    RowLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing
        ColumnLayout {
            Layout.fillWidth: true
            Text {
                Layout.fillWidth: true
                text: root.message
                color: Theme.text
                font.pixelSize: Theme.fontNormal
                elide: Text.ElideMiddle
            }
            ProgressBar {
                Layout.fillWidth: true
                from: 0
                to: 1
                value: root.progress
                indeterminate: root.progress <= 0
            }
        }
        Button {
            text: qsTr("Cancel")
            implicitHeight: Theme.touchTarget
            onClicked: root.canceled()
        }
    }
}
