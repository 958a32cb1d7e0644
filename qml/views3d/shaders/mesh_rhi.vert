#version 450
// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Qt3D's RHI renderer (its default in Qt 6): the per-draw block must match Qt3D's own layout,
// declared here up to the members used.
layout(location = 0) in vec3 vertexPosition;
layout(location = 1) in vec3 vertexNormal;
layout(location = 0) out vec3 viewPosition;
layout(location = 1) out vec3 viewNormal;
layout(std140, binding = 1) uniform qt3d_command_uniforms {
    mat4 modelMatrix;
    mat4 inverseModelMatrix;
    mat4 modelViewMatrix;
    mat3 modelNormalMatrix;
    mat4 inverseModelViewMatrix;
    mat4 mvp;
};
void main()
{
    // Meshes are placed in LPS mm without scaling, so the model-view rotation turns normals.
    viewNormal = mat3(modelViewMatrix) * vertexNormal;
    viewPosition = (modelViewMatrix * vec4(vertexPosition, 1.0)).xyz;
    gl_Position = mvp * vec4(vertexPosition, 1.0);
}
