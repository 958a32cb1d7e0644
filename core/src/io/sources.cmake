# DICOM (GDCM, worker processes), NIfTI (nifticlib + libdeflate), 2D images (Qt image IO).
include(${CMAKE_CURRENT_LIST_DIR}/dicom/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/nifti/sources.cmake)
target_sources(carina_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/MeshWriter.cpp ${CMAKE_CURRENT_LIST_DIR}/LocalPath.cpp
  ${CMAKE_CURRENT_LIST_DIR}/MemoryBudget.cpp
  ${CMAKE_CURRENT_LIST_DIR}/Npy.cpp ${CMAKE_CURRENT_LIST_DIR}/TrainableModel.cpp)
include(${CMAKE_CURRENT_LIST_DIR}/session/sources.cmake)
