/**
 * Per-image time of the embedded detector, split into decode, preprocess, inference and
 * postprocess, on a 1280x720 JPEG made from ../shared/images/kite.jpg. Median of 10 runs after 2
 * warm-up runs. Run: `pnpm bench` (or `npx tsx --conditions=source bench/centernet.bench.ts`).
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadImage } from '@hoi/core';
import sharp from 'sharp';
import { type CenterNetProviderMetadata, createCenterNetDetector } from '../src/index.js';

const RUNS = 10;
const WARMUP = 2;
const KITE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/images/kite.jpg');

if (!existsSync(KITE)) {
  console.log(`centernet bench skipped: ${KITE} not found`);
  process.exit(0);
}

const jpeg = await sharp(KITE).resize(1280, 720, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer();
const detector = await createCenterNetDetector();

type Row = { decode: number; preprocess: number; inference: number; postprocess: number; total: number };
const rows: Row[] = [];
let meta: CenterNetProviderMetadata | undefined;
let found = '';
for (let i = 0; i < WARMUP + RUNS; i++) {
  const t0 = performance.now();
  const image = await loadImage(jpeg);
  const t1 = performance.now();
  const result = await detector.doDetect(image);
  const t2 = performance.now();
  meta = result.providerMetadata?.centernet as unknown as CenterNetProviderMetadata;
  if (i < WARMUP) continue;
  rows.push({ decode: t1 - t0, ...meta.timingsMs, total: t2 - t0 });
  const counts = new Map<string, number>();
  for (const d of result.instances) counts.set(d.label, (counts.get(d.label) ?? 0) + 1);
  found = [...counts].map(([label, n]) => `${n} ${label}`).join(', ');
}
await detector.dispose?.();

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const stages = ['decode', 'preprocess', 'inference', 'postprocess', 'total'] as const;
const inference = median(rows.map((r) => r.inference));
console.log(
  `\n@hoi/detector-centernet: MB3-CenterNet 512x512, backend ${meta?.backend}, resize ${meta?.resize}; ` +
    `1280x720 JPEG from kite.jpg; median of ${RUNS} (after ${WARMUP} warm-up)`,
);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.table(
  Object.fromEntries(
    stages.map((stage) => {
      const xs = rows.map((r) => r[stage]);
      return [
        stage,
        {
          'median ms': +median(xs).toFixed(2),
          'min ms': +Math.min(...xs).toFixed(2),
          'max ms': +Math.max(...xs).toFixed(2),
          '% of inference': +((100 * median(xs)) / inference).toFixed(1),
        },
      ];
    }),
  ),
);
console.log(`detections at the default threshold: ${found}`);
