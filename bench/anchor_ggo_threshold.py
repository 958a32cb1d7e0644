#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
"""Anchor for ggo threshold_update: what the seed app (dash-covid-xray, wf3_ggo.py's app case) does
when the user moves the upper end of the HU range by 10 HU: it recomputes one whole interaction
(lasso polygon, ROI histogram, range mask over the whole volume, largest component, 7x7 median of
the mask, marching cubes). The median-smoothed CT is the app's start-up work and is made before
the clock, as Carina's prepared region is. Output: one JSON line in the anchors' format.

Usage: python3 anchor_ggo_threshold.py DATADIR threshold_update [--repeat R]
"""
import os
import sys

import numpy as np
from skimage import filters

ANCHORS = os.environ.get('CARINA_ANCHORS_DIR',
                         os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'anchors'))
sys.path.insert(0, ANCHORS)
import anchor_common as ac  # noqa: E402
import wf3_ggo  # noqa: E402


def main():
    ap = ac.parser('ggo', ['threshold_update'], __doc__)
    a = ac.parse(ap)
    meta = ac.meta(a.datadir)
    ct = ac.load(a.datadir, 'ct_phantom.npy')
    gt = ac.load(a.datadir, 'ggo_gt.npy').astype(bool)
    roi = [int(v) for v in meta['ggo_roi_zyx']]
    vmin, vmax = meta['ggo_range_hu']
    vox_ml = float(np.prod(meta['spacing_zyx'])) / 1000.0
    med_img = filters.median(ct, footprint=np.ones((1, 3, 3), dtype=bool))  # the app's start-up
    # The handle moves up by 10 HU, then back: each move is one full interaction in the app.
    state = {'high': vmax}

    def move():
        state['high'] = vmax + 10 if state['high'] == vmax else vmax
        return wf3_ggo.app_interaction(med_img, roi, vmin, state['high'])

    _, times = ac.timed(move, a.repeat if a.repeat is not None else 3)
    mask = wf3_ggo.app_interaction(med_img, roi, vmin, vmax)[0]
    ac.emit('ggo', a.case, times, ggo_volume_ml=round(int(mask.sum()) * vox_ml, 3),
            dice=round(ac.dice(mask, gt), 5), handle_step_hu=10)


if __name__ == '__main__':
    main()
