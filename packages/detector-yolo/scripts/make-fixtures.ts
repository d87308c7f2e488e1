/**
 * Writes the tiny ONNX fixtures of test/fixtures: graphs that consume the image (ReduceMean x 0) and
 * emit a FIXED head tensor, so the decoded boxes in source pixels are known by construction.
 * Run: `pnpm --filter @hoi/detector-yolo exec tsx scripts/make-fixtures.ts`.
 * The head rows are documented in test/fixtures/README.md and asserted in test/yolo-detector.test.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COCO_80_LABELS } from '@hoi/core';
import { type Dim, encodeModel, node, tensor, valueInfo, zeroConstant, zeroFromInput } from '@hoi/onnx-graph';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures');

/** Ultralytics writes `names` as a Python dict literal. */
function pythonDict(names: readonly string[]): string {
  return `{${names.map((n, i) => `${i}: '${n}'`).join(', ')}}`;
}

/** A model `images -> output0` whose output is `head` (shape `headDims`, batch from the input). */
function fixedHeadModel(
  head: Float32Array | number[],
  headDims: [number, number, number],
  inputDims: Dim[],
  outputDims: Dim[],
  metadata: Record<string, string> = {},
): Uint8Array {
  return encodeModel({
    nodes: [...zeroFromInput('images', 'zero'), node('Add', ['zero', 'head'], ['output0'])],
    initializers: [zeroConstant('zero'), tensor('head', headDims, head)],
    inputs: [valueInfo('images', inputDims)],
    outputs: [valueInfo('output0', outputDims)],
    metadata,
  });
}

/** Channels-first head [1, 4 + classes, anchors] from per-anchor rows {cx, cy, w, h, scores{class: s}}. */
function channelsFirst(
  numClasses: number,
  numAnchors: number,
  rows: { box: [number, number, number, number]; scores: Record<number, number> }[],
): Float32Array {
  const c = 4 + numClasses;
  const head = new Float32Array(c * numAnchors);
  rows.forEach((row, i) => {
    for (let k = 0; k < 4; k++) head[k * numAnchors + i] = row.box[k]!;
    for (const [cls, s] of Object.entries(row.scores)) head[(4 + Number(cls)) * numAnchors + i] = s;
  });
  return head;
}

function write(name: string, bytes: Uint8Array): void {
  writeFileSync(join(OUT, name), bytes);
  console.log(`${name}: ${bytes.length} bytes`);
}

mkdirSync(OUT, { recursive: true });

// YOLOv8 / YOLO11: [batch, 84, 100], dynamic batch and size, COCO names in metadata.
const v8Rows = [
  { box: [100, 200, 80, 160], scores: { 0: 0.9, 1: 0.3 } }, // A0 person, keeps over A1
  { box: [104, 204, 80, 160], scores: { 0: 0.8 } }, // A1 person, suppressed by A0 (IoU 0.86)
  { box: [104, 204, 80, 160], scores: { 16: 0.85 } }, // A2 dog, other class: kept
  { box: [500, 300, 60, 40], scores: { 33: 0.6 } }, // A3 kite
  { box: [300, 520, 100, 60], scores: { 33: 0.6 } }, // A4 kite, ties A3, crosses the bottom pad
  { box: [200, 330, 30, 30], scores: { 41: 0.2 } }, // A5 cup, below 0.25
  { box: [320, 320, 20, 20], scores: { 0: 0.25 } }, // A6 person, exactly at 0.25
] as { box: [number, number, number, number]; scores: Record<number, number> }[];
write(
  'yolov8-dynamic.onnx',
  fixedHeadModel(
    channelsFirst(80, 100, v8Rows),
    [1, 84, 100],
    ['batch', 3, 'height', 'width'],
    ['batch', 84, 100],
    { names: pythonDict(COCO_80_LABELS), imgsz: '[640, 640]', stride: '32', task: 'detect' },
  ),
);

// YOLOv5: [1, 12, 8] = cx, cy, w, h, objectness, 3 class scores; static 640x640.
const v5 = [
  [320, 320, 100, 200, 0.9, 0.5, 0.1, 0], // R0 person 0.45
  [200, 150, 40, 40, 0.2, 1, 0, 0], // R1 objectness below 0.25: dropped
  [500, 400, 80, 60, 0.8, 0, 0.25, 0.75], // R2 dining table 0.6
  [505, 402, 80, 60, 0.8, 0, 0, 0.7], // R3 dining table 0.56, suppressed by R2
  [505, 402, 80, 60, 1.0, 0, 0.5, 0], // R4 cup 0.5, other class: kept
  [100, 600, 50, 50, 0.5, 0.4, 0, 0], // R5 person 0.2: dropped
];
const v5Head = new Float32Array(12 * 8);
for (const [i, row] of v5.entries()) v5Head.set(row, i * 8);
write(
  'yolov5-static.onnx',
  fixedHeadModel(v5Head, [1, 12, 8], [1, 3, 640, 640], [1, 12, 8], {
    names: "{0: 'person', 1: 'cup', 2: 'dining table'}",
  }),
);

// NMS built in: [1, 10, 6] = x1, y1, x2, y2, score, class.
const nmsRows = [
  [100, 150, 300, 400, 0.95, 0], // D0 person
  [310, 200, 420, 330, 0.7, 41], // D1 cup
  [50, 50, 80, 80, 0.2, 2], // D2 car below 0.25
  [0, 100, 640, 140, 0.5, 56], // D3 chair, full width
];
const nmsHead = new Float32Array(10 * 6);
for (const [i, row] of nmsRows.entries()) nmsHead.set(row, i * 6);
write(
  'yolo-nms-static.onnx',
  fixedHeadModel(nmsHead, [1, 10, 6], [1, 3, 640, 640], [1, 10, 6], { names: pythonDict(COCO_80_LABELS) }),
);

// YOLO-World style: custom 3-class vocabulary baked in, no names metadata: [1, 7, 20].
const worldRows = [
  { box: [320, 320, 200, 400], scores: { 0: 0.7 } }, // W0 "person"
  { box: [330, 500, 120, 40], scores: { 1: 0.55 } }, // W1 "skateboard"
  { box: [320, 150, 60, 50], scores: { 2: 0.4 } }, // W2 "helmet"
] as { box: [number, number, number, number]; scores: Record<number, number> }[];
write(
  'yolo-world-static.onnx',
  fixedHeadModel(channelsFirst(3, 20, worldRows), [1, 7, 20], [1, 3, 640, 640], [1, 7, 20]),
);

// Fixed batch of 2 (static [2, 3, 640, 640]): the v8 head for both slots.
write(
  'yolov8-batch2-static.onnx',
  fixedHeadModel(channelsFirst(80, 100, v8Rows), [1, 84, 100], [2, 3, 640, 640], [2, 84, 100], {
    names: pythonDict(COCO_80_LABELS),
  }),
);

// The world head transposed to [1, 20, 7] (anchors first), names in metadata.
const worldCf = channelsFirst(3, 20, worldRows);
const worldAf = new Float32Array(20 * 7);
for (let i = 0; i < 20; i++) for (let k = 0; k < 7; k++) worldAf[i * 7 + k] = worldCf[k * 20 + i]!;
write(
  'yolo-anchors-first-static.onnx',
  fixedHeadModel(worldAf, [1, 20, 7], [1, 3, 640, 640], [1, 20, 7], {
    names: "{0: 'person', 1: 'skateboard', 2: 'helmet'}",
  }),
);

// ---- Bad files ----
write('not-onnx.onnx', new TextEncoder().encode('this is a text file, not an ONNX model\n'));

// Input of rank 3.
write(
  'bad-input-rank.onnx',
  encodeModel({
    nodes: [
      node('ReduceMean', ['images'], ['m'], { axes: [1, 2], keepdims: 1 }),
      node('Mul', ['m', 'zero_c'], ['zero']),
      node('Add', ['zero', 'head'], ['output0']),
    ],
    initializers: [tensor('zero_c', [], [0]), tensor('head', [1, 7, 20], channelsFirst(3, 20, worldRows))],
    inputs: [valueInfo('images', [1, 3, 640])],
    outputs: [valueInfo('output0', [1, 7, 20])],
  }),
);

// Output of rank 2 ([1, 3]).
write(
  'bad-output-rank.onnx',
  encodeModel({
    nodes: [
      node('ReduceMean', ['images'], ['m'], { axes: [2, 3], keepdims: 0 }),
      node('Mul', ['m', 'zero_c'], ['output0']),
    ],
    initializers: [tensor('zero_c', [], [0])],
    inputs: [valueInfo('images', [1, 3, 640, 640])],
    outputs: [valueInfo('output0', [1, 3])],
  }),
);

// Rank 3 but only 3 channels per anchor ([1, 3, 50]): no room for a box.
write(
  'bad-output-channels.onnx',
  fixedHeadModel(new Float32Array(150), [1, 3, 50], [1, 3, 640, 640], [1, 3, 50]),
);

// A head holding NaN.
const nanHead = channelsFirst(3, 20, worldRows);
nanHead[4 * 20 + 5] = Number.NaN;
write('nan-output.onnx', fixedHeadModel(nanHead, [1, 7, 20], [1, 3, 640, 640], [1, 7, 20]));
