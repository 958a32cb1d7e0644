// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Carina.Shell
import Carina.Controls

// Offered at start when an earlier run ended without closing (a crash): restore its autosave
// or discard it. Nothing is deleted until the user says so.
Rectangle {
    id: root

    property string summary: ""
    property bool afterCrash: true

    signal restore()
    signal discard()

    implicitHeight: layout.implicitHeight + 2 * Theme.spacing
    radius: Theme.radius
    color: Theme.panelRaised
    border.color: Theme.accent
    border.width: 1

    RowLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        Text {
            Layout.alignment: Qt.AlignTop
            text: "\u21bb"
            color: Theme.accent
            font.pixelSize: Theme.fontLarge + 4
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Text {
                Layout.fillWidth: true
                text: root.afterCrash ? qsTr("Carina did not close normally last time")
                                      : qsTr("Unsaved work from the last time Carina was open")
                color: Theme.text
                font.pixelSize: Theme.fontNormal
                font.bold: true
                elide: Text.ElideRight
            }
            Text {
                Layout.fillWidth: true
                text: root.summary
                color: Theme.text
                font.pixelSize: Theme.fontSmall + 1
                wrapMode: Text.Wrap
            }
        }
        Button {
            objectName: "restoreButton"
            text: qsTr("Restore")
            highlighted: true
            implicitHeight: Theme.touchTarget
            onClicked: root.restore()
        }
        Button {
            objectName: "discardButton"
            text: qsTr("Discard")
            implicitHeight: Theme.touchTarget
            onClicked: root.discard()
        }
    }
}
