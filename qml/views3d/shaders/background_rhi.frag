#version 450
// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
layout(location = 0) in vec2 ndc;
layout(location = 0) out vec4 fragColor;
layout(std140, binding = 2) uniform carina_background {
    vec3 topColour;
    vec3 bottomColour;
};
void main()
{
    vec3 colour = mix(bottomColour, topColour, smoothstep(-1.0, 1.0, ndc.y));
    float vignette = 1.0 - 0.18 * dot(ndc * 0.8, ndc * 0.8);
    fragColor = vec4(colour * vignette, 1.0);
}
