// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Carina.Controls
import Example.Smoothing

// The shell gives the panel its `controller` (a SmoothingController) and the `document` when it
// creates it. The panel only binds and forwards intents: every state lives in the controller.
// Theme, TouchButton and NumberField come from Carina.Controls, the host's module for plugin
// panels, so the panel has the shell's colours and touch-sized targets on any screen.
Pane {
    id: root

    required property SmoothingController controller
    required property Document document

    padding: Theme.spacing
    background: Rectangle { color: Theme.panel }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        RowLayout {
            spacing: Theme.spacing
            Text {
                text: qsTr("Sigma")
                color: Theme.text
                font.pixelSize: Theme.fontNormal
            }
            // The controls never set their own value: they ask, the controller decides.
            NumberField {
                objectName: "sigmaField"
                value: root.controller.sigmaMm
                from: 0.2
                to: 10
                decimals: 1
                unit: "mm"
                onValueModified: (value) => root.controller.sigmaMm = value
            }
        }
        Slider {
            id: sigmaSlider
            objectName: "sigmaSlider"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touchTarget
            from: 0.2
            to: 10
            stepSize: 0.1
            value: root.controller.sigmaMm
            onMoved: root.controller.sigmaMm = value
        }
        // The controller's TaskRunner: busy, progress, status, error and cancel() for free.
        ProgressBar {
            Layout.fillWidth: true
            visible: root.controller.task.busy
            value: root.controller.task.progress
        }
        RowLayout {
            spacing: Theme.spacing
            TouchButton {
                objectName: "applyButton"
                glyph: "\u25cc"
                text: qsTr("Smooth")
                tip: qsTr("Smooth the image with this sigma")
                enabled: !root.controller.task.busy
                onClicked: root.controller.apply()
            }
            TouchButton {
                objectName: "cancelButton"
                glyph: "\u2715"
                text: qsTr("Cancel")
                enabled: root.controller.task.busy
                onClicked: root.controller.task.cancel()
            }
            TouchButton {
                objectName: "originalButton"
                glyph: "\u21ba"
                text: qsTr("Original")
                tip: qsTr("Show the image as it was loaded")
                visible: root.document.derivedImageName.length > 0
                onClicked: root.document.showLoadedImage()
            }
        }
        Text {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.text
            font.pixelSize: Theme.fontNormal
            visible: text.length > 0
            text: root.controller.task.status
        }
        Text {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.error
            font.pixelSize: Theme.fontNormal
            visible: text.length > 0
            text: root.controller.task.error
        }
        Item { Layout.fillHeight: true }
    }
}
