#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
"""Reference multi-scale features for test_pixel_features: deterministic smooth noise images
(2D uint8 and 3D uint8), skimage.feature.multiscale_basic_features on them (the anchor's call,
wf5_trainable_seg.py), and an anisotropic 3D reference written out from the same definitions
(scipy Gaussian with per-axis sigma, Sobel and np.gradient scaled by finest / axis spacing).

Usage: reference_features.py OUTDIR   (writes img2d.npy, feat2d.npy, img3d.npy, feat3d.npy,
feat3d_aniso.npy; features as (..., F) float32)
"""
import os
import sys

import numpy as np
from scipy import ndimage as ndi
from skimage import feature, filters

out = sys.argv[1]
rng = np.random.default_rng(7)
img2d = (ndi.gaussian_filter(rng.random((90, 110)), 3) * 255 * 4 - 400).clip(0, 255).astype(np.uint8)
img2d = np.ascontiguousarray(np.maximum(img2d, (rng.random((90, 110)) * 60).astype(np.uint8)))
img3d = (ndi.gaussian_filter(rng.random((24, 30, 34)), 2) * 255 * 4 - 400).clip(0, 255).astype(np.uint8)
img3d = np.ascontiguousarray(np.maximum(img3d, (rng.random((24, 30, 34)) * 60).astype(np.uint8)))
np.save(os.path.join(out, 'img2d.npy'), img2d)
np.save(os.path.join(out, 'img3d.npy'), img3d)
f2 = feature.multiscale_basic_features(img2d, intensity=True, edges=True, texture=True,
                                       sigma_min=1, sigma_max=16, channel_axis=None)
np.save(os.path.join(out, 'feat2d.npy'), f2.astype(np.float32))
f3 = feature.multiscale_basic_features(img3d, intensity=True, edges=True, texture=True,
                                       sigma_min=1, sigma_max=4, channel_axis=None)
np.save(os.path.join(out, 'feat3d.npy'), f3.astype(np.float32))

# Anisotropic: spacing (z, y, x) = (2, 1, 1) mm -> per-axis factor r = (0.5, 1, 1).
r = np.array([0.5, 1.0, 1.0])
img = img3d.astype(np.float32) / 255.0
feats = []
for s in (1.0, 2.0, 4.0):
    g = ndi.gaussian_filter(img.astype(np.float64), sigma=s * r, mode='nearest', truncate=4.0).astype(np.float32)
    feats.append(g)
    e = [filters.sobel(g, axis=a) * r[a] for a in range(3)]
    feats.append(np.sqrt(sum(x * x for x in e) / 3))
    grads = [np.gradient(g, axis=a) * r[a] for a in range(3)]
    H = [np.gradient(grads[a0], axis=a1) * r[a1] for a0 in range(3) for a1 in range(a0, 3)]
    feats.extend(feature.hessian_matrix_eigvals(H))
np.save(os.path.join(out, 'feat3d_aniso.npy'), np.stack(feats, axis=-1).astype(np.float32))
