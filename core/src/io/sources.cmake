# DICOM (GDCM, worker processes), NIfTI (nifticlib + libdeflate), 2D images (Qt image IO).
include(${CMAKE_CURRENT_LIST_DIR}/dicom/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/nifti/sources.cmake)
