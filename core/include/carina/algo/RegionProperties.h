// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/ImageGeometry.h>
#include <carina/LabelVolume.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>
#include <carina/algo/ConnectedComponents.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace carina::algo {

/// Properties of one labelled region, defined as scikit-image 0.19's `measure.regionprops`.
///
/// Stored in Carina's index order (x, y, z); the CSV writer maps them onto skimage's array axis
/// order ((row, col) = (y, x) in 2D, (z, y, x) in 3D). Values a region's dimensionality does not
/// define are NaN.
struct CARINA_CORE_EXPORT RegionProperties
{
    std::uint32_t label = 0;
    std::uint64_t area = 0;                 ///< pixels / voxels
    Dims bboxMin{0, 0, 0};                  ///< first index inside, per axis x, y, z
    Dims bboxMax{0, 0, 0};                  ///< one past the last index inside
    std::array<double, 3> centroid{0, 0, 0}; ///< mean index, x, y, z
    double perimeter = 0.0;          ///< 2D: skimage's `perimeter(image, 4)` (weighted border pixels)
    double eccentricity = 0.0;       ///< 2D: of the ellipse with the same second moments
    double orientation = 0.0;        ///< 2D: skimage's angle (radians) between rows and the major axis
    double equivalentDiameter = 0.0; ///< diameter of the disk / ball of the same area
    int eulerNumber = 0;             ///< objects minus holes (2D 8-connectivity, 3D 26-connectivity)
    double solidity = 0.0;           ///< 2D: area / convex hull area (skimage's convex_hull_image)
    double meanIntensity = 0.0;      ///< intensity statistics (NaN without an intensity image)
    double minIntensity = 0.0;
    double maxIntensity = 0.0;
    double volumeMl = 0.0;           ///< 3D: area times the voxel volume
    double surfaceAreaMm2 = 0.0;     ///< 3D: marching-cubes surface (level 0.5) of the padded region
    double sphericity = 0.0;         ///< 3D: pi^(1/3) (6 V)^(2/3) / surface area
};

/// The regions of a label image, sorted by label (labels without voxels are not listed).
struct CARINA_CORE_EXPORT RegionTable
{
    int dimensionality = 2;          ///< 2 when the grid has one slice (dims[2] == 1), else 3
    ImageGeometry geometry;          ///< grid of the label image (spacing used for 3D mm / mL)
    bool hasIntensity = false;
    /// Unit of the physical columns (the intensity image's info().lengthUnit): "mm" (default),
    /// "um" or "nm"; "px" (a 2D image without a pixel size) leaves the 2D physical columns out.
    std::string lengthUnit = "mm";
    std::vector<RegionProperties> regions;

    /// Every column writeCsv knows for this table, in scikit-image's names and order
    /// (`label`, `area`, `bbox-0`.., `centroid-0`.., then the per-dimension extras). Carina's
    /// own additions: `area_mm2` (2D), `centroid_mm-0`.. (the centroid as an LPS point, x, y
    /// [, z], in mm), `volume_ml`, `surface_area_mm2` and `sphericity` (3D). With a lengthUnit
    /// other than mm the unit is in the names instead: `centroid_um-0`.., `area_um2`,
    /// `perimeter_um`, `equivalent_diameter_um` (2D), `volume_um3`, `surface_area_um2` (3D).
    std::vector<std::string> availableColumns() const;
};

struct CARINA_CORE_EXPORT RegionPropertiesOptions
{
    bool perimeter = true;  ///< 2D perimeter
    bool euler = true;      ///< Euler number
    bool convexHull = true; ///< 2D solidity
    bool surface = true;    ///< 3D surface area and sphericity (one marching cubes per region)
};

/// Region properties of `labels` (dims of `geometry`, x fastest, 0 = background) with the
/// intensity statistics of `intensity` (may be null; it must then be single-channel on the same
/// dims). One pass over the labels for area, bounding box, moments and intensities, then the
/// per-region shape measures on each region's bounding box in parallel.
/// Throws std::invalid_argument on mismatched dims, TaskCanceled.
CARINA_CORE_EXPORT RegionTable computeRegionProperties(const std::uint32_t *labels, const ImageGeometry &geometry,
                                                       const Volume *intensity,
                                                       const RegionPropertiesOptions &options = {},
                                                       const TaskContext &context = TaskContext::none());

/// Same for connected components (their dims with the intensity image's geometry when given).
CARINA_CORE_EXPORT RegionTable computeRegionProperties(const ComponentLabels &components, const Volume *intensity,
                                                       const RegionPropertiesOptions &options = {},
                                                       const TaskContext &context = TaskContext::none());

/// Same for a label layer.
CARINA_CORE_EXPORT RegionTable computeRegionProperties(const LabelVolume &labels, const Volume *intensity,
                                                       const RegionPropertiesOptions &options = {},
                                                       const TaskContext &context = TaskContext::none());

/// Writes `columns` (names from RegionTable::availableColumns(); empty = all of them) of the
/// table as CSV with a header row, one region per line, floats in shortest round-trip form,
/// through an AtomicFile. Throws std::invalid_argument naming an unknown column, io::IoError.
CARINA_CORE_EXPORT void writeCsv(const RegionTable &table, const std::string &path,
                                 const std::vector<std::string> &columns = {});

/// The value of column `column` (a name from availableColumns()) for region `region` of
/// `table`, as the CSV holds it (integers exactly, NaN where undefined). Throws
/// std::invalid_argument for an unknown column.
CARINA_CORE_EXPORT double regionValue(const RegionTable &table, const RegionProperties &region,
                                      const std::string &column);

} // namespace carina::algo
