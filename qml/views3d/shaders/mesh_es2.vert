// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#ifdef GL_ES
precision highp float;
#endif
attribute vec3 vertexPosition;
attribute vec3 vertexNormal;
varying vec3 viewPosition;
varying vec3 viewNormal;
uniform mat4 modelView;
uniform mat3 modelViewNormal;
uniform mat4 modelViewProjection;
void main()
{
    viewNormal = modelViewNormal * vertexNormal;
    viewPosition = (modelView * vec4(vertexPosition, 1.0)).xyz;
    gl_Position = modelViewProjection * vec4(vertexPosition, 1.0);
}
