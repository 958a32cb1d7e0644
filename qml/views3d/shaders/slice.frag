#version 150 core
// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Unlit: the slice shows the same grey values as its 2D view.
in vec2 texCoord;
out vec4 fragColor;
uniform sampler2D sliceTexture;
void main()
{
    fragColor = vec4(texture(sliceTexture, texCoord).rgb, 1.0);
}
