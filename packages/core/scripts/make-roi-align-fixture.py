#!/usr/bin/python3
"""Reference outputs of torchvision.ops.roi_align for @hoi/core's roiAlign test.

Run with Debian's Python (apt-get install python3-torch python3-torchvision):
    /usr/bin/python3 packages/core/scripts/make-roi-align-fixture.py
Writes packages/core/src/pooling/fixtures/roi-align-torchvision.json. Deterministic: the grid comes from a
formula, the boxes are fixed. The test compares our channel-last roiAlign with these values to 1e-5.
"""
import json
import math
import os

import torch
import torchvision
from torchvision.ops import roi_align

H, W, C = 5, 7, 3

# Smooth but non-separable values, so a wrong cell or weight shows up. Stored in the JSON as float32.
grid_hwc = torch.tensor(
    [
        [[math.sin(0.7 * y + 0.3 * x + 1.1 * c) + 0.1 * x * y - 0.05 * c for c in range(C)] for x in range(W)]
        for y in range(H)
    ],
    dtype=torch.float32,
)

# x1, y1, x2, y2 in grid cells: inside, fractional, whole grid, partly and fully outside, zero-size,
# zero-width, tiny, inverted.
BOXES = [
    [1.0, 1.0, 4.0, 3.0],
    [0.3, 0.7, 5.6, 4.2],
    [0.0, 0.0, 7.0, 5.0],
    [-2.3, -1.7, 3.1, 2.6],
    [5.5, 3.2, 9.8, 7.4],
    [-6.2, -6.1, -3.3, -3.4],
    [2.2, 2.2, 2.2, 2.2],
    [3.4, 1.2, 3.4, 4.1],
    [6.6, 4.45, 6.95, 4.9],
    [1.5, 0.25, 2.75, 4.75],
    [4.3, 3.1, 2.1, 1.2],
]

CASES = [
    # (output size [h, w], sampling ratio, aligned, spatial scale)
    ([7, 7], 2, True, 1.0),
    ([7, 7], 2, False, 1.0),
    ([7, 7], 0, True, 1.0),
    ([7, 7], 0, False, 1.0),
    ([7, 7], 1, True, 1.0),
    ([2, 3], 2, True, 1.0),
    ([2, 3], 2, False, 1.0),
    ([2, 3], 0, True, 1.0),
    ([2, 3], 0, False, 1.0),
    ([2, 3], 1, True, 1.0),
    ([2, 3], 1, False, 1.0),
    ([2, 3], 2, True, 0.5),
]


def f32(v):
    return float(f"{v:.9g}")


def main():
    nchw = grid_hwc.permute(2, 0, 1).unsqueeze(0).contiguous()
    cases = []
    for size, ratio, aligned, scale in CASES:
        boxes = torch.tensor(BOXES, dtype=torch.float32) / scale
        out = roi_align(nchw, [boxes], output_size=size, spatial_scale=scale, sampling_ratio=ratio, aligned=aligned)
        out_khwc = out.permute(0, 2, 3, 1).contiguous().reshape(-1)
        cases.append(
            {
                "outputSize": size,
                "samplingRatio": ratio,
                "aligned": aligned,
                "spatialScale": scale,
                "boxes": [[f32(v) for v in b] for b in boxes.tolist()],
                "output": [f32(v) for v in out_khwc.tolist()],
            }
        )
    doc = {
        "generator": "packages/core/scripts/make-roi-align-fixture.py",
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "layout": "grid H x W x C row-major; output K x outH x outW x C row-major",
        "grid": {"height": H, "width": W, "channels": C, "data": [f32(v) for v in grid_hwc.reshape(-1).tolist()]},
        "cases": cases,
    }
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "src", "pooling", "fixtures", "roi-align-torchvision.json")
    with open(path, "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {os.path.normpath(path)}: {len(cases)} cases x {len(BOXES)} boxes")


if __name__ == "__main__":
    main()
