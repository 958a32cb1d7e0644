// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Carina.Shell
import Carina.Controls

// The Session menu (save/open a session, export/import label layers) and its dialogs. All the
// work is in SessionController; this only asks for files and options.
Item {
    id: root

    required property SessionController session
    required property Document document
    property int exportLayer: 0

    function popup(parentItem) {
        menu.popup(parentItem, 0, parentItem.height)
    }
    // The save dialog straight away (no options): what closing with unsaved edits offers.
    signal saveDialogCanceled()
    function saveSessionDialog() {
        openSaveDialog()
    }
    // A name filled in, so Save works at once: the session's own, else "session.carina".
    function openSaveDialog() {
        const current = root.session.sessionPath
        const slash = current.lastIndexOf("/")
        saveDialog.folder = slash > 0 ? "file://" + current.substring(0, slash) : root.document.imageFolder
        saveDialog.fileName = slash >= 0 ? current.substring(slash + 1) : "session.carina"
        saveDialog.open()
    }
    function openSessionDialog() {
        openDialog.open()
    }

    Menu {
        id: menu
        objectName: "sessionMenu"
        // Room for layer names in "Export ..." items.
        width: 400
        MenuItem {
            objectName: "saveSessionItem"
            text: qsTr("Save session\u2026")
            enabled: root.document.hasImage && !root.session.busy
            onTriggered: saveOptions.open()
        }
        MenuItem {
            text: qsTr("Open session\u2026")
            enabled: !root.session.busy
            onTriggered: openDialog.open()
        }
        MenuSeparator {}
        Instantiator {
            model: root.document.layerCount
            delegate: MenuItem {
                required property int index
                text: qsTr("Export \u201c%1\u201d as NIfTI\u2026").arg(root.document.layerName(index))
                enabled: !root.session.busy
                onTriggered: {
                    root.exportLayer = index
                    exportDialog.folder = root.document.imageFolder
                    exportDialog.fileName = root.document.layerName(index).replace(/[\\/:*?"<>|]/g, "_") + ".nii.gz"
                    exportDialog.open()
                }
            }
            onObjectAdded: (index, object) => menu.insertItem(3 + index, object)
            onObjectRemoved: (index, object) => menu.removeItem(object)
        }
        MenuItem {
            text: qsTr("Import labels (NIfTI)\u2026")
            enabled: root.document.hasImage && !root.session.busy
            onTriggered: importDialog.open()
        }
    }

    // Says what the file would hold that could identify the patient, and offers to leave it out.
    Dialog {
        id: saveOptions
        objectName: "saveSessionOptions"
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(520, parent ? parent.width - 40 : 520)
        modal: true
        title: qsTr("Save session")
        standardButtons: Dialog.Save | Dialog.Cancel
        onAccepted: root.openSaveDialog()

        ColumnLayout {
            anchors.fill: parent
            spacing: Theme.spacing
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: root.session.identity.length > 0
                      ? qsTr("The session stores where the image is and its description. These can identify the patient:")
                      : qsTr("The session holds no patient identity.")
            }
            Label {
                Layout.fillWidth: true
                visible: root.session.identity.length > 0
                wrapMode: Text.WrapAnywhere
                text: root.session.identity.join("\n")
                font.italic: true
            }
            // The label wraps inside the dialog; a CheckBox's own text would run past its edge.
            RowLayout {
                Layout.fillWidth: true
                visible: root.session.identity.length > 0
                CheckBox {
                    id: anonymiseBox
                    objectName: "anonymiseCheck"
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    text: qsTr("Anonymise: leave these out (you will pick the image when opening)")
                    MouseArea {
                        anchors.fill: parent
                        onClicked: anonymiseBox.toggle()
                    }
                }
            }
        }
    }

    SaveDialog {
        id: saveDialog
        objectName: "saveSessionDialog"
        title: qsTr("Save session")
        hint: qsTr("Carina session (*.carina)")
        onAccepted: {
            const file = selectedFile.toString()
            root.session.saveSession(file.endsWith(".carina") ? file : file + ".carina", anonymiseBox.checked)
        }
        onRejected: root.saveDialogCanceled()
    }
    FileDialog {
        id: openDialog
        title: qsTr("Open session")
        nameFilters: [qsTr("Carina sessions (*.carina)"), qsTr("All files (*)")]
        onAccepted: root.session.openSession(selectedFile)
    }
    SaveDialog {
        id: exportDialog
        objectName: "exportLayerDialog"
        title: qsTr("Export label layer")
        hint: qsTr("NIfTI (*.nii.gz or *.nii)")
        onAccepted: {
            const file = selectedFile.toString()
            root.session.exportLabels(root.exportLayer, /\.nii(\.gz)?$/.test(file) ? file : file + ".nii.gz")
        }
    }
    FileDialog {
        id: importDialog
        title: qsTr("Import labels onto the open image")
        nameFilters: [qsTr("NIfTI (*.nii.gz *.nii)"), qsTr("All files (*)")]
        onAccepted: root.session.importLabels(selectedFile)
    }

    // An anonymised session, or one whose image moved: the user points at the image.
    Dialog {
        id: chooseImage
        objectName: "chooseSessionImage"
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(520, parent ? parent.width - 40 : 520)
        modal: true
        visible: root.session.needsImage
        title: qsTr("Where is the image?")
        closePolicy: Popup.NoAutoClose
        ColumnLayout {
            anchors.fill: parent
            spacing: Theme.spacing
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: root.session.lastMessage
            }
            RowLayout {
                Button { text: qsTr("Choose file\u2026"); onClicked: imageFileDialog.open() }
                Button { text: qsTr("Choose folder\u2026"); onClicked: imageFolderDialog.open() }
                Item { Layout.fillWidth: true }
                Button { text: qsTr("Cancel"); onClicked: root.session.cancelPendingSession() }
            }
        }
    }
    FileDialog {
        id: imageFileDialog
        title: qsTr("The session's image")
        onAccepted: root.session.chooseImage(selectedFile)
    }
    FolderDialog {
        id: imageFolderDialog
        title: qsTr("The session's DICOM folder")
        onAccepted: root.session.chooseImage(selectedFolder)
    }

    // Saving or opening runs in the background; say so without blocking the views.
    Popup {
        objectName: "sessionBusyCard"
        parent: Overlay.overlay
        x: parent ? (parent.width - width) / 2 : 0
        y: parent ? parent.height - height - Theme.touchTarget * 2 : 0
        visible: root.session.busy
        closePolicy: Popup.NoAutoClose
        modal: false
        padding: Theme.spacing
        background: Rectangle {
            radius: Theme.radius
            color: Theme.panelRaised
            border.color: Theme.divider
        }
        RowLayout {
            spacing: Theme.spacing
            BusyIndicator { running: root.session.busy; implicitWidth: Theme.touchTarget; implicitHeight: Theme.touchTarget }
            Text {
                text: root.session.lastMessage
                color: Theme.text
                font.pixelSize: Theme.fontNormal
            }
        }
    }

    // A short confirmation after a save, open, export or import.
    Popup {
        id: toast
        objectName: "sessionToast"
        parent: Overlay.overlay
        x: parent ? (parent.width - width) / 2 : 0
        y: parent ? parent.height - height - Theme.touchTarget * 2 : 0
        closePolicy: Popup.NoAutoClose
        modal: false
        padding: Theme.spacing
        background: Rectangle {
            radius: Theme.radius
            color: Theme.panelRaised
            border.color: Theme.accent
        }
        Text {
            text: root.session.lastMessage
            color: Theme.text
            font.pixelSize: Theme.fontNormal
        }
        Timer {
            id: toastTimer
            interval: 4000
            onTriggered: toast.close()
        }
    }
    Connections {
        target: root.session
        function onBusyChanged() {
            if (!root.session.busy && root.session.lastError.length === 0 && !root.session.needsImage) {
                toast.open()
                toastTimer.restart()
            }
        }
    }
}
