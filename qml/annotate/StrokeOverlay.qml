// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Shapes
import Carina.Shell

// The stroke being drawn in one slice view, mapped from the controller's LPS points into the
// view at its current zoom and pan: lasso and rectangle filled translucent in the label colour
// with a dashed edge, the squiggle as a band of its real width in mm, and the brush or eraser
// as a ring of its size under the finger (or the mouse).
Item {
    id: root

    required property AnnotationController annotation
    required property SliceView view
    property point hoverPoint
    property bool hovering: false

    readonly property int tool: annotation.tool
    readonly property bool brushLike: tool === AnnotationController.Brush || tool === AnnotationController.Eraser
    readonly property bool closed: tool === AnnotationController.Lasso || tool === AnnotationController.Rectangle
    // What a plugin receives from a brush is its path, so draw it like a squiggle then.
    readonly property bool band: tool === AnnotationController.Squiggle
                                 || (brushLike && annotation.shapeConsumer.length > 0)
    readonly property real bandWidth: (tool === AnnotationController.Squiggle ? annotation.squiggleWidthMm
                                                                              : 2 * annotation.brushRadiusMm) * view.pixelsPerMm
    readonly property var points: {
        annotation.strokeRevision
        view.imageRect
        return annotation.strokeItemPoints(view)
    }
    readonly property var outline: closed && points.length > 1 ? points.concat([points[0]]) : points
    readonly property color colour: tool === AnnotationController.Eraser ? "#ffffff" : annotation.activeColour

    Shape {
        anchors.fill: parent
        visible: root.points.length > 1 && (root.closed || root.band)
        // Multisampled so edges stay smooth on a still image; the shape is small to redraw.
        layer.enabled: visible
        layer.samples: 4

        ShapePath {
            strokeColor: root.closed ? root.colour : Qt.rgba(root.colour.r, root.colour.g, root.colour.b, 0.55)
            strokeWidth: root.closed ? 2 : Math.max(1, root.bandWidth)
            fillColor: root.closed ? Qt.rgba(root.colour.r, root.colour.g, root.colour.b, 0.28) : "transparent"
            fillRule: ShapePath.WindingFill
            capStyle: ShapePath.RoundCap
            joinStyle: ShapePath.RoundJoin
            PathPolyline { path: root.outline }
        }
        ShapePath {
            // A thin light line along the path keeps it visible on any label colour.
            strokeColor: Qt.rgba(1, 1, 1, 0.85)
            strokeWidth: 1
            fillColor: "transparent"
            strokeStyle: root.closed ? ShapePath.DashLine : ShapePath.SolidLine
            dashPattern: [4, 3]
            capStyle: ShapePath.RoundCap
            joinStyle: ShapePath.RoundJoin
            PathPolyline { path: root.outline }
        }
    }

    Rectangle {
        readonly property point at: root.annotation.stroking && root.points.length > 0
                                    ? root.points[root.points.length - 1] : root.hoverPoint
        readonly property real r: Math.max(2, root.annotation.brushRadiusMm * root.view.pixelsPerMm)
        visible: root.brushLike && root.annotation.drawing
                 && ((root.annotation.stroking && root.points.length > 0) || root.hovering)
        x: at.x - r
        y: at.y - r
        width: 2 * r
        height: 2 * r
        radius: r
        color: "transparent"
        border.width: 2
        border.color: root.colour
        Rectangle {
            anchors.fill: parent
            anchors.margins: 2
            radius: width / 2
            color: "transparent"
            border.width: 1
            border.color: Qt.rgba(0, 0, 0, 0.6)
        }
    }
}
