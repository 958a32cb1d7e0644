# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# components/: shared QML pieces (Theme singleton, buttons, banners) of the Carina.Shell module.
set_source_files_properties(components/Theme.qml PROPERTIES QT_QML_SINGLETON_TYPE TRUE)
carina_shell_qml_files(
  components/Theme.qml
  components/TouchButton.qml
  components/Banner.qml)
