// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The shell sets `controller` (a SmoothingController) and `document`. The panel only binds and
// forwards intents: every state lives in the controller.
Item {
    id: root

    property QtObject controller: null
    property QtObject document: null
    // Touch targets of at least 9 mm, as the shell's own controls.
    readonly property real touchTarget: Math.max(48, Screen.pixelDensity * 9)

    ColumnLayout {
        anchors.fill: parent
        spacing: 12

        Label {
            text: qsTr("Sigma: %1 mm").arg(sigmaSlider.value.toFixed(1))
        }
        Slider {
            id: sigmaSlider
            objectName: "sigmaSlider"
            Layout.fillWidth: true
            Layout.preferredHeight: root.touchTarget
            from: 0.2
            to: 10
            stepSize: 0.1
            value: root.controller ? root.controller.sigmaMm : 1
            onMoved: root.controller.sigmaMm = value
        }
        ProgressBar {
            Layout.fillWidth: true
            visible: root.controller !== null && root.controller.busy
            value: root.controller ? root.controller.progress : 0
        }
        RowLayout {
            Button {
                objectName: "applyButton"
                Layout.preferredHeight: root.touchTarget
                text: qsTr("Smooth")
                enabled: root.controller !== null && !root.controller.busy
                onClicked: root.controller.apply()
            }
            Button {
                Layout.preferredHeight: root.touchTarget
                text: qsTr("Cancel")
                enabled: root.controller !== null && root.controller.busy
                onClicked: root.controller.cancel()
            }
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: "#ff8a80"
            text: root.controller ? root.controller.error : ""
        }
        Item { Layout.fillHeight: true }
    }
}
