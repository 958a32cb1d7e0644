// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
pragma Singleton
import QtQuick

// Colours, type sizes and touch target sizes of Carina's shell and of every plugin panel: a dark,
// low-glare palette for reading rooms, where the image must be the brightest thing on the screen.
// Sizes follow the screen's density, so targets stay finger-sized on a dense tablet.
QtObject {
    id: root

    // Pixels per millimetre of the primary screen; 96 dpi when the screen does not say.
    readonly property real pixelsPerMm: {
        const screens = Qt.application.screens
        const density = screens.length > 0 ? screens[0].pixelDensity : 0
        return density > 0 ? density : 96 / 25.4
    }
    // Fingers need about 9 mm; never below 48 px, Material's and Apple's minimum.
    readonly property int touchTarget: Math.max(48, Math.round(9 * pixelsPerMm))
    readonly property int spacing: Math.round(touchTarget / 6)
    // The usual gap between a panel's rows and controls (same as spacing; the name panels use).
    readonly property int gap: spacing
    readonly property int radius: 6

    readonly property color background: "#0e1013"
    readonly property color viewBackground: "#000000"
    readonly property color panel: "#171a1f"
    readonly property color panelRaised: "#20242b"
    readonly property color divider: "#2c313a"
    readonly property color text: "#d5d9e0"
    readonly property color textDim: "#8a93a3"
    readonly property color textOnImage: "#e8ecf2"
    readonly property color accent: "#4aa3df"
    readonly property color warning: "#e0a63a"
    readonly property color error: "#e0605a"
    readonly property color success: "#5cb85c"
    // Plots: light bars on a dark well, the selected range in the accent colour.
    readonly property color plotWell: Qt.rgba(0, 0, 0, 0.35)
    readonly property color plotBar: Qt.rgba(0.85, 0.88, 0.92, 0.75)

    // Plane colours as 3D Slicer uses them (red axial, green coronal, yellow sagittal),
    // toned down for a dark room; each view's badge and the crosshair lines use them.
    readonly property color axialColour: "#d9534f"
    readonly property color coronalColour: "#5cb85c"
    readonly property color sagittalColour: "#e6c229"
    readonly property color view3dColour: "#4aa3df"

    readonly property int fontSmall: 12
    readonly property int fontNormal: 14
    readonly property int fontLarge: 17
    readonly property string monoFamily: "DejaVu Sans Mono"

    function planeColour(plane) {
        return plane === 0 ? axialColour : plane === 1 ? coronalColour : sagittalColour
    }
}
