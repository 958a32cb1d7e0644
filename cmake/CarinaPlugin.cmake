# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
#
# carina_add_plugin(<id>
#   CLASS_NAME <class>          the plugin class (the one with Q_PLUGIN_METADATA)
#   SOURCES <file>...           C++ sources of the plugin library
#   [QML_FILES <file>...]       the panel and its QML pieces, compiled into the library
#   [ICON <file.svg>]           the tile's icon, compiled in beside the panel; name it in the
#                               metadata's "icon" ("icon": "<file.svg>")
#   [URI <Module.Uri>]          QML module of the panel; default Carina.Plugins.<CLASS_NAME without "Plugin">
#   [LIBS <target>...]          more libraries to link privately (Carina::Core and Qt6::Core always)
#   [OUTPUT_DIRECTORY <dir>]    default ${CARINA_PLUGIN_OUTPUT_DIR} (where the host finds in-tree plugins)
#   [NO_INSTALL])               test fixtures: do not install
#
# Builds the Qt plugin library <id>.so (target carina_plugin_<id>) from the sources, with the
# metadata <id>.json configured from <id>.json.in next to the sources (@CARINA_SDK_VERSION@ is
# filled in, so a plugin always declares the SDK it was compiled against) and the QML files as a
# QML module under qrc:/qt/qml/<URI as path>/, registered when the host loads the library.
# Installed to ${CARINA_PLUGIN_INSTALL_DIR}. Needs Carina::Core, Qt6 Core (and Qml with QML_FILES).
include_guard(GLOBAL)

function(carina_add_plugin id)
  cmake_parse_arguments(P "NO_INSTALL" "CLASS_NAME;URI;OUTPUT_DIRECTORY;ICON" "SOURCES;QML_FILES;LIBS" ${ARGN})
  if(P_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "carina_add_plugin(${id}): unknown arguments ${P_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT P_CLASS_NAME OR NOT P_SOURCES)
    message(FATAL_ERROR "carina_add_plugin(${id}): CLASS_NAME and SOURCES are required")
  endif()
  if(NOT id MATCHES "^[a-z][a-z0-9_-]*$")
    message(FATAL_ERROR "carina_add_plugin(${id}): an id is lower-case letters, digits, '-' and '_'")
  endif()
  if(NOT DEFINED CARINA_SDK_VERSION)
    message(FATAL_ERROR "carina_add_plugin(${id}): CARINA_SDK_VERSION is not set (find_package(Carina) sets it)")
  endif()
  set(metadata_in "${CMAKE_CURRENT_SOURCE_DIR}/${id}.json.in")
  if(NOT EXISTS "${metadata_in}")
    message(FATAL_ERROR "carina_add_plugin(${id}): ${metadata_in} is missing (the plugin's metadata)")
  endif()

  set(target carina_plugin_${id})
  # Configured into its own folder, which moc searches for Q_PLUGIN_METADATA(... FILE "<id>.json").
  set(metadata_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_metadata")
  configure_file("${metadata_in}" "${metadata_dir}/${id}.json" @ONLY)

  # A MODULE library (a shared one in a static Qt build); Qt 6.4's qt_add_plugin ignores sources
  # given to it, so they are added separately.
  qt_add_plugin(${target} CLASS_NAME ${P_CLASS_NAME})
  target_sources(${target} PRIVATE ${P_SOURCES})
  target_include_directories(${target} PRIVATE "${metadata_dir}" "${CMAKE_CURRENT_SOURCE_DIR}")
  target_link_libraries(${target} PRIVATE Carina::Core Qt6::Core ${P_LIBS})
  # Plugins build with hidden symbols like core: only the Qt plugin entry points are exported.
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${id}
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    AUTOMOC ON)

  if(P_QML_FILES AND NOT TARGET Qt6::Qml)
    # A build without the GUI (CARINA_BUILD_GUI=OFF) still gets the plugin's headless commands.
    message(STATUS "carina_add_plugin(${id}): Qt6::Qml not found, the QML panel is left out")
  elseif(P_QML_FILES)
    if(NOT P_URI)
      string(REGEX REPLACE "Plugin$" "" module_name "${P_CLASS_NAME}")
      string(REGEX REPLACE "^.*::" "" module_name "${module_name}")
      set(P_URI "Carina.Plugins.${module_name}")
    endif()
    string(REPLACE "." "/" uri_path "${P_URI}")
    # The library is the module's backing target and there is no separate QML plugin: the
    # resources and the type registration run when the host dlopen()s the library, after which
    # qrc:/qt/qml/<uri path>/<Panel>.qml resolves. The module's build output (qmldir, qmltypes)
    # stays in the binary dir, out of the plugin folder the host scans.
    qt_add_qml_module(${target}
      URI ${P_URI}
      VERSION 1.0
      RESOURCE_PREFIX /qt/qml
      NO_PLUGIN
      OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/qml/${uri_path}"
      QML_FILES ${P_QML_FILES}
      RESOURCES ${P_ICON})
  endif()

  if(P_OUTPUT_DIRECTORY)
    set(output_dir "${P_OUTPUT_DIRECTORY}")
  elseif(DEFINED CARINA_PLUGIN_OUTPUT_DIR)
    set(output_dir "${CARINA_PLUGIN_OUTPUT_DIR}")
  endif()
  if(DEFINED output_dir)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${output_dir}")
  endif()

  if(NOT P_NO_INSTALL)
    if(NOT DEFINED CARINA_PLUGIN_INSTALL_DIR)
      include(GNUInstallDirs)
      set(CARINA_PLUGIN_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/carina/plugins")
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION "${CARINA_PLUGIN_INSTALL_DIR}" COMPONENT runtime)
  endif()
endfunction()
