// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "LabelPipeline.h"

#include <carina/algo/Threshold.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace carina::labelprops {

algo::Connectivity connectivityFor(int neighbours, bool is2d)
{
    if (neighbours == 0)
        return algo::Connectivity::Full;
    if (is2d) {
        if (neighbours == 4)
            return algo::Connectivity::Faces;
        if (neighbours == 8)
            return algo::Connectivity::Full;
        throw std::invalid_argument("a 2D image has 4 or 8 neighbours, not " + std::to_string(neighbours));
    }
    if (neighbours == 6)
        return algo::Connectivity::Faces;
    if (neighbours == 18)
        return algo::Connectivity::FacesEdges;
    if (neighbours == 26)
        return algo::Connectivity::Full;
    throw std::invalid_argument("a 3D volume has 6, 18 or 26 neighbours, not " + std::to_string(neighbours));
}

LabelOutcome labelObjects(const Volume &image, const LabelOptions &options, const TaskContext &context)
{
    if (image.isNull())
        throw std::invalid_argument("there is no image to label");
    const bool is2d = image.dims()[2] == 1;
    const algo::Connectivity connectivity = connectivityFor(options.neighbours, is2d);
    LabelOutcome out;
    context.progress(0.0, "Thresholding");
    out.threshold = options.otsu ? algo::otsuThreshold(image, 256, context) : options.threshold;
    context.throwIfCanceled();
    const std::vector<std::uint8_t> mask =
        options.darkObjects ? algo::thresholdBelow(image, out.threshold) : algo::thresholdAbove(image, out.threshold);
    context.progress(0.15, "Labelling");
    out.components = algo::labelConnectedComponents(mask.data(), image.dims(), connectivity, context);
    algo::removeSmallComponents(out.components, options.minSize);
    return out;
}

std::shared_ptr<LabelVolume> toLabelVolume(const algo::ComponentLabels &components, const ImageGeometry &geometry)
{
    if (components.count > 65535)
        throw std::invalid_argument(std::to_string(components.count) +
                                    " regions: more than a label layer holds (65535); raise the minimum size or the threshold");
    auto labels = std::make_shared<LabelVolume>(geometry);
    std::transform(components.labels.begin(), components.labels.end(), labels->data(),
                   [](std::uint32_t l) { return std::uint16_t(l); });
    return labels;
}

std::array<std::uint8_t, 3> plasma(double t)
{
    // matplotlib's plasma sampled at k/16 (cm.get_cmap('plasma')), linearly interpolated.
    static constexpr std::uint8_t stops[17][3] = {
        {13, 8, 135},   {49, 5, 151},   {76, 2, 161},   {102, 0, 167},  {126, 3, 168},  {149, 17, 161},
        {170, 35, 149}, {188, 53, 135}, {204, 71, 120}, {218, 90, 106}, {230, 108, 92}, {240, 128, 78},
        {248, 149, 64}, {253, 172, 51}, {253, 197, 39}, {248, 223, 37}, {240, 249, 33}};
    if (!(t >= 0.0)) // NaN too
        t = 0.0;
    t = std::min(t, 1.0) * 16.0;
    const int i = std::min(int(t), 15);
    const double f = t - i;
    std::array<std::uint8_t, 3> rgb{};
    for (int c = 0; c < 3; ++c)
        rgb[std::size_t(c)] = std::uint8_t(std::lround(stops[i][c] + f * (stops[i + 1][c] - stops[i][c])));
    return rgb;
}

Measurement measure(const Volume &image, const LabelOptions &options, const TaskContext &context)
{
    Measurement m;
    m.labelling = labelObjects(image, options, context);
    m.labels = toLabelVolume(m.labelling.components, image.geometry());
    context.progress(0.45, "Measuring regions");
    algo::ComponentLabels &components = m.labelling.components;
    m.table = algo::computeRegionProperties(components.labels.data(), image.geometry(), &image, {}, context);
    return m;
}

} // namespace carina::labelprops
