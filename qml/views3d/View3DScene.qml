// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
import QtQuick
import Qt3D.Core
import Qt3D.Render
import Qt3D.Extras
import Carina.Shell

// The Qt3D scene of View3D: frame graph, camera, the document's meshes and the slice planes.
// Frame graph: background gradient, then opaque geometry, then see-through meshes sorted back
// to front. Renders on demand only (the app is idle while nothing changes).
Entity {
    id: root

    required property MeshSceneModel meshModel
    property QtObject document
    property bool slicesVisible: true
    property alias camera: camera
    property vector3d cameraPosition: Qt.vector3d(0, -500, 0)
    property vector3d cameraTarget: Qt.vector3d(0, 0, 0)
    property real fieldOfView: 30
    property real nearPlane: 1
    property real farPlane: 5000
    property color backgroundTop: "#2e3846"
    property color backgroundBottom: "#07090c"

    readonly property Layer backgroundLayer: Layer {}
    readonly property Layer opaqueLayer: Layer {}
    readonly property Layer transparentLayer: Layer {}
    readonly property Effect meshEffect: View3DShadedEffect {}
    readonly property Effect sliceEffect: View3DFlatEffect { shader: "slice" }

    components: [
        RenderSettings {
            renderPolicy: RenderSettings.OnDemand
            activeFrameGraph: RenderSurfaceSelector {
                Viewport {
                    normalizedRect: Qt.rect(0, 0, 1, 1)
                    CameraSelector {
                        camera: camera
                        ClearBuffers {
                            buffers: ClearBuffers.ColorDepthBuffer
                            clearColor: root.backgroundBottom
                            LayerFilter { layers: [ root.backgroundLayer ] }
                        }
                        LayerFilter {
                            layers: [ root.opaqueLayer ]
                            RenderPassFilter { matchAny: [ FilterKey { name: "pass"; value: "opaque" } ] }
                        }
                        LayerFilter {
                            layers: [ root.transparentLayer ]
                            SortPolicy {
                                sortTypes: [ SortPolicy.BackToFront ]
                                RenderPassFilter { matchAny: [ FilterKey { name: "pass"; value: "transparent" } ] }
                            }
                        }
                    }
                }
            }
        }
    ]

    Camera {
        id: camera
        projectionType: CameraLens.PerspectiveProjection
        fieldOfView: root.fieldOfView
        nearPlane: root.nearPlane
        farPlane: root.farPlane
        position: root.cameraPosition
        viewCenter: root.cameraTarget
        upVector: Qt.vector3d(0, 0, 1)
    }

    Entity {
        id: background
        components: [ backgroundMesh, backgroundMaterial, root.backgroundLayer ]

        PlaneMesh {
            id: backgroundMesh
            width: 2
            height: 2
            meshResolution: Qt.size(2, 2)
        }
        Material {
            id: backgroundMaterial
            effect: View3DFlatEffect {
                shader: "background"
                states: [ CullFace { mode: CullFace.NoCulling }, DepthTest { depthFunction: DepthTest.Always }, NoDepthMask {} ]
            }
            parameters: [
                Parameter { name: "topColour"; value: Qt.vector3d(root.backgroundTop.r, root.backgroundTop.g, root.backgroundTop.b) },
                Parameter { name: "bottomColour"; value: Qt.vector3d(root.backgroundBottom.r, root.backgroundBottom.g, root.backgroundBottom.b) }
            ]
        }
    }

    NodeInstantiator {
        id: meshes
        model: root.meshModel
        delegate: Entity {
            id: meshEntity

            required property var mesh
            required property vector3d colour
            required property real opacity
            required property bool meshVisible
            required property bool transparent
            required property string name

            objectName: "mesh:" + name
            enabled: meshVisible && opacity > 0 && geometry.ready
            components: [
                renderer,
                material,
                transparent ? root.transparentLayer : root.opaqueLayer
            ]

            GeometryRenderer {
                id: renderer
                primitiveType: GeometryRenderer.Triangles
                geometry: MeshGeometry {
                    id: geometry
                    mesh: meshEntity.mesh
                }
            }
            Material {
                id: material
                effect: root.meshEffect
                parameters: [
                    Parameter { name: "baseColour"; value: meshEntity.colour },
                    Parameter { name: "opacity"; value: meshEntity.opacity }
                ]
            }
        }
    }

    // Slice planes, coloured like the slice views (axial red, coronal green, sagittal yellow).
    NodeInstantiator {
        model: [
            { plane: 2, frame: "#e05a50" },
            { plane: 1, frame: "#6cc36a" },
            { plane: 0, frame: "#e8c547" }
        ]
        delegate: Entity {
            id: sliceEntity

            required property var modelData

            enabled: root.slicesVisible && sliceImage.valid
            components: [ sliceRenderer, sliceMaterial, root.opaqueLayer ]

            GeometryRenderer {
                id: sliceRenderer
                primitiveType: GeometryRenderer.Triangles
                geometry: QuadGeometry {
                    topLeft: sliceImage.topLeft
                    topRight: sliceImage.topRight
                    bottomLeft: sliceImage.bottomLeft
                }
            }
            Material {
                id: sliceMaterial
                effect: root.sliceEffect
                parameters: [
                    Parameter {
                        name: "sliceTexture"
                        value: Texture2D {
                            format: Texture.RGBA8_UNorm
                            generateMipMaps: false
                            minificationFilter: Texture.Linear
                            magnificationFilter: Texture.Linear
                            wrapMode {
                                x: WrapMode.ClampToEdge
                                y: WrapMode.ClampToEdge
                            }
                            textureImages: [
                                SliceTextureImage {
                                    id: sliceImage
                                    document: root.document
                                    plane: sliceEntity.modelData.plane
                                    frameColour: sliceEntity.modelData.frame
                                    active: root.slicesVisible
                                }
                            ]
                        }
                    }
                ]
            }
        }
    }
}
