"""Synthetic perturbations of the PETS2009 S3MF1 ground truth (written to $WORK/syn, never into the repo).
Output: MOT rows frame,id,x,y,w,h,score,-1,-1,-1 (1-based frames)."""
import random
import os
_REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..'))
GT = os.path.join(os.environ.get('PEOPLESEG_SHARED', os.path.join(_REPO, '..', 'shared')), 'data', 'pets2009-s3mf1',
                  'gt', 'gt.txt')
OUT = os.path.join(os.environ.get('WORK', '/tmp/peopleseg-motcheck'), 'syn')
os.makedirs(OUT, exist_ok=True)
rows = []
for line in open(GT):
    f = line.strip().split(',')
    if len(f) < 6:
        continue
    rows.append([int(f[0]), int(f[1])] + [float(v) for v in f[2:6]])

def write(name, rs):
    rs = sorted(rs, key=lambda r: (r[0], r[1]))
    with open(f'{OUT}/{name}.txt', 'w') as fh:
        for r in rs:
            fh.write('%d,%d,%.3f,%.3f,%.3f,%.3f,1,-1,-1,-1\n' % tuple(r[:6]))

# 1. id swaps: ids 1<->2 swapped from frame 60 on; ids 3<->4 swapped in frames 80..89 and back afterwards;
#    id 5 becomes a brand-new id 50 from frame 70 (ascend-type switch).
swap = []
for fr, i, x, y, w, h in rows:
    j = i
    if fr >= 60 and i in (1, 2):
        j = 3 - i
    if 80 <= fr <= 89 and i in (3, 4):
        j = 7 - i
    if fr >= 70 and i == 5:
        j = 50
    swap.append([fr, j, x, y, w, h])
write('syn-swap', swap)

# 2. dropped boxes: gaps (fragmentation), a mostly-lost and a partially-tracked person, random drops.
rnd = random.Random(7)
drop = []
for fr, i, x, y, w, h in rows:
    if i == 1 and (20 <= fr <= 25 or 40 <= fr <= 42 or fr == 90):
        continue
    if i == 3 and fr % 7 == 0:
        continue
    if i == 5 and fr > 40:          # seen 31..40 of 31..107 -> ML
        continue
    if i == 6 and fr % 2 == 0:      # ~50 % -> PT
        continue
    if i == 7 and rnd.random() < 0.15:
        continue
    drop.append([fr, i, x, y, w, h])
write('syn-drop', drop)

# 3. jitter + false boxes: every box jittered (some beyond IoU 0.5 -> miss + FP), extra false tracks,
#    drops with re-appearance under the same and a different id.
rnd = random.Random(11)
jit = []
for fr, i, x, y, w, h in rows:
    s = 0.25 if rnd.random() < 0.1 else 0.06
    nx = x + rnd.gauss(0, s * w)
    ny = y + rnd.gauss(0, s * h * 0.5)
    nw = max(1.0, w * (1 + rnd.gauss(0, s)))
    nh = max(1.0, h * (1 + rnd.gauss(0, s)))
    j = i
    if i == 2 and 50 <= fr <= 52:
        continue
    if i == 4 and fr >= 75:
        j = 40
    jit.append([fr, j, nx, ny, nw, nh])
for fr in range(1, 108):
    if fr % 3 == 0:
        jit.append([fr, 100 + (fr // 20), 20 + 3 * fr, 400, 30, 90])   # a wandering false track
    if fr % 11 == 0:
        jit.append([fr, 200 + fr, 700, 50, 25, 70])                     # one-frame false boxes
write('syn-jitter-fp', jit)

# 4. re-acquisition (py-motmetrics issue #41): object 1 matched to hyp 1, hyp 1 drifts away for one frame
#    (miss + FP), then returns (IoU ~0.7) while a new hyp 99 sits exactly on the object.
rea = []
events = {30, 50, 70}
for fr, i, x, y, w, h in rows:
    if i == 1 and fr in events:
        rea.append([fr, 1, x + 3 * w, y, w, h])          # drifted: no overlap
        continue
    if i == 1 and (fr - 1) in events:
        rea.append([fr, 1, x + 0.12 * w, y, w, h])       # back, IoU ~0.79
        rea.append([fr, 99, x, y, w, h])                 # a closer newcomer
        continue
    rea.append([fr, i, x, y, w, h])
write('syn-reacquire', rea)

write('syn-identity', [r[:] for r in rows])
print('written')

# 5. a perturbed ground truth with gaps + tracks with whole frames missing/extra (union of frames, issue #128):
#    GT: person 1 absent in frames 40..45, frame 100 has no GT at all; tracks: original GT boxes, frames 10..11
#    empty, person 1 reported during its GT gap (FPs), two extra frames 108..109 with boxes beyond the GT.
gtgap = [r[:] for r in rows if not ((r[1] == 1 and 40 <= r[0] <= 45) or r[0] == 100)]
write('gt-gap', gtgap)
trk = [r[:] for r in rows if not (10 <= r[0] <= 11)]
trk += [[108, 1, 100, 100, 30, 90], [109, 1, 100, 100, 30, 90]]
write('syn-gtgap-tracks', trk)
print('written gt-gap')
