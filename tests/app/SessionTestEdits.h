// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Deterministic label edits shared by the autosave driver and its test: the driver makes them
// through the document's undo stack, the test computes the labels they must leave.
#pragma once

#include <carina/Document.h>
#include <carina/LabelVolume.h>
#include <carina/Volume.h>
#include <carina/edit/LabelPatch.h>

#include <random>

namespace carina::testing {

/// A small CT-like test image.
inline Volume sessionTestImage()
{
    ImageGeometry g;
    g.dims = {48, 40, 12};
    g.spacing = {0.8, 0.8, 2.0};
    g.origin = {-20.0, -16.0, 5.0};
    Volume v(VoxelType::Int16, g);
    std::mt19937 rng(11);
    for (std::size_t i = 0; i < v.voxelCount(); ++i)
        v.data<std::int16_t>()[i] = std::int16_t(int(rng() % 2000) - 1000);
    return v;
}

/// Stroke `s`: a ball of label 1 + s % 3 around a pseudo-random centre.
template<typename Set> void stroke(const Dims &d, int s, Set &&set)
{
    std::mt19937 rng(unsigned(100 + s));
    const int ci = int(rng() % unsigned(d[0])), cj = int(rng() % unsigned(d[1])), ck = int(rng() % unsigned(d[2]));
    const int r = 2 + s % 4;
    for (int k = ck - r; k <= ck + r; ++k)
        for (int j = cj - r; j <= cj + r; ++j)
            for (int i = ci - r; i <= ci + r; ++i)
                if ((i - ci) * (i - ci) + (j - cj) * (j - cj) + (k - ck) * (k - ck) <= r * r && i >= 0 && j >= 0
                    && k >= 0 && i < d[0] && j < d[1] && k < d[2])
                    set(i, j, k, std::uint16_t(1 + s % 3));
}

/// Makes `strokes` undoable strokes on layer `layer`, then undoes the last one.
inline void paintStrokes(Document &document, int layer, int strokes)
{
    for (int s = 0; s < strokes; ++s) {
        LabelPatch patch;
        LabelVolume &labels = document.layerLabels(layer);
        stroke(labels.dims(), s, [&](int i, int j, int k, std::uint16_t v) { patch.assign(labels, i, j, k, v); });
        document.commitLabelEdit(layer, std::move(patch), QStringLiteral("stroke"));
    }
    document.undo();
}

/// What paintStrokes() leaves.
inline LabelVolume expectedStrokes(const ImageGeometry &grid, int strokes)
{
    LabelVolume labels(grid);
    for (int s = 0; s < strokes - 1; ++s)
        stroke(grid.dims, s, [&](int i, int j, int k, std::uint16_t v) { labels.set(i, j, k, v); });
    return labels;
}

} // namespace carina::testing
