// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Carina.Controls
import Carina.Plugins.LabelProps

// The Label properties panel: mirrors LabelPropsController (labelling parameters, the region
// table, colour by column, selection) and its RegionTableModel. No logic beyond layout.
Pane {
    id: root

    // Set by the shell: the LabelPropsController and the carina::Document.
    // Given by the shell when it creates the panel.
    required property LabelPropsController controller
    required property Document document

    readonly property real touchTarget: Theme.touchTarget
    readonly property real gap: Theme.gap
    readonly property real columnWidth: 104
    readonly property color textColor: Theme.text
    readonly property color accentColor: Theme.accent
    readonly property RegionTableModel table: controller.table
    readonly property bool hasResult: controller.hasResult
    // The measurement's busy, progress, status and error: the controller's TaskRunner.
    readonly property TaskRunner task: controller.task
    readonly property bool busy: task.busy

    // The source choices: thresholding, then each label layer.
    // (Loops: qmllint of Qt 6.4 takes a JS array for a QVariantList without concat or indexOf.)
    function sourceNames(layers) {
        const names = [qsTr("Threshold the image")]
        for (let i = 0; i < layers.length; ++i)
            names[i + 1] = qsTr("Layer: %1").arg(layers[i])
        return names
    }
    function indexIn(list, value) {
        for (let i = 0; i < list.length; ++i) {
            if (list[i] === value)
                return i
        }
        return -1
    }

    // matplotlib's plasma at 0, 1/4, ..., 1 (the contours' colour map).
    readonly property var plasmaStops: ["#0d0887", "#7e03a8", "#cc4778", "#f89540", "#f0f921"]

    // " (17.5 µm²)" from the physical area column of a region (area_um2, area_mm2, ...), if any.
    function physicalArea(props) {
        for (const key in props) {
            if (key.startsWith("area_") && key.endsWith("2") && props[key] !== undefined)
                return " (" + props[key] + " " + key.substring(5, key.length - 1).replace("um", "\u00b5m") + "\u00b2)"
        }
        return ""
    }

    function format(value) {
        if (value === undefined || isNaN(value))
            return "–";
        return Math.abs(value) >= 1000 || Number.isInteger(value) ? Math.round(value).toString() : value.toPrecision(4);
    }

    padding: gap
    implicitWidth: 440

    ColumnLayout {
        anchors.fill: parent
        spacing: root.gap

        // --- what to measure ---
        GridLayout {
            Layout.fillWidth: true
            columns: 2
            columnSpacing: root.gap
            rowSpacing: 2

            Label { text: qsTr("Objects"); color: root.textColor }
            ComboBox {
                id: sourceBox
                objectName: "sourceBox"
                Layout.fillWidth: true
                // As wide as the column leaves, not as its longest entry ("Layer: ...") wants.
                Layout.preferredWidth: 1
                Layout.preferredHeight: root.touchTarget
                model: root.sourceNames(root.controller.layerNames)
                currentIndex: root.controller.sourceLayer + 1
                onActivated: index => root.controller.sourceLayer = index - 1
            }

            Label { text: qsTr("Threshold"); color: root.textColor; visible: thresholdRow.visible }
            RowLayout {
                id: thresholdRow
                visible: root.controller.sourceLayer < 0
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Switch {
                    id: otsuSwitch
                    objectName: "otsuSwitch"
                    text: qsTr("Otsu")
                    Layout.preferredHeight: root.touchTarget
                    checked: root.controller.otsu
                    onToggled: root.controller.otsu = checked
                }
                TextField {
                    objectName: "thresholdField"
                    Layout.fillWidth: true
                    Layout.preferredHeight: root.touchTarget
                    enabled: !otsuSwitch.checked
                    inputMethodHints: Qt.ImhFormattedNumbersOnly
                    validator: DoubleValidator {}
                    text: root.controller.otsu && root.hasResult && !isNaN(root.controller.usedThreshold)
                          ? root.format(root.controller.usedThreshold) : root.format(root.controller.threshold)
                    onEditingFinished: root.controller.threshold = Number.fromLocaleString(Qt.locale(), text)
                }
            }

            // Rows of their own: side by side they made the panel wider than the drawer.
            Item { visible: thresholdRow.visible; Layout.preferredWidth: 1 }
            Switch {
                objectName: "darkSwitch"
                visible: thresholdRow.visible
                text: qsTr("Dark objects")
                Layout.fillWidth: true
                Layout.preferredHeight: root.touchTarget
                checked: root.controller.darkObjects
                onToggled: root.controller.darkObjects = checked
            }

            Label { text: qsTr("Neighbours"); color: root.textColor; visible: thresholdRow.visible }
            ComboBox {
                objectName: "connectivityBox"
                visible: thresholdRow.visible
                Layout.preferredHeight: root.touchTarget
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                model: root.controller.neighbourChoices
                currentIndex: Math.max(0, model.indexOf(root.controller.neighbours))
                Component.onCompleted: if (root.controller.neighbours === 0) currentIndex = count - 1
                onActivated: index => root.controller.neighbours = model[index]
            }
            Label { text: qsTr("Min size"); color: root.textColor; visible: thresholdRow.visible }
            SpinBox {
                objectName: "minSizeBox"
                visible: thresholdRow.visible
                Layout.preferredHeight: root.touchTarget
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                // Material's spin box is as wide as 1000000 needs: let the column decide, so its
                // "+" stays inside the panel.
                Layout.minimumWidth: root.touchTarget * 3
                from: 0
                to: 1000000
                editable: true
                value: root.controller.minSize
                onValueModified: root.controller.minSize = value
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Button {
                objectName: "measureButton"
                text: qsTr("Measure")
                highlighted: true
                Layout.preferredHeight: root.touchTarget
                enabled: root.document.hasImage && !root.busy
                onClicked: root.controller.run()
            }
            Button {
                objectName: "cancelButton"
                text: qsTr("Cancel")
                visible: root.busy
                Layout.preferredHeight: root.touchTarget
                onClicked: root.task.cancel()
            }
            ProgressBar {
                objectName: "progressBar"
                Layout.fillWidth: true
                visible: root.busy
                value: root.task ? root.task.progress : 0
            }
            Label {
                objectName: "statusLabel"
                Layout.fillWidth: true
                // Wrapped, not cut: "1559 regions, threshold 0.27" is the answer the user waits for.
                wrapMode: Text.Wrap
                color: root.textColor
                // While measuring: the running step ("Labelling"); then what the run found.
                text: root.task ? (root.busy ? root.task.progressText : root.task.status) : ""
            }
        }
        Label {
            objectName: "errorLabel"
            Layout.fillWidth: true
            visible: text.length > 0
            wrapMode: Text.Wrap
            color: "#ff6b6b"
            text: root.task ? root.task.error : ""
        }

        // --- filters: applied a moment after typing stops, or at once by Apply / Enter ---
        RowLayout {
            Layout.fillWidth: true
            TextField {
                id: expressionField
                objectName: "expressionField"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: root.touchTarget
                enabled: root.hasResult
                placeholderText: qsTr("Filter, e.g. area < 1000 and perimeter > 200")
                function apply() {
                    filterTimer.stop()
                    if (root.table && root.table.expression !== text)
                        root.table.expression = text
                }
                onTextEdited: filterTimer.restart()
                onAccepted: apply()
                onEditingFinished: apply()
                // Follow expressions set elsewhere (Clear filters, a restored session) unless typing.
                Connections {
                    target: root.table
                    function onFilterChanged() {
                        if (!expressionField.activeFocus)
                            expressionField.text = root.table.expression
                    }
                }
                Timer {
                    id: filterTimer
                    objectName: "filterTimer"
                    interval: 400
                    onTriggered: expressionField.apply()
                }
            }
            Button {
                objectName: "applyFilterButton"
                text: qsTr("Apply")
                Layout.preferredHeight: root.touchTarget
                enabled: root.hasResult && root.table && expressionField.text !== root.table.expression
                onClicked: expressionField.apply()
            }
        }
        Label {
            objectName: "filterErrorLabel"
            Layout.fillWidth: true
            visible: text.length > 0
            wrapMode: Text.Wrap
            color: "#ff6b6b"
            text: root.table ? root.table.filterError : ""
        }

        // --- colour by a column, with its colour bar and its two ends below it ---
        RowLayout {
            Layout.fillWidth: true
            visible: root.hasResult
            Label { text: qsTr("Colour by"); color: root.textColor }
            ComboBox {
                id: colourBox
                objectName: "colourBox"
                Layout.fillWidth: true
                Layout.preferredHeight: root.touchTarget
                model: root.table ? root.table.allColumns : []
                currentIndex: root.table ? root.indexIn(root.table.allColumns, root.controller.colourColumn) : -1
                onActivated: index => root.controller.colourColumn = model[index]
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            visible: root.hasResult
            spacing: 0
            Rectangle {
                objectName: "colourBar"
                Layout.fillWidth: true
                Layout.preferredHeight: 14
                radius: 2
                gradient: Gradient {
                    orientation: Gradient.Horizontal
                    GradientStop { position: 0.0; color: root.plasmaStops[0] }
                    GradientStop { position: 0.25; color: root.plasmaStops[1] }
                    GradientStop { position: 0.5; color: root.plasmaStops[2] }
                    GradientStop { position: 0.75; color: root.plasmaStops[3] }
                    GradientStop { position: 1.0; color: root.plasmaStops[4] }
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Label { objectName: "colourMinLabel"; text: root.format(root.controller.colourMin); color: root.textColor; font.pixelSize: 11 }
                Item { Layout.fillWidth: true }
                Label { objectName: "colourMaxLabel"; text: root.format(root.controller.colourMax); color: root.textColor; font.pixelSize: 11 }
            }
        }

        Label {
            objectName: "rowCountLabel"
            Layout.fillWidth: true
            visible: root.hasResult
            color: root.textColor
            text: root.table ? qsTr("%1 of %2 regions").arg(root.table.shownRows).arg(root.table.totalRows) : ""
        }
        RowLayout {
            Layout.fillWidth: true
            visible: root.hasResult
            Button {
                text: qsTr("Columns")
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: root.touchTarget
                onClicked: columnsPopup.open()
            }
            Button {
                objectName: "clearFiltersButton"
                text: qsTr("Clear filters")
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: root.touchTarget
                onClicked: root.table.clearFilters()
            }
        }

        // --- the table: sortable header, a filter cell per column, the rows ---
        HorizontalHeaderView {
            id: header
            objectName: "tableHeader"
            Layout.fillWidth: true
            // Its implicit width is all the columns': it scrolls with the table instead of
            // widening the panel past the drawer.
            Layout.minimumWidth: 0
            Layout.preferredWidth: 1
            Layout.preferredHeight: 36
            visible: root.hasResult
            syncView: tableView
            clip: true
            delegate: Rectangle {
                id: headerCell
                required property int index
                implicitWidth: root.columnWidth
                implicitHeight: 36
                color: Qt.rgba(1, 1, 1, 0.08)
                border.color: Qt.rgba(1, 1, 1, 0.15)
                Label {
                    anchors.fill: parent
                    anchors.margins: 4
                    verticalAlignment: Text.AlignVCenter
                    elide: Text.ElideRight
                    font.bold: true
                    color: root.textColor
                    readonly property string name: root.table ? root.table.columnName(headerCell.index) : ""
                    text: name + (root.table && root.table.sortColumn === name ? (root.table.sortAscending ? " ▲" : " ▼") : "")
                }
                TapHandler { onTapped: root.table.sortBy(root.table.columnName(headerCell.index)) }
            }
        }
        Flickable {
            id: filterRow
            objectName: "filterRow"
            Layout.fillWidth: true
            Layout.preferredHeight: root.touchTarget
            visible: root.hasResult
            clip: true
            interactive: false
            contentWidth: filterCells.width
            contentX: tableView.contentX
            Row {
                id: filterCells
                Repeater {
                    model: root.table ? root.table.shownColumns : []
                    delegate: TextField {
                        id: filterField
                        required property string modelData
                        objectName: "filter_" + modelData
                        width: root.columnWidth
                        height: root.touchTarget
                        font.pixelSize: 12
                        placeholderText: qsTr("filter")
                        text: root.table ? root.table.columnFilter(modelData) : ""
                        onEditingFinished: root.table.setColumnFilter(modelData, text)
                        // As the expression: applied a moment after typing stops.
                        onTextEdited: cellTimer.restart()
                        Timer {
                            id: cellTimer
                            interval: 400
                            onTriggered: root.table.setColumnFilter(filterField.modelData, filterField.text)
                        }
                        Connections {
                            target: root.table
                            function onFilterChanged() {
                                if (!filterField.activeFocus)
                                    filterField.text = root.table.columnFilter(filterField.modelData)
                            }
                        }
                    }
                }
            }
        }
        TableView {
            id: tableView
            objectName: "regionTable"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: 160
            // Up to about eight rows before the panel scrolls; more room, more rows.
            Layout.preferredHeight: Math.max(160, Math.min(contentHeight + 2, 300))
            visible: root.hasResult
            clip: true
            model: root.table
            boundsBehavior: Flickable.StopAtBounds
            columnWidthProvider: column => root.columnWidth
            rowHeightProvider: row => 36
            ScrollBar.vertical: ScrollBar {}
            ScrollBar.horizontal: ScrollBar {}
            delegate: Rectangle {
                id: cell
                required property bool isSelected
                required property string display
                required property int row
                implicitWidth: root.columnWidth
                implicitHeight: 36
                color: isSelected ? Qt.rgba(root.accentColor.r, root.accentColor.g, root.accentColor.b, 0.45)
                                : (row % 2 ? Qt.rgba(1, 1, 1, 0.04) : "transparent")
                Label {
                    anchors.fill: parent
                    anchors.margins: 4
                    verticalAlignment: Text.AlignVCenter
                    horizontalAlignment: Text.AlignRight
                    elide: Text.ElideRight
                    color: root.textColor
                    text: cell.display
                }
                TapHandler { onTapped: root.controller.selectRow(cell.row) }
            }
            // Keep the selected row in view when it was picked on the image.
            Connections {
                target: root.controller
                function onSelectionChanged() {
                    if (root.controller.selectedRow >= 0)
                        tableView.positionViewAtRow(root.controller.selectedRow, TableView.Contain)
                }
            }
        }

        Item {
            visible: !root.hasResult
            Layout.fillHeight: true
        }

        // --- the selected region ---
        Label {
            objectName: "selectionLabel"
            Layout.fillWidth: true
            visible: root.hasResult
            wrapMode: Text.Wrap
            color: root.textColor
            readonly property var props: root.controller.selectedProperties
            text: root.controller && root.controller.selectedLabel > 0
                  ? qsTr("Region %1: area %2, perimeter %3, eccentricity %4, mean intensity %5")
                    .arg(props["label"]).arg(props["area"] + (root.document.is2d ? " px" : " voxels") + root.physicalArea(props)).arg(props["perimeter"] !== undefined ? props["perimeter"] : props["surface_area_mm2"])
                    .arg(props["eccentricity"] !== undefined ? props["eccentricity"] : "–").arg(props["mean_intensity"])
                  : qsTr("Tap a row, or a region on the image.")
        }
        // Two by two: four buttons in one row were wider than the drawer.
        GridLayout {
            Layout.fillWidth: true
            visible: root.hasResult
            columns: 2
            columnSpacing: root.gap
            rowSpacing: 0
            Button {
                objectName: "deleteButton"
                text: qsTr("Delete region")
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: root.touchTarget
                enabled: root.controller.selectedLabel > 0
                onClicked: root.controller.deleteSelected()
            }
            Button {
                text: qsTr("Undo")
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: root.touchTarget
                enabled: root.document.undoStack.canUndo
                onClicked: root.document.undo()
            }
            Button {
                objectName: "exportCsvButton"
                text: qsTr("Export CSV")
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: root.touchTarget
                onClicked: {
                    saveDialog.kind = "csv"
                    saveDialog.hint = qsTr("CSV (*.csv)")
                    saveDialog.folder = root.document.imageFolder
                    saveDialog.fileName = "regions.csv"
                    saveDialog.open()
                }
            }
            Button {
                objectName: "exportLabelsButton"
                text: qsTr("Export labels")
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: root.touchTarget
                onClicked: {
                    saveDialog.kind = "labels"
                    saveDialog.folder = root.document.imageFolder
                    saveDialog.fileName = root.document.dims.z <= 1 ? "regions.png" : "regions.nii.gz"
                    saveDialog.hint = root.document.dims.z <= 1 ? qsTr("PNG (*.png) or NIfTI (*.nii.gz)") : qsTr("NIfTI (*.nii.gz)")
                    saveDialog.open()
                }
            }
        }
    }

    Popup {
        id: columnsPopup
        objectName: "columnsPopup"
        modal: true
        x: root.gap
        y: root.gap
        width: root.width - 2 * root.gap
        height: Math.min(root.height - 2 * root.gap, 480)
        ListView {
            anchors.fill: parent
            clip: true
            model: root.table ? root.table.allColumns : []
            delegate: CheckDelegate {
                required property string modelData
                width: ListView.view.width
                height: root.touchTarget
                text: modelData
                enabled: modelData !== "label"
                checked: root.table.isColumnShown(modelData)
                onToggled: root.table.setColumnShown(modelData, checked)
            }
        }
    }

    SaveDialog {
        id: saveDialog
        objectName: "exportDialog"
        property string kind: "csv"
        title: kind === "csv" ? qsTr("Export the table") : qsTr("Export the labels")
        onAccepted: {
            const path = selectedFile.toString()
            if (kind === "csv")
                root.controller.exportCsv(path)
            else
                root.controller.exportLabels(path)
        }
    }
}
