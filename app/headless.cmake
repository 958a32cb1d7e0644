# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# The built-in headless commands (info, plugins) of the `carina` executable.
target_sources(carina PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/HeadlessCommands.cpp
  ${CMAKE_CURRENT_LIST_DIR}/HeadlessCommands.h)
target_include_directories(carina PRIVATE ${CMAKE_CURRENT_LIST_DIR})
