#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
"""Writes the small NIfTI reference files of tests/core/nifti and reference.json.

nibabel is the reference: reference.json holds, for each file, what nibabel reads from it
(img.affine = get_best_affine() in RAS, shape, values with x fastest) and the voxel type and
channels Carina should produce. The C++ test only reads the JSON; it never runs Python.
Deterministic: running it again gives the same files.

Usage: /usr/bin/python3 make_reference.py [OUTDIR]   (default: this script's folder)
"""
import json
import os
import sys

import nibabel as nib
import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240601)
reference = {}


def rotation(ax, ay, az):
    cx, sx, cy, sy, cz, sz = np.cos(ax), np.sin(ax), np.cos(ay), np.sin(ay), np.cos(az), np.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ ry @ rx


def affine(rot, zooms, offset):
    a = np.eye(4)
    a[:3, :3] = rot @ np.diag(zooms)
    a[:3, 3] = offset
    return a


def compact(values):
    # Integers as integers and float32 as their shortest round-trip text keep the JSON small.
    if values.dtype.kind in 'iu':
        return [int(v) for v in values]
    if values.dtype == np.float32:
        return [float(str(v)) for v in values]
    return [float(v) for v in values]


def save(img, name, voxel_type, channels=1, warns=False, note=''):
    path = os.path.join(OUT, name)
    nib.save(img, path)
    back = nib.load(path)                    # what nibabel reads is the reference
    data = np.asanyarray(back.dataobj)
    if data.dtype.names:                     # RGB24 structured array -> (..., 3)
        data = np.stack([data[n] for n in data.dtype.names], axis=-1)
        spatial = data.shape[:3]
        values = data.transpose(2, 1, 0, 3).reshape(-1)
    else:
        if data.ndim > 3:
            data = data[..., 0]              # Carina loads the first volume of 4D files
        while data.ndim < 3:
            data = data[..., np.newaxis]
        spatial = data.shape[:3]
        values = data.transpose(2, 1, 0).reshape(-1)    # x fastest, as Carina stores voxels
    reference[name] = dict(
        shape=[int(s) for s in spatial],
        voxel_type=voxel_type,
        channels=channels,
        affine_ras=np.asarray(back.affine, dtype=float).round(10).tolist(),
        values=compact(values),
        expect_warning=warns,
        note=note)


def with_forms(img, qform, qcode, sform, scode):
    img.set_qform(qform, code=qcode)
    img.set_sform(sform, code=scode)
    return img


shape = (16, 12, 5)
base_int16 = rng.integers(-1024, 3000, size=shape, dtype=np.int16)
oblique = affine(rotation(0.3, -0.2, 0.5), [0.8, 0.9, 2.5], [-40.5, 12.25, 30.0])

save(with_forms(nib.Nifti1Image(base_int16, oblique), oblique, 1, None, 0),
     'oblique_qform.nii', 'int16', note='qform only (code 1), oblique rotation')

other = affine(rotation(-0.1, 0.25, -0.4), [1.1, 0.7, 3.0], [5.0, -60.0, 7.5])
save(with_forms(nib.Nifti1Image(base_int16, oblique), oblique, 1, other, 2),
     'sform_over_qform.nii.gz', 'int16', note='sform (code 2) differs from qform (code 1): sform wins')

img = nib.Nifti1Image(rng.integers(0, 256, size=shape, dtype=np.uint8), np.diag([0.5, 0.5, 2.0, 1.0]))
img.header.set_slope_inter(2.0, -100.0)
save(img, 'scaled_integral.nii', 'int16', note='uint8 stored, slope 2 inter -100: exact integers -> int16')

img = nib.Nifti1Image(rng.integers(-500, 500, size=shape, dtype=np.int16), np.diag([1.0, 1.0, 1.0, 1.0]))
img.header.set_slope_inter(0.25, 1.5)
save(img, 'scaled_float.nii', 'float32', note='int16 stored, slope 0.25 inter 1.5 -> float32')

data = rng.normal(0, 100, size=shape).astype(np.float32)
save(with_forms(nib.Nifti2Image(data, oblique), oblique, 1, other, 1),
     'nifti2.nii', 'float32', note='NIfTI-2, float32, sform code 1')

save(nib.Nifti1Image(rng.integers(0, 256, size=shape, dtype=np.uint8), np.diag([-0.7, -0.7, 1.0, 1.0])),
     'uint8.nii.gz', 'uint8', note='uint8, RAS diag(-0.7,-0.7,1) like the phantom')

save(nib.Nifti1Image(rng.normal(0, 3, size=(6, 5, 4)).astype(np.float32), np.diag([2.0, 2.0, 2.0, 1.0])),
     'float32.nii', 'float32')

rgb = np.zeros((8, 6, 3), dtype=[('R', 'u1'), ('G', 'u1'), ('B', 'u1')])
for c in 'RGB':
    rgb[c] = rng.integers(0, 256, size=rgb.shape, dtype=np.uint8)
save(nib.Nifti1Image(rgb, np.diag([0.3, 0.3, 1.0, 1.0])), 'rgb24.nii', 'uint8', channels=3, note='RGB24')

img = nib.Nifti1Image(base_int16[:6, :5, :4].copy(), oblique, header=nib.Nifti1Header(endianness='>'))
img.set_data_dtype(np.int16)
save(with_forms(img, oblique, 1, oblique, 1), 'big_endian.nii', 'int16', note='big-endian header and voxels')

save(with_forms(nib.Nifti1Image(base_int16[:6, :5, :4].copy(), np.diag([1.5, 2.0, 3.0, 1.0])), None, 0, None, 0),
     'no_orientation.nii', 'int16', note='qform and sform codes 0: nibabel base affine (x flipped, centred)')

save(nib.Nifti1Image(rng.integers(0, 1000, size=(6, 5, 4, 3), dtype=np.int16), np.diag([1.0, 1.0, 1.0, 1.0])),
     'four_d.nii.gz', 'int16', warns=True, note='4D, t=3: first volume + warning')

save(nib.Nifti1Image(rng.integers(-128, 128, size=(6, 5, 4), dtype=np.int8), np.eye(4)), 'int8.nii', 'int16',
     note='int8 -> int16')
save(nib.Nifti1Image(rng.integers(-30000, 30000, size=(6, 5, 4), dtype=np.int32), np.eye(4)), 'int32_fits.nii',
     'int16', note='int32 whose values fit int16 -> int16')
save(nib.Nifti1Image(rng.integers(0, 60000, size=(6, 5, 4), dtype=np.int32), np.eye(4)), 'int32_uint16.nii',
     'uint16', note='int32 whose values fit uint16 -> uint16')
save(nib.Nifti1Image(rng.normal(0, 1e6, size=(6, 5, 4)).astype(np.float64), np.eye(4)), 'float64.nii', 'float32',
     note='float64 -> float32')
save(nib.Nifti1Image(rng.integers(0, 60000, size=(6, 5, 4), dtype=np.uint16), oblique), 'uint16.nii', 'uint16')

save(with_forms(nib.Nifti1Pair(base_int16[:6, :5, :4].copy(), oblique), oblique, 1, oblique, 1),
     'pair.hdr', 'int16', note='two-file NIfTI-1 (ni1): pair.hdr + pair.img')

shear = oblique.copy()
shear[:3, 1] += 0.2 * shear[:3, 0]
save(with_forms(nib.Nifti1Image(base_int16[:6, :5, :4].copy(), shear), oblique, 1, shear, 1),
     'shear_sform.nii', 'int16', warns=True, note='sheared sform: orthonormal approximation + warning')

with open(os.path.join(OUT, 'reference.json'), 'w') as f:
    json.dump(dict(generator='make_reference.py', nibabel=nib.__version__, files=reference), f,
              separators=(',', ':'))
    f.write('\n')
