#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
"""The anchor's GGO mask (../shared/anchors/wf3_ggo.py, its own roi_path: crop, skimage median
(1, 3, 3), vmin < HU <= vmax, largest 6-connected component) on the phantom's ROI, saved as a
uint8 .npy of the ROI (z, y, x). Prints the ROI and the HU range: "z0 z1 y0 y1 x0 x1 vmin vmax".

Usage: reference_ggo.py ANCHORS_DIR DATADIR OUT.npy
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import wf3_ggo  # noqa: E402

datadir = sys.argv[2]
meta = json.load(open(os.path.join(datadir, 'ct_phantom_meta.json')))
ct = np.load(os.path.join(datadir, 'ct_phantom.npy'))
vmin, vmax = meta['ggo_range_hu']
roi = [int(v) for v in meta['ggo_roi_zyx']]
mask = wf3_ggo.roi_path(ct, roi, vmin, vmax)
np.save(sys.argv[3], mask.astype(np.uint8))
print(*roi, vmin, vmax)
