// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Shapes
import Carina.Shell
import Carina.Controls

// A 24 x 24 line icon from an SVG path, scaled to `size`: crisp at any density, no image files.
Shape {
    id: root

    property string path: ""
    property color colour: Theme.text
    property bool filled: false
    property real size: 24

    implicitWidth: size
    implicitHeight: size
    layer.enabled: true
    layer.samples: 4

    ShapePath {
        scale: Qt.size(root.size / 24, root.size / 24)
        strokeColor: root.colour
        strokeWidth: 1.8
        fillColor: root.filled ? root.colour : "transparent"
        capStyle: ShapePath.RoundCap
        joinStyle: ShapePath.RoundJoin
        PathSvg { path: root.path }
    }
}
