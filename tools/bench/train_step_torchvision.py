"""torchvision 0.14's Mask R-CNN training step on the CPU, for the side-by-side with peopleseg's DJL network
(tools/bench/train_step_compare.sh runs both). Prints one JSON line: per-step seconds and RSS.

maskrcnn_resnet50_fpn's architecture with FrozenBatchNorm2d and trainable_layers=3 (conv1 + layer1 frozen: the
PeopleSegNet card's freeze_blocks [0, 1], freeze_bn True), deterministic weights
(tools/fixtures/maskrcnn/deterministic_weights.py), torchvision's training defaults and random samplers, SGD
with momentum 0.9 and weight decay. The normalised canvas goes straight to backbone/rpn/roi_heads, as the Java side
receives a normalised batch: the step timed is forward + backward + optimiser update.

    /usr/bin/python3 tools/bench/train_step_torchvision.py --threads 2 --width 960 --height 576 --steps 10
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from torchvision.models.detection import MaskRCNN
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
from torchvision.models.detection.image_list import ImageList
from torchvision.models.resnet import resnet50
from torchvision.ops import misc as misc_nn_ops

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "maskrcnn"))
from deterministic_weights import value  # noqa: E402


def scene(width, height):
    """The same synthetic scene as TrainStepBench.java: three ellipse 'people' on a gradient, normalised."""
    boxes = [[0.10 * width, 0.15 * height, 0.30 * width, 0.95 * height],
             [0.40 * width, 0.25 * height, 0.55 * width, 0.90 * height],
             [0.65 * width, 0.05 * height, 0.90 * width, 0.70 * height]]
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    img = np.stack([-1 + 0.5 * x / width, -0.8 + 0.4 * y / height, 0.2 * np.sin(x / 30.0)]).astype(np.float32)
    masks = []
    for x1, y1, x2, y2 in boxes:
        cx, cy, rx, ry = (x1 + x2) / 2, (y1 + y2) / 2, (x2 - x1) / 2, (y2 - y1) / 2
        m = ((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2 <= 1
        img[:, m] = 1.2
        masks.append(m.astype(np.uint8))
    return torch.from_numpy(img), boxes, masks


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--width", type=int, default=960)
    ap.add_argument("--height", type=int, default=576)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    backbone = _resnet_fpn_extractor(resnet50(weights=None, norm_layer=misc_nn_ops.FrozenBatchNorm2d), 3)
    model = MaskRCNN(backbone, num_classes=2)
    model.load_state_dict({k: torch.from_numpy(value(k, tuple(v.shape))) for k, v in model.state_dict().items()})
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.SGD(params, lr=1e-4, momentum=0.9, weight_decay=4e-5)
    img, boxes, masks = scene(a.width, a.height)
    targets = [{"boxes": torch.tensor(boxes), "labels": torch.ones(len(boxes), dtype=torch.int64),
                "masks": torch.from_numpy(np.stack(masks))}]
    times, rss = [], []
    for step in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        images = ImageList(img[None], [(a.height, a.width)])
        features = model.backbone(images.tensors)
        proposals, rpn_losses = model.rpn(images, features, targets)
        _, roi_losses = model.roi_heads(features, proposals, images.image_sizes, targets)
        loss = sum(rpn_losses.values()) + sum(roi_losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        dt = time.perf_counter() - t0
        if step >= a.warmup:
            times.append(dt)
            rss.append(rss_mb())
        print(f"torchvision step {step}: {dt:.3f} s, loss {float(loss):.4f}, RSS {rss_mb():.0f} MB", file=sys.stderr)
    print(json.dumps({"impl": "torchvision " + __import__("torchvision").__version__ + " / torch " + torch.__version__,
                      "threads": a.threads, "width": a.width, "height": a.height,
                      "median_s": float(np.median(times)), "steps_s": times, "rss_mb": rss}))


if __name__ == "__main__":
    main()
