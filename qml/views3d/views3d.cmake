# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
# views3d/: the Qt3D view of the shell (View3D), its mesh geometry, slice textures and the
# iso-surface task. Included from qml/CMakeLists.txt; QML files land at the module root, the
# shaders at qrc:/qt/qml/Carina/Shell/views3d/shaders/.
target_sources(carina_shell PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/MeshHandle.h
  ${CMAKE_CURRENT_LIST_DIR}/MeshGeometry.h
  ${CMAKE_CURRENT_LIST_DIR}/MeshGeometry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/MeshSceneModel.h
  ${CMAKE_CURRENT_LIST_DIR}/MeshSceneModel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/QuadGeometry.h
  ${CMAKE_CURRENT_LIST_DIR}/QuadGeometry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/SliceTextureImage.h
  ${CMAKE_CURRENT_LIST_DIR}/SliceTextureImage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/IsoSurfaceBuilder.h
  ${CMAKE_CURRENT_LIST_DIR}/IsoSurfaceBuilder.cpp)

carina_shell_qml_files(
  views3d/View3D.qml
  views3d/View3DScene.qml
  views3d/View3DOverlay.qml
  views3d/View3DToolButton.qml
  views3d/View3DShadedEffect.qml
  views3d/View3DTechnique.qml
  views3d/View3DFlatEffect.qml)

qt_target_qml_sources(carina_shell
  RESOURCES
    views3d/shaders/mesh_rhi.vert views3d/shaders/mesh_rhi.frag
    views3d/shaders/slice_rhi.vert views3d/shaders/slice_rhi.frag
    views3d/shaders/background_rhi.vert views3d/shaders/background_rhi.frag
    views3d/shaders/mesh.vert views3d/shaders/mesh.frag
    views3d/shaders/mesh_es2.vert views3d/shaders/mesh_es2.frag
    views3d/shaders/slice.vert views3d/shaders/slice.frag
    views3d/shaders/slice_es2.vert views3d/shaders/slice_es2.frag
    views3d/shaders/background.vert views3d/shaders/background.frag
    views3d/shaders/background_es2.vert views3d/shaders/background_es2.frag)
