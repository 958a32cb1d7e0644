# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# carina_add_test(NAME name SOURCES a.cpp ... [LIBS ...] [LABELS core|gui|...] [GUI])
# One Qt Test executable per test file; GUI tests run under xvfb-run through CTest.
function(carina_add_test)
  cmake_parse_arguments(T "GUI" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE Carina::Core Qt6::Test ${T_LIBS})
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/common)
  target_compile_definitions(${T_NAME} PRIVATE
    CARINA_SHARED_DIR="${CARINA_SHARED_DIR}"
    CARINA_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CARINA_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(T_GUI)
    find_program(XVFB_RUN xvfb-run REQUIRED)
    add_test(NAME ${T_NAME} COMMAND ${XVFB_RUN} -a -s "-screen 0 1280x800x24" $<TARGET_FILE:${T_NAME}>)
    list(APPEND T_LABELS gui)
  else()
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" ENVIRONMENT "QT_QPA_PLATFORM_PLUGIN_PATH=;CARINA_PLUGIN_PATH=")
endfunction()
