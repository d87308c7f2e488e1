/**
 * A random-weight model with the layer structure of Ultralytics YOLOv8 (n/s/m widths), for the
 * benchmark only: Conv(+folded BN)+SiLU, C2f blocks, SPPF, the PAN-FPN neck and the decoupled
 * Detect head with DFL box decoding, exported like `format=onnx` ([1, 84, 8400] at 640, boxes as
 * cx, cy, w, h in input pixels, sigmoid class scores). The C2f split is written as two 1x1 convs
 * (same multiply-adds as one conv + Split). Weights are random: detections are meaningless.
 */
import { COCO_80_LABELS } from '@hoi/core';
import { GraphBuilder, type TensorRef, valueInfo } from '@hoi/onnx-graph';

/** Ultralytics' scales: depth multiple, width multiple, max channels. */
export const YOLOV8_SCALES = {
  n: { depth: 0.33, width: 0.25, maxChannels: 1024 },
  s: { depth: 0.33, width: 0.5, maxChannels: 1024 },
  m: { depth: 0.67, width: 0.75, maxChannels: 768 },
} as const;

export function buildYolov8LikeModel(
  scale: keyof typeof YOLOV8_SCALES,
  size = 640,
  numClasses = 80,
): { bytes: Uint8Array; macs: number; parameters: number } {
  const { depth, width, maxChannels } = YOLOV8_SCALES[scale];
  const ch = (c: number) => Math.ceil((Math.min(c, maxChannels) * width) / 8) * 8;
  const rep = (n: number) => Math.max(Math.round(n * depth), 1);
  const g = new GraphBuilder(11);
  const conv = (x: TensorRef, c: number, k: number, s = 1) => g.silu(g.conv(x, c, k, s, { gain: 0.7 }));
  const c2f = (x: TensorRef, cout: number, n: number, shortcut: boolean) => {
    const c = cout / 2;
    const parts = [conv(x, c, 1), conv(x, c, 1)];
    for (let i = 0; i < n; i++) {
      const prev = parts.at(-1)!;
      const y = conv(conv(prev, c, 3), c, 3);
      parts.push(shortcut ? g.add(prev, y) : y);
    }
    return conv(g.concat(parts, 1), cout, 1);
  };
  const sppf = (x: TensorRef, cout: number) => {
    const y0 = conv(x, x.shape[1]! / 2, 1);
    const y1 = g.maxPool(y0, 5, 1, 2);
    const y2 = g.maxPool(y1, 5, 1, 2);
    const y3 = g.maxPool(y2, 5, 1, 2);
    return conv(g.concat([y0, y1, y2, y3], 1), cout, 1);
  };

  const images: TensorRef = { name: 'images', shape: [1, 3, size, size] };
  let x = conv(images, ch(64), 3, 2);
  x = conv(x, ch(128), 3, 2);
  x = c2f(x, ch(128), rep(3), true);
  x = conv(x, ch(256), 3, 2);
  const b4 = c2f(x, ch(256), rep(6), true);
  x = conv(b4, ch(512), 3, 2);
  const b6 = c2f(x, ch(512), rep(6), true);
  x = conv(b6, ch(1024), 3, 2);
  x = c2f(x, ch(1024), rep(3), true);
  const b9 = sppf(x, ch(1024));
  // PAN-FPN neck.
  const h12 = c2f(g.concat([g.upsample2(b9), b6], 1), ch(512), rep(3), false);
  const p3 = c2f(g.concat([g.upsample2(h12), b4], 1), ch(256), rep(3), false);
  const p4 = c2f(g.concat([conv(p3, ch(256), 3, 2), h12], 1), ch(512), rep(3), false);
  const p5 = c2f(g.concat([conv(p4, ch(512), 3, 2), b9], 1), ch(1024), rep(3), false);

  // Detect head: per level a box branch (4 x 16 DFL bins) and a class branch.
  const regMax = 16;
  const c2 = Math.max(16, p3.shape[1]! / 4, 4 * regMax);
  const c3 = Math.max(p3.shape[1]!, Math.min(numClasses, 100));
  const boxes: TensorRef[] = [];
  const classes: TensorRef[] = [];
  const strides = [8, 16, 32];
  for (const [i, p] of [p3, p4, p5].entries()) {
    const s = strides[i]!;
    const box = g.conv(conv(conv(p, c2, 3), c2, 3), 4 * regMax, 1, 1, { gain: 0.1, bias: 1 });
    // Ultralytics' class-bias prior: log(5 / nc / (640 / stride)^2).
    const prior = Math.log(5 / numClasses / (size / s) ** 2);
    const cls = g.conv(conv(conv(p, c3, 3), c3, 3), numClasses, 1, 1, { gain: 0.05, bias: prior });
    boxes.push(g.reshape(box, [0, 4 * regMax, -1]));
    classes.push(g.reshape(cls, [0, numClasses, -1]));
  }
  const anchorsTotal = strides.reduce((n, s) => n + (size / s) ** 2, 0);
  // DFL: softmax over the 16 bins, expectation = distances (left, top, right, bottom) in grid cells.
  const bins = g.reshape(g.concat(boxes, 2), [0, 4, regMax, -1]);
  const arange = g.constant(
    [1, 1, regMax, 1],
    Array.from({ length: regMax }, (_, i) => i),
    'dfl',
  );
  const dist = g.reshape(g.reduceSum(g.mul(g.softmax(bins, 2), arange), [2]), [0, 4, -1]);
  // Anchor centres (grid cell + 0.5) and strides per anchor.
  const centres = new Float32Array(2 * anchorsTotal);
  const strideOf = new Float32Array(anchorsTotal);
  let a = 0;
  for (const s of strides) {
    const n = size / s;
    for (let y = 0; y < n; y++) {
      for (let xg = 0; xg < n; xg++, a++) {
        centres[a] = xg + 0.5;
        centres[anchorsTotal + a] = y + 0.5;
        strideOf[a] = s;
      }
    }
  }
  const anchor = g.constant([1, 2, anchorsTotal], centres, 'anchors');
  const stride = g.constant([1, 1, anchorsTotal], strideOf, 'strides');
  const lt = g.slice(dist, 1, 0, 2);
  const rb = g.slice(dist, 1, 2, 4);
  const half = g.constant([], [0.5], 'half');
  const xy = g.add(anchor, g.mul(g.sub(rb, lt), half));
  const wh = g.add(lt, rb);
  const boxOut = g.mul(g.concat([xy, wh], 1), stride);
  const out = g.concat([boxOut, g.sigmoid(g.concat(classes, 2))], 1);
  g.output(out, 'output0');
  const bytes = g.encode({
    inputs: [valueInfo('images', [1, 3, size, size])],
    outputs: [valueInfo('output0', [1, 4 + numClasses, anchorsTotal])],
    metadata: {
      names: `{${COCO_80_LABELS.map((n, i) => `${i}: '${n}'`).join(', ')}}`,
      imgsz: `[${size}, ${size}]`,
    },
  });
  return { bytes, macs: g.macs, parameters: g.parameters };
}
