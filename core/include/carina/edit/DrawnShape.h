// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ImageGeometry.h>
#include <carina/algo/SliceRender.h>

#include <QMetaType>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace carina {

/// A shape the user drew on a slice view, as geometry.
///
/// The drawing tools either paint a shape into the active label layer, or, while a plugin
/// claims shapes (Document::shapeConsumer), hand it over through Document::shapeDrawn: the GGO
/// plugin takes the lasso polygon or the rectangle's extent, the superpixel plugin the voxels a
/// stroke touched. Plain data: copy it, keep it, use it on any thread.
struct CARINA_CORE_EXPORT DrawnShape
{
    enum class Kind : std::uint8_t {
        Lasso,     ///< closed polygon through `points`
        Rectangle, ///< `points` are two opposite corners, the rectangle is aligned with the slice
        Squiggle,  ///< open path through `points`, `widthMm` wide
        Brush,     ///< path of a brush of diameter `widthMm` (a sphere when `sphere`)
        Eraser     ///< as Brush, painting label 0
    };

    Kind kind = Kind::Lasso;
    algo::SlicePlane plane = algo::SlicePlane::Axial;
    int slice = 0;                       ///< index along the plane's fixed voxel axis
    std::vector<Eigen::Vector3d> points; ///< patient LPS mm, on the slice
    double widthMm = 0.0;                ///< squiggle width, brush/eraser diameter; 0 for lasso/rectangle
    bool sphere = false;                 ///< brush/eraser: a 3D sphere instead of a disc on the slice
    std::uint16_t label = 0;             ///< the active label when it was drawn
    int layer = -1;                      ///< the active layer when it was drawn (-1: none)
    /// Linear indices (sorted) of the voxels the shape covers, from rasterizeShape().
    std::vector<std::size_t> voxels;
};

/// The voxels `shape` covers on `geometry` (edit/Rasterize.h per kind). Throws
/// std::invalid_argument when the slice is outside the grid.
CARINA_CORE_EXPORT std::vector<std::size_t> rasterizeShape(const ImageGeometry &geometry, const DrawnShape &shape);

} // namespace carina

Q_DECLARE_METATYPE(carina::DrawnShape)
