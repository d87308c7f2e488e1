import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InteractionCandidate, RecognizeOptions, RgbImage } from '@hoi/core';
import { writeQwenVlFixture } from '../scripts/qwen-vl-fixture.js';
import { createVlmRecognizer, type VlmRecognizer } from '../src/index.js';
import { median, peakRssMiB, type Row, range, seededImage } from './bench-utils.js';

/** The decoder the bench uses: Qwen2.5-0.5B width (hidden 896, 14 heads, 2 KV heads, MLP 4864), 2 layers. */
export const BENCH_DECODER = {
  hidden: 896,
  layers: 2,
  heads: 14,
  kvHeads: 2,
  intermediate: 4864,
  vocab: 32000,
  maxPixels: 336 * 336,
};

/** Candidate phrases of 1..6 words drawn from the tiny tokenizer's word list and spelled-out words. */
export function benchCandidates(n: number): InteractionCandidate[] {
  const verbs = [
    'riding',
    'holding',
    'sitting on',
    'drinking with',
    'eating',
    'repairing',
    'washing',
    'carrying',
    'pushing',
  ];
  const objects = [
    'bicycle',
    'horse',
    'cup',
    'red bicycle',
    'blue cup',
    'green horse',
    'kite',
    'skateboard',
    'laptop',
    'umbrella',
    'pizza',
    'boat',
    'train',
  ];
  return Array.from({ length: n }, (_, k) => {
    const verb = verbs[k % verbs.length]!;
    const object = objects[Math.floor(k / verbs.length) % objects.length]!;
    return { verb, object, phrase: `${verb} a ${object}` };
  });
}

/** One timed `doRecognize`, split into the per-image vision encoding and the candidate scoring after it. */
interface Split {
  logProbs: number[][];
  /** Whole call (end to end per image). */
  total: number;
  /** `encodeImage`: image processor + vision encoder, once per image in both methods. */
  encode: number;
  /** total - encode: prompts, embeddings, every decoder pass and the log-softmax reads. */
  scoring: number;
  /** Of which inside `decode` (onnxruntime decoder passes). */
  decoder: number;
  /** Decoder token positions processed (batch rows included). */
  steps: number;
  /** Process CPU time (user + sys, all threads) of the candidate scoring: less sensitive than wall time to other jobs on a shared machine. */
  scoringCpu: number;
}

/**
 * Wraps the recognizer's own `encodeImage` and `decode` with timers (bench-only; nothing in src changes),
 * so a normal `doRecognize` reports how its time splits.
 */
function timed(rec: VlmRecognizer): (req: RecognizeOptions) => Promise<Split> {
  const model = rec.model;
  const acc = { encode: 0, encodeCpu: 0, decoder: 0 };
  const encodeImage = model.encodeImage.bind(model);
  model.encodeImage = async (image: RgbImage) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    try {
      return await encodeImage(image);
    } finally {
      acc.encode += performance.now() - t0;
      acc.encodeCpu += cpuMs(process.cpuUsage(c0));
    }
  };
  const decode = model.decode.bind(model) as (...args: unknown[]) => Promise<unknown>;
  (model as unknown as { decode: typeof decode }).decode = async (...args: unknown[]) => {
    const t0 = performance.now();
    try {
      return await decode(...args);
    } finally {
      acc.decoder += performance.now() - t0;
    }
  };
  return async (req) => {
    acc.encode = 0;
    acc.encodeCpu = 0;
    acc.decoder = 0;
    const steps0 = model.stats.tokenSteps;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await rec.doRecognize(req);
    const total = performance.now() - t0;
    const cpu = cpuMs(process.cpuUsage(c0));
    return {
      logProbs: res.pairs.map((p) => p.logProbs ?? []),
      total,
      encode: acc.encode,
      scoring: total - acc.encode,
      decoder: acc.decoder,
      steps: model.stats.tokenSteps - steps0,
      scoringCpu: cpu - acc.encodeCpu,
    };
  };
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/** Median and [min, max] of one field over runs. */
function stat(runs: Split[], key: 'total' | 'encode' | 'scoring' | 'decoder'): Pick<Row, 'ms' | 'spread'> {
  const xs = runs.map((r) => r[key]);
  return { ms: median(xs), spread: range(xs) };
}

/**
 * `runs` alternating shared/naive measurements of one request (the order flips every run, so load from
 * other processes hits both alike); rows for the end-to-end time, the shared image encoding and the
 * candidate scoring, each as median [min - max], and the ratios with the spread of the per-run ratios.
 */
async function compare(
  label: string,
  req: RecognizeOptions,
  runs: number,
  shared: (req: RecognizeOptions) => Promise<Split>,
  naive: (req: RecognizeOptions) => Promise<Split>,
  target?: string,
): Promise<Row[]> {
  const s: Split[] = [];
  const n: Split[] = [];
  for (let r = 0; r < runs; r++) {
    if (r % 2 === 0) {
      s.push(await shared(req));
      n.push(await naive(req));
    } else {
      n.push(await naive(req));
      s.push(await shared(req));
    }
  }
  const ratio = (key: 'total' | 'scoring' | 'scoringCpu'): Pick<Row, 'ratio' | 'spread'> => ({
    ratio: median(n.map((x) => x[key])) / median(s.map((x) => x[key])),
    spread: range(n.map((x, i) => x[key] / s[i]![key])),
  });
  let maxDiff = 0;
  for (const x of n)
    for (const [p, lp] of x.logProbs.entries())
      for (const [k, l] of lp.entries()) maxDiff = Math.max(maxDiff, Math.abs(l - s[0]!.logProbs[p]![k]!));
  const steps = (xs: Split[]) => `${xs[0]!.steps} token-steps`;
  const dec = (xs: Split[]) => `decoder ${median(xs.map((x) => x.decoder)).toFixed(0)} ms`;
  return [
    {
      name: `${label}: candidate scoring, shared-prefix`,
      ...stat(s, 'scoring'),
      note: `${dec(s)}, ${steps(s)}`,
    },
    { name: `${label}: candidate scoring, naive`, ...stat(n, 'scoring'), note: `${dec(n)}, ${steps(n)}` },
    {
      name: `${label}: candidate scoring ratio naive / shared${target ? ` (target ${target})` : ''}`,
      ...ratio('scoring'),
      note: `${runs} runs each; [min - max] of per-run ratios; max |dlogp| ${maxDiff.toExponential(1)}`,
    },
    {
      name: `${label}: same ratio by process CPU time`,
      ...ratio('scoringCpu'),
      note: `shared ${median(s.map((x) => x.scoringCpu)).toFixed(0)} ms CPU, naive ${median(n.map((x) => x.scoringCpu)).toFixed(0)} ms CPU`,
    },
    {
      name: `${label}: image encoding, paid once per image by both`,
      ...stat([...s, ...n], 'encode'),
      note: 'image processor + vision encoder',
    },
    { name: `${label}: end to end per image, shared-prefix`, ...stat(s, 'total') },
    { name: `${label}: end to end per image, naive`, ...stat(n, 'total') },
    { name: `${label}: end-to-end ratio naive / shared`, ...ratio('total') },
    { name: `${label}: peak RSS of the process so far`, note: `${peakRssMiB().toFixed(0)} MiB` },
  ];
}

/**
 * Shared-prefix batched scoring vs naive per-candidate scoring, 1 pair x 15 and 1 pair x 117 candidates,
 * then 4 pairs x 15 on one image. Both encode the image once per image (as the recognizer always does),
 * so the candidate-scoring rows compare the decoder work the two methods do differently; the end-to-end
 * rows add the shared image encoding.
 */
export async function benchVlm(runs15 = 7, runs117 = 5, runsPairs = 3): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hoi-bench-vlm-'));
  try {
    writeQwenVlFixture(dir, { family: 'qwen2_5_vl', ...BENCH_DECODER });
    const sharedRec = await createVlmRecognizer({ model: dir, maxBatch: 128 });
    const naiveRec = await createVlmRecognizer({ model: dir, scoring: 'naive' });
    const shared = timed(sharedRec);
    const naive = timed(naiveRec);
    const image = seededImage(640, 480, 5);
    const instances: RecognizeOptions['instances'] = [
      { box: [40, 30, 300, 470], label: 'person', score: 0.9 },
      { box: [200, 200, 600, 460], label: 'bicycle', score: 0.9 },
      { box: [420, 40, 630, 200], label: 'cup', score: 0.9 },
      { box: [320, 20, 620, 470], label: 'person', score: 0.9 },
      { box: [10, 300, 200, 470], label: 'horse', score: 0.9 },
    ];
    const onePair = (n: number): RecognizeOptions => {
      const candidates = benchCandidates(n);
      return {
        image,
        candidates,
        instances,
        pairs: [{ subject: 0, object: 1, candidates: candidates.map((_, k) => k) }],
      };
    };
    const rows: Row[] = [];
    const warm = await shared(onePair(15)); // warm-up of both sessions
    await naive(onePair(15));
    const meta = (await sharedRec.doRecognize(onePair(15))).providerMetadata?.['qwen2.5-vl'] as
      | { imageTokens: number; resized: unknown }
      | undefined;
    rows.push({
      name: 'image tokens / resized image',
      note: `${JSON.stringify(meta && [meta.imageTokens, meta.resized])}; ${warm.steps} shared token-steps at 15`,
    });
    rows.push(...(await compare('1 pair x 15', onePair(15), runs15, shared, naive, '>= 5x')));
    rows.push(...(await compare('1 pair x 117', onePair(117), runs117, shared, naive)));
    // A realistic image holds several pairs: the image encoding and image prefix are then paid once per
    // image, and each further pair costs one question pass and one candidate batch.
    const candidates = benchCandidates(15);
    const all = candidates.map((_, k) => k);
    const fourPairs: RecognizeOptions = {
      image,
      candidates,
      instances,
      pairs: [1, 2, 3, 4].map((object) => ({ subject: 0, object, candidates: all })),
    };
    rows.push(...(await compare('4 pairs x 15', fourPairs, runsPairs, shared, naive)));
    await sharedRec.dispose?.();
    await naiveRec.dispose?.();
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
