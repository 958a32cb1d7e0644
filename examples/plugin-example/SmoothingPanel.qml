// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Carina.Shell

// The shell sets `controller` (a SmoothingController) and `document`. The panel only binds and
// forwards intents: every state lives in the controller. Theme and TouchButton come from the
// shell (module Carina.Shell), so the panel has the shell's colours and touch-sized targets.
Pane {
    id: root

    property QtObject controller: null
    property QtObject document: null

    padding: Theme.spacing
    background: Rectangle { color: Theme.panel }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        Text {
            text: qsTr("Sigma: %1 mm").arg(sigmaSlider.value.toFixed(1))
            color: Theme.text
            font.pixelSize: Theme.fontNormal
        }
        Slider {
            id: sigmaSlider
            objectName: "sigmaSlider"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touchTarget
            from: 0.2
            to: 10
            stepSize: 0.1
            value: root.controller ? root.controller.sigmaMm : 1
            onMoved: root.controller.sigmaMm = value
        }
        // The controller's TaskRunner: busy, progress, status, error and cancel() for free.
        ProgressBar {
            Layout.fillWidth: true
            visible: root.controller !== null && root.controller.task.busy
            value: root.controller ? root.controller.task.progress : 0
        }
        RowLayout {
            spacing: Theme.spacing
            TouchButton {
                objectName: "applyButton"
                glyph: "\u25cc"
                text: qsTr("Smooth")
                tip: qsTr("Smooth the image with this sigma")
                enabled: root.controller !== null && !root.controller.task.busy
                onClicked: root.controller.apply()
            }
            TouchButton {
                objectName: "cancelButton"
                glyph: "\u2715"
                text: qsTr("Cancel")
                enabled: root.controller !== null && root.controller.task.busy
                onClicked: root.controller.task.cancel()
            }
            TouchButton {
                objectName: "originalButton"
                glyph: "\u21ba"
                text: qsTr("Original")
                tip: qsTr("Show the image as it was loaded")
                visible: root.document !== null && root.document.derivedImageName.length > 0
                onClicked: root.document.showLoadedImage()
            }
        }
        Text {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.text
            font.pixelSize: Theme.fontNormal
            visible: text.length > 0
            text: root.controller ? root.controller.task.status : ""
        }
        Text {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.error
            font.pixelSize: Theme.fontNormal
            visible: text.length > 0
            text: root.controller ? root.controller.task.error : ""
        }
        Item { Layout.fillHeight: true }
    }
}
