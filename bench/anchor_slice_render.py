#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
"""Anchor for slice_render: what a numpy viewer does to show one CT slice with a label overlay.

Case axial_512: the middle axial slice of ct_phantom.npy (512 x 512), lung window (centre -600,
width 1500) to 8-bit grey, ct_lung_mask_gt.npy blended on top at opacity 0.5 with one colour per
label, packed to RGBA8888 (one uint32 per pixel), as Carina's renderSlice returns it. The arrays are
loaded (memory-mapped) before the clock, as Carina's benchmark does; the clock covers slicing,
windowing, blending and packing. Output: one JSON line in the anchors' format.

Usage: python3 anchor_slice_render.py DATADIR axial_512 [--repeat R]
"""
import os
import sys

import numpy as np

ANCHORS = os.environ.get('CARINA_ANCHORS_DIR',
                         os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'anchors'))
sys.path.insert(0, ANCHORS)
import anchor_common as ac  # noqa: E402

CENTRE, WIDTH, OPACITY = -600.0, 1500.0, 0.5
# Okabe-Ito orange and sky blue for labels 1 and 2 (Carina's default label colours start the same way).
COLOURS = np.array([[0, 0, 0], [230, 159, 0], [86, 180, 233]], np.float32)


def render(ct, mask, z):
    lo = CENTRE - WIDTH / 2
    grey = np.clip((ct[z].astype(np.float32) - lo) * (255.0 / WIDTH), 0, 255)
    rgb = np.repeat(grey[:, :, None], 3, axis=2)
    labels = mask[z]
    on = labels > 0
    rgb[on] = rgb[on] * (1 - OPACITY) + COLOURS[labels[on]] * OPACITY
    rgb8 = (rgb + 0.5).astype(np.uint8)
    rgba = np.empty(labels.shape + (4,), np.uint8)
    rgba[:, :, :3] = rgb8
    rgba[:, :, 3] = 255
    return rgba.view(np.uint32)[:, :, 0]


def main():
    ap = ac.parser('slice_render', ['axial_512'], __doc__)
    a = ac.parse(ap)
    ct = ac.load(a.datadir, 'ct_phantom.npy', mmap=True)
    mask = ac.load(a.datadir, 'ct_lung_mask_gt.npy', mmap=True)
    z = ct.shape[0] // 2
    render(ct, mask, z)  # untimed: page the slice in, as Carina's warm-up does
    img, times = ac.timed(lambda: render(ct, mask, z), a.repeat if a.repeat is not None else 50)
    tinted = int(np.count_nonzero(mask[z]))
    ac.emit('slice_render', a.case, times, width=int(img.shape[1]), height=int(img.shape[0]), slice=z,
            tinted_pixels=tinted)


if __name__ == '__main__':
    main()
