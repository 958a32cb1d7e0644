// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Carina.Shell
import Carina.Controls

// A message across the top of the view area: errors stay until dismissed, warnings too
// (they describe the image being read, e.g. a gap in a series).
Rectangle {
    id: root

    property string title: ""
    property string message: ""
    property bool isError: true

    signal dismissed()

    implicitHeight: layout.implicitHeight + 2 * Theme.spacing
    radius: Theme.radius
    color: Qt.darker(isError ? Theme.error : Theme.warning, 3.2)
    border.color: isError ? Theme.error : Theme.warning
    border.width: 1

    RowLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        Text {
            Layout.alignment: Qt.AlignTop
            text: "\u26a0"
            color: root.isError ? Theme.error : Theme.warning
            font.pixelSize: Theme.fontLarge + 4
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Text {
                Layout.fillWidth: true
                text: root.title
                color: Theme.text
                font.pixelSize: Theme.fontNormal
                font.bold: true
                elide: Text.ElideRight
            }
            Text {
                Layout.fillWidth: true
                text: root.message
                color: Theme.text
                font.pixelSize: Theme.fontSmall + 1
                wrapMode: Text.Wrap
                maximumLineCount: 6
                elide: Text.ElideRight
            }
        }
        TouchButton {
            Layout.alignment: Qt.AlignTop
            glyph: "\u2715"
            tip: qsTr("Dismiss")
            onClicked: root.dismissed()
        }
    }
}
