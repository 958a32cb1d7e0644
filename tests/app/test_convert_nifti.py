#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
"""Issue 22.7: `carina --headless convert` writes a NIfTI that other tools read as Carina reads
the input.

For each DICOM series (the bundled sample; the COVID series of ../shared when present):
convert it, read the NIfTI back with nibabel and compare its affine with the geometry
`carina --headless info --json` reports (LPS -> RAS), and its voxels with the NIfTI a second
reader made, Debian's dcm2niix when installed: both brought to the closest canonical (RAS)
orientation, the voxels must be equal and the affines agree within 1e-3 mm.

Usage: test_convert_nifti.py CARINA SAMPLE_DIR [SHARED_DATA_DIR]
Exit 77 (CTest: skipped) when nibabel is missing.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import nibabel as nib
    import numpy as np
except ImportError:
    print("SKIP: nibabel/numpy are missing (apt-get install python3-nibabel)")
    sys.exit(77)

carina, sample = sys.argv[1], sys.argv[2]
shared = sys.argv[3] if len(sys.argv) > 3 else ""
inputs = [sample]
covid = os.path.join(shared, "ct", "ricord1a-every2nd")
if shared and os.path.isdir(covid):
    inputs.append(covid)
else:
    print(f"note: {covid} is missing; only the bundled sample is converted")

dcm2niix = shutil.which("dcm2niix")
if not dcm2niix:
    print("note: dcm2niix is not installed; the voxels are compared with Carina's info only")

failures = []


def check(label, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + label + (f": {detail}" if detail else ""))
    if not condition:
        failures.append(label)


def series_folder(path):
    """The folder holding the DICOM files (the COVID study keeps them one level down)."""
    for folder, _, names in os.walk(path):
        if any(n.lower().endswith(".dcm") for n in names):
            return folder
    return path


with tempfile.TemporaryDirectory() as tmp:
    for index, path in enumerate(inputs):
        folder = series_folder(path)
        name = os.path.basename(path.rstrip("/"))
        out = os.path.join(tmp, f"carina-{index}.nii.gz")
        run = subprocess.run([carina, "--headless", "convert", folder, out, "--json"], capture_output=True, text=True)
        check(f"{name}: convert exits 0", run.returncode == 0, run.stderr.strip())
        if run.returncode != 0:
            continue
        info = json.loads(subprocess.run([carina, "--headless", "info", folder, "--json"], capture_output=True,
                                         text=True, check=True).stdout)
        img = nib.load(out)
        data = np.asarray(img.dataobj)
        check(f"{name}: dims", list(data.shape[:3]) == info["dims"], f"{data.shape} vs {info['dims']}")
        # Carina's geometry: columns of `direction` are the i, j, k axes in LPS, scaled by spacing.
        direction = np.array(info["direction"], dtype=float)
        lps = np.eye(4)
        lps[:3, :3] = direction * np.array(info["spacing"], dtype=float)[None, :]
        lps[:3, 3] = info["origin"]
        ras = np.diag([-1.0, -1.0, 1.0, 1.0]) @ lps
        check(f"{name}: affine equals info's geometry", np.allclose(img.affine, ras, atol=1e-3),
              f"\n{img.affine}\nvs\n{ras}")

        if not dcm2niix:
            continue
        ref_dir = os.path.join(tmp, f"dcm2niix-{index}")
        os.makedirs(ref_dir)
        subprocess.run([dcm2niix, "-z", "y", "-b", "n", "-f", "ref", "-o", ref_dir, folder], capture_output=True, check=True)
        refs = sorted(f for f in os.listdir(ref_dir) if f.endswith(".nii.gz"))
        check(f"{name}: dcm2niix wrote one volume", len(refs) == 1, str(refs))
        if len(refs) != 1:
            continue
        ref = nib.as_closest_canonical(nib.load(os.path.join(ref_dir, refs[0])))
        ours = nib.as_closest_canonical(img)
        a = np.asarray(ours.dataobj, dtype=np.float64)
        b = np.asarray(ref.get_fdata(), dtype=np.float64)
        check(f"{name}: shape equals dcm2niix's", a.shape == b.shape, f"{a.shape} vs {b.shape}")
        if a.shape == b.shape:
            diff = np.abs(a - b).max()
            check(f"{name}: voxels equal dcm2niix's", diff < 1e-3, f"max |diff| {diff}")
        check(f"{name}: affine equals dcm2niix's", np.allclose(ours.affine, ref.affine, atol=1e-3),
              f"\n{ours.affine}\nvs\n{ref.affine}")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
