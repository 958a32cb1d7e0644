#version 150 core
// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
in vec3 vertexPosition;
in vec3 vertexNormal;
out vec3 viewPosition;
out vec3 viewNormal;
uniform mat4 modelView;
uniform mat3 modelViewNormal;
uniform mat4 modelViewProjection;
void main()
{
    viewNormal = modelViewNormal * vertexNormal;
    viewPosition = (modelView * vec4(vertexPosition, 1.0)).xyz;
    gl_Position = modelViewProjection * vec4(vertexPosition, 1.0);
}
