# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# Label editing: change records for undo, rasterisation of drawn shapes.
target_sources(carina_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/LabelPatch.cpp
  ${CMAKE_CURRENT_LIST_DIR}/LabelEditCommand.cpp
  ${CMAKE_CURRENT_LIST_DIR}/Rasterize.cpp)
