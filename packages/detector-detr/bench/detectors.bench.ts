/**
 * DETR adapter benchmark: per-image time split into decode, preprocess, inference and postprocess on
 * a 1280x720 JPEG (made from ../shared/images/kite.jpg; DETR resizes it to 1333x750), for
 * random-weight models generated here into a temp dir (never committed):
 * - `conv-attn-13G`: a strided 3x3 conv backbone to 256 channels at stride 32, then 100 learned
 *   queries cross-attending to the feature map, an FFN and the class (91 + "no object") and box heads
 *   (the first bench model);
 * - `detr-r50-like`: ResNet-50 + 6 encoder / 6 decoder layers, 100 queries, with `pixel_mask`
 *   (bench/detr-r50-like-model.ts), 41.6 M parameters like DETR-R50's 41 M.
 * Sizes are multiply-adds counted on the built graph; GFLOPs printed are 2 x multiply-adds (DETR's
 * paper quotes fvcore's count, which is multiply-adds: its "86 GFLOPs" is ~172 in this convention).
 * Also times post-processing of a 100 x 92 head alone.
 * Run: `pnpm --filter @hoi/detector-detr bench` (about 30 s on 2 cores; BENCH_RUNS sets the run count
 * of the small model, the R50-size one gets 5 unless BENCH_RUNS_LARGE is set).
 * Target: pre + post < 10% of inference.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COCO_80_CATEGORY_IDS, COCO_80_LABELS } from '@hoi/core';
import { encodeModel, node, randomNormal, tensor, timeDetectorStages, valueInfo } from '@hoi/onnx-graph';
import type onnxProto from 'onnx-proto';
import sharp from 'sharp';
import { computeResizedSize, createDetrDetector, decodeDetrOutputs } from '../src/index.js';
import { buildDetrR50LikeModel } from './detr-r50-like-model.js';

const here = dirname(fileURLToPath(import.meta.url));
const KITE = resolve(here, '../../../../shared/images/kite.jpg');
/** Timed runs per model after 2 warm-ups (1 for the R50-size model, ~2 s per image here). */
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const RUNS_LARGE = Number(process.env.BENCH_RUNS_LARGE ?? 5);
const D = 256;
const Q = 100;

/** Builds the model; returns bytes and multiply-adds for a `width` x `height` input. */
function buildDetrBenchModel(width: number, height: number): { bytes: Uint8Array; macs: number } {
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const inits: onnxProto.onnx.ITensorProto[] = [];
  let macs = 0;
  let seed = 3;
  let w = width;
  let h = height;
  const block = (input: string, out: string, cin: number, cout: number, stride: number) => {
    inits.push(
      tensor(`${out}_w`, [cout, cin, 3, 3], randomNormal(cout * cin * 9, Math.sqrt(2 / (cin * 9)), seed++)),
    );
    inits.push(tensor(`${out}_b`, [cout], new Float32Array(cout)));
    nodes.push(
      node('Conv', [input, `${out}_w`, `${out}_b`], [`${out}_c`], {
        kernel_shape: [3, 3],
        strides: [stride, stride],
        pads: [1, 1, 1, 1],
      }),
      node('Relu', [`${out}_c`], [out]),
    );
    w = Math.floor((w - 1) / stride) + 1;
    h = Math.floor((h - 1) / stride) + 1;
    macs += w * h * cin * cout * 9;
    return out;
  };
  let x = block('pixel_values', 'c1', 3, 32, 2);
  x = block(x, 'c2', 32, 64, 2);
  x = block(x, 'c3', 64, 128, 2);
  x = block(x, 'c3b', 128, 128, 1);
  x = block(x, 'c4', 128, 256, 2);
  x = block(x, 'c5', 256, D, 2);
  const hw = w * h;
  // Cross-attention of the queries to the flattened feature map, then FFN and heads.
  inits.push(
    tensor('flat_shape', [3], [0, D, -1], true),
    tensor('queries', [1, Q, D], randomNormal(Q * D, 1, seed++)),
    tensor('attn_scale', [], [1 / Math.sqrt(D)]),
    tensor('ffn_w', [D, D], randomNormal(D * D, Math.sqrt(2 / D), seed++)),
    tensor('cls_w', [D, 92], randomNormal(D * 92, 0.02, seed++)),
    tensor(
      'cls_b',
      [92],
      Float32Array.from({ length: 92 }, (_, i) => (i === 91 ? 4 : 0)),
    ),
    tensor('box_w', [D, 4], randomNormal(D * 4, 0.02, seed++)),
  );
  nodes.push(
    node('Reshape', [x, 'flat_shape'], ['mem']),
    node('MatMul', ['queries', 'mem'], ['attn_raw']),
    node('Mul', ['attn_raw', 'attn_scale'], ['attn_scaled']),
    node('Softmax', ['attn_scaled'], ['attn'], { axis: -1 }),
    node('Transpose', ['mem'], ['mem_t'], { perm: [0, 2, 1] }),
    node('MatMul', ['attn', 'mem_t'], ['ctx']),
    node('MatMul', ['ctx', 'ffn_w'], ['ffn_raw']),
    node('Relu', ['ffn_raw'], ['ffn']),
    node('MatMul', ['ffn', 'cls_w'], ['cls_raw']),
    node('Add', ['cls_raw', 'cls_b'], ['logits']),
    node('MatMul', ['ffn', 'box_w'], ['box_raw']),
    node('Sigmoid', ['box_raw'], ['pred_boxes']),
  );
  macs += 2 * Q * hw * D + Q * D * D + Q * D * 96;
  const bytes = encodeModel({
    nodes,
    initializers: inits,
    inputs: [valueInfo('pixel_values', ['batch', 3, 'height', 'width'])],
    outputs: [valueInfo('logits', ['batch', Q, 92]), valueInfo('pred_boxes', ['batch', Q, 4])],
  });
  return { bytes, macs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  console.log(
    `machine: ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, node ${process.version}, runs ${RUNS}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (shared machine: timings vary with it)`,
  );

  // Post-processing of a raw 100 x 92 head on its own.
  const logits = randomNormal(Q * 92, 3, 1);
  const boxes = Float32Array.from(randomNormal(Q * 4, 1, 2), (v) => 1 / (1 + Math.exp(-v)));
  const times: number[] = [];
  for (let r = 0; r < 50; r++) {
    const t0 = performance.now();
    decodeDetrOutputs({ logits: 'logits', boxes: 'pred_boxes' }, logits, boxes, Q, 92, {
      activation: 'softmax',
      scoreThreshold: 0.5,
      topK: 300,
    });
    times.push(performance.now() - t0);
  }
  console.log(`raw 100 x 92 DETR head: post-processing median ${median(times).toFixed(3)} ms`);

  if (!existsSync(KITE)) {
    console.log(`\nskipped the detector benchmark: ${KITE} not found`);
    return;
  }
  const jpeg = await sharp(KITE).resize(1280, 720, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer();
  const size = computeResizedSize(1280, 720, { shortestEdge: 800, longestEdge: 1333 });
  const models = [
    {
      name: 'conv-attn-13G',
      runs: RUNS,
      warmup: 2,
      build: () => buildDetrBenchModel(size.width, size.height),
    },
    {
      name: 'detr-r50-like',
      runs: RUNS_LARGE,
      warmup: 1,
      build: () => buildDetrR50LikeModel(size.width, size.height),
    },
  ];
  const id2label: Record<string, string> = {};
  for (let i = 0; i < 91; i++) id2label[i] = 'N/A';
  COCO_80_CATEGORY_IDS.forEach((id, i) => {
    id2label[id] = COCO_80_LABELS[i]!;
  });
  const table: string[] = [];
  for (const m of models) {
    const dir = mkdtempSync(join(tmpdir(), 'hoi-detr-bench-'));
    try {
      const { bytes, macs } = m.build();
      mkdirSync(join(dir, 'onnx'));
      writeFileSync(join(dir, 'onnx', 'model.onnx'), bytes);
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'detr', id2label }));
      const gflops = (2 * macs) / 1e9;
      console.log(
        `\nmodel ${m.name}: ${gflops.toFixed(1)} GFLOPs (${(macs / 1e9).toFixed(1)} G multiply-adds) at ${size.width}x${size.height}, ${(bytes.length / 1e6).toFixed(1)} MB, ${m.runs} timed runs after ${m.warmup} warm-up`,
      );
      const detector = await createDetrDetector({ model: dir });
      const { wall, cpu } = await timeDetectorStages(detector, jpeg, { runs: m.runs, warmup: m.warmup });
      await detector.dispose?.();
      for (const [kind, r] of [
        ['wall', wall],
        ['CPU', cpu],
      ] as const) {
        const ratio = (r.pre + r.post) / r.inf;
        table.push(
          `| ${m.name} | ${gflops.toFixed(1)} (${(macs / 1e9).toFixed(1)} GMACs) | ${m.runs} | ${kind} | ${r.decode.toFixed(1)} | ${r.pre.toFixed(1)} | ${r.inf.toFixed(1)} | ${r.post.toFixed(2)} | ${(100 * ratio).toFixed(1)}% ${ratio < 0.1 ? 'MET' : 'MISSED'} |`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(
    `\nper image, 1280x720 JPEG -> 1333x750, median ms; wall, and CPU = process CPU time of all threads; load average now ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    '| model | GFLOPs | runs | time | decode | preprocess | inference | postprocess | (pre+post)/inf, target < 10% |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of table) console.log(row);
}

await main();
