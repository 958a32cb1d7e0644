target_sources(carina_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ProcessingPlugin.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/include/carina/ProcessingPlugin.h)
target_sources(carina_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/PluginHost.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/include/carina/PluginHost.h)
# Where the host looks besides $CARINA_PLUGIN_PATH: relative to the executable (a relocatable or
# multiarch install) and the configured prefix. A per-file define keeps the rest of core from
# recompiling when the prefix changes.
set(_carina_plugin_defines "CARINA_PLUGIN_INSTALL_DIR_ABSOLUTE=\"${CMAKE_INSTALL_FULL_LIBDIR}/carina/plugins\"")
if(NOT IS_ABSOLUTE "${CARINA_PLUGIN_INSTALL_DIR}")
  list(APPEND _carina_plugin_defines "CARINA_PLUGIN_INSTALL_DIR_RELATIVE=\"${CARINA_PLUGIN_INSTALL_DIR}\"")
endif()
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/PluginHost.cpp PROPERTIES COMPILE_DEFINITIONS "${_carina_plugin_defines}")
unset(_carina_plugin_defines)
# Failure isolation hooks QObjectPrivate's dynamic meta-object (Qt's private API, Debian package
# qt6-base-private-dev); only this file includes it, and nothing of it reaches the SDK headers.
target_sources(carina_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/PluginGuard.cpp)
target_link_libraries(carina_core PRIVATE Qt6::CorePrivate)
