// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/LabelVolume.h>
#include <carina/ProcessingPlugin.h>
#include <carina/Volume.h>

#include <string>

namespace carina::trainable {

/// `carina --headless trainable-train INPUT SCRIBBLES --output MODEL [--sigma-min 1]
/// [--sigma-max 16] [--trees 50] [--depth 10] [--no-intensity] [--no-edges] [--no-texture] [--seed 0]`
HeadlessCommand trainCommand();
int runTrainCommand(const QStringList &arguments);
/// `carina --headless trainable-apply MODEL INPUT --output SEG.nii.gz|SEG.png [--uncertainty FILE.nii.gz]
/// [--blended FILE.png]`
HeadlessCommand applyCommand();
int runApplyCommand(const QStringList &arguments);

/// An image for the commands: .npy (2D or 3D) or anything io::readVolume reads.
Volume readImage(const std::string &path);
/// A scribble image (0 = unlabelled, 1..N) on `grid`'s dims: .npy, NIfTI, PNG (uint8/uint16,
/// one channel). Throws with a message naming the file when it is not on the image's grid.
LabelVolume readScribbles(const std::string &path, const ImageGeometry &grid);
/// Writes a segmentation as NIfTI (the image's affine) or, for one slice, a 16-bit PNG of labels.
void writeSegmentation(const LabelVolume &labels, const std::string &path);
/// Writes slice z of the image blended with the labels' colours as an RGB PNG.
void writeBlendedPng(const Volume &image, const LabelVolume &labels, int z, const std::string &path);

} // namespace carina::trainable
