// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/Volume.h>

#include <string>
#include <string_view>

namespace carina {

/// A pixel size as the user gives it ("0.65um"): a value in a length unit. A grid's spacing is
/// always stored in mm; the unit says how lengths, areas and positions are shown and reported.
struct CARINA_CORE_EXPORT PixelSize
{
    double value = 1.0;      ///< > 0, in `unit`
    std::string unit = "mm"; ///< "mm", "um" or "nm"

    /// The size in millimetres (what ImageGeometry::spacing holds).
    double millimetres() const;
};

/// Millimetres in one `unit`: 1 for "mm", 1e-3 for "um", 1e-6 for "nm"; 0 for any other unit
/// (including "px", an image without a known pixel size).
CARINA_CORE_EXPORT double millimetresPer(std::string_view unit);

/// How `unit` is written for people: "µm" for "um", "mm", "nm", "px".
CARINA_CORE_EXPORT std::string unitSymbol(std::string_view unit);

/// Parses a pixel size: a positive number and a unit, with or without a space: "0.65um",
/// "0.65 µm", "650nm", "0.5 mm", "1e-3mm"; "micron(s)" means µm; a bare number is mm.
/// Throws std::invalid_argument with a message naming what was wrong.
CARINA_CORE_EXPORT PixelSize parsePixelSize(std::string_view text);

/// Gives `image` the pixel size `size`: the in-plane spacing (i and j; k too for a 2D image, so a
/// one-slice image stays a thin square plate in 3D) and info().lengthUnit. The origin stays.
CARINA_CORE_EXPORT void applyPixelSize(Volume &image, const PixelSize &size);

/// The unit an image's lengths are reported in: info().lengthUnit, "mm" when that is empty.
CARINA_CORE_EXPORT std::string lengthUnitOf(const Volume &image);

} // namespace carina
