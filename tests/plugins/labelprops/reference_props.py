#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
"""The anchor's region table (../shared/anchors/wf6_label_props.py: Otsu, label(img > t),
regionprops_table) with bbox and centroid added, written with the anchor's own CSV writer.
The anchor's --csv path also times the full-image contours (about 40 s on cells_2048); this
runs only its table.

Usage: reference_props.py ANCHORS_DIR IMAGE.npy OUT.csv
"""
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import wf6_label_props as wf6  # noqa: E402

img = np.load(sys.argv[2])
props = wf6.PROPS_2D + ['bbox', 'centroid'] if img.ndim == 2 else wf6.PROPS_3D
_, _, tab = wf6.table(img, props)
wf6.write_csv(sys.argv[3], tab)
