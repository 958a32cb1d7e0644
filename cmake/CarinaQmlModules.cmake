# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# Reads packaging/qml-modules.txt: CARINA_QML_MODULES (module;package;module;package;...) and
# CARINA_QML_MODULE_PACKAGES (the packages, once each). Re-runs CMake when the list changes.
set(CARINA_QML_MODULES_FILE "${PROJECT_SOURCE_DIR}/packaging/qml-modules.txt")
set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${CARINA_QML_MODULES_FILE}")
file(STRINGS "${CARINA_QML_MODULES_FILE}" carina_qml_module_lines REGEX "^[A-Za-z]")
set(CARINA_QML_MODULES "")
set(CARINA_QML_MODULE_PACKAGES "")
foreach(line IN LISTS carina_qml_module_lines)
  string(REGEX MATCH "^([A-Za-z0-9_.]+)[ \t]+([a-z0-9.+-]+)" matched "${line}")
  if(NOT matched)
    message(FATAL_ERROR "${CARINA_QML_MODULES_FILE}: cannot read the line '${line}'")
  endif()
  list(APPEND CARINA_QML_MODULES "${CMAKE_MATCH_1}" "${CMAKE_MATCH_2}")
  list(APPEND CARINA_QML_MODULE_PACKAGES "${CMAKE_MATCH_2}")
endforeach()
list(REMOVE_DUPLICATES CARINA_QML_MODULE_PACKAGES)
