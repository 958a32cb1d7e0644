# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# annotate/: the drawing tools (controller, tool and label palette, live stroke overlay).
target_include_directories(carina_shell PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_sources(carina_shell PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/AnnotationController.h
  ${CMAKE_CURRENT_LIST_DIR}/AnnotationController.cpp)
carina_shell_qml_files(
  annotate/AnnotationPanel.qml
  annotate/ToolIcon.qml
  annotate/StrokeOverlay.qml)
