// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A number the user types, with its unit after it and its limits enforced: a value out of
// [from, to] is clamped when the edit ends, text that is no number restores the last value.
// Like HistogramPlot, it does not set `value` itself: valueModified(value) tells the owner.
RowLayout {
    id: root

    property real value: 0
    property real from: -1e9
    property real to: 1e9
    property int decimals: 0
    property string unit: ""
    property alias field: input
    signal valueModified(real value)

    spacing: Theme.spacing / 2

    TextField {
        id: input
        objectName: "numberInput"
        Layout.preferredWidth: Theme.touchTarget * 2
        Layout.preferredHeight: Theme.touchTarget
        horizontalAlignment: TextInput.AlignRight
        inputMethodHints: Qt.ImhFormattedNumbersOnly
        // The locale's decimal point; the typographic minus shown is typed as '-'.
        text: Format.number(root.value, root.decimals).replace("\u2212", "-")
        selectByMouse: true
        onEditingFinished: {
            const parsed = Number.fromLocaleString(Qt.locale(), text.replace("\u2212", "-"))
            if (isNaN(parsed)) {
                text = Format.number(root.value, root.decimals).replace("\u2212", "-")
                return
            }
            const clamped = Math.min(Math.max(parsed, root.from), root.to)
            const rounded = Number(clamped.toFixed(root.decimals))
            text = Format.number(rounded, root.decimals).replace("\u2212", "-")
            if (rounded !== root.value)
                root.valueModified(rounded)
        }
    }
    Label {
        visible: root.unit.length > 0
        text: root.unit
        color: Theme.textDim
        font.pixelSize: Theme.fontNormal
    }
}
