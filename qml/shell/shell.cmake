# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# shell/: the application window, view layouts, tool tiles, the app controller and plugin list.
target_sources(carina_shell PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/AppController.h
  ${CMAKE_CURRENT_LIST_DIR}/AppController.cpp
  ${CMAKE_CURRENT_LIST_DIR}/PluginListModel.h
  ${CMAKE_CURRENT_LIST_DIR}/PluginListModel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/SessionController.h
  ${CMAKE_CURRENT_LIST_DIR}/SessionController.cpp
  ${CMAKE_CURRENT_LIST_DIR}/DocumentForeign.h)
carina_shell_qml_files(
  shell/Main.qml
  shell/ViewArea.qml
  shell/StatusBar.qml
  shell/ToolTiles.qml
  shell/SeriesDialog.qml
  shell/LoadingCard.qml
  shell/LayersPopup.qml
  shell/SessionActions.qml
  shell/RestoreCard.qml)
