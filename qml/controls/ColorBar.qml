// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick

// The key of a colour map: a bar running through `colours` (evenly spaced stops) from `from`
// to `to`, with the two ends written under it.
Item {
    id: root

    property var colours: ["#000000", "#ffffff"]
    property real from: 0
    property real to: 1
    property string unit: ""

    implicitWidth: 240
    implicitHeight: bar.height + ends.implicitHeight + 2

    onColoursChanged: bar.requestPaint()

    Canvas {
        id: bar
        objectName: "colorBar"
        width: parent.width
        height: Math.round(Theme.touchTarget / 3)
        onWidthChanged: requestPaint()
        onPaint: {
            const ctx = getContext("2d")
            ctx.reset()
            const n = root.colours.length
            if (n === 0)
                return
            const gradient = ctx.createLinearGradient(0, 0, width, 0)
            for (let i = 0; i < n; ++i)
                gradient.addColorStop(n === 1 ? 0 : i / (n - 1), root.colours[i])
            ctx.fillStyle = gradient
            ctx.fillRect(0, 0, width, height)
        }
    }
    Item {
        id: ends
        anchors.top: bar.bottom
        anchors.topMargin: 2
        width: parent.width
        implicitHeight: fromText.implicitHeight
        Text {
            id: fromText
            text: Format.withUnit(root.from, root.unit)
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall
        }
        Text {
            anchors.right: parent.right
            text: Format.withUnit(root.to, root.unit)
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall
        }
    }
}
