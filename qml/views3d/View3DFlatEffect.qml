// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import Qt3D.Core
import Qt3D.Render

// An unlit effect with one pass (the slice planes, the background): `shader` names the
// shader pair in shaders/ (shader_rhi.* for Qt3D's RHI renderer, shader.vert/.frag for
// OpenGL 3.2, shader_es2.* for GL 2 / ES 2).
Effect {
    id: root

    required property string shader
    property string passName: "opaque"
    // Qt3D's RHI renderer culls back faces unless told otherwise; slices are seen from both sides.
    property list<RenderState> states: [ CullFace { mode: CullFace.NoCulling }, DepthTest { depthFunction: DepthTest.Less } ]

    readonly property url vertexRhi: Qt.resolvedUrl("views3d/shaders/" + shader + "_rhi.vert")
    readonly property url fragmentRhi: Qt.resolvedUrl("views3d/shaders/" + shader + "_rhi.frag")
    readonly property url vertexGl3: Qt.resolvedUrl("views3d/shaders/" + shader + ".vert")
    readonly property url fragmentGl3: Qt.resolvedUrl("views3d/shaders/" + shader + ".frag")
    readonly property url vertexEs2: Qt.resolvedUrl("views3d/shaders/" + shader + "_es2.vert")
    readonly property url fragmentEs2: Qt.resolvedUrl("views3d/shaders/" + shader + "_es2.frag")

    techniques: [
        Technique {
            graphicsApiFilter { api: GraphicsApiFilter.RHI; profile: GraphicsApiFilter.NoProfile; majorVersion: 1; minorVersion: 0 }
            renderPasses: RenderPass {
                filterKeys: [ FilterKey { name: "pass"; value: root.passName } ]
                renderStates: root.states
                shaderProgram: ShaderProgram {
                    vertexShaderCode: loadSource(root.vertexRhi)
                    fragmentShaderCode: loadSource(root.fragmentRhi)
                }
            }
        },
        Technique {
            graphicsApiFilter { api: GraphicsApiFilter.OpenGL; profile: GraphicsApiFilter.NoProfile; majorVersion: 3; minorVersion: 2 }
            renderPasses: RenderPass {
                filterKeys: [ FilterKey { name: "pass"; value: root.passName } ]
                renderStates: root.states
                shaderProgram: ShaderProgram {
                    vertexShaderCode: loadSource(root.vertexGl3)
                    fragmentShaderCode: loadSource(root.fragmentGl3)
                }
            }
        },
        Technique {
            graphicsApiFilter { api: GraphicsApiFilter.OpenGL; profile: GraphicsApiFilter.NoProfile; majorVersion: 2; minorVersion: 0 }
            renderPasses: RenderPass {
                filterKeys: [ FilterKey { name: "pass"; value: root.passName } ]
                renderStates: root.states
                shaderProgram: ShaderProgram {
                    vertexShaderCode: loadSource(root.vertexEs2)
                    fragmentShaderCode: loadSource(root.fragmentEs2)
                }
            }
        },
        Technique {
            graphicsApiFilter { api: GraphicsApiFilter.OpenGLES; profile: GraphicsApiFilter.NoProfile; majorVersion: 2; minorVersion: 0 }
            renderPasses: RenderPass {
                filterKeys: [ FilterKey { name: "pass"; value: root.passName } ]
                renderStates: root.states
                shaderProgram: ShaderProgram {
                    vertexShaderCode: loadSource(root.vertexEs2)
                    fragmentShaderCode: loadSource(root.fragmentEs2)
                }
            }
        }
    ]
}
