#!/usr/bin/python3
"""Cross-check `peopleseg evaluate-tracks` against py-motmetrics (cheind/py-motmetrics, MIT) on the same MOT files.

  PYMOT=py113=/tmp/pymot:py_t1=/tmp/pymot/variant_t1 /usr/bin/python3 compare.py [NAME=TRACKS.txt[@GT.txt] ...]

PYMOT lists py-motmetrics checkouts as NAME=PACKAGE_ROOT (the folder holding motmetrics/), the first being the one
counted as the reference; py-motmetrics is not part of this repository (get it yourself; it needs Debian's
python3-pandas and python3-scipy, and on numpy >= 1.24 np.float/np.bool replaced by float/bool). Without
arguments the pairs are the synthetic perturbations of the PETS ground truth that make_synthetic.py writes to
$WORK/syn. Tracks default to the PETS ground truth as GT. WORK defaults to /tmp/peopleseg-motcheck.
Worker mode: compare.py --py-worker PKGROOT GT TS prints py-motmetrics' numbers as JSON.
"""
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
SHARED = os.environ.get('PEOPLESEG_SHARED', os.path.join(REPO, '..', 'shared'))
GT = os.path.join(SHARED, 'data', 'pets2009-s3mf1', 'gt', 'gt.txt')
WORK = os.environ.get('WORK', '/tmp/peopleseg-motcheck')
# what was compared on 2026-11-24 (tracks from 'peopleseg stream' on PETS, see the README's video section)
MEASURED = [
    ('yolo11n-960x576-fp32', '/tmp/pets-yolo11n-960x576-fp32/img.mot.txt'),
    ('yolo11n-960x576-int8', '/tmp/pets-yolo11n-960x576-int8/img.mot.txt'),
    ('yolo11n-640-int8', '/tmp/pets-yolo11n-640-int8/img.mot.txt'),
    ('yolo11n-960x576-fp32-i2', '/tmp/pets-yolo11n-960x576-fp32-i2/img.mot.txt'),
    ('yolo11n-960x576-fp32-i3', '/tmp/pets-yolo11n-960x576-fp32-i3/img.mot.txt'),
    ('syn-identity', WORK + '/syn/syn-identity.txt'),
    ('syn-swap', WORK + '/syn/syn-swap.txt'),
    ('syn-drop', WORK + '/syn/syn-drop.txt'),
    ('syn-jitter-fp', WORK + '/syn/syn-jitter-fp.txt'),
    ('syn-reacquire', WORK + '/syn/syn-reacquire.txt'),
    ('syn-gtgap (gt-gap.txt as GT)', WORK + '/syn/syn-gtgap-tracks.txt', WORK + '/syn/gt-gap.txt'),
]
SYNTHETIC = [p for p in MEASURED if p[0].startswith('syn-')]
VARIANTS = [tuple(v.split('=', 1)) for v in os.environ.get('PYMOT', '').split(':') if v]
METRICS = ['num_frames', 'num_objects', 'num_predictions', 'num_unique_objects', 'num_detections', 'num_matches',
           'num_switches', 'num_false_positives', 'num_misses', 'num_fragmentations', 'mostly_tracked',
           'partially_tracked', 'mostly_lost', 'idf1', 'idp', 'idr', 'idtp', 'idfp', 'idfn', 'motp', 'mota',
           'recall', 'precision']


def py_worker(root, gt_path, ts_path):
    sys.path.insert(0, root)
    import motmetrics as mm  # noqa: E402
    assert os.path.dirname(mm.__file__) == os.path.join(root, 'motmetrics'), mm.__file__
    # min_confidence=-1 keeps every row: the PETS gt has -1 in the 7th column, the tracks a score in (0, 1].
    gt = mm.io.loadtxt(gt_path, fmt='mot15-2D', min_confidence=-1)
    ts = mm.io.loadtxt(ts_path, fmt='mot15-2D', min_confidence=-1)
    acc = mm.utils.compare_to_groundtruth(gt, ts, 'iou', distth=0.5)
    mh = mm.metrics.create()
    wanted = mm.metrics.motchallenge_metrics + ['num_detections', 'num_matches', 'num_switches',
                                                'num_false_positives', 'num_misses', 'num_fragmentations',
                                                'mostly_tracked', 'partially_tracked', 'mostly_lost', 'idf1',
                                                'idp', 'idr', 'motp', 'mota']
    extra = ['num_frames', 'num_objects', 'num_predictions', 'idtp', 'idfp', 'idfn']
    summary = mh.compute(acc, metrics=list(dict.fromkeys(wanted + extra)), name='x')
    row = summary.loc['x']
    out = {k: (None if row[k] is None else float(row[k])) for k in summary.columns}
    out['_version'] = mm.__version__
    out['_gt_rows'] = int(len(gt))
    out['_ts_rows'] = int(len(ts))
    ev = acc.mot_events
    sw = ev[ev.Type == 'SWITCH']
    out['_switches_at'] = [[int(i[0]), int(o), int(h)] for i, o, h in zip(sw.index, sw.OId, sw.HId)]
    print(json.dumps(out))


def run_py(root, ts, gt=GT):
    r = subprocess.run(['/usr/bin/python3', __file__, '--py-worker', root, gt, ts], capture_output=True, text=True,
                       check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def run_java(ts, out_json, gt=GT):
    subprocess.run(['bin/peopleseg', 'evaluate-tracks', '--gt', gt, '--tracks', ts, '--output', out_json],
                   cwd=REPO, check=True, capture_output=True, text=True)
    with open(out_json) as fh:
        return json.load(fh)['sequences'][0]['metrics']


def ours_as_py(j):
    """Our JSON mapped onto py-motmetrics names/conventions."""
    return {
        'num_frames': j['frames'], 'num_objects': j['gt_boxes'], 'num_predictions': j['hyp_boxes'],
        'num_unique_objects': j['gt_ids'],
        'num_detections': j['matches'],                       # ours: matches incl. switches
        'num_matches': j['matches'] - j['id_switches'],       # py: MATCH events only
        'num_switches': j['id_switches'], 'num_false_positives': j['false_positives'], 'num_misses': j['misses'],
        'num_fragmentations': j['fragmentations'], 'mostly_tracked': j['mostly_tracked'],
        'partially_tracked': j['partially_tracked'], 'mostly_lost': j['mostly_lost'],
        'idf1': j['idf1'], 'idp': j['idp'], 'idr': j['idr'], 'idtp': j['idtp'], 'idfp': j['idfp'], 'idfn': j['idfn'],
        'motp': None if j['motp'] is None else 1.0 - j['motp'],   # ours: mean IoU; py: mean (1 - IoU)
        'mota': j['mota'],
        'recall': None if j['gt_boxes'] == 0 else j['matches'] / j['gt_boxes'],
        'precision': None if j['matches'] + j['false_positives'] == 0
        else j['matches'] / (j['matches'] + j['false_positives']),
    }


def same(a, b, tol=1e-9):
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return (a is None or (isinstance(a, float) and math.isnan(a))) and \
               (b is None or (isinstance(b, float) and math.isnan(b)))
    return abs(float(a) - float(b)) <= tol


def main():
    if not VARIANTS:
        sys.exit('set PYMOT=NAME=PACKAGE_ROOT[:NAME=PACKAGE_ROOT...] (see the docstring)')
    args = [a for a in sys.argv[1:]]
    pairs = []
    for a in args:
        name, rest = a.split('=', 1)
        ts, _, gt = rest.partition('@')
        pairs.append((name, ts, gt) if gt else (name, ts))
    if not pairs:
        subprocess.run(['/usr/bin/python3', os.path.join(HERE, 'make_synthetic.py')], check=True)
        pairs = SYNTHETIC
    os.makedirs(WORK, exist_ok=True)
    out_path = os.path.join(WORK, 'compare-result.json')
    results = []
    n_diff = 0
    max_float_diff = 0.0
    for name, ts, *rest in pairs:
        gt = rest[0] if rest else GT
        ours_raw = run_java(ts, os.path.join(WORK, f'ours-{name.split()[0]}.json'), gt)
        ours = ours_as_py(ours_raw)
        pys = {v: run_py(root, ts, gt) for v, root in VARIANTS}
        print(f'\n=== {name}: gt={gt} tracks={ts}')
        print(f'{"metric":22s} {"ours":>12s} ' + ' '.join(f'{v:>12s}' for v, _ in VARIANTS) + '  status')
        rows = {}
        for m in METRICS:
            vals = [pys[v].get(m) for v, _ in VARIANTS]
            status = ' '.join(('=' if same(ours[m], x) else 'DIFF') for x in vals)
            if 'DIFF' in status.split()[0]:
                n_diff += 1
            elif ours[m] is not None and vals[0] is not None:
                max_float_diff = max(max_float_diff, abs(float(ours[m]) - float(vals[0])))
            rows[m] = {'ours': ours[m], **{v: x for (v, _), x in zip(VARIANTS, vals)}}

            def f(x):
                return 'None' if x is None else (f'{x:.6f}' if isinstance(x, float) and x != int(x) else f'{x:g}')
            print(f'{m:22s} {f(ours[m]):>12s} ' + ' '.join(f'{f(x):>12s}' for x in vals) + f'  {status}')
        for v, _ in VARIANTS:
            print(f'{v} switches at (frame, gt, hyp): {pys[v]["_switches_at"]}')
        results.append({'pair': name, 'tracks': ts, 'gt': gt, 'ours_json': ours_raw, 'metrics': rows,
                        'switches_at': {v: pys[v]['_switches_at'] for v, _ in VARIANTS},
                        'py_versions': {v: pys[v]['_version'] for v, _ in VARIANTS}})
    with open(out_path, 'w') as fh:
        json.dump(results, fh, indent=1)
    print(f'\nmetrics differing between ours and {VARIANTS[0][0]}: {n_diff}; details in {out_path}')
    print(f'largest |ours - {VARIANTS[0][0]}| among the agreeing numbers: {max_float_diff:.3g}')


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == '--py-worker':
        py_worker(*sys.argv[2:5])
    else:
        main()
