#!/usr/bin/env python3
"""Writes the cctv-1080p-train annotations without the frames near a cctv-1080p test frame.

cctv-1080p (test) and cctv-1080p-train are Roboflow's random split of the same three clinic videos: file names are
CAMERA-FRAME-_jpg.rf.HASH.jpg, and the burnt-in clocks show consecutive frame numbers about 6-7 s apart (camera 1:
frame 10 07:01:07, test frame 11 07:01:13, frame 13 07:01:27). A train frame within --gap frame numbers of a test
frame of the same camera is near-identical to it (seated people have not moved), so it is dropped; the rest keep
both of Roboflow's augmented copies. Only the standard library: the json is COCO, ids are kept as they are.

    python3 examples/cctv_split.py TRAIN.json TEST.json OUT.json [--gap 2] [--hold-out VAL.json]

--hold-out also splits a validation set off the kept frames, to choose settings without looking at the test frames:
the kept frames of each camera fall into clusters (runs of frame numbers with no gap wider than --gap), and every
--hold-out-every-th cluster of each camera (the 4th, 8th, ... in frame order) goes to VAL.json instead of OUT.json.
Clusters are more than --gap frame numbers apart, so no training frame is near a validation frame either.
"""
import argparse
import json
import os
import re
import sys

NAME = re.compile(r"^(\d+)-(\d+)-_")


def camera_frame(file_name):
    m = NAME.match(os.path.basename(file_name))
    if not m:
        raise ValueError(f"{file_name}: not a CAMERA-FRAME-_ file name")
    return int(m.group(1)), int(m.group(2))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("train")
    p.add_argument("test")
    p.add_argument("out")
    p.add_argument("--gap", type=int, default=2, help="drop train frames within this many frame numbers")
    p.add_argument("--hold-out", help="also write a validation split of the kept frames here")
    p.add_argument("--hold-out-every", type=int, default=4, help="every N-th frame cluster of a camera is held out")
    a = p.parse_args()
    train = json.load(open(a.train))
    total = len(train["images"])
    test = json.load(open(a.test))
    tested = {}
    for im in test["images"]:
        c, f = camera_frame(im["file_name"])
        tested.setdefault(c, []).append(f)
    keep = [im for im in train["images"]
            if all(abs(camera_frame(im["file_name"])[1] - f) > a.gap
                   for f in tested.get(camera_frame(im["file_name"])[0], []))]
    held = held_out(keep, a.gap, a.hold_out_every) if a.hold_out else []
    held_ids = {im["id"] for im in held}
    write_subset(train, [im for im in keep if im["id"] not in held_ids], a.out)
    print(f"{a.out}: {len(keep) - len(held)} of {total} train images kept "
          f"(none within {a.gap} frame numbers of a test frame of the same camera"
          f"{', validation clusters held out' if held else ''})", file=sys.stderr)
    if held:
        write_subset(train, held, a.hold_out)
        frames = sorted({camera_frame(im["file_name"]) for im in held})
        print(f"{a.hold_out}: {len(held)} images of {len(frames)} frames (camera, frame): {frames}", file=sys.stderr)


def held_out(images, gap, every):
    """The images of every every-th cluster of frame numbers of each camera (clusters split where the gap > gap)."""
    frames = {}
    for im in images:
        c, f = camera_frame(im["file_name"])
        frames.setdefault(c, set()).add(f)
    chosen = set()
    for c, fs in frames.items():
        cluster, previous = 0, None
        for f in sorted(fs):
            if previous is not None and f - previous > gap:
                cluster += 1
            if cluster % every == every - 1:
                chosen.add((c, f))
            previous = f
    return [im for im in images if camera_frame(im["file_name"]) in chosen]


def write_subset(coco, images, path):
    ids = {im["id"] for im in images}
    out = dict(coco, images=images, annotations=[an for an in coco["annotations"] if an["image_id"] in ids])
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(out, fh)
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
