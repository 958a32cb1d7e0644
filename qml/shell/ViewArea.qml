// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import Carina.Shell
import Carina.Controls

// The four views (axial, coronal, sagittal, 3D) in a 2x2 grid or as one big view with the
// others in a strip (beside it in landscape, below it in portrait). The views are created
// once and only moved, so switching layout keeps their zoom and the 3D camera.
Item {
    id: root

    enum Layout { Auto, Grid, Focus }

    required property Document document
    property var controller: null
    property int layoutMode: ViewArea.Layout.Auto
    // Index of the big view in the focus layout: 0 axial, 1 coronal, 2 sagittal, 3 3D.
    property int focusIndex: 0
    property bool windowMode: false
    // Magnified pixels smoothed (true) or drawn as blocks (the default).
    property bool smoothPixels: false
    // A 2D image: one view of it; the 3D view beside it only in the grid layout.
    readonly property bool flat: document !== null && document.hasImage && document.is2d
    // The drawing tools every slice view forwards its strokes to (null: no drawing).
    property AnnotationController annotation: null
    readonly property bool portrait: height > width
    // Auto: the grid fits a landscape screen; in portrait a big view is more useful.
    readonly property bool focusLayout: layoutMode === ViewArea.Layout.Focus
                                        || (layoutMode === ViewArea.Layout.Auto && portrait)
    readonly property int gap: 2

    signal probed(var info)

    function resetViews() {
        axial.view.resetView()
        coronal.view.resetView()
        sagittal.view.resetView()
        view3d.resetView()
    }

    function toggleFocus(index) {
        if (focusLayout && focusIndex === index) {
            layoutMode = ViewArea.Layout.Grid
        } else {
            focusIndex = index
            layoutMode = ViewArea.Layout.Focus
        }
    }

    // Geometry of view `index` in the current layout.
    function cell(index) {
        const g = gap
        if (flat) {
            // The image alone, or beside (portrait: above) the 3D view in the grid layout.
            if (layoutMode !== ViewArea.Layout.Grid)
                return index === 0 ? Qt.rect(0, 0, width, height) : Qt.rect(0, 0, 0, 0)
            if (index !== 0 && index !== 3)
                return Qt.rect(0, 0, 0, 0)
            if (portrait) {
                const h = (height - g) / 2
                return Qt.rect(0, index === 0 ? 0 : h + g, width, h)
            }
            const w = (width - g) / 2
            return Qt.rect(index === 0 ? 0 : w + g, 0, w, height)
        }
        if (!focusLayout) {
            const w = (width - g) / 2
            const h = (height - g) / 2
            return Qt.rect((index % 2) * (w + g), Math.floor(index / 2) * (h + g), w, h)
        }
        // The other three in order, in a strip a third of the short side deep.
        const others = [0, 1, 2, 3].filter(i => i !== focusIndex)
        const slot = others.indexOf(index)
        if (portrait) {
            const stripH = Math.round(Math.min(height / 4, (width - 2 * g) / 3))
            const bigH = height - stripH - g
            if (index === focusIndex)
                return Qt.rect(0, 0, width, bigH)
            const w = (width - 2 * g) / 3
            return Qt.rect(slot * (w + g), bigH + g, w, stripH)
        }
        const stripW = Math.round(Math.min(width / 4, (height - 2 * g) / 3 * 1.2))
        const bigW = width - stripW - g
        if (index === focusIndex)
            return Qt.rect(0, 0, bigW, height)
        const h = (height - 2 * g) / 3
        return Qt.rect(bigW + g, slot * (h + g), stripW, h)
    }

    Rectangle {
        anchors.fill: parent
        color: Theme.divider
    }

    SlicePane {
        id: axial
        objectName: "axialPane"
        readonly property rect r: root.cell(0)
        x: r.x; y: r.y; width: r.width; height: r.height
        document: root.document
        plane: SliceView.Axial
        windowMode: root.windowMode
        annotation: root.annotation
        maximised: root.focusLayout && root.focusIndex === 0
        onProbed: (info) => root.probed(info)
        onMaximiseToggled: root.toggleFocus(0)
        smoothPixels: root.smoothPixels
        onSmoothPixelsToggled: root.smoothPixels = !root.smoothPixels
    }
    SlicePane {
        id: coronal
        objectName: "coronalPane"
        readonly property rect r: root.cell(1)
        x: r.x; y: r.y; width: r.width; height: r.height
        document: root.document
        plane: SliceView.Coronal
        windowMode: root.windowMode
        annotation: root.annotation
        maximised: root.focusLayout && root.focusIndex === 1
        onProbed: (info) => root.probed(info)
        onMaximiseToggled: root.toggleFocus(1)
        smoothPixels: root.smoothPixels
        onSmoothPixelsToggled: root.smoothPixels = !root.smoothPixels
        visible: !root.flat
    }
    SlicePane {
        id: sagittal
        objectName: "sagittalPane"
        readonly property rect r: root.cell(2)
        x: r.x; y: r.y; width: r.width; height: r.height
        document: root.document
        plane: SliceView.Sagittal
        windowMode: root.windowMode
        annotation: root.annotation
        maximised: root.focusLayout && root.focusIndex === 2
        onProbed: (info) => root.probed(info)
        onMaximiseToggled: root.toggleFocus(2)
        smoothPixels: root.smoothPixels
        onSmoothPixelsToggled: root.smoothPixels = !root.smoothPixels
        visible: !root.flat
    }
    Item {
        id: view3dCell
        objectName: "view3dPane"
        readonly property rect r: root.cell(3)
        x: r.x; y: r.y; width: r.width; height: r.height
        visible: !root.flat || root.layoutMode === ViewArea.Layout.Grid
        clip: true

        View3D {
            id: view3d
            objectName: "view3d"
            anchors.fill: parent
            document: root.document
        }
        Rectangle {
            x: 6
            y: 6
            width: label3d.implicitWidth + 12
            height: label3d.implicitHeight + 6
            radius: 3
            color: Qt.rgba(0, 0, 0, 0.55)
            border.color: Theme.view3dColour
            Text {
                id: label3d
                anchors.centerIn: parent
                text: qsTr("3D")
                color: Theme.view3dColour
                font.pixelSize: Theme.fontSmall
                font.bold: true
            }
        }
        TouchButton {
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            glyph: root.focusLayout && root.focusIndex === 3 ? "\u229f" : "\u229e"
            tip: qsTr("Enlarge this view")
            opacity: 0.8
            onClicked: root.toggleFocus(3)
        }
    }
}
