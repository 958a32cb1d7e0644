// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import Carina.Shell
import Carina.Controls

// One slice view with its gestures, crosshair and annotations.
// Touch: one-finger vertical drag pages, tap moves the crosshair, two fingers zoom and pan,
// double tap fits. With `windowMode` a drag changes level (vertical) and width (horizontal).
// Mouse: wheel pages (Ctrl+wheel zooms), right-drag changes the window, middle-drag pans.
// With a drawing tool of `annotation` active, one finger (pen, left button) draws instead;
// two fingers still zoom and pan, the wheel still pages, right and middle drags still work.
Item {
    id: root

    required property Document document
    property int plane: SliceView.Axial
    property bool windowMode: false
    property bool maximised: false
    // Magnified pixels smoothed instead of drawn as blocks (one setting for every view).
    property bool smoothPixels: false
    property AnnotationController annotation: null
    readonly property bool drawing: annotation !== null && annotation.drawing && hasImage
    readonly property alias view: view
    readonly property bool hasImage: document !== null && document.hasImage
    // A photo or micrograph: no patient directions, slice numbers or positions along a normal.
    readonly property bool flat: hasImage && document.is2d

    // What lies under the pointer (SliceView.probe), for the status line.
    signal probed(var info)
    signal maximiseToggled()
    signal smoothPixelsToggled()

    function planeColour() {
        return Theme.planeColour(plane)
    }

    clip: true

    Rectangle {
        anchors.fill: parent
        color: Theme.viewBackground
    }

    SliceView {
        id: view
        objectName: "sliceView"
        anchors.fill: parent
        document: root.document
        plane: root.plane
        smoothPixels: root.smoothPixels
    }

    StrokeOverlay {
        anchors.fill: parent
        visible: root.annotation !== null
        annotation: root.annotation
        view: root.view
        hovering: hover.hovered && root.drawing
        hoverPoint: hover.point.position
    }

    // Crosshair: the other two planes through the shared cursor, in their plane colours, with
    // a gap at the centre so the voxel under the cursor stays visible.
    Item {
        id: crosshair
        readonly property rect area: view.imageRect
        readonly property point centre: view.crosshair
        readonly property int gap: 10
        readonly property color verticalColour: Theme.planeColour(root.plane === SliceView.Sagittal ? SliceView.Coronal : SliceView.Sagittal)
        readonly property color horizontalColour: Theme.planeColour(root.plane === SliceView.Axial ? SliceView.Coronal : SliceView.Axial)
        anchors.fill: parent
        visible: root.hasImage
        opacity: 0.75

        Rectangle { // vertical, above the centre
            x: Math.round(crosshair.centre.x) - width / 2
            y: crosshair.area.y
            width: 1
            height: Math.max(0, crosshair.centre.y - crosshair.gap - crosshair.area.y)
            color: crosshair.verticalColour
        }
        Rectangle { // vertical, below
            x: Math.round(crosshair.centre.x) - width / 2
            y: crosshair.centre.y + crosshair.gap
            width: 1
            height: Math.max(0, crosshair.area.y + crosshair.area.height - y)
            color: crosshair.verticalColour
        }
        Rectangle { // horizontal, left
            x: crosshair.area.x
            y: Math.round(crosshair.centre.y) - height / 2
            width: Math.max(0, crosshair.centre.x - crosshair.gap - crosshair.area.x)
            height: 1
            color: crosshair.horizontalColour
        }
        Rectangle { // horizontal, right
            x: crosshair.centre.x + crosshair.gap
            y: Math.round(crosshair.centre.y) - height / 2
            width: Math.max(0, crosshair.area.x + crosshair.area.width - x)
            height: 1
            color: crosshair.horizontalColour
        }
    }

    // Patient directions at the edges (a 2D image has none).
    Repeater {
        model: root.hasImage && !root.flat ? view.edgeLabels : []
        delegate: Text {
            required property int index
            required property string modelData
            text: modelData
            color: Theme.textOnImage
            opacity: 0.85
            // Raised, not outlined: an outlined bold "I" reads as a box.
            style: Text.Raised
            styleColor: "black"
            font.pixelSize: Theme.fontLarge
            font.bold: true
            x: index === 0 ? 6 : index === 1 ? root.width - width - 6 : (root.width - width) / 2
            // In a narrow view the top letter moves below the badge instead of under it.
            y: index === 2 ? (root.width < 480 ? badge.y + badge.height + 2 : 6)
                           : index === 3 ? root.height - height - 6 : (root.height - height) / 2
        }
    }

    // Plane badge, slice number and position.
    Row {
        id: badge
        x: 6
        y: 6
        spacing: 8
        Rectangle {
            width: planeText.implicitWidth + 12
            height: planeText.implicitHeight + 6
            radius: 3
            color: Qt.rgba(0, 0, 0, 0.55)
            border.color: root.planeColour()
            border.width: 1
            Text {
                id: planeText
                anchors.centerIn: parent
                text: root.flat ? qsTr("Image") : view.planeName
                color: root.planeColour()
                font.pixelSize: Theme.fontSmall
                font.bold: true
            }
        }
        Text {
            anchors.verticalCenter: parent.verticalCenter
            visible: root.hasImage && !root.flat
            text: (view.sliceIndex + 1) + " / " + view.sliceCount + "   "
                  // The slice's position with its side, as the status bar writes it ("I 165.5").
                  + (root.plane === SliceView.Axial ? Format.side(view.slicePositionMm, "S", "I")
                     : root.plane === SliceView.Coronal ? Format.side(view.slicePositionMm, "P", "A")
                     : Format.side(view.slicePositionMm, "L", "R")) + " mm"
            color: Theme.textOnImage
            style: Text.Outline
            styleColor: "black"
            font.pixelSize: Theme.fontSmall
            font.family: Theme.monoFamily
        }
    }

    // The zoom, readable on any image (light on a dark plate), and how magnified pixels are
    // drawn: as blocks once one covers several screen pixels, or smoothed.
    Row {
        objectName: "zoomBadge"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 6
        anchors.rightMargin: Theme.touchTarget + 6
        spacing: 4
        visible: root.hasImage && (Math.abs(view.zoom - 1) > 0.01 || view.pixelsMagnified)
        Rectangle {
            anchors.verticalCenter: parent.verticalCenter
            width: zoomText.implicitWidth + 12
            height: zoomText.implicitHeight + 6
            radius: 3
            color: Qt.rgba(0, 0, 0, 0.6)
            Text {
                id: zoomText
                objectName: "zoomLabel"
                anchors.centerIn: parent
                text: Math.round(view.zoom * 100) + " %"
                color: Theme.textOnImage
                font.pixelSize: Theme.fontSmall
                font.bold: true
            }
        }
        TouchButton {
            objectName: "smoothButton"
            visible: view.pixelsMagnified
            glyph: view.smoothPixels ? "\u25cc" : "\u25a6"
            tip: view.smoothPixels ? qsTr("Smoothed: tap to show each pixel as a block")
                                   : qsTr("Pixels as blocks: tap to smooth them")
            opacity: 0.85
            onClicked: root.smoothPixelsToggled()
        }
    }

    // Gestures. Handlers take the pointer in this order: two fingers pinch, one finger drags
    // (paging, or the window in window mode), a tap without movement moves the crosshair.
    PinchHandler {
        id: pinch
        property real lastScale: 1
        property point lastCentroid
        target: null
        minimumPointCount: 2
        maximumPointCount: 2
        onActiveChanged: {
            lastScale = scale
            lastCentroid = centroid.position
            // A second finger turns a stroke into a pinch: drop what the first finger drew.
            if (active && root.annotation !== null && root.annotation.stroking)
                root.annotation.cancel()
        }
        onScaleChanged: {
            if (!active || lastScale <= 0)
                return
            view.zoomAbout(scale / lastScale, centroid.position)
            lastScale = scale
        }
        onCentroidChanged: {
            if (!active)
                return
            view.panBy(Qt.point(centroid.position.x - lastCentroid.x, centroid.position.y - lastCentroid.y))
            lastCentroid = centroid.position
        }
    }

    DragHandler {
        id: drag
        property real lastX: 0
        property real lastY: 0
        property real pending: 0
        target: null
        minimumPointCount: 1
        maximumPointCount: 1
        // While drawing, one finger and the left button belong to the pen: the mouse keeps its
        // right (window) and middle (pan) drags.
        acceptedDevices: root.drawing ? PointerDevice.Mouse | PointerDevice.TouchPad : PointerDevice.AllDevices
        acceptedButtons: root.drawing ? Qt.RightButton | Qt.MiddleButton : Qt.LeftButton | Qt.RightButton | Qt.MiddleButton
        // A full-height swipe pages through about the whole stack, never slower than one
        // slice per 24 px nor faster than one per 4 px.
        readonly property real pixelsPerSlice: Math.max(4, Math.min(24, root.height / Math.max(1, view.sliceCount)))
        onActiveChanged: {
            lastX = 0
            lastY = 0
            pending = 0
        }
        onTranslationChanged: {
            if (!active || !root.hasImage)
                return
            const dx = translation.x - lastX
            const dy = translation.y - lastY
            lastX = translation.x
            lastY = translation.y
            const button = centroid.pressedButtons
            if (button & Qt.MiddleButton) {
                view.panBy(Qt.point(dx, dy))
            } else if (root.windowMode || (button & Qt.RightButton)) {
                // Sensitivity follows the window: fine for a brain window, fast for a lung one.
                const k = Math.max(0.5, root.document.windowWidth / 256)
                root.document.setWindow(root.document.windowCenter + dy * k,
                                        Math.max(1, root.document.windowWidth + dx * k))
            } else {
                pending += dy
                const steps = pending > 0 ? Math.floor(pending / pixelsPerSlice) : Math.ceil(pending / pixelsPerSlice)
                if (steps !== 0) {
                    pending -= steps * pixelsPerSlice
                    view.pageBy(steps)
                }
            }
        }
    }

    // Drawing: a point handler takes the press at once (a brush dab needs no drag threshold)
    // and only grabs passively, so a second finger still reaches the pinch.
    PointHandler {
        id: drawHandler
        property point last
        enabled: root.drawing
        acceptedButtons: Qt.LeftButton
        function finish() {
            if (root.annotation !== null && root.annotation.stroking && !pinch.active)
                root.annotation.release(view, last)
        }
        onActiveChanged: {
            if (active) {
                last = point.position
                root.annotation.press(view, point.position)
            } else {
                // Later in this event turn: when a pinch took the point over, its cancel
                // (below, or the pinch's activation) comes first and nothing is committed.
                Qt.callLater(finish)
            }
        }
        onGrabChanged: (transition, eventPoint) => {
            if (transition === PointerDevice.CancelGrabPassive || transition === PointerDevice.CancelGrabExclusive
                    || transition === PointerDevice.OverrideGrabPassive)
                root.annotation.cancel()
        }
        onPointChanged: {
            if (!active || pinch.active)
                return
            last = point.position
            root.annotation.move(view, point.position)
        }
    }

    TapHandler {
        enabled: !root.drawing
        gesturePolicy: TapHandler.DragThreshold
        onTapped: (eventPoint, button) => {
            // The first tap of a double tap has moved the crosshair already; the second fits.
            if (tapCount >= 2) {
                view.resetView()
                return
            }
            view.setCursorAt(eventPoint.position)
            root.probed(view.probe(eventPoint.position))
        }
    }

    WheelHandler {
        acceptedDevices: PointerDevice.Mouse | PointerDevice.TouchPad
        onWheel: (event) => {
            const delta = event.angleDelta.y !== 0 ? event.angleDelta.y : event.angleDelta.x
            if (delta === 0)
                return
            if (event.modifiers & Qt.ControlModifier)
                view.zoomAbout(delta > 0 ? 1.15 : 1 / 1.15, point.position)
            else
                view.pageBy(delta > 0 ? -1 : 1)
        }
    }

    HoverHandler {
        id: hover
        onPointChanged: if (hovered) root.probed(view.probe(point.position))
        // Leaving the view: the status line goes back to the crosshair.
        onHoveredChanged: if (!hovered) root.probed({})
    }

    TouchButton {
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        glyph: root.maximised ? "\u229f" : "\u229e"
        tip: root.maximised ? qsTr("Show all views") : qsTr("Enlarge this view")
        opacity: 0.8
        onClicked: root.maximiseToggled()
    }
}
