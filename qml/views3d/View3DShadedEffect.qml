// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import Qt3D.Core
import Qt3D.Render

// The effect of every document mesh: one opaque pass, and for see-through meshes two blended
// passes, back faces then front faces, so a closed surface (a lung) is composed inside-out.
// The transparent branch of the frame graph sorts entities back to front and keeps each
// entity's passes in order; transparent passes do not write depth, so a surface inside
// another see-through one (a lesion in a lung) stays visible.
Effect {
    id: root

    readonly property url vertexRhi: Qt.resolvedUrl("views3d/shaders/mesh_rhi.vert")
    readonly property url fragmentRhi: Qt.resolvedUrl("views3d/shaders/mesh_rhi.frag")
    readonly property url vertexGl3: Qt.resolvedUrl("views3d/shaders/mesh.vert")
    readonly property url fragmentGl3: Qt.resolvedUrl("views3d/shaders/mesh.frag")
    readonly property url vertexEs2: Qt.resolvedUrl("views3d/shaders/mesh_es2.vert")
    readonly property url fragmentEs2: Qt.resolvedUrl("views3d/shaders/mesh_es2.frag")

    parameters: [
        Parameter { name: "baseColour"; value: Qt.vector3d(0.8, 0.8, 0.8) },
        Parameter { name: "opacity"; value: 1.0 }
    ]

    // Qt3D 6 renders through RHI by default (QT3D_RENDERER=opengl selects the GL techniques).
    techniques: [
        View3DTechnique {
            api: GraphicsApiFilter.RHI
            apiMajor: 1; apiMinor: 0
            program: ShaderProgram {
                vertexShaderCode: loadSource(root.vertexRhi)
                fragmentShaderCode: loadSource(root.fragmentRhi)
            }
        },
        View3DTechnique {
            apiMajor: 3; apiMinor: 2
            program: ShaderProgram {
                vertexShaderCode: loadSource(root.vertexGl3)
                fragmentShaderCode: loadSource(root.fragmentGl3)
            }
        },
        View3DTechnique {
            apiMajor: 2; apiMinor: 0
            program: ShaderProgram {
                vertexShaderCode: loadSource(root.vertexEs2)
                fragmentShaderCode: loadSource(root.fragmentEs2)
            }
        },
        View3DTechnique {
            api: GraphicsApiFilter.OpenGLES
            apiMajor: 2; apiMinor: 0
            program: ShaderProgram {
                vertexShaderCode: loadSource(root.vertexEs2)
                fragmentShaderCode: loadSource(root.fragmentEs2)
            }
        }
    ]
}
