/**
 * Per-image time of the prior recognizer with 5 persons x 10 objects (50 pairs, HICO-DET candidates
 * of each object): pose + prior (5 MoveNet runs, one per person) and the layout prior alone.
 * Image: ../shared/images/kite.jpg when present, else a synthetic 1352x900 image. Median of 10 runs after
 * 2 warm-up runs. Run: `pnpm bench` (or `npx tsx --conditions=source bench/prior.bench.ts`).
 */

import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { candidatesForObject, hicoDet, loadImage } from '@hoi/core';
import type { DetectedInstance, InteractionCandidate, InteractionPair, RgbImage } from '@hoi/core/spec';
import { createSyntheticImage } from '@hoi/core/test';
import { createPriorRecognizer } from '../src/index.js';

const RUNS = 10;
const WARMUP = 2;
const KITE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/images/kite.jpg');
const image: RgbImage = existsSync(KITE) ? await loadImage(KITE) : createSyntheticImage(1352, 900);
const source = existsSync(KITE) ? 'kite.jpg (1352x900)' : 'synthetic 1352x900';

const persons: DetectedInstance[] = [
  { box: [110, 610, 168, 762], label: 'person', score: 0.9 },
  { box: [212, 696, 272, 856], label: 'person', score: 0.9 },
  { box: [82, 505, 102, 563], label: 'person', score: 0.8 },
  { box: [40, 508, 56, 560], label: 'person', score: 0.7 },
  { box: [176, 538, 192, 572], label: 'person', score: 0.6 },
];
const objectLabels = [
  'kite',
  'kite',
  'kite',
  'kite',
  'kite',
  'surfboard',
  'sports ball',
  'umbrella',
  'dog',
  'bottle',
];
const objects: DetectedInstance[] = objectLabels.map((label, i) => ({
  box: [300 + 90 * i, 100 + 40 * (i % 5), 360 + 90 * i, 160 + 40 * (i % 5)],
  label,
  score: 0.8,
}));
const instances = [...persons, ...objects];
const candidates: InteractionCandidate[] = [];
const byLabel = new Map<string, number[]>();
for (const label of new Set(objectLabels)) {
  byLabel.set(
    label,
    candidatesForObject(hicoDet, label).map(
      (c) => candidates.push({ verb: c.verb, object: c.object, phrase: c.phrase }) - 1,
    ),
  );
}
const pairs: InteractionPair[] = persons.flatMap((_, s) =>
  objects.map((o, k) => ({ subject: s, object: persons.length + k, candidates: byLabel.get(o.label)! })),
);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const rows: string[] = [];
for (const pose of [true, false]) {
  const rec = createPriorRecognizer({ pose });
  const times: number[] = [];
  let backend = '-';
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t0 = performance.now();
    const r = await rec.doRecognize({ image, instances, pairs, candidates });
    const t = performance.now() - t0;
    backend = String(r.providerMetadata?.prior?.backend ?? '-');
    if (i >= WARMUP) times.push(t);
  }
  await rec.dispose?.();
  rows.push(
    `| ${pose ? 'pose + prior' : 'layout prior only'} | ${backend} | ${median(times).toFixed(1)} | ${Math.min(...times).toFixed(1)} |`,
  );
}
console.log(
  `prior recognizer, ${persons.length} persons x ${objects.length} objects = ${pairs.length} pairs, ${candidates.length} candidates, image ${source}`,
);
console.log(
  `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, median of ${RUNS} runs after ${WARMUP} warm-up\n`,
);
console.log('| mode | tfjs backend | ms / image (median) | ms / image (min) |');
console.log('|---|---|---:|---:|');
for (const r of rows) console.log(r);
