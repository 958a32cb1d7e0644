// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import Qt3D.Core
import Qt3D.Render

// One graphics-API variant of the mesh effect with its three passes (see View3DShadedEffect).
Technique {
    id: root

    required property ShaderProgram program
    property int api: GraphicsApiFilter.OpenGL
    property int apiMajor: 3
    property int apiMinor: 2

    graphicsApiFilter {
        api: root.api
        profile: GraphicsApiFilter.NoProfile
        majorVersion: root.apiMajor
        minorVersion: root.apiMinor
    }

    renderPasses: [
        RenderPass {
            filterKeys: [ FilterKey { name: "pass"; value: "opaque" } ]
            shaderProgram: root.program
            // Both faces: a surface cut open by the image border shows its (shaded) inside.
            renderStates: [
                CullFace { mode: CullFace.NoCulling },
                DepthTest { depthFunction: DepthTest.Less }
            ]
        },
        RenderPass {
            filterKeys: [ FilterKey { name: "pass"; value: "transparent" } ]
            shaderProgram: root.program
            renderStates: [
                CullFace { mode: CullFace.Front },
                DepthTest { depthFunction: DepthTest.Less },
                NoDepthMask {},
                BlendEquation { blendFunction: BlendEquation.Add },
                BlendEquationArguments {
                    sourceRgb: BlendEquationArguments.SourceAlpha
                    destinationRgb: BlendEquationArguments.OneMinusSourceAlpha
                    sourceAlpha: BlendEquationArguments.One
                    destinationAlpha: BlendEquationArguments.OneMinusSourceAlpha
                }
            ]
        },
        RenderPass {
            filterKeys: [ FilterKey { name: "pass"; value: "transparent" } ]
            shaderProgram: root.program
            renderStates: [
                CullFace { mode: CullFace.Back },
                DepthTest { depthFunction: DepthTest.Less },
                NoDepthMask {},
                BlendEquation { blendFunction: BlendEquation.Add },
                BlendEquationArguments {
                    sourceRgb: BlendEquationArguments.SourceAlpha
                    destinationRgb: BlendEquationArguments.OneMinusSourceAlpha
                    sourceAlpha: BlendEquationArguments.One
                    destinationAlpha: BlendEquationArguments.OneMinusSourceAlpha
                }
            ]
        }
    ]
}
