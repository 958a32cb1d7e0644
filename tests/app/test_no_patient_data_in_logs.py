#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
"""Issue 8.6: no patient identity in logs or in what Carina writes.

Reads the patient names, IDs and birth dates of every sample DICOM file with pydicom, then runs
`carina --verbose` with every Qt logging category at debug level (the most verbose there is) on
every sample: `info` (text and JSON) and `intensity` on each folder, `info` on each single file,
and `lungmesh` on a CT series, whose NIfTI, STL and CSV headers are checked too. Greps everything
carina printed and wrote for those values. A path the user typed
may well contain an ID (the NYSBU files are named after theirs): it is cut from the log first,
since printing the user's own path back is not a leak.

Usage: test_no_patient_data_in_logs.py CARINA SHARED_DATA_DIR SAMPLE_DIR
Exit 77 (CTest: skipped) when the shared data or pydicom is missing.
"""
import os
import re
import subprocess
import sys
import tempfile

carina, shared, sample = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    import pydicom
except ImportError:
    print("SKIP: pydicom is missing (apt-get install python3-pydicom)")
    sys.exit(77)
if not os.path.isdir(os.path.join(shared, "ct")):
    print(f"SKIP: {shared}/ct is missing (the shared sample scans)")
    sys.exit(77)

roots = [os.path.join(shared, d) for d in ("ct", "mri", "dicom-robustness")] + [sample]
identity_tags = ("PatientName", "PatientID", "PatientBirthDate", "OtherPatientIDs", "OtherPatientNames")

dicom_files, series_folders, identities = [], set(), set()
import warnings
warnings.simplefilter("ignore")
for root in roots:
    for folder, _, names in os.walk(root):
        for name in sorted(names):
            path = os.path.join(folder, name)
            try:
                ds = pydicom.dcmread(path, stop_before_pixels=True, force=True)
            except Exception:
                continue
            found = False
            for tag in identity_tags:
                value = ds.get(tag)
                if value is None:
                    continue
                for item in (value if isinstance(value, pydicom.multival.MultiValue) else [value]):
                    text = str(item).strip()
                    if text:
                        identities.add((tag, text))
                        found = True
            if found or "PixelData" in ds or name.lower().endswith(".dcm"):
                dicom_files.append(path)
                series_folders.add(folder)


def needles():
    """The strings to look for: whole values, names with ^ as spaces, long name parts, dates."""
    out = set()
    for tag, text in identities:
        candidates = {text, text.replace("^", " ").strip()}
        if "Name" in tag:
            candidates |= {part for part in text.split("^") if len(part) >= 6}
        if tag == "PatientBirthDate" and re.fullmatch(r"\d{8}", text):
            candidates.add(f"{text[0:4]}-{text[4:6]}-{text[6:8]}")
        for c in candidates:
            # Short or generic values (an ID "1234", a name "Anon") would match unrelated
            # numbers and words; whole dates have 8 digits.
            if len(c) >= 6 and not (c.isdigit() and len(c) < 8):
                out.add(c)
    return sorted(out)


patterns = needles()
assert len(dicom_files) > 50 and len(patterns) > 20, (len(dicom_files), len(patterns))

env = dict(os.environ)
env["QT_LOGGING_RULES"] = "*.debug=true"
env.pop("CARINA_PLUGIN_PATH", None)
log = []
with tempfile.TemporaryDirectory() as work:
    runs = []
    for folder in sorted(series_folders):
        runs += [["info", folder], ["info", folder, "--json"], ["intensity", folder]]
    for path in dicom_files:
        runs += [["info", path, "--json"]]
    runs += [["plugins"]]
    for args in runs:
        result = subprocess.run([carina, "--verbose", "--headless"] + args, env=env, cwd=work,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        log.append(result.stdout.decode("utf-8", "replace"))
    # What carina writes: NIfTI and CSV from the plugins' commands on a DICOM series.
    outputs = []
    lung = os.path.join(shared, "ct", "lungpetctdx-a0002")
    plugins = subprocess.run([carina, "--help"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout.decode()
    if re.search(r"^  lungmesh ", plugins, re.M):
        out = os.path.join(work, "lung")
        r = subprocess.run([carina, "--verbose", "--headless", "lungmesh", lung, "--output", out + ".stl",
                            "--labels", out + ".nii.gz", "--csv", out + ".csv"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        log.append(r.stdout.decode("utf-8", "replace"))
        outputs += [out + ".stl", out + ".nii.gz", out + ".csv"]
    written = b""
    for path in outputs:
        if os.path.exists(path):
            with open(path, "rb") as f:
                data = f.read()
            if path.endswith(".gz"):
                import gzip
                data = gzip.decompress(data)
            written += data[:4096]  # headers: NIfTI's descrip/intent_name, STL's, CSV's first rows

text = "\n".join(log)
# The user's own paths (and the file names in them) are not Carina's doing.
for path in sorted(set(dicom_files) | series_folders, key=len, reverse=True):
    text = text.replace(path, "<input>")
for path in dicom_files:
    text = text.replace(os.path.basename(path), "<input-file>")

leaks = [p for p in patterns if p in text]
written_leaks = [p for p in patterns if p.encode() in written]
print(f"checked {len(runs)} runs on {len(dicom_files)} DICOM files in {len(series_folders)} folders, "
      f"{len(text.splitlines())} log lines, {len(outputs)} written files, for {len(patterns)} identity strings")
if leaks or written_leaks:
    for p in leaks:
        line = next(l for l in text.splitlines() if p in l)
        print(f"FAIL: the log contains patient identity {p!r}: {line[:200]}")
    for p in written_leaks:
        print(f"FAIL: a written file contains patient identity {p!r}")
    sys.exit(1)
print("PASS: no patient name, ID or birth date in the most verbose log or in the written files")
