#version 150 core
// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// A full-screen quad: the plane's x/z in -1..1 are used as clip coordinates directly.
in vec3 vertexPosition;
out vec2 ndc;
void main()
{
    ndc = vec2(vertexPosition.x, -vertexPosition.z);
    gl_Position = vec4(ndc, 0.0, 1.0);
}
