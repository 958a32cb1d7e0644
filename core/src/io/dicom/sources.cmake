# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# DICOM: the library never parses DICOM in-process (Debian's GDCM asserts on malformed input);
# carina-dicom-worker processes read headers and decode compressed pixels into shared memory.
# Plain uncompressed pixels, once a worker has located them, are read in-process (DicomPixels).
set(CARINA_DICOM_DIR ${CMAKE_CURRENT_LIST_DIR})

target_sources(carina_core PRIVATE
  ${CARINA_DICOM_DIR}/DicomRecord.cpp
  ${CARINA_DICOM_DIR}/DicomFileHeader.cpp
  ${CARINA_DICOM_DIR}/DicomPixels.cpp
  ${CARINA_DICOM_DIR}/DicomVolumePlan.cpp
  ${CARINA_DICOM_DIR}/DicomWorkerPool.cpp
  ${CARINA_DICOM_DIR}/DicomWorkerLocator.cpp
  ${CARINA_DICOM_DIR}/SharedMemory.cpp
  ${CARINA_DICOM_DIR}/DicomSeries.cpp)
set_source_files_properties(${CARINA_DICOM_DIR}/DicomWorkerLocator.cpp PROPERTIES
  COMPILE_DEFINITIONS "CARINA_DICOM_WORKER_INSTALL_PATH=\"${CMAKE_INSTALL_FULL_LIBEXECDIR}/carina/carina-dicom-worker\"")
target_link_libraries(carina_core PRIVATE ${CMAKE_DL_LIBS} rt)

# The worker links GDCM only (no Qt): it must start in a few milliseconds. It confines itself
# with libseccomp (Debian libseccomp-dev; docs/security.md).
find_library(CARINA_SECCOMP_LIBRARY seccomp)
find_path(CARINA_SECCOMP_INCLUDE_DIR seccomp.h)
if(NOT CARINA_SECCOMP_LIBRARY OR NOT CARINA_SECCOMP_INCLUDE_DIR)
  message(FATAL_ERROR "libseccomp not found: install libseccomp-dev (scripts/deps.sh)")
endif()
add_executable(carina-dicom-worker
  ${CARINA_DICOM_DIR}/DicomWorkerMain.cpp
  ${CARINA_DICOM_DIR}/WorkerSandbox.cpp
  ${CARINA_DICOM_DIR}/DicomWorkerTasks.cpp
  ${CARINA_DICOM_DIR}/DicomPixels.cpp
  ${CARINA_DICOM_DIR}/DicomRecord.cpp
  ${CARINA_DICOM_DIR}/DicomFileHeader.cpp)
target_include_directories(carina-dicom-worker PRIVATE ${PROJECT_SOURCE_DIR}/core/src ${GDCM_INCLUDE_DIRS})
target_include_directories(carina-dicom-worker SYSTEM PRIVATE ${CARINA_SECCOMP_INCLUDE_DIR})
target_link_libraries(carina-dicom-worker PRIVATE gdcmMSFF ${CARINA_SECCOMP_LIBRARY})
# The pixel conversion loops are the hot path of uncompressed series: let them vectorise.
target_compile_options(carina-dicom-worker PRIVATE $<$<CONFIG:Release,RelWithDebInfo>:-O3>)
set_source_files_properties(${CARINA_DICOM_DIR}/DicomPixels.cpp PROPERTIES
  COMPILE_OPTIONS "$<$<CONFIG:Release,RelWithDebInfo>:-O3>")
set_target_properties(carina-dicom-worker PROPERTIES AUTOMOC OFF)
# Building the library builds its helper, so tests and the app always find a current worker.
add_dependencies(carina_core carina-dicom-worker)
install(TARGETS carina-dicom-worker RUNTIME DESTINATION ${CARINA_LIBEXEC_INSTALL_DIR} COMPONENT runtime)
