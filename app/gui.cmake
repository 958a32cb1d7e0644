# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# The GUI entry point: runGui() shows the Carina.Shell QML module (linked statically with its
# QML plugin, so no QML files are looked up at run time).
target_sources(carina PRIVATE ${CMAKE_CURRENT_LIST_DIR}/GuiMain.cpp ${CMAKE_CURRENT_LIST_DIR}/GuiMain.h)
target_link_libraries(carina PRIVATE carina_shell carina_shellplugin Qt6::Gui Qt6::Quick Qt6::Qml Qt6::QuickControls2)
