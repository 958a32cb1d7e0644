# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# Label layer NIfTI export/import (with an ITK-SNAP label description beside it) and the
# `.carina` session format (docs/session-format.md).
target_sources(carina_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/LabelNifti.cpp
  ${CMAKE_CURRENT_LIST_DIR}/Session.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/include/carina/io/LabelNifti.h
  ${CMAKE_CURRENT_SOURCE_DIR}/include/carina/io/Session.h)
