"""Writes paste_reference.json: torchvision 0.14's paste_masks_in_image on seeded random inputs.

Run with Debian's interpreter (the one that has torch/torchvision):
    /usr/bin/python3 make_paste_reference.py > paste_reference.json
Each case: image size, mask size M, the float32 box and mask (zlib-compressed little-endian float32, base64), and the pasted
full-image float32 probabilities (base64) that MaskPasterReferenceTest must reproduce bit for bit.
"""
import base64
import json
import sys
import zlib

import numpy as np
import torch
from torchvision.models.detection.roi_heads import paste_masks_in_image


def b64(a):
    """float32 little-endian, zlib-compressed (the pasted images are mostly zeros), base64."""
    raw = np.ascontiguousarray(a, dtype="<f4").tobytes()
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def main():
    torch.set_num_threads(1)
    rng = np.random.RandomState(20240611)
    cases = []
    # (image w, image h, M, box or None for random)
    specs = [
        (64, 48, 28, [10.3, 5.7, 40.9, 44.2]),       # upsampling, fractional corners
        (64, 48, 28, [0.0, 0.0, 64.0, 48.0]),        # whole image, expanded box leaves the image
        (64, 48, 28, [50.5, 30.25, 64.0, 48.0]),     # at the bottom-right corner
        (64, 48, 28, [20.0, 20.0, 22.5, 21.0]),      # tiny box: downsampling
        (64, 48, 28, [5.0, 7.0, 5.0, 7.0]),          # degenerate box
        (64, 48, 28, [3.9, 0.1, 31.6, 29.9]),        # 30 px after expansion: identity resize along an axis?
        (160, 120, 28, [12.345, 8.765, 150.5, 119.9]),
        (160, 120, 28, [-3.0, -2.0, 40.0, 70.0]),    # starts outside (negative corners truncate toward zero)
        (160, 120, 14, [30.0, 10.0, 90.0, 100.0]),   # another mask size
        (48, 64, 28, None), (48, 64, 28, None), (48, 64, 28, None),
    ]
    for w, h, m, box in specs:
        if box is None:
            x1, y1 = rng.uniform(-5, w - 5), rng.uniform(-5, h - 5)
            box = [x1, y1, x1 + rng.uniform(0.5, w), y1 + rng.uniform(0.5, h)]
        logits = rng.normal(0, 2.5, size=(m, m))
        mask = (1 / (1 + np.exp(-logits))).astype(np.float32)
        if len(cases) == 1:
            mask[:] = 1.0
        boxes = torch.tensor([box], dtype=torch.float32)
        pasted = paste_masks_in_image(torch.from_numpy(mask)[None, None], boxes, (h, w))[0, 0].numpy()
        cases.append({
            "width": w, "height": h, "mask_size": m,
            "box": [float(v) for v in boxes[0].tolist()],
            "mask_f32_zlib_b64": b64(mask),
            "pasted_f32_zlib_b64": b64(pasted),
            "pasted_gt_half": int((pasted > 0.5).sum()),
        })
    json.dump({"torch": torch.__version__, "generator": "make_paste_reference.py", "cases": cases}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
