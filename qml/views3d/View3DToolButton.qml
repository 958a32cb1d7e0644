// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls

// A touch-sized, translucent button for the 3D view's overlay.
Button {
    id: root

    property int touchSize: 48

    implicitWidth: Math.max(touchSize * 1.6, contentItem.implicitWidth + 24)
    implicitHeight: touchSize
    focusPolicy: Qt.NoFocus

    contentItem: Text {
        text: root.text
        font: root.font
        color: root.enabled ? "#e6e9ee" : "#6b7380"
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
    background: Rectangle {
        radius: 8
        color: root.checked ? Qt.rgba(0.22, 0.45, 0.75, 0.9)
                            : root.down ? Qt.rgba(0.25, 0.28, 0.33, 0.95) : Qt.rgba(0.08, 0.10, 0.13, 0.78)
        border.color: Qt.rgba(1, 1, 1, root.checked ? 0.25 : 0.10)
    }
}
