target_sources(carina_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ImageGeometry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/Volume.cpp
  ${CMAKE_CURRENT_LIST_DIR}/VoxelMemory.cpp
  ${CMAKE_CURRENT_LIST_DIR}/LabelVolume.cpp
  ${CMAKE_CURRENT_LIST_DIR}/Mesh.cpp
  ${CMAKE_CURRENT_LIST_DIR}/TaskContext.cpp
  ${CMAKE_CURRENT_LIST_DIR}/Parallel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/TaskRunner.cpp
  ${CMAKE_CURRENT_LIST_DIR}/Document.cpp
  ${CMAKE_CURRENT_LIST_DIR}/PixelSize.cpp
  ${CMAKE_CURRENT_LIST_DIR}/LayerSurfaces.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ProcessMemory.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/include/carina/Document.h
  ${CMAKE_CURRENT_SOURCE_DIR}/include/carina/TaskRunner.h
  ${CMAKE_CURRENT_SOURCE_DIR}/include/carina/LayerSurfaces.h)
