// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Layouts
import Carina.Shell
import Carina.Controls

// One line under the views: the value and position under the finger or mouse (or at the
// crosshair), the window, and what the image is.
Rectangle {
    id: root

    required property Document document
    property string units: ""
    // The last SliceView.probe() result; empty = describe the crosshair instead.
    property var probe: ({})

    function formatValue(info) {
        if (!info || !info.inside)
            return "\u2014"
        if (info.rgb !== undefined)
            return "RGB " + info.rgb.map(v => Math.round(v)).join(", ")
        const v = info.value
        const text = Number.isInteger(v) ? v.toString() : v.toPrecision(5)
        return root.units.length > 0 ? text + " " + root.units : text
    }
    function formatLps(p) {
        // LPS with the patient side spelled out: negative L is right, negative P anterior.
        return Format.side(p.x, "L", "R") + "  " + Format.side(p.y, "P", "A") + "  " + Format.side(p.z, "S", "I") + " mm"
    }

    // Under the pointer when it is over an image, else at the crosshair.
    readonly property var shown: {
        if (probe && probe.inside)
            return probe
        if (!document || !document.hasImage)
            return null
        const c = document.cursor
        const i = document.cursorIndex
        return { "inside": true, "value": document.valueAtPhysical(c), "lps": c,
                 "index": Qt.vector3d(Math.round(i.x), Math.round(i.y), Math.round(i.z)) }
    }

    implicitHeight: Math.round(Theme.touchTarget * 0.6)
    color: Theme.panel

    Rectangle {
        anchors.top: parent.top
        width: parent.width
        height: 1
        color: Theme.divider
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing
        anchors.rightMargin: Theme.spacing
        spacing: Theme.spacing * 2

        Text {
            objectName: "statusValue"
            text: root.document && root.document.hasImage ? root.formatValue(root.shown) : qsTr("No image")
            color: Theme.text
            font.pixelSize: Theme.fontNormal
            font.family: Theme.monoFamily
            font.bold: true
            Layout.minimumWidth: 110
        }
        Text {
            visible: root.shown !== null
            text: root.shown ? root.formatLps(root.shown.lps) : ""
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall + 1
            font.family: Theme.monoFamily
        }
        Text {
            visible: root.shown !== null
            text: root.shown ? "[" + root.shown.index.x + ", " + root.shown.index.y + ", " + root.shown.index.z + "]" : ""
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall + 1
            font.family: Theme.monoFamily
        }
        Text {
            visible: root.document && root.document.hasImage
            text: root.document ? "W " + Math.round(root.document.windowWidth) + "  L " + Math.round(root.document.windowCenter) : ""
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall + 1
            font.family: Theme.monoFamily
        }
        Text {
            // Takes what the line leaves and gives way first: on an upright tablet it is cut
            // at its end, never pushed off the window.
            objectName: "statusImageSummary"
            Layout.fillWidth: true
            Layout.minimumWidth: 0
            horizontalAlignment: Text.AlignRight
            text: root.document && root.document.hasImage ? root.document.imageSummary : ""
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall + 1
            elide: Text.ElideRight
        }
    }
}
