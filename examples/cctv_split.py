#!/usr/bin/env python3
"""Writes the cctv-1080p-train annotations without the frames near a cctv-1080p test frame.

cctv-1080p (test) and cctv-1080p-train are Roboflow's random split of the same three clinic videos: file names are
CAMERA-FRAME-_jpg.rf.HASH.jpg, and the burnt-in clocks show consecutive frame numbers about 6-7 s apart (camera 1:
frame 10 07:01:07, test frame 11 07:01:13, frame 13 07:01:27). A train frame within --gap frame numbers of a test
frame of the same camera is near-identical to it (seated people have not moved), so it is dropped; the rest keep
both of Roboflow's augmented copies. Only the standard library: the json is COCO, ids are kept as they are.

    python3 examples/cctv_split.py TRAIN.json TEST.json OUT.json [--gap 2]
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
    ids = {im["id"] for im in keep}
    train["images"] = keep
    train["annotations"] = [an for an in train["annotations"] if an["image_id"] in ids]
    tmp = a.out + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(train, fh)
    os.replace(tmp, a.out)
    print(f"{a.out}: {len(keep)} of {total} train images kept "
          f"(none within {a.gap} frame numbers of a test frame of the same camera), "
          f"{len(train['annotations'])} boxes", file=sys.stderr)


if __name__ == "__main__":
    main()
