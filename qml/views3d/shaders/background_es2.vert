// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#ifdef GL_ES
precision highp float;
#endif
attribute vec3 vertexPosition;
varying vec2 ndc;
void main()
{
    ndc = vec2(vertexPosition.x, -vertexPosition.z);
    gl_Position = vec4(ndc, 0.0, 1.0);
}
