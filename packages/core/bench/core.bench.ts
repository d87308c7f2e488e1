/**
 * Benchmark of @hoi/core's post-detector CPU path on the workload of a busy HICO-DET image, next to the
 * same work done by onnxruntime-node's native kernels (the "ort floor").
 *
 *   pnpm --filter @hoi/core bench          (= tsx bench/core.bench.ts)
 *   BENCH_RUNS=31 BENCH_ORT_THREADS=2 pnpm --filter @hoi/core bench
 *
 * Workload (from the issue): 30 instances (15 people, 15 objects), 420 human-x-other pairs, a 24 x 32 x 2048
 * token grid (Qwen2.5-VL-3B-sized), 512-d matching with 15 candidates per pair (HICO-DET: 600 classes over
 * 80 objects), top-100 selection. The 2048 -> 512 projection of pooled features is a model layer, not core,
 * so the 420 x 512 pair features and the 600 x 512 phrase table are random stand-ins.
 *
 * Matching choice: each pair is scored against its own 15 candidates, the rows of its object's class in the
 * 600-row table; pairs are grouped by object class and each group is one `matchScores` product (420 x 15 x 512
 * multiply-adds in all). The full 420 x 600 product is printed too, for reference.
 *
 * Extend with {@link runCorePathBench}'s `extraStages` (the pipeline owner can add filtering, pairing and
 * fusion stages) - each stage is a named synchronous function timed the same way.
 */

import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as ort from 'onnxruntime-node';
import {
  buildCandidateTable,
  type DetectedInstance,
  filterInstances,
  fuseScores,
  hicoDet,
  imageBoxToGrid,
  matchScores,
  pairInstances,
  poolPairFeatures,
  spatialEncodings36,
  type TokenGrid,
  topK,
} from '../src/index.js';
import { matchAllGraph, matchPerPairGraph, roiAlignMeanGraph } from './onnx-graphs.js';

/** Deterministic uniform numbers in [0, 1) (LCG), so every run measures the same data. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** All inputs of one benchmarked image. */
export interface CoreWorkload {
  image: { width: number; height: number };
  grid: TokenGrid;
  /** Instance boxes in image pixels; the first `humans` are people. */
  boxes: number[][];
  humans: number;
  pairs: { subject: number; object: number }[];
  /** Candidate class per instance (an object class owning `perPair` rows of the candidate table). */
  instanceClass: number[];
  perPair: number;
  dim: number;
  logitScale: number;
  /** pairs x dim: stand-in for projected SAP pair features. */
  pairFeatures: Float32Array;
  /** candidates x dim: stand-in for the cached phrase embeddings of all HOI classes. */
  candidateTable: Float32Array;
  candidates: number;
}

export function makeWorkload(): CoreWorkload {
  const rand = lcg(2026);
  const image = { width: 640, height: 480 };
  const [H, W, C] = [24, 32, 2048];
  const data = new Float32Array(H * W * C);
  for (let i = 0; i < data.length; i++) data[i] = rand() * 2 - 1;
  const boxes: number[][] = [];
  const humans = 15;
  for (let i = 0; i < 30; i++) {
    const person = i < humans;
    const w = person ? 60 + rand() * 160 : 30 + rand() * 220;
    const h = person ? 150 + rand() * 250 : 30 + rand() * 220;
    const x1 = rand() * (image.width - w);
    const y1 = rand() * (image.height - h);
    boxes.push([x1, y1, x1 + w, y1 + h]);
  }
  // Every human x every other instance (15 x 29 = 435), first 420 kept.
  const pairs: { subject: number; object: number }[] = [];
  for (let s = 0; s < humans; s++) {
    for (let o = 0; o < boxes.length; o++) if (o !== s) pairs.push({ subject: s, object: o });
  }
  pairs.length = 420;
  const perPair = 15;
  const candidates = 600;
  const classes = candidates / perPair;
  const instanceClass = boxes.map((_, i) => (i < humans ? 0 : 1 + Math.floor(rand() * (classes - 1))));
  const dim = 512;
  const pairFeatures = Float32Array.from({ length: pairs.length * dim }, () => rand() - 0.5);
  const candidateTable = Float32Array.from({ length: candidates * dim }, () => rand() - 0.5);
  return {
    image,
    grid: { data, height: H, width: W, channels: C },
    boxes,
    humans,
    pairs,
    instanceClass,
    perPair,
    dim,
    logitScale: Math.log(100),
    pairFeatures,
    candidateTable,
    candidates,
  };
}

/**
 * Scores every pair against its own candidates: pairs grouped by their object's class, one matchScores
 * product per group. Returns scores laid out pair-major, `perPair` per pair.
 */
export function matchPerPair(w: CoreWorkload): Float32Array {
  const { dim: D, perPair: K } = w;
  const groups = new Map<number, number[]>();
  w.pairs.forEach((p, i) => {
    const c = w.instanceClass[p.object]!;
    const g = groups.get(c);
    if (g) g.push(i);
    else groups.set(c, [i]);
  });
  const out = new Float32Array(w.pairs.length * K);
  for (const [cls, members] of groups) {
    const feats = new Float32Array(members.length * D);
    for (let j = 0; j < members.length; j++) {
      const p = members[j]!;
      feats.set(w.pairFeatures.subarray(p * D, p * D + D), j * D);
    }
    const cands = w.candidateTable.subarray(cls * K * D, (cls + 1) * K * D);
    const s = matchScores(feats, cands, {
      pairs: members.length,
      candidates: K,
      dim: D,
      logitScale: w.logitScale,
    });
    for (let j = 0; j < members.length; j++) out.set(s.subarray(j * K, j * K + K), members[j]! * K);
  }
  return out;
}

/** One timed step of the core path. */
export interface BenchStage {
  name: string;
  /** Part of the core path's total (false: printed for reference only). */
  inTotal: boolean;
  run: () => unknown;
}

/** The core path's stages on a workload; callers may append their own. */
export function coreStages(w: CoreWorkload): BenchStage[] {
  return [
    {
      name: 'spatial encodings 420 x 36',
      inTotal: true,
      run: () => spatialEncodings36(w.boxes, w.pairs, w.image),
    },
    {
      name: 'pool 30 instance + 420 union boxes (RoIAlign 7x7 s2 + mean)',
      inTotal: true,
      run: () => poolPairFeatures(w.grid, w.image, w.boxes, w.pairs),
    },
    {
      name: 'match 420 pairs x own 15 cands, 512-d',
      inTotal: true,
      run: () => matchPerPair(w),
    },
    {
      name: 'top-100 of 420 x 15 scores (pipeline topK)',
      inTotal: true,
      run: (() => {
        const scores = matchPerPair(w);
        return () => topK(scores, 100);
      })(),
    },
    {
      name: '(ref) match 420 x 600 full table, 512-d',
      inTotal: false,
      run: () =>
        matchScores(w.pairFeatures, w.candidateTable, {
          pairs: w.pairs.length,
          candidates: w.candidates,
          dim: w.dim,
          logitScale: w.logitScale,
        }),
    },
  ];
}

/**
 * The pipeline's own post-detector steps on the same image (filtering, pairing, the candidate table,
 * fusion). Appended after {@link coreStages}, whose row order the onnxruntime comparison relies on.
 */
export function pipelineStages(w: CoreWorkload): BenchStage[] {
  // Raw detections as a detector would return them: the 30 instances plus a near-duplicate of each
  // (suppressed by NMS), with HICO-DET labels, so filtering, pairing and the candidate table do real work.
  const objectLabels = hicoDet.objects.filter((o) => o !== 'person');
  const detections: DetectedInstance[] = w.boxes.flatMap((b, i) => {
    const label = i < w.humans ? 'person' : objectLabels[w.instanceClass[i]! % objectLabels.length]!;
    const score = 0.3 + (0.6 * ((i * 7919) % 100)) / 100;
    return [
      { box: b as DetectedInstance['box'], label, score },
      { box: [b[0]! + 2, b[1]! + 2, b[2]! + 2, b[3]! + 2], label, score: score * 0.9 },
    ];
  });
  const kept = filterInstances(detections).instances;
  const table = buildCandidateTable(hicoDet, kept, pairInstances(kept));
  const triplets = table.pairs.reduce((n, p) => n + p.candidates.length, 0);
  const actionScores = Float32Array.from({ length: triplets }, (_, i) => ((i * 2654435761) >>> 0) / 2 ** 32);
  return [
    {
      name: `filter ${detections.length} raw detections (NMS 0.5, >= 0.2, 3..15)`,
      inTotal: true,
      run: () => filterInstances(detections),
    },
    {
      name: `pair ${kept.length} instances + HICO-DET candidate table`,
      inTotal: true,
      run: () => buildCandidateTable(hicoDet, kept, pairInstances(kept)),
    },
    {
      name: `fuse ${triplets} triplets (action x object x human x interactiveness)`,
      inTotal: true,
      run: () => {
        const out = new Float64Array(triplets);
        let t = 0;
        for (const p of table.pairs) {
          const h = kept[p.subject]!.score;
          const o = kept[p.object]!.score;
          for (let k = 0; k < p.candidates.length; k++, t++) {
            out[t] = fuseScores({ action: actionScores[t]!, human: h, object: o, interactiveness: 1 });
          }
        }
        return out;
      },
    },
  ];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median wall time and median CPU time (user + system of this process) of `runs` calls, in ms. */
interface Timing {
  wall: number;
  cpu: number;
}

async function timeAsync(runs: number, fn: () => Promise<unknown> | unknown): Promise<Timing> {
  for (let i = 0; i < 2; i++) await fn(); // warm-up (JIT, ORT arena)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** A forced full GC, when the flag can be turned on at run time (tsx does not pass --expose-gc). */
function getGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return typeof gc === 'function' ? gc : () => {};
}

export interface BenchRow {
  name: string;
  /** Median wall time, ms. */
  ms: number;
  /** Median CPU time of this process, ms: steadier than wall time on a shared machine. */
  cpuMs: number;
  ortMs?: number;
  ortCpuMs?: number;
}

export interface CorePathReport {
  rows: BenchRow[];
  ortRows: BenchRow[];
  coreTotal: Timing;
  ortFloor: Timing;
  /** Growth of heapUsed + arrayBuffers over one core-path run from a collected heap (outputs kept alive, garbage not yet collected), MiB. */
  coreExtraMiB: number;
  /** RSS growth over one core-path run from a collected heap, MiB (includes V8's own growth). */
  coreRssMiB: number;
  /** RSS growth of creating the ORT sessions and running them once, MiB. */
  ortRssMiB: number;
  pooledMaxAbsDiff: number;
  runs: number;
  ortThreads: number;
}

/**
 * Times the core path and its onnxruntime counterparts. `extraStages` are timed after the core stages
 * and counted in the total when their `inTotal` is set.
 */
export async function runCorePathBench(
  options: { runs?: number; ortThreads?: number; extraStages?: (w: CoreWorkload) => BenchStage[] } = {},
): Promise<CorePathReport> {
  const runs = options.runs ?? 15;
  const ortThreads = options.ortThreads ?? 1;
  const w = makeWorkload();
  const gc = getGc();
  const stages = [...coreStages(w), ...pipelineStages(w), ...(options.extraStages?.(w) ?? [])];

  // Memory of one full core path, outputs kept alive until measured.
  gc();
  const m0 = process.memoryUsage();
  const kept = stages.filter((s) => s.inTotal).map((s) => s.run());
  const m1 = process.memoryUsage();
  const coreExtraMiB = (m1.heapUsed + m1.arrayBuffers - m0.heapUsed - m0.arrayBuffers) / 2 ** 20;
  const coreRssMiB = (m1.rss - m0.rss) / 2 ** 20;
  kept.length = 0;

  const rows: BenchRow[] = [];
  for (const s of stages) {
    const t = await timeAsync(runs, s.run);
    rows.push({ name: s.name, ms: t.wall, cpuMs: t.cpu });
  }
  const coreTotal = await timeAsync(runs, () => {
    for (const s of stages) if (s.inTotal) s.run();
  });

  // onnxruntime: same shapes, native kernels.
  gc();
  const r0 = process.memoryUsage().rss;
  const so: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: ortThreads,
    interOpNumThreads: 1,
    executionProviders: ['cpu'],
  };
  const { height: H, width: W, channels: C } = w.grid;
  const rois: number[] = [];
  for (const b of w.boxes) rois.push(...imageBoxToGrid(b, w.image, w.grid));
  for (const p of w.pairs) {
    const a = w.boxes[p.subject]!;
    const b = w.boxes[p.object]!;
    const u = [
      Math.min(a[0]!, b[0]!),
      Math.min(a[1]!, b[1]!),
      Math.max(a[2]!, b[2]!),
      Math.max(a[3]!, b[3]!),
    ];
    rois.push(...imageBoxToGrid(u, w.image, w.grid));
  }
  const K = rois.length / 4;
  const roiFeeds = {
    rois: new ort.Tensor('float32', Float32Array.from(rois), [K, 4]),
    batch_indices: new ort.Tensor('int64', new BigInt64Array(K), [K]),
  };
  const nhwc = new ort.Tensor('float32', w.grid.data, [1, H, W, C]);
  const nchwData = new Float32Array(H * W * C);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < C; c++) nchwData[(c * H + y) * W + x] = w.grid.data[(y * W + x) * C + c]!;
  const nchw = new ort.Tensor('float32', nchwData, [1, C, H, W]);
  const shape = { height: H, width: W, channels: C, boxes: K, outputSize: 7, samplingRatio: 2 };
  const roiLast = await ort.InferenceSession.create(roiAlignMeanGraph({ ...shape, channelLast: true }), so);
  const roiFirst = await ort.InferenceSession.create(roiAlignMeanGraph({ ...shape, channelLast: false }), so);
  const P = w.pairs.length;
  const matchPer = await ort.InferenceSession.create(
    matchPerPairGraph({
      pairs: P,
      candidates: w.candidates,
      perPair: w.perPair,
      dim: w.dim,
      logitScale: w.logitScale,
    }),
    so,
  );
  const matchAll = await ort.InferenceSession.create(
    matchAllGraph({ pairs: P, candidates: w.candidates, dim: w.dim, logitScale: w.logitScale }),
    so,
  );
  const index = new BigInt64Array(P * w.perPair);
  w.pairs.forEach((p, i) => {
    const c = w.instanceClass[p.object]!;
    for (let j = 0; j < w.perPair; j++) index[i * w.perPair + j] = BigInt(c * w.perPair + j);
  });
  const pairsT = new ort.Tensor('float32', w.pairFeatures, [P, w.dim]);
  const candsT = new ort.Tensor('float32', w.candidateTable, [w.candidates, w.dim]);
  const indexT = new ort.Tensor('int64', index, [P, w.perPair]);

  const ortPooled = (await roiLast.run({ tokens: nhwc, ...roiFeeds })).pooled!.data as Float32Array;
  const ortRssMiB = (process.memoryUsage().rss - r0) / 2 ** 20;
  // Cross-check: our pooled instance + union features against onnxruntime's RoiAlign.
  const ours = poolPairFeatures(w.grid, w.image, w.boxes, w.pairs);
  let pooledMaxAbsDiff = 0;
  // Compared through the pairs: ort row i is box i, then union i after the 30 instances.
  w.pairs.forEach((p, i) => {
    for (let c = 0; c < C; c++) {
      const d1 = Math.abs(ours.human[i * C + c]! - ortPooled[p.subject * C + c]!);
      const d2 = Math.abs(ours.object[i * C + c]! - ortPooled[p.object * C + c]!);
      const d3 = Math.abs(ours.union[i * C + c]! - ortPooled[(w.boxes.length + i) * C + c]!);
      pooledMaxAbsDiff = Math.max(pooledMaxAbsDiff, d1, d2, d3);
    }
  });

  const ortTimings: [string, Timing][] = [
    [
      'ort RoiAlign+ReduceMean 450 boxes, NHWC in (+Transpose)',
      await timeAsync(runs, () => roiLast.run({ tokens: nhwc, ...roiFeeds })),
    ],
    [
      'ort RoiAlign+ReduceMean 450 boxes, NCHW in',
      await timeAsync(runs, () => roiFirst.run({ tokens: nchw, ...roiFeeds })),
    ],
    [
      'ort match per pair (Gather+MatMul+Sigmoid)',
      await timeAsync(runs, () => matchPer.run({ pairs: pairsT, cands: candsT, index: indexT })),
    ],
    [
      'ort match 420 x 600 (MatMul+Sigmoid)',
      await timeAsync(runs, () => matchAll.run({ pairs: pairsT, cands: candsT })),
    ],
  ];
  const ortRows: BenchRow[] = ortTimings.map(([name, t]) => ({ name, ms: t.wall, cpuMs: t.cpu }));
  for (const s of [roiLast, roiFirst, matchPer, matchAll]) await s.release();
  const roiBest = ortRows[0]!.cpuMs <= ortRows[1]!.cpuMs ? ortRows[0]! : ortRows[1]!;
  const ortFloor = { wall: roiBest.ms + ortRows[2]!.ms, cpu: roiBest.cpuMs + ortRows[2]!.cpuMs };
  const pair = (row: BenchRow, ortRow: BenchRow) => {
    row.ortMs = ortRow.ms;
    row.ortCpuMs = ortRow.cpuMs;
  };
  pair(rows[1]!, roiBest);
  pair(rows[2]!, ortRows[2]!);
  pair(rows[4]!, ortRows[3]!);
  return {
    rows,
    ortRows,
    coreTotal,
    ortFloor,
    coreExtraMiB,
    coreRssMiB,
    ortRssMiB,
    pooledMaxAbsDiff,
    runs,
    ortThreads,
  };
}

function printReport(r: CorePathReport): void {
  const num = (v: number | undefined) => (v === undefined ? '' : v.toFixed(2)).padStart(8);
  const ratio = (a: number, b: number | undefined) => (b ? (a / b).toFixed(2) : '').padStart(8);
  const header = ['ours ms', 'ours cpu', 'ort ms', 'ort cpu', 'ratio', 'cpu rat.'];
  const line = (name: string, cells: string[]) => console.log(`${name.padEnd(60)} ${cells.join(' ')}`);
  console.log(
    `@hoi/core bench: median of ${r.runs} runs (wall ms and process CPU ms); onnxruntime-node ` +
      `${ort.env.versions.node ?? ''} CPU EP, ${r.ortThreads} intra-op thread(s); ratio = ours / ort`,
  );
  line(
    'stage',
    header.map((h) => h.padStart(8)),
  );
  for (const row of r.rows) {
    line(row.name, [
      num(row.ms),
      num(row.cpuMs),
      num(row.ortMs),
      num(row.ortCpuMs),
      ratio(row.ms, row.ortMs),
      ratio(row.cpuMs, row.ortCpuMs),
    ]);
  }
  line('core path total (rows without "(ref)") vs ort floor', [
    num(r.coreTotal.wall),
    num(r.coreTotal.cpu),
    num(r.ortFloor.wall),
    num(r.ortFloor.cpu),
    ratio(r.coreTotal.wall, r.ortFloor.wall),
    ratio(r.coreTotal.cpu, r.ortFloor.cpu),
  ]);
  console.log('');
  for (const row of r.ortRows) line(row.name, [num(undefined), num(undefined), num(row.ms), num(row.cpuMs)]);
  console.log('');
  console.log(
    `extra memory, core path (heap + array buffers grown over one run from a collected heap): ${r.coreExtraMiB.toFixed(1)} MiB`,
  );
  console.log(
    `RSS growth: core path ${r.coreRssMiB.toFixed(1)} MiB; onnxruntime sessions + first run ${r.ortRssMiB.toFixed(1)} MiB`,
  );
  console.log(
    `max |ours - ort RoiAlign| over 450 pooled boxes x 2048: ${r.pooledMaxAbsDiff.toExponential(2)}`,
  );
  const t = r.coreTotal;
  const x = t.cpu / r.ortFloor.cpu;
  console.log(
    `targets: <= 3x ort floor: ${x <= 3 ? 'met' : 'MISSED'} (${x.toFixed(2)}x by CPU time); ` +
      `< 25 ms: wall ${t.wall < 25 ? 'met' : 'MISSED'} (${t.wall.toFixed(1)} ms), CPU ${t.cpu < 25 ? 'met' : 'MISSED'} (${t.cpu.toFixed(1)} ms, includes V8's background GC threads); ` +
      `extra memory < 64 MB: ${r.coreExtraMiB * 1.048576 < 64 ? 'met' : 'MISSED'}`,
  );
  console.log(
    `machine load average at the end: ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')} on ${cpus().length} CPUs`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.env.BENCH_RUNS ?? 15);
  const ortThreads = Number(process.env.BENCH_ORT_THREADS ?? 1);
  printReport(await runCorePathBench({ runs, ortThreads }));
}
