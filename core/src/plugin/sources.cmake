target_sources(carina_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ProcessingPlugin.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/include/carina/ProcessingPlugin.h)
