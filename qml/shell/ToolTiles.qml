// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Carina.Shell
import Carina.Controls

// The plugins as tool tiles: a column at the side in landscape, a row in portrait. Plugins
// that failed to load are shown greyed with the reason, so the user knows what is missing.
ListView {
    id: root

    property string activeId: ""

    signal activated(string pluginId, string name)
    signal retryRequested(string filePath)

    readonly property int tileSize: Math.round(Theme.touchTarget * 1.9)

    clip: true
    spacing: Theme.spacing
    boundsBehavior: Flickable.StopAtBounds

    header: Item {
        width: root.orientation === ListView.Vertical ? root.width - root.leftMargin - root.rightMargin : 0
        height: root.orientation === ListView.Vertical ? toolsLabel.implicitHeight + Theme.spacing : 0
        Text {
            id: toolsLabel
            visible: root.orientation === ListView.Vertical
            text: qsTr("TOOLS")
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall - 1
            font.letterSpacing: 1.2
            anchors.horizontalCenter: parent.horizontalCenter
        }
    }

    delegate: AbstractButton {
        id: tile
        required property string pluginId
        required property string name
        required property url iconUrl
        required property string description
        required property bool loaded
        required property string error
        required property string filePath
        required property bool retryable

        // Inside the list's margins, or the far border and the end of a long name are clipped.
        width: root.orientation === ListView.Vertical ? root.width - root.leftMargin - root.rightMargin : root.tileSize * 1.4
        height: root.orientation === ListView.Vertical ? root.tileSize : root.height - root.topMargin - root.bottomMargin
        // A plugin that crashed a start can be tapped to try it again at the next start.
        enabled: loaded || retryable
        hoverEnabled: true
        ToolTip.visible: hovered || pressed
        ToolTip.delay: 500
        ToolTip.text: loaded ? description
                             : retryable ? qsTr("Not loaded: %1. Tap to load it again at the next start.").arg(error)
                                         : qsTr("Not loaded: %1").arg(error)
        onClicked: loaded ? root.activated(pluginId, name) : root.retryRequested(filePath)

        background: Rectangle {
            radius: Theme.radius
            color: tile.pluginId === root.activeId ? Qt.rgba(0.29, 0.64, 0.87, 0.18)
                                                  : tile.hovered ? Theme.panelRaised : Theme.panel
            border.color: tile.pluginId === root.activeId ? Theme.accent : Theme.divider
            border.width: 1
        }
        contentItem: ColumnLayout {
            spacing: 2
            opacity: tile.loaded ? 1 : 0.45
            Image {
                id: icon
                objectName: "tileIcon"
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredWidth: Math.round(Theme.touchTarget * 0.7)
                Layout.preferredHeight: Layout.preferredWidth
                visible: status === Image.Ready
                source: tile.iconUrl
                sourceSize.width: Layout.preferredWidth * Screen.devicePixelRatio
                sourceSize.height: Layout.preferredHeight * Screen.devicePixelRatio
                fillMode: Image.PreserveAspectFit
            }
            // Without an icon: the name's initial in a ring.
            Rectangle {
                visible: !icon.visible
                Layout.alignment: Qt.AlignHCenter
                width: Math.round(Theme.touchTarget * 0.7)
                height: width
                radius: width / 2
                color: "transparent"
                border.color: tile.loaded ? Theme.accent : Theme.textDim
                border.width: 2
                Text {
                    anchors.centerIn: parent
                    text: tile.name.length > 0 ? tile.name.charAt(0).toUpperCase() : "?"
                    color: tile.loaded ? Theme.accent : Theme.textDim
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                }
            }
            Text {
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                text: tile.name
                color: Theme.text
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
                maximumLineCount: 2
                elide: Text.ElideRight
            }
            Text {
                Layout.fillWidth: true
                visible: !tile.loaded
                horizontalAlignment: Text.AlignHCenter
                text: tile.error
                color: Theme.error
                font.pixelSize: Theme.fontSmall - 2
                wrapMode: Text.Wrap
                maximumLineCount: 2
                elide: Text.ElideRight
            }
        }
    }

    Text {
        anchors.centerIn: parent
        width: parent.width - 8
        visible: root.count === 0
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        text: qsTr("No plugins found")
        color: Theme.textDim
        font.pixelSize: Theme.fontSmall
    }
}
