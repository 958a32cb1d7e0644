// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Carina.Shell
import Carina.Controls

// The Carina shell: tool bar, plugin tiles, the four views, the active plugin's panel in a
// drawer, and the status line. Gets its AppController from the application.
ApplicationWindow {
    id: window

    required property AppController controller
    readonly property Document document: controller.document
    readonly property bool portrait: height > width
    property string activePluginId: ""
    property string activePluginName: ""
    property string errorText: ""
    // The last plugin that failed and why; the shell, the document and the other tools go on.
    property string pluginErrorName: ""
    property string pluginErrorText: ""
    property bool warningsDismissed: false
    // Portrait: the plugin sheet folded down to its title bar.
    property bool sheetCollapsed: false

    function openPlugin(pluginId, name) {
        if (activePluginId === pluginId && pluginDrawer.opened) {
            pluginDrawer.close()
            return
        }
        const panel = controller.panelUrlFor(pluginId)
        const pluginController = controller.controllerFor(pluginId)
        if (panel.toString().length === 0 || pluginController === null) {
            if (pluginErrorName !== name) {
                pluginErrorName = name
                pluginErrorText = qsTr("It has no panel or could not start.")
            }
            return
        }
        // Another plugin's panel in the open drawer: the old one is closed, the new one opened.
        const switching = pluginDrawer.opened
        if (switching)
            tellPanel("panelClosed")
        activePluginId = pluginId
        activePluginName = name
        panelLoader.setSource(panel, { "controller": pluginController, "document": window.document })
        if (switching)
            tellPanel("panelOpened")
        else
            pluginDrawer.open()
    }

    function tellPanel(slot) {
        const pluginController = controller.controllerFor(activePluginId)
        if (pluginController !== null && typeof pluginController[slot] === "function")
            pluginController[slot]()
    }

    function applyPreset(center, width) {
        document.setWindow(center, width)
    }

    // A screen smaller than the default window (a tablet, say 800 x 1280 upright) is filled, in
    // its own orientation, so the portrait layout comes up without a window manager's help.
    readonly property bool screenSmallerThanDefault: Screen.desktopAvailableWidth < 1280 || Screen.desktopAvailableHeight < 800
    width: screenSmallerThanDefault ? Screen.desktopAvailableWidth : 1280
    height: screenSmallerThanDefault ? Screen.desktopAvailableHeight : 800
    minimumWidth: 480
    minimumHeight: 480
    visible: true
    // Never the file or folder name: window lists, task bars and shared screens show the title,
    // and DICOM folders are often named after the patient.
    title: document.hasImage ? document.imageTitle + " \u2014 Carina" : "Carina"
    color: Theme.background

    header: ToolBar {
        id: toolBar
        implicitHeight: Theme.touchTarget + 8
        background: Rectangle {
            color: Theme.panel
            Rectangle {
                anchors.bottom: parent.bottom
                width: parent.width
                height: 1
                color: Theme.divider
            }
        }

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacing
            anchors.rightMargin: Theme.spacing
            spacing: 2

            Text {
                text: "Carina"
                color: Theme.accent
                font.pixelSize: Theme.fontLarge + 1
                font.bold: true
                font.letterSpacing: 1
                Layout.rightMargin: Theme.spacing
                visible: !window.portrait || window.width > 700
            }
            TouchButton {
                objectName: "openFileButton"
                glyph: "\u23cf"
                text: window.portrait ? "" : qsTr("Open")
                tip: qsTr("Open a file (DICOM, NIfTI, PNG, JPEG, TIFF)")
                onClicked: fileDialog.open()
            }
            TouchButton {
                glyph: "\u25a4"
                text: window.portrait ? "" : qsTr("Folder")
                tip: qsTr("Open a folder of DICOM files")
                onClicked: folderDialog.open()
            }
            TouchButton {
                id: recentButton
                glyph: "\u2630"
                text: window.portrait ? "" : qsTr("Recent")
                tip: qsTr("Recently opened")
                onClicked: recentMenu.popup(recentButton, 0, recentButton.height)
            }
            TouchButton {
                id: sessionButton
                objectName: "sessionButton"
                glyph: "\u21c5"
                text: window.portrait ? "" : qsTr("Session")
                tip: qsTr("Save or open a session; export or import label layers")
                onClicked: sessionActions.popup(sessionButton)
            }
            ToolSeparator {}
            TouchButton {
                glyph: viewArea.focusLayout ? "\u25a3" : "\u229e"
                text: window.portrait ? "" : viewArea.layoutMode === ViewArea.Layout.Auto ? qsTr("Auto")
                                            : viewArea.layoutMode === ViewArea.Layout.Grid ? qsTr("Grid") : qsTr("Focus")
                tip: qsTr("Layout: automatic, 2\u00d72 grid, or one large view")
                onClicked: viewArea.layoutMode = (viewArea.layoutMode + 1) % 3
            }
            TouchButton {
                id: windowModeButton
                objectName: "windowModeButton"
                glyph: "\u25d0"
                text: window.portrait ? "" : qsTr("Window")
                tip: qsTr("Drag to change the window: up/down level, left/right width")
                checkable: true
            }
            TouchButton {
                id: drawButton
                objectName: "drawButton"
                glyph: "\u270e"
                text: window.portrait ? "" : qsTr("Draw")
                tip: qsTr("Drawing tools: lasso, rectangle, squiggle, brush, eraser; labels and their volumes")
                checkable: true
                enabled: document.hasImage
                // Closing the tools gives one finger back to paging; opening them again brings
                // back the tool the user had picked.
                property int toolBeforeClosing: AnnotationController.Navigate
                onCheckedChanged: {
                    if (!checked) {
                        toolBeforeClosing = drawingTools.tool
                        drawingTools.tool = AnnotationController.Navigate
                    } else {
                        drawingTools.tool = toolBeforeClosing
                    }
                }
            }
            TouchButton {
                objectName: "undoButton"
                glyph: "\u21b6"
                tip: drawingTools.canUndo ? qsTr("Undo %1").arg(drawingTools.undoText) : qsTr("Nothing to undo")
                enabled: drawingTools.canUndo
                onClicked: drawingTools.undo()
            }
            TouchButton {
                objectName: "redoButton"
                glyph: "\u21b7"
                tip: drawingTools.canRedo ? qsTr("Redo %1").arg(drawingTools.redoText) : qsTr("Nothing to redo")
                enabled: drawingTools.canRedo
                onClicked: drawingTools.redo()
            }
            TouchButton {
                id: presetButton
                glyph: "\u25be"
                text: qsTr("Presets")
                tip: qsTr("Window presets")
                enabled: document.hasImage
                onClicked: presetMenu.popup(presetButton, 0, presetButton.height)
            }
            TouchButton {
                id: layersButton
                objectName: "layersButton"
                glyph: "\u2750"
                text: window.portrait ? "" : qsTr("Layers")
                tip: qsTr("Label layers: visibility and opacity")
                enabled: document.hasImage
                onClicked: layersPopup.opened ? layersPopup.close() : layersPopup.open()
                LayersPopup {
                    id: layersPopup
                    objectName: "layersPopup"
                    document: window.document
                    y: layersButton.height
                }
            }
            TouchButton {
                glyph: "\u2922"
                text: window.portrait ? "" : qsTr("Fit")
                tip: qsTr("Fit all views (or double tap a view)")
                onClicked: viewArea.resetViews()
            }
            Item { Layout.fillWidth: true }
            Text {
                Layout.maximumWidth: window.width * 0.3
                visible: document.hasImage && !window.portrait
                text: document.imageName
                color: Theme.textDim
                font.pixelSize: Theme.fontNormal
                elide: Text.ElideMiddle
            }
        }
    }

    footer: StatusBar {
        id: statusBar
        document: window.document
        units: controller.units
    }

    Menu {
        id: recentMenu
        Instantiator {
            model: controller.recentFiles
            delegate: MenuItem {
                required property string modelData
                text: modelData
                onTriggered: controller.openPath(modelData)
            }
            onObjectAdded: (index, object) => recentMenu.insertItem(index, object)
            onObjectRemoved: (index, object) => recentMenu.removeItem(object)
        }
        MenuItem {
            enabled: false
            visible: controller.recentFiles.length === 0
            height: visible ? implicitHeight : 0
            text: controller.rememberRecent ? qsTr("Nothing opened yet") : qsTr("Not remembering files")
        }
        MenuSeparator {}
        MenuItem {
            text: qsTr("Clear list")
            enabled: controller.recentFiles.length > 0
            onTriggered: controller.clearRecentFiles()
        }
        MenuItem {
            objectName: "rememberRecentItem"
            text: qsTr("Remember opened files")
            checkable: true
            checked: controller.rememberRecent
            onToggled: controller.rememberRecent = checked
        }
    }

    Menu {
        id: presetMenu
        // As wide as its longest entry: the default width cut "Lung (L -600, W 1500)" short.
        width: {
            let widest = 0
            for (let i = 0; i < count; ++i)
                widest = Math.max(widest, itemAt(i) ? itemAt(i).implicitWidth : 0)
            return Math.max(200, widest + leftPadding + rightPadding)
        }
        // What fits the data: radiology's HU windows for CT only, percentiles and the full
        // range for every image (an MR or a micrograph has no Hounsfield scale).
        Instantiator {
            model: window.document.windowPresets
            delegate: MenuItem {
                required property var modelData
                objectName: "presetItem_" + modelData.id
                text: modelData.title
                onTriggered: window.applyPreset(modelData.center, modelData.width)
            }
            onObjectAdded: (index, object) => presetMenu.insertItem(index, object)
            onObjectRemoved: (index, object) => presetMenu.removeItem(object)
        }
    }

    FileDialog {
        id: fileDialog
        title: qsTr("Open an image")
        nameFilters: [qsTr("Images (*.dcm *.DCM *.nii *.nii.gz *.png *.jpg *.jpeg *.tif *.tiff)"), qsTr("All files (*)")]
        onAccepted: controller.openPath(selectedFile)
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Open a DICOM folder")
        onAccepted: controller.openPath(selectedFolder)
    }

    SessionActions {
        id: sessionActions
        session: controller.session
        document: window.document
    }

    // Closing with edits no saved session holds asks first; the autosave keeps them either way.
    property bool closeConfirmed: false
    onClosing: (close) => {
        if (controller.session.unsaved && !closeConfirmed) {
            close.accepted = false
            unsavedDialog.open()
            return
        }
        // A normal close: this run's autosave is not needed any more (unless edits were unsaved).
        controller.session.closeCleanly()
    }
    Dialog {
        id: unsavedDialog
        objectName: "unsavedDialog"
        anchors.centerIn: parent
        modal: true
        title: qsTr("Save the session before closing?")
        Label {
            width: Math.min(window.width * 0.8, 460)
            wrapMode: Text.WordWrap
            text: qsTr("Your edits are not in a saved session. If you close without saving, the next start offers to restore them.")
        }
        footer: DialogButtonBox {
            Button {
                objectName: "saveAndCloseButton"
                text: qsTr("Save\u2026")
                DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            }
            Button {
                objectName: "closeWithoutSavingButton"
                text: qsTr("Close without saving")
                DialogButtonBox.buttonRole: DialogButtonBox.DestructiveRole
                onClicked: {
                    unsavedDialog.close()
                    window.closeConfirmed = true
                    window.close()
                }
            }
            Button {
                text: qsTr("Cancel")
                DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            }
        }
        onAccepted: {
            closeAfterSave.enabled = true
            sessionActions.saveSessionDialog()
        }
    }
    Connections {
        id: closeAfterSave
        target: controller.session
        enabled: false
        function onSaved() {
            closeAfterSave.enabled = false
            window.close()
        }
    }
    Connections {
        target: sessionActions
        function onSaveDialogCanceled() { closeAfterSave.enabled = false }
    }
    Shortcut {
        sequences: [StandardKey.Quit]
        onActivated: window.close()
    }

    SeriesDialog {
        id: seriesDialog
        anchors.centerIn: parent
        series: controller.seriesChoices
        onSeriesChosen: (index) => controller.openSeries(index)
        onRejected: controller.dismissSeriesChoice()
    }

    Connections {
        target: controller
        function onLoadError(message) {
            window.errorText = message
        }
        function onPluginFailed(pluginName, message) {
            window.pluginErrorName = pluginName
            window.pluginErrorText = message
        }
        function onLoaded() {
            window.errorText = ""
            window.warningsDismissed = false
        }
        function onSeriesChoicesChanged() {
            if (controller.seriesChoices.length > 0)
                seriesDialog.open()
        }
    }

    Shortcut {
        sequences: [StandardKey.Open]
        onActivated: fileDialog.open()
    }

    AnnotationController {
        id: drawingTools
        objectName: "annotationController"
        document: window.document
    }
    Shortcut {
        sequences: [StandardKey.Undo]
        onActivated: drawingTools.undo()
    }
    Shortcut {
        sequences: [StandardKey.Redo]
        onActivated: drawingTools.redo()
    }

    Shortcut {
        sequences: [StandardKey.Save]
        enabled: document.hasImage
        onActivated: controller.session.sessionPath.length > 0 ? controller.session.saveSession(controller.session.sessionPath)
                                                               : sessionActions.popup(sessionButton)
    }

    GridLayout {
        anchors.fill: parent
        flow: window.portrait ? GridLayout.TopToBottom : GridLayout.LeftToRight
        rowSpacing: 0
        columnSpacing: 0

        ToolTiles {
            id: tiles
            objectName: "toolTiles"
            // No plugins at all: give the space to the images (`carina --list-plugins` says why).
            visible: count > 0
            Layout.fillHeight: !window.portrait
            Layout.fillWidth: window.portrait
            Layout.preferredWidth: window.portrait ? window.width : tileSize + 2 * Theme.spacing
            Layout.preferredHeight: window.portrait ? tileSize * 0.8 + 2 * Theme.spacing : window.height
            orientation: window.portrait ? ListView.Horizontal : ListView.Vertical
            leftMargin: Theme.spacing
            rightMargin: Theme.spacing
            topMargin: Theme.spacing
            bottomMargin: Theme.spacing
            model: controller.plugins
            activeId: pluginDrawer.opened ? window.activePluginId : ""
            onActivated: (pluginId, name) => window.openPlugin(pluginId, name)
            onRetryRequested: filePath => controller.retryPlugin(filePath)
        }

        AnnotationPanel {
            objectName: "annotationPanel"
            visible: drawButton.checked && document.hasImage
            annotation: drawingTools
            Layout.fillHeight: !window.portrait
            Layout.fillWidth: window.portrait
            Layout.preferredWidth: window.portrait ? window.width : Theme.touchTarget * 5
            Layout.preferredHeight: window.portrait ? Math.round(window.height * 0.3) : window.height
        }

        ViewArea {
            id: viewArea
            objectName: "viewArea"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumWidth: 0
            Layout.minimumHeight: 0
            document: window.document
            windowMode: windowModeButton.checked
            annotation: drawingTools
            onProbed: (info) => statusBar.probe = info

            // Nothing open yet: say what can be opened.
            Column {
                anchors.centerIn: parent
                spacing: Theme.spacing
                visible: !document.hasImage && !controller.busy
                Text {
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: qsTr("Open a DICOM folder, a NIfTI volume or an image")
                    color: Theme.text
                    font.pixelSize: Theme.fontLarge
                }
                Row {
                    anchors.horizontalCenter: parent.horizontalCenter
                    spacing: Theme.spacing
                    Button { text: qsTr("Open file\u2026"); onClicked: fileDialog.open() }
                    Button { text: qsTr("Open folder\u2026"); onClicked: folderDialog.open() }
                }
            }

            Column {
                anchors.top: parent.top
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.topMargin: Theme.spacing
                width: Math.min(parent.width - 2 * Theme.spacing, 720)
                spacing: Theme.spacing

                Banner {
                    objectName: "errorBanner"
                    width: parent.width
                    visible: window.errorText.length > 0
                    isError: true
                    title: document.hasImage ? qsTr("Could not open \u2014 the current image stays open")
                                             : qsTr("Could not open")
                    message: window.errorText
                    onDismissed: window.errorText = ""
                }
                RestoreCard {
                    objectName: "restoreCard"
                    width: parent.width
                    visible: controller.session.restoreAvailable
                    summary: controller.session.restoreSummary
                    afterCrash: controller.session.restoreAfterCrash
                    onRestore: controller.session.restoreAutosave()
                    onDiscard: controller.session.discardAutosave()
                }
                Banner {
                    objectName: "sessionErrorBanner"
                    width: parent.width
                    visible: controller.session.lastError.length > 0
                    isError: true
                    title: qsTr("Session or label file \u2014 nothing was changed, your work is still open")
                    message: controller.session.lastError
                    onDismissed: controller.session.clearError()
                }
                Banner {
                    objectName: "pluginErrorBanner"
                    width: parent.width
                    visible: window.pluginErrorText.length > 0
                    isError: true
                    title: qsTr("The tool \u201c%1\u201d failed \u2014 the image and the other tools are unaffected").arg(window.pluginErrorName)
                    message: window.pluginErrorText
                    onDismissed: {
                        window.pluginErrorText = ""
                        window.pluginErrorName = ""
                    }
                }
                Banner {
                    objectName: "warningBanner"
                    width: parent.width
                    visible: document.hasImage && document.warnings.length > 0 && !window.warningsDismissed
                    isError: false
                    title: qsTr("Opened with %n warning(s)", "", document.warnings.length)
                    message: document.warnings.join("\n")
                    onDismissed: window.warningsDismissed = true
                }
            }

            LoadingCard {
                objectName: "loadingCard"
                anchors.bottom: parent.bottom
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.bottomMargin: Theme.spacing * 2
                visible: controller.busy
                progress: controller.progress
                message: controller.progressMessage
                onCanceled: controller.cancel()
            }
        }
        // The room the plugin panel takes: the views reflow beside it (below it in portrait)
        // instead of being covered, following the drawer as it slides.
        Item {
            objectName: "panelRoom"
            Layout.fillHeight: !window.portrait
            Layout.fillWidth: window.portrait
            Layout.preferredWidth: window.portrait ? 0 : pluginDrawer.width * pluginDrawer.position
            Layout.preferredHeight: window.portrait ? pluginDrawer.height * pluginDrawer.position : 0
            Layout.minimumWidth: Layout.preferredWidth
            Layout.minimumHeight: Layout.preferredHeight
        }
    }

    Drawer {
        id: pluginDrawer
        // A closed panel keeps nothing it claimed: the drawing tools paint layers again. A
        // controller with panelOpened()/panelClosed() slots hears of both (GGO shows its region
        // only while its panel is open).
        onOpened: window.tellPanel("panelOpened")
        onClosed: {
            if (window.document.shapeConsumer.length > 0)
                window.document.shapeConsumer = ""
            window.tellPanel("panelClosed")
        }
        edge: window.portrait ? Qt.BottomEdge : Qt.RightEdge
        y: window.portrait ? window.height - height : toolBar.height
        width: window.portrait ? window.width : Math.min(440, Math.max(320, window.width * 0.34))
        // In portrait the sheet folds down to its title bar, so the views keep most of the height.
        height: window.portrait ? (window.sheetCollapsed ? sheetHeader.implicitHeight + 2 : Math.round(window.height * 0.45))
                                : window.height - toolBar.height - statusBar.height
        modal: false
        dim: false
        interactive: opened
        closePolicy: Popup.CloseOnEscape
        background: Rectangle {
            color: Theme.panel
            border.color: Theme.divider
        }

        ColumnLayout {
            anchors.fill: parent
            spacing: 0
            RowLayout {
                id: sheetHeader
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacing * 2
                Layout.rightMargin: Theme.spacing
                Text {
                    Layout.fillWidth: true
                    text: window.activePluginName
                    color: Theme.text
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                    elide: Text.ElideRight
                }
                TouchButton {
                    objectName: "sheetHandle"
                    visible: window.portrait
                    glyph: window.sheetCollapsed ? "\u25b4" : "\u25be"
                    tip: window.sheetCollapsed ? qsTr("Show the panel") : qsTr("Fold the panel down to give the images room")
                    onClicked: window.sheetCollapsed = !window.sheetCollapsed
                }
                TouchButton {
                    glyph: "\u2715"
                    tip: qsTr("Close the panel")
                    onClicked: pluginDrawer.close()
                }
            }
            Rectangle {
                Layout.fillWidth: true
                height: 1
                color: Theme.divider
            }
            // Every panel scrolls when it is taller than the room the drawer gives it, so its
            // last actions stay reachable on a short screen; panels lay out at the drawer's
            // width (never wider) and fill its height when they are shorter.
            Flickable {
                id: panelScroll
                objectName: "pluginPanelScroll"
                visible: !(window.portrait && window.sheetCollapsed)
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.margins: Theme.spacing
                clip: true
                contentWidth: width
                contentHeight: panelLoader.height
                flickableDirection: Flickable.VerticalFlick
                boundsBehavior: Flickable.StopAtBounds
                // Only a panel that overflows takes drags: a fitting one keeps its own gestures.
                interactive: contentHeight > height + 1
                // Always shown while the panel overflows: it says there is more below.
                ScrollBar.vertical: ScrollBar {
                    id: panelScrollBar
                    objectName: "pluginPanelScrollBar"
                    policy: panelScroll.interactive ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
                }
                Loader {
                    id: panelLoader
                    objectName: "pluginPanelLoader"
                    // Beside the scroll bar, not under it.
                    width: panelScroll.width - (panelScroll.interactive ? panelScrollBar.width : 0)
                    height: Math.max(panelScroll.height, item ? item.implicitHeight : 0)
                    onStatusChanged: {
                        if (status === Loader.Error)
                            window.errorText = qsTr("The panel of \u201c%1\u201d failed to load (see the log).").arg(window.activePluginName)
                    }
                }
            }
        }
    }
}
