# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# NIfTI (nifticlib header semantics, libdeflate/zlib), 2D images (Qt image IO), the readVolume
# dispatcher and AtomicFile, the temp-file-and-rename writer every writer uses.
target_sources(carina_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/AtomicFile.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ByteBuffer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ByteBuffer.h
  ${CMAKE_CURRENT_LIST_DIR}/Gzip.cpp
  ${CMAKE_CURRENT_LIST_DIR}/Gzip.h
  ${CMAKE_CURRENT_LIST_DIR}/ImageFile.cpp
  ${CMAKE_CURRENT_LIST_DIR}/NiftiHeader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/NiftiHeader.h
  ${CMAKE_CURRENT_LIST_DIR}/NiftiReader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/NiftiWriter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/VolumeReader.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/include/carina/io/AtomicFile.h)
target_link_libraries(carina_core PRIVATE PkgConfig::DEFLATE Carina_nifti2 ZLIB::ZLIB)
# nifti2_io.h includes <znzlib.h> without its folder; Carina_nifti2 only adds the parent.
set_property(SOURCE
    ${CMAKE_CURRENT_LIST_DIR}/NiftiHeader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/NiftiReader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/NiftiWriter.cpp
  TARGET_DIRECTORY carina_core
  APPEND PROPERTY INCLUDE_DIRECTORIES ${NIFTI_INCLUDE_DIR}/nifti)
