// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls


// A tool-bar button at least one touch target in size, with an optional glyph above or
// beside its label, and a tooltip for mouse users.
ToolButton {
    id: root

    property string glyph: ""
    property string tip: ""

    implicitHeight: Theme.touchTarget
    implicitWidth: Math.max(Theme.touchTarget, contentItem.implicitWidth + 2 * Theme.spacing)
    focusPolicy: Qt.TabFocus
    hoverEnabled: true
    // Gone once pressed, until the pointer leaves: a tip must not cover the menu the button opens.
    property bool tipDismissed: false
    onPressed: tipDismissed = true
    onHoveredChanged: if (!hovered) tipDismissed = false
    ToolTip.visible: hovered && tip.length > 0 && !tipDismissed
    ToolTip.delay: 600
    ToolTip.text: tip

    contentItem: Row {
        spacing: Theme.spacing / 2
        Text {
            anchors.verticalCenter: parent.verticalCenter
            visible: root.glyph.length > 0
            text: root.glyph
            font.pixelSize: Theme.fontLarge + 2
            color: root.checked ? Theme.accent : root.enabled ? Theme.text : Theme.textDim
        }
        Text {
            anchors.verticalCenter: parent.verticalCenter
            visible: root.text.length > 0
            text: root.text
            font.pixelSize: Theme.fontNormal
            color: root.checked ? Theme.accent : root.enabled ? Theme.text : Theme.textDim
        }
    }
    background: Rectangle {
        radius: Theme.radius
        color: root.down ? Theme.divider : root.checked ? Qt.rgba(0.29, 0.64, 0.87, 0.16)
                                                        : root.hovered ? Theme.panelRaised : "transparent"
        border.width: root.checked ? 1 : 0
        border.color: Theme.accent
    }
}
