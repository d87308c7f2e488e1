/**
 * Writes the tiny ONNX fixtures of test/fixtures: graphs that consume their inputs (ReduceMean x 0)
 * and emit FIXED logits and boxes, so the decoded detections are known by construction.
 * Run: `pnpm --filter @hoi/detector-detr exec tsx --conditions=source scripts/make-fixtures.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Dim, encodeModel, node, randomNormal, tensor, valueInfo } from '@hoi/onnx-graph';
import onnxProto from 'onnx-proto';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures');
const INT64 = onnxProto.onnx.TensorProto.DataType.INT64;

interface FixedOutput {
  name: string;
  dims: [number, number, number];
  values: ArrayLike<number>;
  declared?: Dim[];
}

/** A model whose outputs are constants plus 0 x mean(inputs), with the input's batch size. */
function fixedOutputsModel(pixelDims: Dim[], outputs: FixedOutput[], withMask = false): Uint8Array {
  const nodes = [
    node('ReduceMean', ['pixel_values'], ['m1'], { axes: [2, 3], keepdims: 1 }),
    node('ReduceMean', ['m1'], ['m2'], { axes: [1], keepdims: 0 }),
  ];
  let sum = 'm2';
  if (withMask) {
    nodes.push(
      node('Cast', ['pixel_mask'], ['mask_f'], { to: 1 }),
      node('ReduceMean', ['mask_f'], ['mask_m'], { axes: [1, 2], keepdims: 1 }),
      node('Add', ['m2', 'mask_m'], ['msum']),
    );
    sum = 'msum';
  }
  nodes.push(node('Mul', [sum, 'zero_c'], ['zero']));
  for (const o of outputs) nodes.push(node('Add', ['zero', `${o.name}_const`], [o.name]));
  return encodeModel({
    nodes,
    initializers: [
      tensor('zero_c', [], [0]),
      ...outputs.map((o) => tensor(`${o.name}_const`, o.dims, o.values)),
    ],
    inputs: [
      valueInfo('pixel_values', pixelDims),
      ...(withMask ? [valueInfo('pixel_mask', [pixelDims[0]!, pixelDims[2]!, pixelDims[3]!], INT64)] : []),
    ],
    outputs: outputs.map((o) => valueInfo(o.name, o.declared ?? ['batch', o.dims[1], o.dims[2]])),
  });
}

function writeFolder(name: string, model: Uint8Array, config?: object, preprocessor?: object): void {
  const dir = join(OUT, name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), model);
  if (config) writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  if (preprocessor)
    writeFileSync(join(dir, 'preprocessor_config.json'), `${JSON.stringify(preprocessor, null, 2)}\n`);
  console.log(`${name}/onnx/model.onnx: ${model.length} bytes`);
}

function write(name: string, bytes: Uint8Array): void {
  writeFileSync(join(OUT, name), bytes);
  console.log(`${name}: ${bytes.length} bytes`);
}

const DYNAMIC: Dim[] = ['batch', 3, 'height', 'width'];
mkdirSync(OUT, { recursive: true });

// ---- DETR: 4 real classes (id 0 is COCO's unused N/A) + "no object"; pixel_mask declared.
// Columns: N/A, person, cup, dining_table, no-object. Boxes: normalised cx, cy, w, h (dyadic: exact).
const detrLogits = [
  [0, 4, 0, 0, 0], // q0 person
  [0, 0, 5, 0, 1], // q1 cup
  [0, 1, 0, 0, 3], // q2 "no object" wins: dropped
  [6, 0, 0, 0, 0], // q3 N/A class wins: dropped
  [0, 0, 0, 1.2, 0.8], // q4 dining table, ~0.389
  [0, 3, 0, 0, 0], // q5 person, box crosses the right edge
];
const detrBoxes = [
  [0.5, 0.5, 0.25, 0.5],
  [0.25, 0.75, 0.125, 0.125],
  [0.5, 0.5, 1, 1],
  [0.5, 0.5, 0.5, 0.5],
  [0.5, 0.25, 0.5, 0.25],
  [0.9375, 0.5, 0.25, 0.25],
];
writeFolder(
  'detr-tiny',
  fixedOutputsModel(
    DYNAMIC,
    [
      { name: 'logits', dims: [1, 6, 5], values: detrLogits.flat() },
      { name: 'pred_boxes', dims: [1, 6, 4], values: detrBoxes.flat() },
    ],
    true,
  ),
  {
    model_type: 'detr',
    architectures: ['DetrForObjectDetection'],
    id2label: { '0': 'N/A', '1': 'person', '2': 'cup', '3': 'dining_table' },
    label2id: { 'N/A': 0, person: 1, cup: 2, dining_table: 3 },
  },
);

// ---- Sigmoid families: 3 classes, no "no object".
const sigmoidLogits = [
  [2, -3, -3], // q0 person 0.881
  [1, 0.5, -5], // q1 person 0.731 and cup 0.622 (two labels, one query)
  [-5, -5, -0.5], // q2 laptop 0.378: below 0.5
  [-5, -5, 3], // q3 laptop 0.953
];
const sigmoidBoxes = [
  [0.5, 0.5, 0.5, 0.5],
  [0.25, 0.25, 0.25, 0.25],
  [0.5, 0.5, 0.1, 0.1],
  [0.75, 0.75, 0.25, 0.5],
];
const id2label3 = { '0': 'person', '1': 'cup', '2': 'laptop' };
writeFolder(
  'deformable-tiny',
  fixedOutputsModel(DYNAMIC, [
    { name: 'logits', dims: [1, 5, 3], values: [...sigmoidLogits.flat(), -9, -9, -9] },
    { name: 'pred_boxes', dims: [1, 5, 4], values: [...sigmoidBoxes.flat(), 0.5, 0.5, 0.2, 0.2] },
  ]),
  { model_type: 'deformable_detr', id2label: id2label3 },
);
writeFolder(
  'rt-detr-tiny',
  fixedOutputsModel(
    [1, 3, 640, 640],
    [
      { name: 'logits', dims: [1, 4, 3], values: sigmoidLogits.flat(), declared: [1, 4, 3] },
      { name: 'pred_boxes', dims: [1, 4, 4], values: sigmoidBoxes.flat(), declared: [1, 4, 4] },
    ],
  ),
  { model_type: 'rt_detr', id2label: id2label3 },
  {
    do_resize: true,
    size: { height: 640, width: 640 },
    do_rescale: true,
    rescale_factor: 0.00392156862745098,
    do_normalize: false,
  },
);
// D-FINE-style single output [1, Q, 4 + C]: box then class logits per query.
write(
  'combined-boxes-logits.onnx',
  fixedOutputsModel(DYNAMIC, [
    { name: 'output', dims: [1, 4, 7], values: sigmoidBoxes.flatMap((b, i) => [...b, ...sigmoidLogits[i]!]) },
  ]),
);
write(
  'separate-boxes-scores.onnx',
  fixedOutputsModel(DYNAMIC, [
    { name: 'boxes', dims: [1, 4, 4], values: sigmoidBoxes.flat() },
    { name: 'scores', dims: [1, 4, 3], values: sigmoidLogits.flat() },
  ]),
);

// ---- Random COCO-sized DETR head (100 queries x (91 + 1)), no config: for the transformers cross-check.
const randomLogits = randomNormal(100 * 92, 3, 7);
for (let q = 0; q < 100; q++) randomLogits[q * 92 + 91] = randomLogits[q * 92 + 91]! + 2; // "no object" usually wins, as in trained DETR
const randomBoxes = Array.from(randomNormal(100 * 4, 1.5, 11), (v, i) => {
  const s = 1 / (1 + Math.exp(-v));
  return i % 4 < 2 ? s : s * 0.5;
});
write(
  'detr-random-coco.onnx',
  fixedOutputsModel(DYNAMIC, [
    { name: 'logits', dims: [1, 100, 92], values: randomLogits },
    { name: 'pred_boxes', dims: [1, 100, 4], values: randomBoxes },
  ]),
);

// ---- Bad files.
write('not-onnx.onnx', new TextEncoder().encode('<html>404 Not Found</html>\n'));
write(
  'bad-input-rank.onnx',
  encodeModel({
    nodes: [
      node('ReduceMean', ['pixel_values'], ['m'], { axes: [1, 2], keepdims: 1 }),
      node('Mul', ['m', 'zero_c'], ['zero']),
      node('Add', ['zero', 'logits_c'], ['logits']),
      node('Add', ['zero', 'boxes_c'], ['pred_boxes']),
    ],
    initializers: [
      tensor('zero_c', [], [0]),
      tensor('logits_c', [1, 4, 3], sigmoidLogits.flat()),
      tensor('boxes_c', [1, 4, 4], sigmoidBoxes.flat()),
    ],
    inputs: [valueInfo('pixel_values', [1, 3, 640])],
    outputs: [valueInfo('logits', [1, 4, 3]), valueInfo('pred_boxes', [1, 4, 4])],
  }),
);
write(
  'bad-boxes-shape.onnx',
  fixedOutputsModel(DYNAMIC, [
    { name: 'logits', dims: [1, 4, 3], values: sigmoidLogits.flat() },
    { name: 'pred_boxes', dims: [1, 4, 3], values: new Float32Array(12) },
  ]),
);
const nanLogits = sigmoidLogits.flat();
nanLogits[7] = Number.NaN;
write(
  'nan-logits.onnx',
  fixedOutputsModel(DYNAMIC, [
    { name: 'logits', dims: [1, 4, 3], values: nanLogits },
    { name: 'pred_boxes', dims: [1, 4, 4], values: sigmoidBoxes.flat() },
  ]),
);
