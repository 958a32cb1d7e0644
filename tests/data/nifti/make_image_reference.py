#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
"""Writes image_reference.json: what Pillow reads from the 2D images in /work/shared/data/images2d
(shape, type, per-channel sums, sampled pixels), for tests/core/nifti/test_image_file.cpp.

Carina's layout: i = column, j = row (row 0 first), k = page; channels interleaved.
Usage: /usr/bin/python3 make_image_reference.py [IMAGES2D_DIR]
"""
import json
import os
import sys

import numpy as np
from PIL import Image

SRC = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data/images2d'
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'image_reference.json')
FILES = {
    'skimage/camera.png': 'uint8',
    'skimage/coins.png': 'uint8',
    'skimage/astronaut.png': 'uint8',
    'skimage/horse.png': 'uint8',
    'skimage/hubble_deep_field.jpg': 'uint8',
    'imageio_binaries/fei-sem-rbc.tif': 'uint8',
    'imageio_binaries/calcium_imaging.tif': 'uint16',
    'skimage/_blobs_3d_fiji_skeleton.tif': 'uint8',
}

rng = np.random.default_rng(5)
reference = {}
for name, voxel_type in FILES.items():
    image = Image.open(os.path.join(SRC, name))
    pages = []
    for index in range(getattr(image, 'n_frames', 1)):
        image.seek(index)
        pages.append(np.array(image))
    stack = np.stack(pages)                        # (k, j, i[, c])
    if stack.ndim == 3:
        stack = stack[..., np.newaxis]
    k, j, i, c = stack.shape
    samples = []
    for _ in range(24):
        p = [int(rng.integers(0, n)) for n in (i, j, k, c)]
        samples.append(p + [int(stack[p[2], p[1], p[0], p[3]])])
    reference[name] = dict(dims=[i, j, k], channels=c, voxel_type=voxel_type,
                           channel_sums=[int(stack[..., ch].astype(np.int64).sum()) for ch in range(c)],
                           samples=samples, lossy=name.endswith('.jpg'))

with open(OUT, 'w') as f:
    json.dump(dict(generator='make_image_reference.py', files=reference), f, separators=(',', ':'))
    f.write('\n')
