// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#ifdef GL_ES
precision highp float;
#endif
varying vec2 texCoord;
uniform sampler2D sliceTexture;
void main()
{
    gl_FragColor = vec4(texture2D(sliceTexture, texCoord).rgb, 1.0);
}
