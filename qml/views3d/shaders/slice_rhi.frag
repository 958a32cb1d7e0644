#version 450
// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Unlit: the slice shows the same grey values as its 2D view.
layout(location = 0) in vec2 texCoord;
layout(location = 0) out vec4 fragColor;
layout(binding = 3) uniform sampler2D sliceTexture;
void main()
{
    fragColor = vec4(texture(sliceTexture, texCoord).rgb, 1.0);
}
