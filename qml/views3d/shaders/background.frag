#version 150 core
// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
in vec2 ndc;
out vec4 fragColor;
uniform vec3 topColour;
uniform vec3 bottomColour;
void main()
{
    vec3 colour = mix(bottomColour, topColour, smoothstep(-1.0, 1.0, ndc.y));
    float vignette = 1.0 - 0.18 * dot(ndc * 0.8, ndc * 0.8);
    fragColor = vec4(colour * vignette, 1.0);
}
