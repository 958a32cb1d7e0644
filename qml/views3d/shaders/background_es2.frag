// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#ifdef GL_ES
precision highp float;
#endif
varying vec2 ndc;
uniform vec3 topColour;
uniform vec3 bottomColour;
void main()
{
    vec3 colour = mix(bottomColour, topColour, smoothstep(-1.0, 1.0, ndc.y));
    float vignette = 1.0 - 0.18 * dot(ndc * 0.8, ndc * 0.8);
    gl_FragColor = vec4(colour * vignette, 1.0);
}
