// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Scene3D
import Carina.Shell

// The 3D view: the document's meshes (colour, opacity, visibility) and the three slice planes
// at the cursor, orbited around the scene centre.
// Touch: one finger orbits, two fingers pinch to zoom and drag to pan, double tap fits the view.
// Mouse: left drag orbits, right/middle drag pans, wheel zooms.
// The default view looks at the patient from the front (anterior) with superior up: in LPS the
// camera sits at centre - distance * y with up +z, so the patient's left is on screen right.
Item {
    id: root

    /// The carina::Document shown.
    property QtObject document
    /// Slice planes shown in 3D.
    property bool slicesVisible: true
    /// Orbit state: degrees around the superior axis (0 = from the front) and above the horizon.
    property real azimuth: 0
    property real elevation: 0
    property real distance: 500
    property vector3d target: Qt.vector3d(0, 0, 0)
    readonly property real fieldOfView: 30
    readonly property alias meshModel: meshModel
    readonly property alias isoSurface: isoSurface
    readonly property alias camera: scene.camera
    // Sizes for touch: 48 px is about 9 mm at 1x.
    readonly property int touchSize: 48
    readonly property int spacing: 8

    /// Fits the scene (the image box, or the meshes without an image) and looks from the front.
    function resetView() {
        azimuth = 0
        // A 2D image faces the camera as the slice view shows it (columns to the right, rows
        // down): seen from below its plane, not edge-on from the front.
        elevation = root.document && root.document.hasImage && root.document.is2d ? -89 : 0
        target = meshModel.center
        const vfov = fieldOfView * Math.PI / 180
        const aspect = width > 0 && height > 0 ? width / height : 1
        const hfov = 2 * Math.atan(Math.tan(vfov / 2) * aspect)
        // The bounding sphere over-covers the box, so fit 85 % of it: the box corners may touch.
        distance = 0.85 * meshModel.radius / Math.sin(Math.min(vfov, hfov) / 2)
    }
    function orbit(dx, dy) {
        azimuth = (azimuth - dx * 0.4) % 360
        elevation = Math.max(-89, Math.min(89, elevation + dy * 0.4))
    }
    function zoom(factor) {
        const r = meshModel.radius
        distance = Math.max(0.05 * r, Math.min(20 * r, distance / factor))
    }
    function pan(dx, dy) {
        // Screen pixels to mm at the orbit centre, so the centre moves with the finger.
        const mmPerPixel = 2 * distance * Math.tan(fieldOfView * Math.PI / 360) / Math.max(1, height)
        const right = cameraRight()
        const up = cameraUp()
        target = target.minus(right.times(dx * mmPerPixel)).plus(up.times(dy * mmPerPixel))
    }
    function viewDirection() {
        const a = azimuth * Math.PI / 180
        const e = elevation * Math.PI / 180
        // From the target towards the camera.
        return Qt.vector3d(Math.sin(a) * Math.cos(e), -Math.cos(a) * Math.cos(e), Math.sin(e))
    }
    function cameraRight() {
        return viewDirection().times(-1).crossProduct(Qt.vector3d(0, 0, 1)).normalized()
    }
    /// The patient direction (LPS) a view-space direction points to most: one of R L A P I S.
    function patientDirection(v) {
        const ax = Math.abs(v.x), ay = Math.abs(v.y), az = Math.abs(v.z)
        if (ax >= ay && ax >= az)
            return v.x > 0 ? "L" : "R"
        if (ay >= az)
            return v.y > 0 ? "P" : "A"
        return v.z > 0 ? "S" : "I"
    }
    function cameraUp() {
        return cameraRight().crossProduct(viewDirection().times(-1)).normalized()
    }

    onWidthChanged: if (!viewMoved) resetView()
    onHeightChanged: if (!viewMoved) resetView()
    // Until the user moves the camera, the view follows resizes and new images.
    property bool viewMoved: false

    MeshSceneModel {
        id: meshModel
        document: root.document
        onBoundsChanged: {
            root.viewMoved = false
            root.resetView()
        }
    }

    IsoSurfaceBuilder {
        id: isoSurface
        document: root.document
    }

    Rectangle {
        // Shown until Scene3D's first frame, in the background's bottom colour.
        anchors.fill: parent
        color: "#07090c"
    }

    Scene3D {
        id: scene3d
        objectName: "scene3d"
        anchors.fill: parent
        aspects: ["render"]
        cameraAspectRatioMode: Scene3D.AutomaticAspectRatio
        multisample: true

        View3DScene {
            id: scene
            meshModel: meshModel
            document: root.document
            slicesVisible: root.slicesVisible
            cameraPosition: root.target.plus(root.viewDirection().times(root.distance))
            cameraTarget: root.target
            fieldOfView: root.fieldOfView
            // Tight near/far planes keep the 24-bit depth buffer precise around the scene.
            nearPlane: Math.max(0.5, root.distance - 2 * meshModel.radius, root.distance * 0.01)
            farPlane: root.distance + 2 * meshModel.radius
        }
    }

    Item {
        id: interaction
        objectName: "interaction"
        anchors.fill: parent

        DragHandler {
            id: orbitHandler
            property point last
            target: null
            acceptedButtons: Qt.LeftButton
            maximumPointCount: 1
            dragThreshold: 4
            onActiveChanged: {
                last = centroid.position
                if (active)
                    root.viewMoved = true
            }
            onCentroidChanged: {
                if (!active)
                    return
                root.orbit(centroid.position.x - last.x, centroid.position.y - last.y)
                last = centroid.position
            }
        }
        DragHandler {
            id: panHandler
            property point last
            target: null
            acceptedDevices: PointerDevice.Mouse
            acceptedButtons: Qt.RightButton | Qt.MiddleButton
            onActiveChanged: {
                last = centroid.position
                if (active)
                    root.viewMoved = true
            }
            onCentroidChanged: {
                if (!active)
                    return
                root.pan(centroid.position.x - last.x, centroid.position.y - last.y)
                last = centroid.position
            }
        }
        PinchHandler {
            id: pinchHandler
            property point last
            property real startDistance
            target: null
            minimumPointCount: 2
            maximumPointCount: 2
            onActiveChanged: {
                last = centroid.position
                startDistance = root.distance
                if (active)
                    root.viewMoved = true
            }
            onActiveScaleChanged: {
                if (active && activeScale > 0) {
                    root.distance = startDistance
                    root.zoom(activeScale)
                }
            }
            onCentroidChanged: {
                if (!active)
                    return
                root.pan(centroid.position.x - last.x, centroid.position.y - last.y)
                last = centroid.position
            }
        }
        WheelHandler {
            target: null
            acceptedDevices: PointerDevice.Mouse | PointerDevice.TouchPad
            onWheel: event => {
                root.viewMoved = true
                root.zoom(Math.pow(1.0015, event.angleDelta.y))
            }
        }
        TapHandler {
            onDoubleTapped: {
                root.viewMoved = false
                root.resetView()
            }
        }
    }

    // Patient directions at the edges (R/L, A/P, S/I), as in the slice views; a 2D image has none.
    Repeater {
        model: root.document && root.document.hasImage && root.document.is2d ? [] : [
            { edge: "left", sign: -1, axis: "right" },
            { edge: "right", sign: 1, axis: "right" },
            { edge: "top", sign: 1, axis: "up" },
            { edge: "bottom", sign: -1, axis: "up" }
        ]
        delegate: Text {
            required property var modelData
            readonly property vector3d direction: (modelData.axis === "right" ? root.cameraRight() : root.cameraUp()).times(modelData.sign)
            objectName: "orientation-" + modelData.edge
            text: root.patientDirection(direction)
            color: "#c9d1dc"
            opacity: 0.75
            font.pixelSize: 15
            font.bold: true
            x: modelData.edge === "left" ? root.spacing : modelData.edge === "right" ? root.width - width - root.spacing
               : (root.width - width) / 2
            y: modelData.edge === "top" ? root.spacing : modelData.edge === "bottom" ? root.height - height - root.spacing
               : (root.height - height) / 2
        }
    }

    View3DOverlay {
        anchors.fill: parent
        anchors.margins: root.spacing
        view: root
    }
}
