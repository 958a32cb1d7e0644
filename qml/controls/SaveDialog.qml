// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts

// Where to save a file: a folder (beside the image unless changed) and a file name. Its button
// says Save and Enter in the name saves: Qt 6.4's own file dialog in save mode says "Open" and
// ignores Enter. Open it with open(); on Save it emits accepted() with `selectedFile` set.
Dialog {
    id: root

    /// The folder the file goes into (a file: URL).
    property url folder
    /// The proposed file name; what the user typed once accepted.
    property string fileName
    /// What kind of file this is, shown under the name ("CSV (*.csv)").
    property string hint: ""
    /// folder + fileName as a file: URL (a name typed as an absolute path wins).
    readonly property url selectedFile: {
        const name = nameField.text.trim()
        if (name.startsWith("/"))
            return "file://" + name
        const base = root.folder.toString()
        return base.length === 0 ? "file://" + name : (base.endsWith("/") ? base : base + "/") + name
    }
    readonly property string folderPath: decodeURIComponent(root.folder.toString().replace(/^file:\/\//, ""))

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(parent ? parent.width * 0.92 : 520, 520)
    modal: true
    focus: true
    standardButtons: Dialog.Save | Dialog.Cancel

    onAboutToShow: nameField.text = root.fileName
    onOpened: {
        nameField.forceActiveFocus()
        // The name without its suffix selected: typing replaces it, the suffix stays.
        const dot = nameField.text.indexOf(".")
        nameField.select(0, dot > 0 ? dot : nameField.text.length)
    }
    onAccepted: root.fileName = nameField.text.trim()

    Component.onCompleted: {
        const save = standardButton(Dialog.Save)
        if (save) {
            save.objectName = "saveDialogSave"
            save.highlighted = true
            save.enabled = Qt.binding(() => nameField.text.trim().length > 0)
        }
    }

    ColumnLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: Theme.spacing

        Label {
            text: qsTr("Folder")
            color: Theme.textDim
        }
        RowLayout {
            Layout.fillWidth: true
            Label {
                objectName: "saveDialogFolder"
                Layout.fillWidth: true
                text: root.folderPath.length > 0 ? root.folderPath : qsTr("(the current folder)")
                elide: Text.ElideMiddle
            }
            Button {
                text: qsTr("Change\u2026")
                Layout.preferredHeight: Theme.touchTarget
                onClicked: folderDialog.open()
            }
        }
        Label {
            text: qsTr("File name")
            color: Theme.textDim
        }
        TextField {
            id: nameField
            objectName: "saveDialogName"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touchTarget
            selectByMouse: true
            // Enter saves, as the button says.
            onAccepted: if (text.trim().length > 0) root.accept()
        }
        Label {
            visible: root.hint.length > 0
            text: root.hint
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall
        }
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Save into this folder")
        currentFolder: root.folder
        onAccepted: root.folder = selectedFolder
    }
}
