// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/PixelSize.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace carina {

double PixelSize::millimetres() const
{
    return value * millimetresPer(unit);
}

double millimetresPer(std::string_view unit)
{
    if (unit == "mm")
        return 1.0;
    if (unit == "um")
        return 1e-3;
    if (unit == "nm")
        return 1e-6;
    return 0.0;
}

std::string unitSymbol(std::string_view unit)
{
    if (unit == "um")
        return "\xc2\xb5m"; // µm
    return std::string(unit);
}

PixelSize parsePixelSize(std::string_view text)
{
    const auto isSpace = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back()))
        text.remove_suffix(1);
    const std::string quoted = "\"" + std::string(text) + "\"";
    if (text.empty())
        throw std::invalid_argument("a pixel size needs a value and a unit, e.g. 0.65um");
    PixelSize size;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), size.value);
    if (error != std::errc() || end == text.data())
        throw std::invalid_argument("pixel size " + quoted + " does not start with a number (e.g. 0.65um)");
    std::string_view unit(end, std::size_t(text.data() + text.size() - end));
    while (!unit.empty() && isSpace(unit.front()))
        unit.remove_prefix(1);
    std::string lower;
    for (char c : unit)
        lower.push_back(char(std::tolower(static_cast<unsigned char>(c))));
    if (lower.empty() || lower == "mm")
        size.unit = "mm";
    else if (lower == "um" || lower == "\xc2\xb5m" || lower == "\xce\xbcm" || lower == "micron" || lower == "microns")
        size.unit = "um"; // the micro sign and the Greek mu both occur in the wild
    else if (lower == "nm")
        size.unit = "nm";
    else
        throw std::invalid_argument("pixel size " + quoted + ": unknown unit \"" + std::string(unit)
                                    + "\" (use mm, um or nm)");
    if (!(size.value > 0.0) || !std::isfinite(size.millimetres()))
        throw std::invalid_argument("pixel size " + quoted + " must be a positive number");
    return size;
}

void applyPixelSize(Volume &image, const PixelSize &size)
{
    const double mm = size.millimetres();
    if (!(mm > 0.0) || !std::isfinite(mm))
        throw std::invalid_argument("a pixel size must be positive and in mm, um or nm");
    ImageGeometry g = image.geometry();
    g.spacing[0] = mm;
    g.spacing[1] = mm;
    if (g.dims[2] <= 1)
        g.spacing[2] = mm;
    image.setGeometry(g);
    image.info().lengthUnit = size.unit;
}

std::string lengthUnitOf(const Volume &image)
{
    return image.info().lengthUnit.empty() ? std::string("mm") : image.info().lengthUnit;
}

} // namespace carina
