# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# views2d/: the C++ slice view and its QML pane (gestures, crosshair, annotations).
target_sources(carina_shell PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/SliceView.h
  ${CMAKE_CURRENT_LIST_DIR}/SliceView.cpp)
carina_shell_qml_files(views2d/SlicePane.qml)
