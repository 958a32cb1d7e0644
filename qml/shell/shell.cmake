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
  ${CMAKE_CURRENT_LIST_DIR}/DocumentForeign.h
  ${CMAKE_CURRENT_LIST_DIR}/QmlModuleCheck.h
  ${CMAKE_CURRENT_LIST_DIR}/QmlModuleCheck.cpp
  ${CMAKE_CURRENT_LIST_DIR}/QuitOnSignals.h
  ${CMAKE_CURRENT_LIST_DIR}/QuitOnSignals.cpp)
# packaging/qml-modules.txt compiled in, for the start-up check.
set(CARINA_QML_MODULE_ENTRIES "")
set(carina_qml_pairs ${CARINA_QML_MODULES})
while(carina_qml_pairs)
  list(POP_FRONT carina_qml_pairs carina_qml_module carina_qml_package)
  string(APPEND CARINA_QML_MODULE_ENTRIES "    {\"${carina_qml_module}\", \"${carina_qml_package}\"},\n")
endwhile()
configure_file(${CMAKE_CURRENT_LIST_DIR}/RequiredQmlModules.h.in ${CMAKE_CURRENT_BINARY_DIR}/generated/RequiredQmlModules.h @ONLY)
target_include_directories(carina_shell PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated)
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
