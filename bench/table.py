#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Carina contributors
"""Merge one bench/run pass into one markdown table (stdout) and, with --json, a JSON file.

Reads RESULTS/<workflow>.<case>.{carina,anchor,peer}.jsonl as bench/run writes them, for the rows
of ROWS (bench/rows.txt). Per row: anchor median, Carina median, ratio = anchor / Carina, the
fastest peer variant and its median, peer / Carina, and the result figures side by side. The JSON
file holds one object per row with workflow, case, anchor_s, carina_s, ratio, peer, peer_s
(null where not measured) and the full records they come from.

Usage: table.py ROWS RESULTS [--only WORKFLOW] [--json FILE]
"""
import argparse
import json
import os
import sys

# Result figures shown per workflow and source: (key, label). Other workflows show every
# scalar figure that is not bookkeeping.
FIGURES = {
    'lungmesh': {
        'anchor': [('n_verts', 'v'), ('n_faces', 'f'), ('mesh_surface_area', 'mm²')],
        'carina': [('n_verts', 'v'), ('n_faces', 'f'), ('area_mm2', 'mm²')],
        'peer': [('n_points', 'v'), ('n_polys', 'f'), ('area_mm2', 'mm²')],
    },
    'load': {
        'anchor': [('dtype', ''), ('equal_to_npy', '= npy')],
        'carina': [('dtype', ''), ('equal_to_npy', '= npy'), ('orientation', '')],
        'peer': [('equals_npy', '= npy')],
    },
    'ggo': {
        'anchor': [('ggo_volume_ml', 'mL'), ('dice', 'Dice')],
        'carina': [('ggo_volume_ml', 'mL'), ('dice', 'Dice')],
    },
    'slice_render': {
        'anchor': [('width', 'w'), ('height', 'h'), ('tinted_pixels', 'tinted')],
        'carina': [('width', 'w'), ('height', 'h'), ('tinted_pixels', 'tinted')],
    },
}
BOOKKEEPING = {'workflow', 'case', 'median_s', 'min_s', 'runs', 'times_s', 'foreign_cpu_frac', 'peer',
               'library', 'threads', 'smp_backend', 'skipped', 'cpu_s'}


def read_rows(path):
    rows = []
    for line in open(path):
        line = line.split('#', 1)[0].strip()
        if line:
            w, c, anchor, peer = line.split()
            rows.append(dict(workflow=w, case=c, anchor=anchor, peer=peer))
    return rows


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    out = []
    for line in open(path):
        line = line.strip()
        if line.startswith('{'):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def fmt_value(v):
    if isinstance(v, bool):
        return 'yes' if v else 'NO'
    if isinstance(v, int):
        return '{:,}'.format(v)
    if isinstance(v, float):
        return '{:,.1f}'.format(v) if abs(v) >= 100 else '{:.4g}'.format(v)
    return str(v)


def figures(workflow, source, rec):
    if not rec:
        return ''
    if 'skipped' in rec:
        return 'skipped: ' + str(rec['skipped'])[:80]
    keys = FIGURES.get(workflow, {}).get(source)
    if keys is None:
        keys = [(k, k) for k, v in rec.items() if k not in BOOKKEEPING and isinstance(v, (int, float, str, bool))]
    parts = []
    for k, label in keys:
        if k in rec:
            parts.append((fmt_value(rec[k]) + (' ' + label if label else '')).strip())
    return ', '.join(parts)


def seconds(v):
    return '' if v is None else ('%.4f' % v if v < 1 else '%.3f' % v)


def ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('rows')
    ap.add_argument('results')
    ap.add_argument('--only')
    ap.add_argument('--json')
    a = ap.parse_args()

    out = []
    for row in read_rows(a.rows):
        if a.only and row['workflow'] != a.only:
            continue
        base = os.path.join(a.results, '%s.%s.' % (row['workflow'], row['case']))
        carina = next((r for r in read_jsonl(base + 'carina.jsonl') if r.get('case') == row['case']), None)
        anchor = next((r for r in read_jsonl(base + 'anchor.jsonl') if r.get('case') == row['case']), None)
        peers = [r for r in read_jsonl(base + 'peer.jsonl') if r.get('case') == row['case']]
        timed_peers = [p for p in peers if 'median_s' in p]
        best = min(timed_peers, key=lambda p: p['median_s']) if timed_peers else None
        carina_s = carina.get('median_s') if carina else None
        anchor_s = anchor.get('median_s') if anchor else None
        rec = dict(workflow=row['workflow'], case=row['case'], anchor_s=anchor_s, carina_s=carina_s,
                   ratio=ratio(anchor_s, carina_s))
        if best:
            rec.update(peer=best['peer'], peer_s=best['median_s'], peer_ratio=ratio(best['median_s'], carina_s))
        rec['foreign_cpu_frac'] = dict(anchor=anchor.get('foreign_cpu_frac') if anchor else None,
                                       carina=carina.get('foreign_cpu_frac') if carina else None,
                                       peer=best.get('foreign_cpu_frac') if best else None)
        rec.update(anchor_script=row['anchor'], peer_script=row['peer'], carina_record=carina,
                   anchor_record=anchor, peer_records=peers)
        out.append(rec)

    print('| workflow | case | anchor s | Carina s | anchor / Carina | peer | peer s | peer / Carina '
          '| anchor figures | Carina figures | peer figures | foreign cpu a/c/p |')
    print('|---|---|---|---|---|---|---|---|---|---|---|---|')
    for r in out:
        f = r['foreign_cpu_frac']
        print('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            r['workflow'], r['case'], seconds(r['anchor_s']), seconds(r['carina_s']),
            '' if r['ratio'] is None else '%.2fx' % r['ratio'], r.get('peer', ''), seconds(r.get('peer_s')),
            '' if r.get('peer_ratio') is None else '%.2fx' % r['peer_ratio'],
            figures(r['workflow'], 'anchor', r['anchor_record']),
            figures(r['workflow'], 'carina', r['carina_record']),
            '; '.join('%s: %s' % (p.get('peer'), figures(r['workflow'], 'peer', p)) for p in r['peer_records'])
            if len({figures(r['workflow'], 'peer', p) for p in r['peer_records']}) > 1
            else figures(r['workflow'], 'peer', r['peer_records'][0]) if r['peer_records'] else '',
            '/'.join('-' if f[k] is None else '%.2f' % f[k] for k in ('anchor', 'carina', 'peer'))))
    if a.json:
        with open(a.json, 'w') as fh:
            json.dump(out, fh, indent=1)
    missing = [r for r in out if r['carina_s'] is None]
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
