#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
"""Run a ../shared/anchors/peers script with a bounded wait for an idle machine.

The peers wait up to 300 s for quiet before each of up to 3 attempts per measurement; on a machine
where other work keeps running that turns one row into many minutes. This runs the script
unchanged, with peerlib.wait_quiet limited to MAX_WAIT seconds (foreign_cpu_frac still reports
how disturbed each measurement was).

Usage: run_peer.py MAX_WAIT SCRIPT DATADIR CASE [args...]
"""
import functools
import os
import runpy
import sys


def main():
    max_wait, script = float(sys.argv[1]), os.path.abspath(sys.argv[2])
    sys.path.insert(0, os.path.dirname(script))
    import peerlib
    peerlib.wait_quiet = functools.partial(peerlib.wait_quiet, max_wait_s=max_wait)
    sys.argv = [script] + sys.argv[3:]
    runpy.run_path(script, run_name='__main__')


if __name__ == '__main__':
    main()
