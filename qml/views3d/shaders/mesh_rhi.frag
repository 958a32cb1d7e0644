#version 450
// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Same lighting as mesh.frag (see there) for Qt3D's RHI renderer.
layout(location = 0) in vec3 viewPosition;
layout(location = 1) in vec3 viewNormal;
layout(location = 0) out vec4 fragColor;
layout(std140, binding = 2) uniform carina_mesh {
    vec3 baseColour;
    float opacity;
};
void main()
{
    vec3 n = normalize(viewNormal);
    if (!gl_FrontFacing)
        n = -n;
    vec3 v = normalize(-viewPosition);
    vec3 keyDir = normalize(vec3(-0.45, 0.55, 1.0));
    vec3 fillDir = normalize(vec3(0.7, -0.25, 0.65));
    float key = max(dot(n, keyDir), 0.0);
    float fill = max(dot(n, fillDir), 0.0);
    float spec = pow(max(dot(n, normalize(keyDir + v)), 0.0), 40.0);
    float facing = max(dot(n, v), 0.0);
    float rim = pow(1.0 - facing, 3.0);
    vec3 ambient = mix(vec3(0.10, 0.10, 0.12), vec3(0.22, 0.22, 0.24), 0.5 + 0.5 * n.y);
    vec3 colour = baseColour * (ambient + 0.72 * key + 0.22 * fill) + vec3(0.28 * spec) + vec3(0.10, 0.12, 0.16) * rim;
    float alpha = clamp(opacity * (1.0 + 1.2 * rim), 0.0, 1.0);
    fragColor = vec4(colour, alpha);
}
