#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
"""The plugin guide's code is the example's code.

docs/plugin-guide.md shows each file of examples/plugin-example whole, as a fenced block right
after a `<!-- file: PATH -->` line. `check` fails when a block differs from the file by a single
byte, when an example file is missing from the guide, or when a code block (C++, QML, CMake,
JSON) has no file line, so nothing in the guide escapes the build. `extract` writes the blocks
into an empty folder: the project a reader of the guide ends up with.

Usage: guide_snippets.py check GUIDE EXAMPLE_DIR
       guide_snippets.py extract GUIDE OUT_DIR
"""
import os
import re
import sys

CODE_LANGUAGES = {"cpp", "c++", "qml", "cmake", "json"}
EXAMPLE_SUFFIXES = (".cpp", ".h", ".qml", ".in", "CMakeLists.txt")


def blocks(guide_text):
    """(path or None, language, content, line number) of every fenced block."""
    lines = guide_text.split("\n")
    out, i, pending = [], 0, None
    while i < len(lines):
        m = re.fullmatch(r"<!-- file: (\S+) -->", lines[i])
        if m:
            pending = m.group(1)
        elif lines[i].startswith("```"):
            fence = re.match(r"`{3,}", lines[i]).group(0)
            language = lines[i][len(fence):].strip()
            start = i
            i += 1
            body = []
            while i < len(lines) and lines[i] != fence:
                body.append(lines[i])
                i += 1
            if i == len(lines):
                sys.exit(f"guide line {start + 1}: unterminated code block")
            out.append((pending, language, "\n".join(body) + "\n", start + 1))
            pending = None
        elif lines[i].strip():
            pending = None  # the file line must come right before its block
        i += 1
    return out


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("check", "extract"):
        sys.exit(__doc__)
    mode, guide, target = sys.argv[1:]
    with open(guide, encoding="utf-8") as f:
        found = blocks(f.read())
    failures = []
    files = {}
    for path, language, content, line in found:
        if path is None:
            if language.lower() in CODE_LANGUAGES:
                failures.append(f"guide line {line}: a {language} block without a <!-- file: PATH --> line")
            continue
        if path in files:
            failures.append(f"guide line {line}: {path} shown twice")
        files[path] = (content, line)

    if mode == "extract":
        if failures:
            sys.exit("\n".join(failures))
        for path, (content, _) in files.items():
            os.makedirs(os.path.dirname(os.path.join(target, path)) or target, exist_ok=True)
            with open(os.path.join(target, path), "w", encoding="utf-8", newline="") as f:
                f.write(content)
        print(f"extracted {len(files)} files into {target}")
        return

    for path, (content, line) in files.items():
        source = os.path.join(target, path)
        if not os.path.isfile(source):
            failures.append(f"guide line {line}: {path} is not a file of {target}")
            continue
        with open(source, encoding="utf-8", newline="") as f:
            actual = f.read()
        if actual != content:
            a, b = actual.split("\n"), content.split("\n")
            at = next((n for n, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            failures.append(f"guide line {line}: {path} differs from the example at its line {at + 1}:\n"
                            f"  example: {a[at] if at < len(a) else '<end>'!r}\n"
                            f"  guide:   {b[at] if at < len(b) else '<end>'!r}")
    for folder, _, names in os.walk(target):
        for name in names:
            rel = os.path.relpath(os.path.join(folder, name), target)
            if name.endswith(EXAMPLE_SUFFIXES) and rel not in files and not rel.startswith("build"):
                failures.append(f"{rel} of the example is not in the guide")
    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        sys.exit(1)
    print(f"PASS: the guide shows all {len(files)} files of the example, byte for byte")


if __name__ == "__main__":
    main()
