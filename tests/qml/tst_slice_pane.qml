// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtTest
import Carina.Shell

Item {
    id: root
    width: 600
    height: 600

    SlicePane {
        id: pane
        anchors.fill: parent
        document: testDocument
        plane: SliceView.Axial
    }

    TestCase {
        name: "SlicePane"
        when: windowShown

        function init() {
            pane.windowMode = false
            pane.view.resetView()
            testDocument.setWindow(40, 400)
            testDocument.cursorIndex = Qt.vector3d(32, 32, 20)
            tryCompare(pane.view, "sliceIndex", 20)
        }

        function drag(x0, y0, dx, dy) {
            const t = touchEvent(pane)
            t.press(0, pane, x0, y0).commit()
            const steps = 12
            for (let i = 1; i <= steps; ++i) {
                t.move(0, pane, x0 + dx * i / steps, y0 + dy * i / steps).commit()
                wait(5)
            }
            t.release(0, pane, x0 + dx, y0 + dy).commit()
            wait(20)
        }

        function test_one_finger_vertical_drag_pages_slices() {
            const before = pane.view.sliceIndex
            const cursorBefore = testDocument.cursorIndex
            const renders = pane.view.renderCount
            drag(300, 150, 0, 200)
            verify(pane.view.sliceIndex > before + 3, "paged from " + before + " to " + pane.view.sliceIndex)
            // Paging moves only the normal axis of the crosshair.
            compare(testDocument.cursorIndex.x, cursorBefore.x)
            compare(testDocument.cursorIndex.y, cursorBefore.y)
            tryVerify(() => pane.view.renderCount > renders, 1000, "the new slice was rendered")
            const down = pane.view.sliceIndex
            drag(300, 450, 0, -200)
            verify(pane.view.sliceIndex < down, "dragging up pages back")
        }

        function test_two_finger_pinch_zooms() {
            compare(pane.view.zoom, 1)
            const t = touchEvent(pane)
            t.press(0, pane, 260, 300).press(1, pane, 340, 300).commit()
            for (let i = 1; i <= 15; ++i) {
                t.move(0, pane, 260 - i * 8, 300).move(1, pane, 340 + i * 8, 300).commit()
                wait(5)
            }
            t.release(0, pane, 140, 300).release(1, pane, 460, 300).commit()
            // Fingers went from 80 px to 320 px apart; the handler starts after its threshold.
            verify(pane.view.zoom > 1.5, "zoom " + pane.view.zoom)
            compare(pane.view.sliceIndex, 20, "a pinch does not page")
        }

        function test_tap_moves_crosshair_in_plane() {
            const t = touchEvent(pane)
            t.press(0, pane, 150, 420).commit()
            t.release(0, pane, 150, 420).commit()
            tryVerify(() => Math.abs(pane.view.crosshair.x - 150) < 10 && Math.abs(pane.view.crosshair.y - 420) < 10,
                      1000, "crosshair at " + pane.view.crosshair)
            compare(pane.view.sliceIndex, 20, "a tap keeps the slice")
            // Patient left is on the image right: a tap left of centre is toward the patient's right.
            verify(testDocument.cursor.x < 0)
            // Anterior is up: a tap below the centre is posterior.
            verify(testDocument.cursor.y > 0)
        }

        function test_double_tap_fits_the_view() {
            pane.view.zoomAbout(3, Qt.point(100, 100))
            verify(pane.view.zoom > 2.9)
            const t = touchEvent(pane)
            t.press(0, pane, 300, 300).commit()
            t.release(0, pane, 300, 300).commit()
            wait(60)
            t.press(0, pane, 302, 301).commit()
            t.release(0, pane, 302, 301).commit()
            tryCompare(pane.view, "zoom", 1)
            compare(pane.view.pan, Qt.point(0, 0))
        }

        function test_window_mode_drag_changes_level_and_width() {
            pane.windowMode = true
            const slice = pane.view.sliceIndex
            drag(200, 200, 120, 80)
            verify(testDocument.windowWidth > 400, "width " + testDocument.windowWidth)
            verify(testDocument.windowCenter > 40, "level " + testDocument.windowCenter)
            compare(pane.view.sliceIndex, slice, "window mode does not page")
        }

        function test_mouse_double_click_fits_the_view() {
            pane.view.zoomAbout(2, Qt.point(100, 100))
            mouseClick(pane, 300, 300)
            mouseClick(pane, 300, 300)
            tryCompare(pane.view, "zoom", 1)
        }

        function test_mouse_wheel_pages() {
            mouseWheel(pane, 300, 300, 0, -120)
            tryCompare(pane.view, "sliceIndex", 21)
            mouseWheel(pane, 300, 300, 0, 120)
            tryCompare(pane.view, "sliceIndex", 20)
        }

        function test_pan_and_zoom_do_not_rerender() {
            wait(50)
            const renders = pane.view.renderCount
            pane.view.panBy(Qt.point(20, 10))
            pane.view.zoomAbout(1.5, Qt.point(300, 300))
            wait(50)
            compare(pane.view.renderCount, renders)
            testDocument.setWindow(-600, 1500)
            tryVerify(() => pane.view.renderCount === renders + 1)
        }

        function test_physical_and_item_coordinates_round_trip() {
            const p = Qt.point(233, 377)
            const lps = pane.view.itemToPhysical(p)
            const back = pane.view.physicalToItem(lps)
            fuzzyCompare(back.x, p.x, 0.01)
            fuzzyCompare(back.y, p.y, 0.01)
            compare(pane.view.edgeLabels, ["R", "L", "A", "P"])
        }
    }
}
