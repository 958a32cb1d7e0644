// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick

// A histogram with an optional value range that a finger or the mouse drags on the plot itself.
//
// The plot never changes `low` and `high` itself: dragging emits rangeEdited(low, high), and the
// owner (usually a controller binding) sets them. So the range shown is always the one in force.
// Counts can be drawn linearly, on a square-root scale (small bins of a lesion stay visible
// beside the lung's peak) or on a log scale.
Item {
    id: root

    // Counts per bin, first bin at `minimum`, last bin ending at `maximum`.
    property var counts: []
    property real minimum: 0
    property real maximum: 1
    // "linear", "sqrt" or "log"
    property string scale: "sqrt"
    property string unit: ""

    // The range: shown and draggable while rangeEnabled.
    property bool rangeEnabled: false
    property real low: minimum
    property real high: maximum
    readonly property string rangeText: Format.range(low, high, unit)
    signal rangeEdited(real low, real high)

    property color barColor: Theme.plotBar
    property color rangeColor: Theme.accent

    readonly property real peak: {
        let p = 0
        for (let i = 0; i < counts.length; ++i)
            p = Math.max(p, counts[i])
        return p
    }

    // The fraction 0..1 of the plot's height for `count` on the chosen scale.
    function barFraction(count) {
        if (count <= 0 || peak <= 0)
            return 0
        if (scale === "log")
            return Math.log(1 + count) / Math.log(1 + peak)
        if (scale === "sqrt")
            return Math.sqrt(count / peak)
        return count / peak
    }
    function xOfValue(value) {
        return (value - minimum) / Math.max(maximum - minimum, 1e-12) * width
    }
    function valueOfX(x) {
        return minimum + Math.min(Math.max(x, 0), width) / Math.max(width, 1) * (maximum - minimum)
    }

    implicitWidth: 320
    implicitHeight: 160

    onCountsChanged: bars.requestPaint()
    onScaleChanged: bars.requestPaint()
    onWidthChanged: bars.requestPaint()
    onHeightChanged: bars.requestPaint()

    Rectangle {
        anchors.fill: parent
        color: Theme.plotWell
        radius: 4
    }

    Canvas {
        id: bars
        objectName: "histogramBars"
        anchors.fill: parent
        onPaint: {
            const ctx = getContext("2d")
            ctx.reset()
            const n = root.counts.length
            if (n === 0)
                return
            ctx.fillStyle = root.barColor
            const w = width / n
            for (let i = 0; i < n; ++i) {
                const f = root.barFraction(root.counts[i])
                if (f <= 0)
                    continue
                // A bin that holds anything stays at least 2 px high.
                const h = Math.max(2, f * height)
                ctx.fillRect(i * w, height - h, Math.max(1, w - (w > 3 ? 1 : 0)), h)
            }
        }
    }

    // The range: a tint between two handles, each a line with a finger-sized grab area.
    // A range reaching past the plot (a wide window over a narrow histogram) is cut at its edges.
    Rectangle {
        objectName: "rangeTint"
        readonly property real fromX: Math.max(0, Math.min(root.width, root.xOfValue(Math.min(root.low, root.high))))
        readonly property real toX: Math.max(0, Math.min(root.width, root.xOfValue(Math.max(root.low, root.high))))
        visible: root.rangeEnabled
        x: fromX
        width: Math.max(2, toX - fromX)
        height: parent.height
        color: Qt.rgba(root.rangeColor.r, root.rangeColor.g, root.rangeColor.b, 0.18)
    }
    Repeater {
        model: root.rangeEnabled ? 2 : 0
        Rectangle {
            readonly property real at: root.xOfValue(index === 0 ? root.low : root.high)
            objectName: index === 0 ? "lowHandle" : "highHandle"
            visible: at >= 0 && at <= root.width
            x: at - width / 2
            width: 3
            height: root.height
            color: root.rangeColor
            Rectangle {
                anchors.horizontalCenter: parent.horizontalCenter
                y: parent.height / 2 - height / 2
                width: 12
                height: 28
                radius: 4
                color: root.rangeColor
            }
        }
    }

    Text {
        objectName: "rangeText"
        visible: root.rangeEnabled
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: 4
        text: root.rangeText
        color: Theme.text
        font.pixelSize: Theme.fontSmall
    }

    // A press picks the nearer handle (anywhere on the plot, so a finger need not hit a 3 px
    // line) and drags it; the two handles cannot cross.
    MouseArea {
        id: dragArea
        objectName: "rangeDragArea"
        anchors.fill: parent
        enabled: root.rangeEnabled
        preventStealing: true
        property int handle: -1
        function move(x) {
            const v = root.valueOfX(x)
            if (handle === 0)
                root.rangeEdited(Math.min(v, root.high), root.high)
            else if (handle === 1)
                root.rangeEdited(root.low, Math.max(v, root.low))
        }
        onPressed: (mouse) => {
            const dLow = Math.abs(mouse.x - root.xOfValue(root.low))
            const dHigh = Math.abs(mouse.x - root.xOfValue(root.high))
            handle = dLow < dHigh || (dLow === dHigh && mouse.x < root.xOfValue(root.low)) ? 0 : 1
            move(mouse.x)
        }
        onPositionChanged: (mouse) => move(mouse.x)
        onReleased: handle = -1
        onCanceled: handle = -1
    }
}
