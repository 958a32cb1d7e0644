// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
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
    // A 2D image has no patient: the point as x, y from its top-left corner in its unit.
    function formatPlane(info) {
        const unit = root.document.lengthUnit
        const mmPer = unit === "um" ? 1e-3 : unit === "nm" ? 1e-6 : unit === "mm" ? 1 : 0
        if (mmPer === 0)
            return ""
        const symbol = unit === "um" ? "\u00b5m" : unit
        const s = root.document.spacing
        return "x " + Format.number(info.index.x * s.x / mmPer) + "  y " + Format.number(info.index.y * s.y / mmPer) + " " + symbol
    }
    readonly property bool flat: document !== null && document.hasImage && document.is2d
    // Whether the line describes the point under the pointer (else the crosshair, which the
    // slice headers show too).
    readonly property bool underPointer: probe !== null && probe !== undefined && probe.inside === true

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
            // Which point the line describes: the slice headers always show the crosshair's.
            objectName: "statusPointKind"
            visible: root.shown !== null
            text: root.underPointer ? "\u2196" : "\u2316"
            color: Theme.textDim
            font.pixelSize: Theme.fontNormal
            ToolTip.visible: kindHover.hovered
            ToolTip.text: root.underPointer ? qsTr("Under the pointer") : qsTr("At the crosshair")
            HoverHandler { id: kindHover }
        }
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
            objectName: "statusPosition"
            visible: root.shown !== null && text.length > 0
            text: !root.shown ? "" : root.flat ? root.formatPlane(root.shown) : root.formatLps(root.shown.lps)
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall + 1
            font.family: Theme.monoFamily
        }
        Text {
            visible: root.shown !== null
            text: !root.shown ? "" : root.flat ? "[" + root.shown.index.x + ", " + root.shown.index.y + "] px"
                                            : "[" + root.shown.index.x + ", " + root.shown.index.y + ", " + root.shown.index.z + "]"
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall + 1
            font.family: Theme.monoFamily
        }
        Text {
            objectName: "statusWindow"
            visible: root.document && root.document.hasImage
            text: root.document ? qsTr("Level %1  Width %2").arg(Format.number(root.document.windowCenter)).arg(Format.number(root.document.windowWidth)) : ""
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall + 1
            font.family: Theme.monoFamily
        }
        // The pixel size of a 2D (or uncalibrated) image, and where to set it.
        AbstractButton {
            id: pixelSizeButton
            objectName: "pixelSizeButton"
            visible: root.document && root.document.hasImage && (root.flat || root.document.lengthUnit !== "mm")
            Layout.fillHeight: true
            implicitWidth: pixelSizeText.implicitWidth + 8
            contentItem: Text {
                id: pixelSizeText
                text: root.document && root.document.pixelSizeText.length > 0
                      ? qsTr("Pixel %1").arg(root.document.pixelSizeText) : qsTr("Set pixel size\u2026")
                color: Theme.accent
                font.pixelSize: Theme.fontSmall + 1
                font.underline: pixelSizeButton.hovered
                verticalAlignment: Text.AlignVCenter
            }
            onClicked: {
                pixelSizeField.text = root.document.pixelSizeText
                pixelSizeError.text = ""
                pixelSizePopup.open()
            }
            Popup {
                id: pixelSizePopup
                objectName: "pixelSizePopup"
                y: -height - 4
                padding: Theme.spacing
                modal: true
                focus: true
                onOpened: pixelSizeField.forceActiveFocus()
                function apply() {
                    const problem = root.document.setPixelSize(pixelSizeField.text)
                    pixelSizeError.text = problem
                    if (problem.length === 0)
                        close()
                }
                ColumnLayout {
                    spacing: Theme.spacing
                    Label {
                        text: qsTr("Pixel size, with its unit (e.g. 0.65 \u00b5m, 650 nm, 0.5 mm)")
                    }
                    RowLayout {
                        TextField {
                            id: pixelSizeField
                            objectName: "pixelSizeField"
                            Layout.preferredWidth: 180
                            Layout.preferredHeight: Theme.touchTarget
                            placeholderText: "0.65 \u00b5m"
                            onAccepted: pixelSizePopup.apply()
                        }
                        Button {
                            objectName: "pixelSizeApply"
                            text: qsTr("Set")
                            highlighted: true
                            Layout.preferredHeight: Theme.touchTarget
                            onClicked: pixelSizePopup.apply()
                        }
                    }
                    Label {
                        id: pixelSizeError
                        objectName: "pixelSizeError"
                        visible: text.length > 0
                        color: Theme.error
                        Layout.maximumWidth: 360
                        wrapMode: Text.Wrap
                    }
                }
            }
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
