// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtTest
import Carina.Shell

// Scribbles drawn by touch with the shell's brush on cells_512 train the classifier: three
// classes give a segmentation with accuracy >= 0.9 against the ground truth; a second stroke
// retrains and updates it.
Item {
    id: root
    width: 700
    height: 700

    AnnotationController {
        id: tools
        document: testDocument
    }

    SlicePane {
        id: pane
        anchors.fill: parent
        document: testDocument
        plane: SliceView.Axial
        annotation: tools
    }

    TestCase {
        name: "TrainableTouch"
        when: windowShown

        // One finger along the voxel row y from x0 to x1 (a point every few px, as screens report).
        function strokeVoxels(x0, y, x1) {
            const a = pane.view.physicalToItem(Qt.vector3d(x0, y, 0))
            const b = pane.view.physicalToItem(Qt.vector3d(x1, y, 0))
            const p = pane.mapFromItem(pane.view, a.x, a.y)
            const q = pane.mapFromItem(pane.view, b.x, b.y)
            const t = touchEvent(pane)
            t.press(0, pane, p.x, p.y).commit()
            const n = Math.max(2, Math.ceil((q.x - p.x) / 5))
            for (let k = 1; k <= n; ++k) {
                t.move(0, pane, p.x + (q.x - p.x) * k / n, p.y).commit()
                wait(2)
            }
            t.release(0, pane, q.x, q.y).commit()
            wait(10)
        }

        function test_three_classes_then_a_second_stroke() {
            if (!haveData)
                skip("anchor data missing: run ../shared/anchors/gen_data.py (CARINA_ANCHOR_DATA)")
            pane.view.resetView()
            // The brush first: picking it hands strokes back to the layers; the panel's switch
            // then claims them for the scribbles.
            tools.tool = AnnotationController.Brush
            tools.brushRadiusMm = 1.5
            trainable.drawing = true
            compare(testDocument.shapeConsumer, "trainable")
            for (let label = 1; label <= 3; ++label) {
                trainable.activeClass = label
                const runs = reference.runs(label, label === 3 ? 6 : 10, 8)
                verify(runs.length >= 2, "class " + label + ": " + runs.length + " runs")
                for (const r of runs)
                    strokeVoxels(r[0], r[1], r[2])
            }
            verify(trainable.scribbleVoxels > 50, trainable.scribbleVoxels + " scribbled voxels")
            tryVerify(() => trainable.trained && !trainable.task.busy && testDocument.findLayer("Segmentation") >= 0, 60000)
            const first = reference.accuracy()
            console.log("accuracy", first, "from", trainable.scribbleVoxels, "scribbled voxels")
            verify(first >= 0.9, "accuracy " + first)

            // A second stroke of the cell body updates the overlay.
            const before = trainable.predictions
            trainable.activeClass = 2
            const more = reference.runs(2, 12, 6)
            const r = more[more.length - 1]
            strokeVoxels(r[0], r[1], r[2])
            tryVerify(() => trainable.predictions > before && !trainable.task.busy, 60000)
            verify(reference.accuracy() >= 0.9, "accuracy after the second stroke " + reference.accuracy())
        }
    }
}
