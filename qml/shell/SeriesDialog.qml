// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Carina.Shell
import Carina.Controls

// Asks which series to open when a folder holds several; the largest is preselected.
Dialog {
    id: root

    property var series: []
    property int chosen: 0

    signal seriesChosen(int index)

    title: qsTr("This folder holds %1 series").arg(series.length)
    modal: true
    standardButtons: Dialog.Open | Dialog.Cancel
    width: Math.min(parent ? parent.width - 40 : 560, 560)
    onOpened: chosen = 0
    onAccepted: seriesChosen(chosen)

    contentItem: ListView {
        implicitHeight: Math.min(contentHeight, 360)
        clip: true
        model: root.series
        delegate: ItemDelegate {
            required property int index
            required property var modelData
            width: ListView.view.width
            height: Theme.touchTarget + 8
            highlighted: index === root.chosen
            onClicked: root.chosen = index
            onDoubleClicked: {
                root.chosen = index
                root.accept()
            }
            contentItem: ColumnLayout {
                spacing: 0
                Text {
                    text: (modelData.description.length > 0 ? modelData.description : qsTr("(no description)"))
                    color: Theme.text
                    font.pixelSize: Theme.fontNormal
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Text {
                    text: modelData.modality + "  \u00b7  " + qsTr("%1 slices").arg(modelData.slices)
                          + "  \u00b7  " + modelData.columns + " \u00d7 " + modelData.rows
                    color: Theme.textDim
                    font.pixelSize: Theme.fontSmall
                }
            }
        }
    }
}
