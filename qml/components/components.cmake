# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# components/: QML pieces of the shell alone (banners). What plugin panels share too lives in
# controls/ (the Carina.Controls module).
carina_shell_qml_files(
  components/Banner.qml)
