"""Times torchvision 0.14's Mask R-CNN on CPU, for the side-by-side comparison in compare_torchvision.sh.

    /usr/bin/python3 tools/bench/torchvision_bench.py IMAGE [--threads 2] [--iterations 10] [--warmup 2]

Same network and conventions as `peopleseg build --preset torchvision --input-size 960x576`:
maskrcnn_resnet50_fpn(num_classes=2, min_size=576, max_size=960), eval mode, deterministic weights (the same
formula as peopleseg's), score threshold as given. Prints one JSON line with the per-image latencies.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torchvision
import torchvision.transforms.functional as TF
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "maskrcnn"))
from deterministic_weights import value  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("image")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threshold", type=float, default=0.5)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model = torchvision.models.detection.maskrcnn_resnet50_fpn(
        weights=None, weights_backbone=None, num_classes=2, min_size=576, max_size=960,
        box_score_thresh=a.threshold, box_detections_per_img=100)
    model.load_state_dict({k: torch.from_numpy(value(k, tuple(v.shape))) for k, v in model.state_dict().items()})
    model.eval()
    pil = Image.open(a.image).convert("RGB")
    times, dets = [], 0
    with torch.inference_mode():
        for i in range(a.warmup + a.iterations):
            t0 = time.perf_counter()
            img = TF.to_tensor(pil)  # decode excluded, tensor conversion included (peopleseg's preprocess does it)
            out = model([img])[0]
            masks = (out["masks"] > 0.5)
            dt = time.perf_counter() - t0
            if i >= a.warmup:
                times.append(dt)
                dets = int(masks.shape[0])
    print(json.dumps({"impl": "torchvision " + torchvision.__version__, "threads": a.threads,
                      "median_ms": statistics.median(times) * 1000, "min_ms": min(times) * 1000,
                      "iterations": a.iterations, "detections": dets}))


if __name__ == "__main__":
    main()
